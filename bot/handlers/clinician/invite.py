"""/invite: a one-time link that enrols a new patient with the clinician's clinic."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot.handlers.clinician.guards import clinician_only
from bot.handlers.context import BotContext
from bot.handlers.formatting import format_local
from bot.handlers.replies import send
from bot.render import Message


async def invite(update: Update, context: BotContext) -> None:
    clinician = await clinician_only(update, context)
    if clinician is None:
        return
    services = context.services
    created = services.clinics.invite(
        clinician, timedelta(days=services.settings.invite_valid_days)
    )
    services.clinics.audit(clinician, "create invite")
    await send(
        update,
        context,
        Message.CLINICIAN_INVITE,
        link=f"https://t.me/{context.bot.username}?start={created.code}",
        expires=format_local(created.expires_at, clinician.timezone),
    )
