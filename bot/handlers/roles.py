"""One command name, two meanings: the caller's role decides (``/session``, ``/help``).

Clinician-only commands refuse everyone else plainly; patient commands typed by a clinician
point them to their own list instead of starting a patient's set-up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.domain.clinics import Role
from bot.handlers.context import BotContext
from bot.handlers.replies import send
from bot.render import Message

Callback = Callable[[Update, BotContext], Awaitable[None]]
# Commands that mean the same for everyone (general information, help lines, joining).
FOR_EVERYONE = frozenset({"start", "crisis", "learn"})


def by_role(name: str, patient: Callback | None, clinician: Callback | None) -> Callback:
    async def route(update: Update, context: BotContext) -> None:
        user = update.effective_user
        role = context.services.clinics.role_of(user.id) if user else Role.NOBODY
        if role == Role.CLINICIAN and clinician is not None:
            await clinician(update, context)
        elif role == Role.CLINICIAN and name not in FOR_EVERYONE:
            await send(update, context, Message.CLINICIAN_NOT_PATIENT)
        elif patient is not None:
            await patient(update, context)
        elif clinician is not None:
            await clinician(update, context)  # refuses: the caller is not a clinician

    route.__name__ = f"{name}_by_role"
    return route


async def document_by_role(
    update: Update, context: BotContext, *, clinician: Callback, others: Callback
) -> None:
    user = update.effective_user
    is_clinician = user is not None and context.services.clinics.clinician(user.id) is not None
    await (clinician if is_clinician else others)(update, context)
