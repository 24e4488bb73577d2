"""Plain data the emulator hands to its Python callers (tests, the try-it console).

These are deliberately simple dataclasses rather than python-telegram-bot objects: they describe
what a *person* would see in the chat (plain text after formatting, current buttons, whether the
message was edited or deleted), which is what tests assert on.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, Literal

MessageKind = Literal["text", "photo", "document"]
EventKind = Literal["message", "edit", "delete", "callback_answer", "commands"]


@dataclass
class InlineButton:
    """One inline keyboard button as the user sees it.

    ``callback_data`` and ``url`` cover the common actions; any other action
    (``web_app``, ``copy_text``, ...) is kept in ``extra`` under its Bot API field name.
    """

    text: str
    callback_data: str | None = None
    url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def action(self) -> str:
        """The Bot API field that says what pressing the button does, e.g. ``callback_data``."""
        if self.callback_data is not None:
            return "callback_data"
        if self.url is not None:
            return "url"
        return next(iter(self.extra), "none")


@dataclass
class EmulatedMessage:
    """A message in a private chat, in its current state.

    ``text``/``caption`` are the plain strings the user sees (tags removed, entities unescaped);
    ``html`` keeps the raw markup the bot sent when it used ``parse_mode="HTML"`` (for a media
    message that is the raw caption). Deleted messages stay in the chat history with
    ``deleted=True`` so tests can still see that they were sent.
    """

    message_id: int
    chat_id: int
    from_bot: bool
    text: str | None = None
    html: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    kind: MessageKind = "text"
    file_name: str | None = None
    file_bytes: bytes | None = None
    buttons: list[list[InlineButton]] = field(default_factory=list)
    edited: bool = False
    edit_count: int = 0
    deleted: bool = False
    date: int = 0
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    file_id: str | None = None
    mime_type: str | None = None
    reply_markup: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    parse_mode: str | None = None

    @property
    def flat_buttons(self) -> list[InlineButton]:
        """All inline buttons left-to-right, top-to-bottom (the order ``press_button`` counts)."""
        return [button for row in self.buttons for button in row]

    @property
    def shown_text(self) -> str:
        """The text or caption a person reads (empty string for a bare photo/document)."""
        return self.text if self.text is not None else (self.caption or "")

    def snapshot(self) -> EmulatedMessage:
        """An independent copy, so callers never see later edits change what they hold."""
        return copy.deepcopy(self)


@dataclass
class UploadedFile:
    """A file part received in a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        """Number of bytes received."""
        return len(self.data)


@dataclass
class ApiCall:
    """One HTTP request the emulator received, recorded when it arrives and completed on answer.

    ``pending`` is True while the request is still being held (long poll, injected timeout).
    ``result`` is the JSON ``result`` returned on success.
    """

    method: str
    params: dict[str, Any]
    ok: bool = False
    error_code: int | None = None
    description: str | None = None
    at: float = 0.0
    result: Any = None
    pending: bool = True


@dataclass
class ChatEvent:
    """A bot-side change a console or test can react to (see ``BotApiEmulator.subscribe``).

    ``chat_id`` is None only for ``commands`` events outside a chat scope. ``text`` and
    ``show_alert`` are set for ``callback_answer`` events.
    """

    kind: EventKind
    chat_id: int | None
    message: EmulatedMessage | None = None
    text: str | None = None
    show_alert: bool = False


@dataclass
class EmulatedUser:
    """A person talking to the bot; their private chat with the bot has ``chat.id == id``."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
