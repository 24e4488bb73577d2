"""Journal replies to integration prompts, their buttons, and /journal to read them back."""

from __future__ import annotations

from telegram import Update

from bot.domain.answers import InvalidAnswer, parse_score
from bot.domain.onboarding import require_id
from bot.domain.steps import Step
from bot.handlers import keyboards
from bot.handlers.context import BotContext
from bot.handlers.formatting import format_local
from bot.handlers.guards import consented_or_none, explain_missing_consent, ready_patient
from bot.handlers.incoming import pressed, typed_text
from bot.handlers.replies import acknowledge_press, ask, retire_question, send
from bot.render import Message
from bot.storage import Conversation, OutboxMessage, Patient

# Five entries must fit in one Telegram message (4,096 characters), so long ones are shortened.
ENTRY_PREVIEW = 600


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def journal(update: Update, context: BotContext) -> None:
    patient = await ready_patient(update, context)
    if patient is None:
        return
    zone = patient.timezone or "UTC"
    entries = [
        {
            "when": format_local(entry.written_at, zone),
            "text": shorten(entry.text, ENTRY_PREVIEW) if entry.text else None,
            "score": entry.score,
        }
        for entry in context.services.journal.recent(patient)
    ]
    await send(update, context, Message.JOURNAL_RECENT, entries=entries)


async def journal_pressed(update: Update, context: BotContext) -> None:
    """A button on a prompt: a 0-10 answer, or "I'd like to write about it"."""
    callback = pressed(update)
    patient = consented_or_none(update, context)
    if patient is None:
        await acknowledge_press(update, context)
        await explain_missing_consent(update, context, None)
        return
    services = context.services
    prompt = None
    if callback is not None and callback.token.isdigit():
        prompt = services.journal.prompt(patient, int(callback.token))
    if prompt is None or callback is None:
        await acknowledge_press(update, context, services.prompts.ui.notices.stale_button)
        return
    if callback.value == keyboards.WRITE:
        await acknowledge_press(update, context)
        conversation = services.conversations.begin(
            require_id(patient), Step.JOURNAL_WRITE, prompt_id=prompt.id
        )
        await ask(update, context, conversation, Message.JOURNAL_ASK, None)
        return
    try:
        score = parse_score(callback.value.removeprefix(keyboards.SCORE_PREFIX))
    except InvalidAnswer:
        await acknowledge_press(update, context, services.prompts.ui.notices.stale_button)
        return
    await acknowledge_press(update, context, services.prompts.ui.notices.saved)
    services.journal.write(patient, prompt, score=score)
    await send(update, context, Message.JOURNAL_SAVED, score=score)


async def entry_typed(
    update: Update, context: BotContext, patient: Patient, conversation: Conversation
) -> None:
    """Text after "I'd like to write about it"."""
    services = context.services
    prompt = services.journal.prompt(patient, int(conversation.draft.get("prompt_id", 0)))
    await retire_question(update, context, conversation)
    services.conversations.finish(conversation)
    if prompt is None:
        await send(update, context, Message.UNEXPECTED_TEXT)
        return
    await save_entry(update, context, patient, prompt)


async def save_entry(
    update: Update, context: BotContext, patient: Patient, prompt: OutboxMessage
) -> None:
    services = context.services
    entry = services.journal.write(patient, prompt, text=typed_text(update))
    services.alerts.symptoms_in(patient, entry.text, services.checkins.today(patient))
    await send(update, context, Message.JOURNAL_SAVED, score=None)


def prompt_answered_by(
    update: Update, context: BotContext, patient: Patient, idle: bool
) -> OutboxMessage | None:
    """The prompt a typed message answers: the one it replies to, or (when nothing else is
    being asked) one sent within the last few hours."""
    message = update.effective_message
    journal = context.services.journal
    replied = message.reply_to_message if message is not None else None
    if replied is not None:
        prompt = journal.prompt_replied_to(patient, replied.message_id)
        if prompt is not None:
            return prompt
    return journal.recent_prompt(patient) if idle else None
