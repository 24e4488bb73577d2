"""Sending, editing and deleting messages: sendMessage, edit*, deleteMessage, sendChatAction.

``deliver`` and ``edit`` are shared with the media methods so every way of creating or changing
a bot message applies the same rules (reply targets, keyboards, "message is not modified").
"""

from __future__ import annotations

from typing import Any

from bot.emulator.chats import Chat
from bot.emulator.errors import bad_request
from bot.emulator.formatting import CAPTION, TEXT, FormattedText, TextRules, format_text
from bot.emulator.markup import Markup, parse_reply_markup
from bot.emulator.models import EmulatedMessage
from bot.emulator.params import missing
from bot.emulator.serialize import message_json, user_json
from bot.emulator.state import EmulatorState

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


def formatted(
    state: EmulatorState, params: dict[str, Any], field: str, rules: TextRules
) -> FormattedText:
    """Run ``params[field]`` through Telegram's formatting (``entities``/``caption_entities``)."""
    entities_field = "entities" if field == "text" else "caption_entities"

    def lookup_user(user_id: int) -> dict[str, Any] | None:
        chat = state.chats.get(user_id)
        return user_json(chat.user) if chat is not None else None

    return format_text(
        params.get(field),
        params.get("parse_mode"),
        params.get(entities_field),
        rules,
        strict_html=state.strict_html,
        lookup_user=lookup_user,
    )


def reply_target(chat: Chat, params: dict[str, Any]) -> int | None:
    """The message being replied to, from ``reply_parameters`` (or legacy reply_to_message_id)."""
    reply = params.get("reply_parameters")
    if isinstance(reply, dict):
        message_id, lenient = (
            reply.get("message_id"),
            bool(reply.get("allow_sending_without_reply")),
        )
    else:
        message_id = params.get("reply_to_message_id")
        lenient = str(params.get("allow_sending_without_reply")).lower() == "true"
    if message_id is None:
        return None
    if isinstance(message_id, str) and message_id.isdigit():
        message_id = int(message_id)
    if isinstance(message_id, int) and chat.live(message_id) is not None:
        return message_id
    if lenient:
        return None
    raise bad_request("message to be replied not found")


def deliver(
    state: EmulatorState,
    chat: Chat,
    params: dict[str, Any],
    markup: Markup,
    **content: Any,
) -> dict[str, Any]:
    """Store a new bot message, tell subscribers, and return it as a ``Message``."""
    reply_to = reply_target(chat, params)
    message = chat.add(
        from_bot=True,
        date=state.unix_now(),
        buttons=markup.inline,
        reply_markup=markup.raw,
        reply_to_message_id=reply_to,
        **content,
    )
    state.publish("message", chat.id, message=message)
    return message_json(state, message)


def editable(state: EmulatorState, params: dict[str, Any]) -> tuple[Chat, EmulatedMessage]:
    """The bot message an edit method targets, with Telegram's errors if it cannot be edited."""
    if params.get("inline_message_id"):
        # The emulator has no inline-mode messages, so no inline_message_id can be valid.
        raise bad_request("MESSAGE_ID_INVALID")
    for name in ("chat_id", "message_id"):
        if params.get(name) in (None, ""):
            raise missing(name)
    chat = state.chats.writable(params["chat_id"])
    message = chat.live(params["message_id"])
    if message is None:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return chat, message


def edit(
    state: EmulatorState,
    chat: Chat,
    message: EmulatedMessage,
    markup: Markup,
    content: dict[str, Any],
    presentation: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Apply an edit. ``content`` is compared for "not modified"; ``presentation`` (raw HTML,
    parse mode) is stored but does not count as a change, like on Telegram.

    Without ``reply_markup`` an edit removes the inline keyboard, as Telegram does.
    """
    unchanged = all(getattr(message, key) == value for key, value in content.items())
    if unchanged and message.buttons == markup.inline:
        raise bad_request(NOT_MODIFIED)
    for key, value in {**content, **(presentation or {})}.items():
        setattr(message, key, value)
    message.buttons = markup.inline
    message.reply_markup = markup.raw
    message.edited = True
    message.edit_count += 1
    message.edit_date = state.unix_now()
    state.publish("edit", chat.id, message=message)
    return message_json(state, message)


async def send_message(state: EmulatorState, params: dict[str, Any]) -> dict[str, Any]:
    """sendMessage."""
    chat = state.chats.writable(params["chat_id"])
    text = formatted(state, params, "text", TEXT)
    markup = parse_reply_markup(params.get("reply_markup"))
    return deliver(
        state,
        chat,
        params,
        markup,
        text=text.text,
        entities=text.entities,
        html=text.html,
        parse_mode=text.parse_mode,
    )


async def edit_message_text(state: EmulatorState, params: dict[str, Any]) -> dict[str, Any]:
    """editMessageText."""
    chat, message = editable(state, params)
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    text = formatted(state, params, "text", TEXT)
    markup = parse_reply_markup(params.get("reply_markup"), inline_only=True)
    return edit(
        state,
        chat,
        message,
        markup,
        {"text": text.text, "entities": text.entities},
        {"html": text.html, "parse_mode": text.parse_mode},
    )


async def edit_message_caption(state: EmulatorState, params: dict[str, Any]) -> dict[str, Any]:
    """editMessageCaption."""
    chat, message = editable(state, params)
    if message.kind == "text":
        raise bad_request("there is no caption in the message to edit")
    caption = formatted(state, params, "caption", CAPTION)
    markup = parse_reply_markup(params.get("reply_markup"), inline_only=True)
    return edit(
        state,
        chat,
        message,
        markup,
        {"caption": caption.text, "caption_entities": caption.entities},
        {"html": caption.html, "parse_mode": caption.parse_mode},
    )


async def edit_message_reply_markup(state: EmulatorState, params: dict[str, Any]) -> dict[str, Any]:
    """editMessageReplyMarkup."""
    chat, message = editable(state, params)
    markup = parse_reply_markup(params.get("reply_markup"), inline_only=True)
    return edit(state, chat, message, markup, {})


async def delete_message(state: EmulatorState, params: dict[str, Any]) -> bool:
    """deleteMessage: the message stays in history with ``deleted=True``."""
    chat = state.chats.resolve(params["chat_id"])
    message = chat.live(params["message_id"])
    if message is None:
        raise bad_request("message to delete not found")
    message.deleted = True
    state.publish("delete", chat.id, message=message)
    return True


async def send_chat_action(state: EmulatorState, params: dict[str, Any]) -> bool:
    """sendChatAction: validated, then forgotten (it only shows "typing..." for 5 seconds)."""
    state.chats.writable(params["chat_id"])
    if params["action"] not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


HANDLERS = {
    "sendMessage": send_message,
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "sendChatAction": send_chat_action,
}
