"""Typed text: the answer to whatever the patient is being asked, or a helpful reply."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.domain.onboarding import require_id
from bot.domain.steps import Step
from bot.handlers import checkin, journal, onboarding, questionnaire, safety_plan, session
from bot.handlers.context import BotContext
from bot.handlers.guards import consented_patient
from bot.handlers.replies import send
from bot.render import Message
from bot.storage import Conversation, Patient

StepAnswer = Callable[[Update, BotContext, Patient, Conversation], Awaitable[None]]

ANSWERS: dict[Step, StepAnswer] = {
    Step.ONBOARDING_TIMEZONE: onboarding.timezone_typed,
    Step.SETTINGS_TIMEZONE: onboarding.timezone_typed,
    Step.ONBOARDING_CHECKIN_TIME: onboarding.checkin_time_typed,
    Step.SETTINGS_CHECKIN_TIME: onboarding.checkin_time_typed,
    Step.CHECKIN_REPLACE: checkin.replace_typed,
    Step.CHECKIN_MOOD: checkin.score_typed,
    Step.CHECKIN_MOOD_FOLLOW_UP: checkin.follow_up_typed,
    Step.CHECKIN_PAIN: checkin.score_typed,
    Step.CHECKIN_HEADACHE: checkin.headache_typed,
    Step.CHECKIN_MEDICINE: checkin.headache_typed,
    Step.CHECKIN_NOTE: checkin.note_typed,
    Step.SAFETY_PLAN_PART: safety_plan.part_typed,
    Step.SESSION_MENU: session.menu_typed,
    Step.SESSION_CONFIRM: session.menu_typed,
    Step.SESSION_EARLIER_TIME: session.end_time_typed,
    Step.SESSION_UPCOMING_WHEN: session.upcoming_typed,
    Step.JOURNAL_WRITE: journal.entry_typed,
    Step.QUESTIONNAIRE: questionnaire.answer_typed,
}


async def text_message(update: Update, context: BotContext) -> None:
    patient = await consented_patient(update, context)
    if patient is None:
        return
    conversation = context.services.conversations.current(require_id(patient))
    step = Step(conversation.step)
    prompt = journal.prompt_answered_by(update, context, patient, idle=step == Step.IDLE)
    if prompt is not None:
        await journal.save_entry(update, context, patient, prompt)
        return
    answer = ANSWERS.get(step)
    if answer is None:
        await send(update, context, Message.UNEXPECTED_TEXT)
        return
    await answer(update, context, patient, conversation)
