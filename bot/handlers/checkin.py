"""/checkin: mood, pain and an optional note, by button or typed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update

from bot.domain.answers import InvalidAnswer, parse_score, parse_yes_no
from bot.domain.content.offers import occasion_after_checkin
from bot.domain.steps import CHECKIN_STEPS, Step
from bot.handlers import keyboards, learn
from bot.handlers.context import BotContext
from bot.handlers.guards import live_conversation, ready_patient
from bot.handlers.incoming import pressed, typed_text
from bot.handlers.questions import ask_step
from bot.handlers.replies import acknowledge_press, retire_question, send
from bot.handlers.safety import send_crisis_reply
from bot.render import Message
from bot.storage import Conversation, Patient

HEADACHE_STEPS = frozenset({Step.CHECKIN_HEADACHE, Step.CHECKIN_MEDICINE})
SCORE_PREFIXES = {
    Step.CHECKIN_MOOD: keyboards.MOOD_PREFIX,
    Step.CHECKIN_PAIN: keyboards.PAIN_PREFIX,
}


async def checkin(update: Update, context: BotContext) -> None:
    patient = await ready_patient(update, context)
    if patient is None:
        return
    await ask_step(update, context, patient, context.services.checkins.start(patient))


async def checkin_pressed(update: Update, context: BotContext) -> None:
    callback = pressed(update)
    found = await live_conversation(update, context, callback, CHECKIN_STEPS)
    if found is None or callback is None:
        return
    patient, conversation = found
    value, step = callback.value, Step(conversation.step)
    flow = context.services.checkins
    if step == Step.CHECKIN_REPLACE and value in (keyboards.REPLACE, keyboards.KEEP):
        await acknowledge_press(update, context)
        if value == keyboards.KEEP:
            flow.keep(conversation)
            await send(update, context, Message.CHECKIN_KEPT)
            return
        await ask_step(update, context, patient, flow.replace(conversation))
    elif step in SCORE_PREFIXES and value.startswith(SCORE_PREFIXES[step]):
        await acknowledge_press(update, context)
        await _answer_score(update, context, patient, conversation, value[1:])
    elif step == Step.CHECKIN_MOOD_FOLLOW_UP and value in (keyboards.YES, keyboards.NO):
        await acknowledge_press(update, context)
        await _answer_follow_up(update, context, patient, conversation, value == keyboards.YES)
    elif step in HEADACHE_STEPS and value in (keyboards.YES, keyboards.NO):
        await acknowledge_press(update, context)
        await _answer_headache(update, context, patient, conversation, value == keyboards.YES)
    elif step == Step.CHECKIN_NOTE and value == keyboards.SKIP_NOTE:
        await acknowledge_press(update, context)
        await _finish(update, context, patient, conversation, note=None)
    else:
        await acknowledge_press(update, context, context.services.prompts.ui.notices.stale_button)


async def score_typed(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation
) -> None:
    await _answer_score(update, context, patient, conversation, typed_text(update))


async def note_typed(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation
) -> None:
    await _finish(update, context, patient, conversation, note=typed_text(update))


async def follow_up_typed(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation
) -> None:
    await _typed_yes_no(update, context, patient, conversation, _answer_follow_up)


async def _answer_follow_up(
    update: Update,
    context: BotContext,
    patient: Patient,
    conversation: Conversation,
    harm_thoughts: bool,
) -> None:
    """A "yes" opens the crisis path and pain waits; a "no" gets support, then pain."""
    await retire_question(update, context, conversation)
    conversation = context.services.checkins.answer_follow_up(conversation, harm_thoughts)
    if harm_thoughts:
        context.services.safety.record_low_mood_yes(patient)
        await send_crisis_reply(update, context, patient)
        return
    await send(update, context, Message.LOW_MOOD_SUPPORT)
    await ask_step(update, context, patient, conversation)


async def headache_typed(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation
) -> None:
    await _typed_yes_no(update, context, patient, conversation, _answer_headache)


async def _typed_yes_no(
    update: Update,
    context: BotContext,
    patient: Patient,
    conversation: Conversation,
    answer: Callable[[Update, BotContext, Patient, Conversation, bool], Awaitable[None]],
) -> None:
    try:
        yes = parse_yes_no(typed_text(update))
    except InvalidAnswer:
        await send(update, context, Message.USE_BUTTONS)
        return
    await answer(update, context, patient, conversation, yes)


async def _answer_headache(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation, yes: bool
) -> None:
    flow = context.services.checkins
    if conversation.step == Step.CHECKIN_HEADACHE:
        conversation = flow.answer_headache(conversation, yes)
    else:
        conversation = flow.answer_medicine(conversation, yes)
    await ask_step(update, context, patient, conversation)


async def replace_typed(
    update: Update, context: BotContext, _patient: Patient, _conversation: Conversation
) -> None:
    await send(update, context, Message.USE_BUTTONS)


async def _answer_score(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation, text: str
) -> None:
    flow = context.services.checkins
    try:
        score = parse_score(text)
        if conversation.step == Step.CHECKIN_MOOD:
            conversation = flow.answer_mood(conversation, score)
        else:
            asks = context.services.clinics.asks_headache(patient)
            conversation = flow.answer_pain(conversation, score, ask_headache=asks)
    except InvalidAnswer as invalid:
        await send(update, context, Message.SCORE_INVALID, problem=invalid.problem.value)
        return
    await ask_step(update, context, patient, conversation)


async def _finish(
    update: Update,
    context: BotContext,
    patient: Patient,
    conversation: Conversation,
    note: str | None,
) -> None:
    await retire_question(update, context, conversation)
    saved = context.services.checkins.answer_note(patient, conversation, note)
    await send(
        update,
        context,
        Message.CHECKIN_SAVED,
        replaced=saved.replaced,
        mood=saved.checkin.mood,
        pain=saved.checkin.pain,
        has_note=saved.checkin.note is not None,
        comparison=saved.comparison,
    )
    context.services.alerts.after_checkin(patient, saved.checkin.note, saved.checkin.local_date)
    occasion = occasion_after_checkin(saved.checkin.mood, saved.checkin.pain)
    if occasion is not None:
        await learn.offer(update, context, occasion)
    # A questionnaire the check-in interrupted carries on where it stopped.
    waiting = context.services.questionnaires.open_response(patient)
    if waiting is not None:
        await ask_step(
            update, context, patient, context.services.questionnaires.resume(patient, waiting)
        )
