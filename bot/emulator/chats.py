"""Users, their private chats with the bot, and the messages in those chats.

Only private chats exist (the bot talks to patients and clinicians one-to-one), so a chat is
identified by its user's id. Message ids are per chat and shared by both sides, like Telegram.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.errors import bad_request, forbidden
from bot.emulator.models import EmulatedMessage, EmulatedUser


@dataclass
class Chat:
    """A private chat: the user, its messages in order, and the id counter they share."""

    user: EmulatedUser
    messages: dict[int, EmulatedMessage] = field(default_factory=dict)
    next_message_id: int = 1
    chat_instance: str = field(default_factory=lambda: str(secrets.randbits(63)))
    blocked_bot: bool = False
    deactivated: bool = False

    @property
    def id(self) -> int:
        """Private chat id == user id."""
        return self.user.id

    def add(self, **fields: Any) -> EmulatedMessage:
        """Append a new message with the next id."""
        message = EmulatedMessage(message_id=self.next_message_id, chat_id=self.id, **fields)
        self.next_message_id += 1
        self.messages[message.message_id] = message
        return message

    def live(self, message_id: int) -> EmulatedMessage | None:
        """A message that exists and has not been deleted."""
        message = self.messages.get(message_id)
        return None if message is None or message.deleted else message


class ChatStore:
    """Every chat the bot can reach, keyed by chat id."""

    def __init__(self) -> None:
        self._chats: dict[int, Chat] = {}

    def __iter__(self) -> Iterator[Chat]:
        return iter(list(self._chats.values()))

    def get(self, chat_id: int) -> Chat | None:
        """The chat with that id, if the user ever appeared."""
        return self._chats.get(chat_id)

    def ensure(
        self,
        user_id: int,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> Chat:
        """Create the user's chat on first contact; later calls update the profile fields given.

        A new user is ``User<id>`` with language ``en`` unless told otherwise (Telegram clients
        always report a language).
        """
        chat = self._chats.get(user_id)
        if chat is None:
            user = EmulatedUser(user_id, first_name or f"User{user_id}", language_code="en")
            chat = self._chats[user_id] = Chat(user)
        user = chat.user
        if first_name is not None:
            user.first_name = first_name
        if last_name is not None:
            user.last_name = last_name
        if username is not None:
            user.username = username
        if language_code is not None:
            user.language_code = language_code
        return chat

    def resolve(self, chat_id: Any) -> Chat:
        """The chat a ``chat_id`` parameter names, or Telegram's "chat not found" 400.

        Private chats cannot be addressed by ``@username``, so strings only work if numeric.
        """
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def writable(self, chat_id: Any) -> Chat:
        """Like ``resolve``, but 403 if the user blocked the bot or was deactivated."""
        chat = self.resolve(chat_id)
        if chat.deactivated:
            raise forbidden("user is deactivated")
        if chat.blocked_bot:
            raise forbidden("bot was blocked by the user")
        return chat
