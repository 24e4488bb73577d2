"""Who may do what: nothing is recorded for anyone who has not agreed to the current consent."""

from __future__ import annotations

from telegram import Update

from bot.domain.onboarding import pending_setup_step, require_id
from bot.domain.steps import Step
from bot.handlers import keyboards
from bot.handlers.callback_data import Callback
from bot.handlers.context import BotContext
from bot.handlers.questions import ask_step
from bot.handlers.replies import acknowledge_press, send
from bot.render import Message
from bot.storage import Conversation, Patient


async def show_consent(
    update: Update, context: BotContext, patient: Patient | None, invite: str | None = None
) -> None:
    """The consent text with its buttons, introduced as new or as updated."""
    services = context.services
    user = update.effective_user
    first_name = patient.first_name if patient else (user.first_name if user else "")
    intro = Message.WELCOME if patient is None else Message.CONSENT_UPDATED
    await send(update, context, intro, first_name=first_name)
    version = services.prompts.consent_version
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(
            chat.id,
            services.prompts.renderer.consent(version),
            reply_markup=keyboards.consent(services.prompts.ui, version, invite),
        )


async def explain_missing_consent(
    update: Update, context: BotContext, patient: Patient | None
) -> None:
    """Strangers are pointed to /start; patients behind on consent see the new text at once."""
    if patient is None:
        await send(update, context, Message.CONSENT_NEEDED)
    else:
        await show_consent(update, context, patient)


def known_person(update: Update, context: BotContext) -> Patient | None:
    """The patient record behind this update, whatever their consent; None for strangers."""
    user = update.effective_user
    patient = context.services.onboarding.find(user.id) if user else None
    if patient is not None and not patient.active:
        # They blocked the bot once; writing to it again means they can be reached again.
        patient = context.services.scheduler.mark_reachable(patient)
    return patient


def consented_or_none(update: Update, context: BotContext) -> Patient | None:
    """The patient if they have agreed to the current consent, without saying anything."""
    patient = known_person(update, context)
    return None if context.services.onboarding.needs_consent(patient) else patient


async def consented_patient(update: Update, context: BotContext) -> Patient | None:
    """The patient, if they have agreed to the current consent; otherwise lead them to it."""
    if update.effective_user is None:
        return None
    patient = known_person(update, context)
    if context.services.onboarding.needs_consent(patient):
        await explain_missing_consent(update, context, patient)
        return None
    return patient


async def ready_patient(update: Update, context: BotContext) -> Patient | None:
    """A consented patient who has finished setting up; otherwise carry on with set-up."""
    patient = await consented_patient(update, context)
    if patient is None or pending_setup_step(patient) is None:
        return patient
    await send(update, context, Message.FINISH_SETUP_FIRST)
    conversation = context.services.onboarding.resume_setup(patient)
    await ask_step(update, context, patient, conversation)
    return None


async def live_conversation(
    update: Update, context: BotContext, callback: Callback | None, steps: frozenset[Step]
) -> tuple[Patient, Conversation] | None:
    """The patient and conversation a button belongs to; None once a stale press is answered.

    Every button press is answered exactly once, here or by the caller.
    """
    services = context.services
    patient = known_person(update, context)
    if patient is None or services.onboarding.needs_consent(patient):
        await acknowledge_press(update, context)
        await explain_missing_consent(update, context, patient)
        return None
    conversation = services.conversations.current(require_id(patient))
    if callback is None or callback.token != conversation.token or conversation.step not in steps:
        await acknowledge_press(update, context, services.prompts.ui.notices.stale_button)
        return None
    return patient, conversation
