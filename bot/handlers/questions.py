"""Asking the question that belongs to a conversation step.

One function knows how every step is asked, so a step can be asked again from anywhere: after
a restart, a repeated /start, an invalid answer or an error.
"""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.domain.onboarding import require_id
from bot.domain.steps import CHECKIN_TIME_STEPS, TIMEZONE_STEPS, Step
from bot.handlers import keyboards
from bot.handlers.context import BotContext
from bot.handlers.replies import ask
from bot.render import Message
from bot.storage import Conversation, Patient


async def ask_step(
    update: Update,
    context: BotContext,
    patient: Patient,
    conversation: Conversation,
    *,
    just_joined: bool = False,
) -> Conversation:
    services = context.services
    ui = services.prompts.ui
    token = conversation.token
    step = Step(conversation.step)
    if step in TIMEZONE_STEPS:
        return await ask(
            update,
            context,
            conversation,
            Message.ASK_TIMEZONE,
            keyboards.timezones(ui, token, services.settings.default_timezone),
            first_name=patient.first_name,
            just_joined=just_joined,
        )
    if step in CHECKIN_TIME_STEPS:
        return await ask(
            update,
            context,
            conversation,
            Message.ASK_CHECKIN_TIME,
            keyboards.checkin_times(ui, token),
        )
    if step == Step.CHECKIN_REPLACE:
        existing = services.store.checkin_on(
            conversation.patient_id, date.fromisoformat(conversation.draft["local_date"])
        )
        if existing is not None:
            return await ask(
                update,
                context,
                conversation,
                Message.CHECKIN_REPLACE_OFFER,
                keyboards.replace_or_keep(ui, token),
                mood=existing.mood,
                pain=existing.pain,
            )
        conversation = services.checkins.replace(conversation)
        step = Step.CHECKIN_MOOD
    if step == Step.CHECKIN_MOOD:
        return await ask(
            update,
            context,
            conversation,
            Message.ASK_MOOD,
            keyboards.score(token, keyboards.MOOD_PREFIX),
            explain=services.checkins.explain_mood_once(patient),
        )
    if step == Step.CHECKIN_MOOD_FOLLOW_UP:
        return await ask(
            update,
            context,
            conversation,
            Message.LOW_MOOD_QUESTION,
            keyboards.yes_no(ui, token),
        )
    if step == Step.CHECKIN_PAIN:
        return await ask(
            update,
            context,
            conversation,
            Message.ASK_PAIN,
            keyboards.score(token, keyboards.PAIN_PREFIX),
            mood=conversation.draft["mood"],
        )
    if step in (Step.CHECKIN_HEADACHE, Step.CHECKIN_MEDICINE):
        return await ask(
            update,
            context,
            conversation,
            Message.ASK_HEADACHE,
            keyboards.yes_no(ui, token),
            medicine=step == Step.CHECKIN_MEDICINE,
        )
    if step == Step.CHECKIN_NOTE:
        return await ask(
            update,
            context,
            conversation,
            Message.ASK_NOTE,
            keyboards.skip_note(ui, token),
            pain=conversation.draft["pain"],
        )
    if step == Step.QUESTIONNAIRE:
        from bot.handlers.questionnaire import ask_item

        return await ask_item(update, context, conversation)
    if step == Step.SAFETY_PLAN_PART:
        number = int(conversation.draft["part"])
        part = ui.safety_plan[number - 1]
        return await ask(
            update,
            context,
            conversation,
            Message.SAFETY_PLAN_ASK,
            keyboards.safety_plan_question(ui, token),
            number=number,
            total=len(ui.safety_plan),
            title=part.title,
            question=part.question,
            current=services.safety_plans.parts(patient).get(number, ""),
        )
    return conversation


def waiting_question(context: BotContext, patient: Patient) -> Conversation | None:
    """The conversation whose question is still open, if any."""
    conversation = context.services.conversations.current(require_id(patient))
    return None if Step(conversation.step) == Step.IDLE else conversation


async def ask_waiting_question(update: Update, context: BotContext, patient: Patient) -> None:
    """Ask the open question again, after an interruption (a crisis reply, an error)."""
    waiting = waiting_question(context, patient)
    if waiting is not None:
        await ask_step(update, context, patient, waiting)
