"""Everything the emulated Bot API server knows, in one object handed to every method.

The pieces live in their own modules (chats, files, updates, queries, commands, events); this
module only composes them with the bot's identity, the clock and the call log.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.emulator.chats import ChatStore
from bot.emulator.commands import CommandStore
from bot.emulator.events import EventHub
from bot.emulator.files import FileStore
from bot.emulator.models import ApiCall, ChatEvent, EventKind
from bot.emulator.queries import QueryRegistry
from bot.emulator.updates import UpdateQueue
from bot.emulator.webhook import WebhookPusher

Clock = Callable[[], float]


@dataclass(frozen=True)
class BotIdentity:
    """Who the bot is: what getMe returns and what appears as ``from`` in its messages."""

    id: int
    username: str
    first_name: str

    def user_json(self, *, for_get_me: bool = False) -> dict[str, Any]:
        """The bot as a ``User``; getMe adds the bot-only capability flags."""
        user: dict[str, Any] = {
            "id": self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }
        if for_get_me:
            user |= {
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        return user


@dataclass
class WebhookConfig:
    """What setWebhook stored, and the last failed delivery. Only a URL on this machine is
    ever called (see ``webhook.py``)."""

    url: str = ""
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] = field(default_factory=list)
    last_error_date: int | None = None
    last_error_message: str | None = None


class EmulatorState:
    """The server-side world: chats, files, updates, queries, commands, webhook, call log."""

    def __init__(self, bot: BotIdentity, *, clock: Clock = time.time, strict_html: bool = True):
        self.bot = bot
        self.clock = clock
        self.strict_html = strict_html
        self.chats = ChatStore()
        self.files = FileStore()
        self.updates = UpdateQueue()
        self.events = EventHub()
        self.queries = QueryRegistry()
        self.commands = CommandStore()
        self.webhook = WebhookConfig()
        self.pusher = WebhookPusher(self)
        self.settings: dict[str, dict[str, Any]] = {}
        self.calls: list[ApiCall] = []

    def now(self) -> float:
        """Current time from the (possibly injected) clock."""
        return self.clock()

    def unix_now(self) -> int:
        """Current time as the integer unix seconds Telegram uses for dates."""
        return int(self.clock())

    def publish(self, kind: EventKind, chat_id: int | None, **details: Any) -> None:
        """Tell subscribers about a bot-side change."""
        self.events.publish(ChatEvent(kind, chat_id, **details))
