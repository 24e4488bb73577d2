"""Questionnaires in the chat: an item per message with its answers as buttons, and Back."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.domain.alerts import Kind as AlertKind
from bot.domain.questionnaires import Answered
from bot.domain.safety.concerns import Concern, Match
from bot.domain.steps import Step
from bot.handlers import keyboards
from bot.handlers.context import BotContext
from bot.handlers.guards import live_conversation
from bot.handlers.incoming import pressed, typed_text
from bot.handlers.replies import acknowledge_press, retire_question, send
from bot.render import Message
from bot.services import Services
from bot.storage import Conversation, Patient

ITEM9_RULE = "phq9-item9"  # the safety event's rule id when PHQ-9 item 9 is 1 or more
STEPS = frozenset({Step.QUESTIONNAIRE})


def item_message(
    services: Services, conversation: Conversation
) -> tuple[str, InlineKeyboardMarkup] | None:
    """The current item's text and buttons (also used for scheduled questionnaires)."""
    found = services.questionnaires.current(conversation)
    if found is None:
        return None
    response, instrument = found
    number = len(response.answers) + 1
    text = services.prompts.renderer.message(
        Message.QUESTIONNAIRE_ITEM,
        name=instrument.name,
        intro=instrument.intro,
        first=number == 1,
        number=number,
        total=len(instrument.items),
        item=instrument.items[number - 1],
    )
    options = [(str(o.value), o.label) for o in instrument.options]
    keyboard = keyboards.questionnaire(services.prompts.ui, conversation.token, options, number > 1)
    return text, keyboard


async def ask_item(update: Update, context: BotContext, conversation: Conversation) -> Conversation:
    message = item_message(context.services, conversation)
    if message is None:
        return context.services.conversations.finish(conversation)
    text, keyboard = message
    await retire_question(update, context, conversation)
    chat = update.effective_chat
    assert chat is not None
    sent = await context.bot.send_message(chat.id, text, reply_markup=keyboard)
    return context.services.conversations.remember_question(conversation, sent.message_id)


async def questionnaire_pressed(update: Update, context: BotContext) -> None:
    callback = pressed(update)
    found = await live_conversation(update, context, callback, STEPS)
    if found is None or callback is None:
        return
    patient, conversation = found
    await acknowledge_press(update, context)
    if callback.value == keyboards.BACK:
        await ask_item(update, context, context.services.questionnaires.back(conversation))
    elif callback.value.isdigit():
        await _answer(update, context, patient, conversation, int(callback.value))


async def answer_typed(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation
) -> None:
    """A typed answer counts when it is unambiguous: an option's number or its exact words."""
    text = typed_text(update).strip().lower()
    found = context.services.questionnaires.current(conversation)
    if found is None:  # it expired: the questionnaire is closed
        context.services.conversations.finish(conversation)
        await send(update, context, Message.UNEXPECTED_TEXT)
        return
    _response, instrument = found
    for option in instrument.options:
        if text in (str(option.value), option.label.lower()):
            await _answer(update, context, patient, conversation, option.value)
            return
    await send(update, context, Message.USE_BUTTONS)


async def _answer(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation, value: int
) -> None:
    services = context.services
    answered = services.questionnaires.answer(conversation, value)
    if answered is None:
        await acknowledge_press(update, context, services.prompts.ui.notices.stale_button)
        return
    if answered.crisis:
        # Thoughts of being better off dead or of self-harm: help first, then the rest.
        # (Imported here: the safety handlers ask waiting questions, this one among them.)
        from bot.handlers.safety import send_crisis_reply

        services.safety.record(patient, Match(Concern.CRISIS, ITEM9_RULE))
        await send_crisis_reply(update, context, patient)
        if answered.score is not None:
            await _finished(update, context, patient, answered)
        return  # any remaining items are asked again once the patient is ready
    if answered.score is None:
        await ask_item(update, context, answered.conversation)
        return
    await _finished(update, context, patient, answered)


async def _finished(
    update: Update, context: BotContext, patient: Patient, answered: Answered
) -> None:
    services = context.services
    response, result = answered.response, answered.score
    assert result is not None
    instrument = services.questionnaires.instruments[response.instrument]
    await retire_question(update, context, answered.conversation)
    concern = instrument.alert_from is not None and max(response.answers) >= instrument.alert_from
    if concern:
        services.alerts.raise_alert(patient, AlertKind.SAFETY_CHECK, str(response.id))
    if services.questionnaires.worrying_rise(response):
        services.alerts.raise_alert(patient, AlertKind.PHQ_RISE, str(response.id))
    await send(
        update,
        context,
        Message.QUESTIONNAIRE_DONE,
        instrument=instrument.key,
        name=instrument.name,
        total=result.total,
        band=result.band,
        concern=concern,
    )
