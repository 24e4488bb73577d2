"""Sending rendered templates, and keeping only the current question's buttons alive."""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import Forbidden, TelegramError

from bot.config import ClinicContact
from bot.handlers.context import BotContext
from bot.render import Message as Template
from bot.storage import Conversation

log = logging.getLogger(__name__)


async def send(
    update: Update,
    context: BotContext,
    template: Template,
    keyboard: InlineKeyboardMarkup | None = None,
    **variables: Any,
) -> Message:
    chat = update.effective_chat
    if chat is None:
        raise ValueError("this update has no chat to reply in")
    text = context.services.prompts.renderer.message(
        template, **{**clinic_details(update, context), **variables}
    )
    return await context.bot.send_message(chat.id, text, reply_markup=keyboard)


def clinic_details(update: Update, context: BotContext) -> dict[str, str]:
    """The patient's own clinic's name, phone and hours, for templates that mention them
    (the settings' CLINIC_* values fill any gaps, and serve everyone else)."""
    services = context.services
    user = update.effective_user
    patient = services.store.patient_by_telegram_id(user.id) if user else None
    return clinic_variables(services.clinics.contact(
        patient.clinic_id if patient else None, services.settings.clinic_contact
    ))  # fmt: skip


def clinic_variables(contact: ClinicContact) -> dict[str, str]:
    return {
        "clinic_name": contact.name,
        "clinic_phone": contact.phone,
        "clinic_hours": contact.hours,
    }


async def ask(
    update: Update,
    context: BotContext,
    conversation: Conversation,
    template: Template,
    keyboard: InlineKeyboardMarkup | None,
    **variables: Any,
) -> Conversation:
    """Send a question and make it the conversation's live one, retiring the previous one."""
    await retire_question(update, context, conversation)
    sent = await send(update, context, template, keyboard, **variables)
    return context.services.conversations.remember_question(conversation, sent.message_id)


async def retire_question(update: Update, context: BotContext, conversation: Conversation) -> None:
    """Remove the buttons of the conversation's last question once it has been answered.

    A question answered by pressing one of its buttons was already retired by the press.
    """
    message_id = conversation.question_message_id
    chat = update.effective_chat
    if message_id is None or chat is None or message_id == _pressed_message_id(update):
        return
    await remove_buttons(context, chat.id, message_id)


async def remove_buttons(context: BotContext, chat_id: int, message_id: int) -> None:
    """Tidy up an answered question. Purely cosmetic, so a failure must not stop the reply:
    a press on buttons left behind is recognised as stale later anyway."""
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except Forbidden:
        raise
    except TelegramError as error:
        log.debug("could not remove buttons: %s", type(error).__name__)


async def acknowledge_press(update: Update, context: BotContext, notice: str | None = None) -> None:
    """Answer a button press (Telegram shows a spinner until then) and remove its keyboard."""
    query = update.callback_query
    if query is None:
        return
    await query.answer(notice)
    message = query.message
    if isinstance(message, Message) and message.reply_markup is not None:
        await remove_buttons(context, message.chat_id, message.message_id)


def _pressed_message_id(update: Update) -> int | None:
    query = update.callback_query
    return query.message.message_id if query is not None and query.message is not None else None
