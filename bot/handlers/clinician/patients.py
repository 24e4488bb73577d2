"""/patients (paged) and /patient CODE."""

from __future__ import annotations

from telegram import Update

from bot.handlers import keyboards
from bot.handlers.clinician.guards import clinician_and_patient, clinician_only
from bot.handlers.context import BotContext
from bot.handlers.incoming import pressed
from bot.handlers.replies import acknowledge_press, send
from bot.render import Message

PAGE_SIZE = 10


async def patients(update: Update, context: BotContext) -> None:
    await _send_page(update, context, 1)


async def patients_pressed(update: Update, context: BotContext) -> None:
    await acknowledge_press(update, context)
    callback = pressed(update)
    page = int(callback.value) if callback and callback.value.isdigit() else 1
    await _send_page(update, context, page)


async def _send_page(update: Update, context: BotContext, page: int) -> None:
    clinician = await clinician_only(update, context)
    if clinician is None:
        return
    lines = context.services.clinic_summaries.lines(clinician)
    pages = max(1, -(-len(lines) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = lines[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    context.services.clinics.audit(clinician, "list patients", detail=f"page {page}")
    await send(
        update,
        context,
        Message.CLINICIAN_PATIENTS,
        keyboards.patients_pages(context.services.prompts.ui, page, pages),
        lines=shown,
        page=page,
        pages=pages,
        total=len(lines),
    )


async def patient(update: Update, context: BotContext) -> None:
    found = await clinician_and_patient(update, context)
    if found is None:
        return
    clinician, shown = found
    context.services.clinics.audit(clinician, "view patient", shown)
    detail = context.services.clinic_summaries.detail(shown)
    scores = context.services.questionnaires.latest_scores(shown)
    await send(update, context, Message.CLINICIAN_PATIENT, scores=scores, **detail)
