"""The person side: what a human does in their Telegram client, turned into queued updates.

Each action stores what the user sent and enqueues the update Telegram would deliver, returning
its update_id. Actions a real client could not perform raise ``EmulatorError`` instead, because
they mean the test or console is wrong, not the bot.
"""

from __future__ import annotations

from typing import Any

from bot.emulator import limits
from bot.emulator.chats import Chat
from bot.emulator.errors import EmulatorError
from bot.emulator.files import FileKind, image_size
from bot.emulator.models import EmulatedMessage, InlineButton
from bot.emulator.serialize import message_json, user_json
from bot.emulator.state import EmulatorState
from bot.emulator.text import command_entities, utf16_len


def active_chat(state: EmulatorState, user_id: int, **profile: Any) -> Chat:
    """The user's chat, created on first contact.

    Writing to a bot you blocked means pressing "Restart" in the client, which unblocks it.
    """
    chat = state.chats.ensure(user_id, **profile)
    if chat.deactivated:
        raise EmulatorError(f"user {user_id} is deactivated and cannot act")
    chat.blocked_bot = False
    return chat


def existing_chat(state: EmulatorState, user_id: int) -> Chat:
    """The user's chat, which must already exist for actions on earlier messages."""
    chat = state.chats.get(user_id)
    if chat is None:
        raise EmulatorError(f"user {user_id} has no chat with the bot yet")
    if chat.deactivated:
        raise EmulatorError(f"user {user_id} is deactivated and cannot act")
    return chat


def _checked_text(text: str, what: str, max_length: int) -> str:
    if not text.strip():
        raise EmulatorError(f"a Telegram client cannot send an empty {what}")
    if utf16_len(text) > max_length:
        raise EmulatorError(f"{what} longer than {max_length} UTF-16 units; Telegram splits it")
    return text


def _publish_update(state: EmulatorState, kind: str, message: EmulatedMessage) -> int:
    return state.updates.push(kind, message_json(state, message))


def send_text(
    state: EmulatorState, user_id: int, text: str, reply_to: int | None = None, **profile: Any
) -> int:
    """The user sends a text message (``reply_to``: as a reply to that message of the chat);
    ``/commands`` get ``bot_command`` entities."""
    chat = active_chat(state, user_id, **profile)
    _checked_text(text, "message", limits.MAX_TEXT_LENGTH)
    message = chat.add(
        from_bot=False,
        text=text,
        entities=command_entities(text),
        date=state.unix_now(),
        reply_to_message_id=reply_to,
    )
    return _publish_update(state, "message", message)


def send_file(
    state: EmulatorState,
    user_id: int,
    data: bytes,
    *,
    kind: FileKind,
    filename: str | None,
    caption: str | None,
    mime_type: str | None,
) -> int:
    """The user sends a photo or document; the bytes become downloadable via getFile."""
    chat = active_chat(state, user_id)
    if caption is not None:
        _checked_text(caption, "caption", limits.MAX_CAPTION_LENGTH)
    if not data:
        raise EmulatorError("a Telegram client cannot send an empty file")
    if kind == "photo":
        size = image_size(data)
        if size is None:
            raise EmulatorError("photo bytes must be a PNG, GIF or JPEG image")
        stored = state.files.add(data, kind, filename, mime_type, size)
    else:
        stored = state.files.add(data, kind, filename, mime_type)
    message = chat.add(
        from_bot=False,
        kind=kind,
        caption=caption,
        file_id=stored.file_id,
        file_name=stored.file_name,
        file_bytes=data,
        mime_type=stored.mime_type,
        date=state.unix_now(),
    )
    return _publish_update(state, "message", message)


def edit_text(state: EmulatorState, user_id: int, message_id: int, new_text: str) -> int:
    """The user edits one of their text messages -> ``edited_message`` update."""
    chat = existing_chat(state, user_id)
    message = chat.live(message_id)
    if message is None or message.from_bot or message.kind != "text":
        raise EmulatorError(f"user {user_id} has no text message {message_id} to edit")
    _checked_text(new_text, "message", limits.MAX_TEXT_LENGTH)
    if new_text == message.text:
        raise EmulatorError("the edit does not change the text (Telegram would not send it)")
    message.text = new_text
    message.entities = command_entities(new_text)
    message.edited = True
    message.edit_count += 1
    message.edit_date = state.unix_now()
    return _publish_update(state, "edited_message", message)


def press_button(
    state: EmulatorState,
    user_id: int,
    message_id: int,
    index: int | None = None,
    callback_data: str | None = None,
) -> int:
    """The user taps an inline callback button -> ``callback_query`` update."""
    if (index is None) == (callback_data is None):
        raise EmulatorError("pass exactly one of index= or callback_data=")
    chat = existing_chat(state, user_id)
    message = chat.live(message_id)
    if message is None or not message.from_bot:
        raise EmulatorError(f"there is no bot message {message_id} in chat {user_id}")
    button = _find_button(message, index, callback_data)
    query = state.queries.new(
        "callback_query", user_id, state.now(), chat_id=chat.id, message_id=message_id
    )
    payload = {
        "id": query.query_id,
        "from": user_json(chat.user),
        "message": message_json(state, message),
        "chat_instance": chat.chat_instance,
        "data": button.callback_data,
    }
    return state.updates.push("callback_query", payload)


def _find_button(
    message: EmulatedMessage, index: int | None, callback_data: str | None
) -> InlineButton:
    buttons = message.flat_buttons
    listing = ", ".join(f"{i}: {b.text!r} ({b.action})" for i, b in enumerate(buttons))
    where = f"message {message.message_id} (buttons: {listing or 'none'})"
    if index is not None:
        if not 0 <= index < len(buttons):
            raise EmulatorError(f"no button {index} on {where}")
        button = buttons[index]
    else:
        found = next((b for b in buttons if b.callback_data == callback_data), None)
        if found is None:
            raise EmulatorError(f"no button with callback_data {callback_data!r} on {where}")
        button = found
    if button.callback_data is None:
        raise EmulatorError(f"button {button.text!r} is a {button.action} button, not a callback")
    return button


def send_inline_query(
    state: EmulatorState, user_id: int, query: str, offset: str = ""
) -> tuple[str, int]:
    """The user types ``@bot query`` -> ``inline_query`` update; returns the query id and the
    update id."""
    chat = active_chat(state, user_id)
    pending = state.queries.new("inline_query", user_id, state.now())
    payload = {
        "id": pending.query_id,
        "from": user_json(chat.user),
        "query": query,
        "offset": offset,
        "chat_type": "sender",
    }
    update_id = state.updates.push("inline_query", payload)
    return pending.query_id, update_id
