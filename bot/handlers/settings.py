"""/settings: see and change the time zone and the daily check-in time."""

from __future__ import annotations

from telegram import Update

from bot.domain.steps import Step
from bot.handlers import keyboards
from bot.handlers.context import BotContext
from bot.handlers.guards import ready_patient
from bot.handlers.incoming import pressed
from bot.handlers.onboarding import send_settings
from bot.handlers.questions import ask_step
from bot.handlers.replies import acknowledge_press
from bot.render import Message

STEPS_BY_BUTTON = {
    keyboards.CHANGE_TIMEZONE: Step.SETTINGS_TIMEZONE,
    keyboards.CHANGE_CHECKIN_TIME: Step.SETTINGS_CHECKIN_TIME,
}


async def settings(update: Update, context: BotContext) -> None:
    patient = await ready_patient(update, context)
    if patient is not None:
        await send_settings(update, context, patient, Message.SETTINGS)


async def settings_pressed(update: Update, context: BotContext) -> None:
    """The settings menu holds no answer, so its buttons stay usable on old messages too."""
    await acknowledge_press(update, context)
    callback = pressed(update)
    step = STEPS_BY_BUTTON.get(callback.value) if callback else None
    patient = await ready_patient(update, context)
    if patient is None:
        return
    if callback is not None and callback.value in (keyboards.SHARE_ON, keyboards.SHARE_OFF):
        patient.share_journal = callback.value == keyboards.SHARE_ON
        patient.updated_at = context.services.clock.now()
        patient = context.services.store.save_patient(patient)
        await send_settings(update, context, patient, Message.SETTINGS)
        return
    if step is None:
        return
    conversation = context.services.onboarding.change_setting(patient, step)
    await ask_step(update, context, patient, conversation)
