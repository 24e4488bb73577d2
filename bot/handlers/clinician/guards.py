"""Who may use a clinician command, and which patient a CODE names.

Anyone who is not a clinician gets the same plain refusal; a code that is not a patient of
the caller's own clinic gets the same answer whether or not it exists elsewhere.
"""

from __future__ import annotations

from telegram import Update

from bot.handlers.context import BotContext
from bot.handlers.replies import send
from bot.render import Message
from bot.storage import Clinician, Patient


async def clinician_only(update: Update, context: BotContext) -> Clinician | None:
    user = update.effective_user
    clinician = context.services.clinics.clinician(user.id) if user else None
    if clinician is None:
        await send(update, context, Message.CLINICIANS_ONLY)
    return clinician


async def their_patient(
    update: Update, context: BotContext, clinician: Clinician, code: str | None
) -> Patient | None:
    patient = context.services.clinics.patient(clinician, code) if code else None
    if patient is None:
        await send(update, context, Message.NO_SUCH_PATIENT, code=code or "", usage=not code)
    return patient


def argument(context: BotContext, position: int) -> str | None:
    args = context.args or []
    return args[position] if len(args) > position else None


async def clinician_and_patient(
    update: Update, context: BotContext
) -> tuple[Clinician, Patient] | None:
    """For ``/command CODE …``: the caller, if a clinician, and their patient named by CODE."""
    clinician = await clinician_only(update, context)
    if clinician is None:
        return None
    patient = await their_patient(update, context, clinician, argument(context, 0))
    return (clinician, patient) if patient is not None else None
