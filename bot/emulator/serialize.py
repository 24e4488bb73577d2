"""Emulator records -> the JSON objects the Bot API returns (User, Chat, Message, ...).

Shapes follow the Bot API so python-telegram-bot's ``de_json`` builds real objects from them:
optional fields are omitted rather than sent as null, exactly like Telegram does.
"""

from __future__ import annotations

from typing import Any

from bot.emulator.models import EmulatedMessage, EmulatedUser
from bot.emulator.state import EmulatorState


def user_json(user: EmulatedUser) -> dict[str, Any]:
    """A human ``User``."""
    data: dict[str, Any] = {"id": user.id, "is_bot": False, "first_name": user.first_name}
    for key in ("last_name", "username", "language_code"):
        value = getattr(user, key)
        if value is not None:
            data[key] = value
    return data


def chat_json(user: EmulatedUser) -> dict[str, Any]:
    """The private ``Chat`` with that user."""
    data: dict[str, Any] = {"id": user.id, "type": "private", "first_name": user.first_name}
    for key in ("last_name", "username"):
        value = getattr(user, key)
        if value is not None:
            data[key] = value
    return data


def message_json(
    state: EmulatorState, message: EmulatedMessage, *, with_reply: bool = True
) -> dict[str, Any]:
    """A ``Message`` in its current state (edit_date once edited, current inline keyboard)."""
    chat = state.chats.get(message.chat_id)
    if chat is None:  # pragma: no cover - messages only exist inside chats
        raise LookupError(f"message {message.message_id} has no chat {message.chat_id}")
    sender = state.bot.user_json() if message.from_bot else user_json(chat.user)
    data: dict[str, Any] = {
        "message_id": message.message_id,
        "from": sender,
        "chat": chat_json(chat.user),
        "date": message.date,
    }
    if message.edit_date is not None:
        data["edit_date"] = message.edit_date
    if with_reply and message.reply_to_message_id is not None:
        replied = chat.messages.get(message.reply_to_message_id)
        if replied is not None and not replied.deleted:
            data["reply_to_message"] = message_json(state, replied, with_reply=False)
    if message.text is not None:
        data["text"] = message.text
        if message.entities:
            data["entities"] = message.entities
    stored = state.files.by_id(message.file_id) if message.file_id else None
    if stored is not None:
        data[message.kind] = stored.media_json()
    if message.caption is not None:
        data["caption"] = message.caption
        if message.caption_entities:
            data["caption_entities"] = message.caption_entities
    if message.buttons and message.reply_markup is not None:
        data["reply_markup"] = message.reply_markup
    return data
