"""/session: "I have just finished my session", an earlier time today, or one coming up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from telegram import InlineKeyboardMarkup, Update

from bot.domain.answers import InvalidAnswer, parse_day_and_time, parse_time_of_day
from bot.domain.content.offers import occasion_after_session
from bot.domain.local_time import at_local
from bot.domain.onboarding import require_id
from bot.domain.scheduling import SessionLogged, SessionOutcome, SessionTimeError
from bot.domain.steps import SESSION_STEPS, Step
from bot.handlers import keyboards, learn
from bot.handlers.context import BotContext
from bot.handlers.formatting import format_local
from bot.handlers.guards import live_conversation, ready_patient
from bot.handlers.incoming import pressed, typed_text
from bot.handlers.replies import acknowledge_press, ask, retire_question, send
from bot.render import Message
from bot.storage import Conversation, Patient
from bot.ui_text import UiText

NEXT_STEP = {
    keyboards.JUST_FINISHED: Step.SESSION_CONFIRM,
    keyboards.EARLIER_TODAY: Step.SESSION_EARLIER_TIME,
    keyboards.UPCOMING: Step.SESSION_UPCOMING_WHEN,
}


async def session(update: Update, context: BotContext) -> None:
    patient = await ready_patient(update, context)
    if patient is None:
        return
    conversation = context.services.conversations.begin(require_id(patient), Step.SESSION_MENU)
    await ask_session_step(update, context, conversation)


QUESTIONS: dict[Step, tuple[Message, Callable[[UiText, str], InlineKeyboardMarkup]]] = {
    Step.SESSION_MENU: (Message.SESSION_MENU, keyboards.session_menu),
    Step.SESSION_CONFIRM: (Message.SESSION_CONFIRM, keyboards.confirm_just_finished),
    Step.SESSION_EARLIER_TIME: (Message.SESSION_ASK_END, keyboards.cancel_only),
    Step.SESSION_UPCOMING_WHEN: (Message.SESSION_ASK_UPCOMING, keyboards.cancel_only),
}


async def ask_session_step(update: Update, context: BotContext, conversation: Conversation) -> None:
    template, keyboard = QUESTIONS[Step(conversation.step)]
    ui = context.services.prompts.ui
    await ask(update, context, conversation, template, keyboard(ui, conversation.token))


async def session_pressed(update: Update, context: BotContext) -> None:
    callback = pressed(update)
    found = await live_conversation(update, context, callback, SESSION_STEPS)
    if found is None or callback is None:
        return
    patient, conversation = found
    await acknowledge_press(update, context)
    conversations = context.services.conversations
    if callback.value == keyboards.CANCEL:
        conversations.finish(conversation)
        await send(update, context, Message.SESSION_CANCELLED)
    elif callback.value == keyboards.CONFIRM_NOW:
        await _log_finished(update, context, patient, conversation, context.services.clock.now())
    elif callback.value in NEXT_STEP:
        conversation = conversations.advance(conversation, NEXT_STEP[callback.value])
        await ask_session_step(update, context, conversation)


async def end_time_typed(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation
) -> None:
    text = typed_text(update)
    try:
        ended_at = at_local(
            context.services.checkins.today(patient), parse_time_of_day(text), _zone(patient)
        )
    except InvalidAnswer:
        await send(update, context, Message.SESSION_TIME_INVALID, typed=text, upcoming=False)
        return
    await _log_finished(update, context, patient, conversation, ended_at)


async def upcoming_typed(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation
) -> None:
    services, text = context.services, typed_text(update)
    try:
        day, at = parse_day_and_time(text, services.checkins.today(patient))
        logged = services.scheduler.session_booked(patient, at_local(day, at, _zone(patient)))
    except InvalidAnswer:
        await send(update, context, Message.SESSION_TIME_INVALID, typed=text, upcoming=True)
        return
    except SessionTimeError as error:
        await send(update, context, Message.SESSION_TIME_IMPOSSIBLE, problem=str(error))
        return
    await _confirm(update, context, patient, conversation, logged)


async def menu_typed(
    update: Update, context: BotContext, _patient: Patient, _conversation: Conversation
) -> None:
    await send(update, context, Message.USE_BUTTONS)


async def _log_finished(
    update: Update,
    context: BotContext,
    patient: Patient,
    conversation: Conversation,
    ended_at: datetime,
) -> None:
    try:
        logged = context.services.scheduler.session_finished(patient, ended_at)
    except SessionTimeError as error:
        await send(update, context, Message.SESSION_TIME_IMPOSSIBLE, problem=str(error))
        return
    await _confirm(update, context, patient, conversation, logged)


async def _confirm(
    update: Update,
    context: BotContext,
    patient: Patient,
    conversation: Conversation,
    logged: SessionLogged,
) -> None:
    await retire_question(update, context, conversation)
    context.services.conversations.finish(conversation)
    when = logged.session.ended_at or logged.session.planned_for
    await send(
        update,
        context,
        Message.SESSION_LOGGED,
        outcome=logged.outcome.value,
        number=logged.session.number,
        when=format_local(when, _zone(patient)) if when else "",
        prompts_planned=logged.prompts_planned,
    )
    just_ended = logged.outcome in (SessionOutcome.NEW, SessionOutcome.BOOKED_ENDED)
    occasion = occasion_after_session(logged.session.number, just_ended)
    if occasion is not None:
        await learn.offer(update, context, occasion)


def _zone(patient: Patient) -> str:
    assert patient.timezone is not None, "ready_patient guarantees a time zone"
    return patient.timezone
