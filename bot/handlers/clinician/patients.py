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
    shown = context.services.clinic_summaries.page(clinician, page, PAGE_SIZE)
    context.services.clinics.audit(clinician, "list patients", detail=f"page {shown.number}")
    await send(
        update,
        context,
        Message.CLINICIAN_PATIENTS,
        keyboards.patients_pages(context.services.prompts.ui, shown.number, shown.pages),
        lines=shown.lines,
        page=shown.number,
        pages=shown.pages,
        total=shown.total,
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
