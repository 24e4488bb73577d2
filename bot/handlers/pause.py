"""/pause and /resume: a break from prompts and check-ins, for a few days or until asked."""

from __future__ import annotations

from telegram import Update

from bot.handlers import keyboards
from bot.handlers.context import BotContext
from bot.handlers.formatting import format_local
from bot.handlers.guards import ready_patient
from bot.handlers.incoming import pressed
from bot.handlers.replies import acknowledge_press, send
from bot.render import Message


async def pause(update: Update, context: BotContext) -> None:
    patient = await ready_patient(update, context)
    if patient is not None:
        await send(
            update, context, Message.PAUSE_MENU, keyboards.pause_menu(context.services.prompts.ui)
        )


async def pause_pressed(update: Update, context: BotContext) -> None:
    """The menu holds no conversation, so an older copy of it still works."""
    await acknowledge_press(update, context)
    callback = pressed(update)
    patient = await ready_patient(update, context)
    if patient is None or callback is None:
        return
    if callback.value == keyboards.PAUSE_UNTIL_RESUME:
        days = None
    elif callback.value.isdigit() and int(callback.value) in keyboards.PAUSE_DAYS:
        days = int(callback.value)
    else:
        return
    patient = context.services.scheduler.pause(patient, days)
    until = patient.paused_until
    await send(
        update,
        context,
        Message.PAUSED,
        until=format_local(until, patient.timezone or "UTC") if until else "",
    )


async def resume(update: Update, context: BotContext) -> None:
    patient = await ready_patient(update, context)
    if patient is None:
        return
    services = context.services
    was_paused = services.scheduler.is_paused(patient, services.clock.now())
    patient = services.scheduler.resume(patient)
    services.scheduler.plan_ahead(patient)
    await send(update, context, Message.RESUMED, was_paused=was_paused)
