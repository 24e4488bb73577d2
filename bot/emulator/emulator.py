"""``BotApiEmulator``: the one object tests and the try-it console hold.

It joins the HTTP server (what the bot talks to) with the person-side actions (what a human does
in their client) and the inspection helpers (what the bot did). Everything runs on the caller's
event loop; the emulator is not thread-safe, so call it from that loop's thread.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from bot.emulator import person
from bot.emulator.commands import DEFAULT_SCOPE, ScopeKey
from bot.emulator.errors import ApiError, EmulatorError
from bot.emulator.faults import Fault, FaultKind, FaultPlan
from bot.emulator.methods.bot_commands import parse_scope
from bot.emulator.models import ApiCall, ChatEvent, EmulatedMessage, EmulatedUser
from bot.emulator.queries import PendingQuery
from bot.emulator.server import HOST, ApiServer, ServerConfig
from bot.emulator.state import BotIdentity, EmulatorState


class BotApiEmulator:
    """A local stand-in for the Telegram Bot API on 127.0.0.1.

    Point python-telegram-bot at it with
    ``ApplicationBuilder().base_url(emu.base_url).base_file_url(emu.base_file_url)``.
    """

    def __init__(
        self,
        bot_id: int = 7000001,
        bot_username: str = "carebot_local_bot",
        bot_first_name: str = "Care Bot",
        *,
        port: int = 0,
        strict_html: bool = True,
        timeout_delay: float = 30.0,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._port = port
        self._state = EmulatorState(
            BotIdentity(bot_id, bot_username, bot_first_name), clock=now, strict_html=strict_html
        )
        self._faults = FaultPlan()
        self._config = ServerConfig(timeout_delay=timeout_delay)
        self._server = ApiServer(self._state, self._faults, self._config)

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self, port: int | None = None) -> None:
        """Start serving on 127.0.0.1 (a free port unless ``port`` is given here or to the
        constructor); no-op if already running."""
        if port is not None:
            self._port = port
        await self._server.start(self._port)

    async def stop(self) -> None:
        """Stop serving; pending long polls return empty. No-op if not running."""
        await self._server.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def running(self) -> bool:
        """Whether the HTTP server is up."""
        return self._server.running

    @property
    def bound_address(self) -> tuple[str, int]:
        """The (host, port) the listening socket is bound to; the host is always 127.0.0.1."""
        return self._server.address

    @property
    def port(self) -> int:
        """The TCP port in use."""
        return self._server.address[1]

    @property
    def base_url(self) -> str:
        """For ``Bot(base_url=...)``: PTB appends ``<token>/<method>``."""
        return f"http://{HOST}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``Bot(base_file_url=...)``: PTB appends ``<token>/<file_path>``."""
        return f"http://{HOST}:{self.port}/file/bot"

    # --- settings --------------------------------------------------------------------------

    @property
    def accepted_token(self) -> str | None:
        """If set, only this exact token is accepted (others get 401)."""
        return self._config.accepted_token

    @accepted_token.setter
    def accepted_token(self, token: str | None) -> None:
        self._config.accepted_token = token

    @property
    def timeout_delay(self) -> float:
        """Seconds a ``FaultKind.TIMEOUT`` fault holds a request."""
        return self._config.timeout_delay

    @timeout_delay.setter
    def timeout_delay(self, seconds: float) -> None:
        self._config.timeout_delay = seconds

    @property
    def now(self) -> Callable[[], float]:
        """The clock (unix seconds) used for message dates and query expiry; assignable."""
        return self._state.clock

    @now.setter
    def now(self, clock: Callable[[], float]) -> None:
        self._state.clock = clock

    @property
    def strict_html(self) -> bool:
        """Reject bare ``&``/``>`` in HTML (stricter than Telegram, see html_entities)."""
        return self._state.strict_html

    @strict_html.setter
    def strict_html(self, strict: bool) -> None:
        self._state.strict_html = strict

    @property
    def bot_user(self) -> dict[str, Any]:
        """The bot as getMe returns it."""
        return self._state.bot.user_json(for_get_me=True)

    # --- the person side -------------------------------------------------------------------

    def ensure_user(
        self,
        user_id: int,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> EmulatedUser:
        """Make a user (and their private chat) known without sending anything."""
        chat = self._state.chats.ensure(user_id, first_name, last_name, username, language_code)
        return dataclasses.replace(chat.user)

    def send_text(
        self,
        user_id: int,
        text: str,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        reply_to: int | None = None,
    ) -> int:
        """The user sends ``text`` (``reply_to``: as a reply to that message); returns the
        update_id. ``first_name`` defaults to ``User<id>`` for a new user and profile fields
        given later update the user."""
        return person.send_text(
            self._state,
            user_id,
            text,
            reply_to,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )

    def press_button(
        self,
        user_id: int,
        message_id: int,
        index: int | None = None,
        *,
        callback_data: str | None = None,
    ) -> int:
        """The user taps inline button ``index`` (left-to-right, top-to-bottom) or the one with
        ``callback_data``; returns the update_id of the ``callback_query``."""
        return person.press_button(self._state, user_id, message_id, index, callback_data)

    def send_document(
        self,
        user_id: int,
        filename: str,
        data: bytes,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> int:
        """The user uploads a document; returns the update_id."""
        return person.send_file(
            self._state,
            user_id,
            data,
            kind="document",
            filename=filename,
            caption=caption,
            mime_type=mime_type,
        )

    def send_photo(self, user_id: int, data: bytes, caption: str | None = None) -> int:
        """The user sends a photo (PNG/GIF/JPEG bytes); returns the update_id."""
        return person.send_file(
            self._state, user_id, data, kind="photo", filename=None, caption=caption, mime_type=None
        )

    def edit_text(self, user_id: int, message_id: int, new_text: str) -> int:
        """The user edits their text message; returns the ``edited_message`` update_id."""
        return person.edit_text(self._state, user_id, message_id, new_text)

    def send_inline_query(self, user_id: int, query: str) -> str:
        """The user types ``@bot query``; returns the inline query id."""
        return person.send_inline_query(self._state, user_id, query)[0]

    def send_inline_query_update(self, user_id: int, query: str) -> tuple[str, int]:
        """As :meth:`send_inline_query`, also returning the update id (to wait for the bot)."""
        return person.send_inline_query(self._state, user_id, query)

    # --- what the bot did ------------------------------------------------------------------

    def chat(self, user_id: int, *, include_deleted: bool = False) -> list[EmulatedMessage]:
        """The messages of the private chat in order, both sides, in their current state.

        Deleted messages are gone, as in the client, unless ``include_deleted`` (then they
        are flagged ``deleted``).
        """
        chat = self._state.chats.get(user_id)
        if chat is None:
            return []
        return [
            message.snapshot()
            for message in chat.messages.values()
            if include_deleted or not message.deleted
        ]

    def bot_messages(self, chat_id: int, *, include_deleted: bool = False) -> list[EmulatedMessage]:
        """The bot's messages in that chat, in order (see ``chat`` for ``include_deleted``)."""
        return [m for m in self.chat(chat_id, include_deleted=include_deleted) if m.from_bot]

    def message(self, chat_id: int, message_id: int) -> EmulatedMessage:
        """One message by id (raises EmulatorError if it never existed)."""
        chat = self._state.chats.get(chat_id)
        message = chat.messages.get(message_id) if chat else None
        if message is None:
            raise EmulatorError(f"no message {message_id} in chat {chat_id}")
        return message.snapshot()

    def user(self, user_id: int) -> EmulatedUser:
        """A copy of the user's profile as the emulator knows it."""
        chat = self._state.chats.get(user_id)
        if chat is None:
            raise EmulatorError(f"unknown user {user_id}")
        return dataclasses.replace(chat.user)

    @property
    def calls(self) -> list[ApiCall]:
        """Every request received, oldest first (a copy of the list)."""
        return list(self._state.calls)

    def calls_to(self, method: str) -> list[ApiCall]:
        """Requests to one method (case-insensitive name)."""
        wanted = method.lower()
        return [call for call in self._state.calls if call.method.lower() == wanted]

    def commands(self, scope: Any = None, language_code: str = "") -> list[dict[str, str]]:
        """What setMyCommands stored for exactly that scope (dict or PTB BotCommandScope;
        None = default) and language."""
        return self._state.commands.get(self._scope_key(scope), language_code)

    def menu_commands(self, user_id: int) -> list[dict[str, str]]:
        """The command menu this user sees, resolved like the Telegram client does."""
        chat = self._state.chats.get(user_id)
        language = chat.user.language_code if chat else None
        return self._state.commands.menu_for(user_id, language)

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """The bot's answerCallbackQuery for that query id (None if not answered yet)."""
        return self._answer(query_id)

    def inline_answer(self, query_id: str) -> dict[str, Any] | None:
        """The bot's answerInlineQuery parameters for that query id (None if not answered)."""
        return self._answer(query_id)

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates queued and not yet confirmed by the bot."""
        return self._state.updates.pending()

    @property
    def webhook_url(self) -> str:
        """The URL the bot set with setWebhook ("" if none). Only a URL on this machine
        (127.0.0.1, ::1, localhost) is called; see ``webhook_pushing``."""
        return self._state.webhook.url

    @property
    def webhook_pushing(self) -> bool:
        """Whether updates are being POSTed to the webhook (set, on this machine, running)."""
        return self._state.pusher.active

    @property
    def webhook_retry_delay(self) -> float:
        """Seconds before an update the webhook did not accept (non-2xx, no answer) is sent
        again; something new (an update, setWebhook) retries at once."""
        return self._state.pusher.retry_delay

    @webhook_retry_delay.setter
    def webhook_retry_delay(self, seconds: float) -> None:
        self._state.pusher.retry_delay = seconds

    @property
    def settings(self) -> dict[str, dict[str, Any]]:
        """Profile settings stored by setMyDescription / setMyShortDescription /
        setChatMenuButton, keyed by method (``method:lang`` for a language)."""
        return dict(self._state.settings)

    # --- waiting and events ----------------------------------------------------------------

    def subscribe(self) -> asyncio.Queue[ChatEvent]:
        """A queue receiving every later bot-side change (message, edit, delete, ...)."""
        return self._state.events.subscribe()

    def unsubscribe(self, queue: asyncio.Queue[ChatEvent]) -> None:
        """Stop feeding a queue returned by ``subscribe``."""
        self._state.events.unsubscribe(queue)

    async def wait_for_bot_message(
        self,
        chat_id: int,
        after_message_id: int = 0,
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the public interface
        match: str | None = None,
    ) -> EmulatedMessage:
        """The first bot message in the chat with id > ``after_message_id`` (whose text or
        caption matches regex ``match``, if given), waiting up to ``timeout`` seconds.

        A message the bot sent and then deleted still counts (it comes back flagged).
        """
        pattern = re.compile(match) if match is not None else None
        queue = self.subscribe()
        try:
            async with asyncio.timeout(timeout):
                while True:
                    found = self._first_bot_message(chat_id, after_message_id, pattern)
                    if found is not None:
                        return found
                    await queue.get()
        except TimeoutError:
            raise TimeoutError(
                self._wait_failure(chat_id, after_message_id, timeout, match)
            ) from None
        finally:
            self.unsubscribe(queue)

    # --- faults and user states ------------------------------------------------------------

    def inject_fault(
        self,
        method: str | None = None,
        kind: FaultKind = FaultKind.RATE_LIMIT,
        *,
        retry_after: int = 3,
        times: int | None = 1,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail (``None`` = every method except
        getUpdates; ``times=None`` = until ``clear_faults``)."""
        self._faults.inject(Fault(method, FaultKind(kind), retry_after, times))

    def clear_faults(self) -> None:
        """Remove every injected fault that has not fired yet."""
        self._faults.clear()

    @property
    def active_faults(self) -> list[Fault]:
        """Injected faults still waiting to fire."""
        return self._faults.active

    def block_bot(self, user_id: int) -> None:
        """The user blocks the bot: sends and edits to them get 403 until unblocked."""
        self._state.chats.ensure(user_id).blocked_bot = True

    def unblock_bot(self, user_id: int) -> None:
        """The user unblocks the bot."""
        self._state.chats.ensure(user_id).blocked_bot = False

    def deactivate_user(self, user_id: int) -> None:
        """The user deletes their account: 403 "user is deactivated" from now on."""
        self._state.chats.ensure(user_id).deactivated = True

    def reactivate_user(self, user_id: int) -> None:
        """Undo ``deactivate_user``."""
        self._state.chats.ensure(user_id).deactivated = False

    # --- helpers ---------------------------------------------------------------------------

    def _scope_key(self, scope: Any) -> ScopeKey:
        if scope is None:
            return DEFAULT_SCOPE
        if hasattr(scope, "to_dict"):
            scope = scope.to_dict()
        try:
            return parse_scope(self._state, scope)[0]
        except ApiError as exc:
            raise EmulatorError(f"invalid scope {scope!r}: {exc.description}") from None

    def _answer(self, query_id: str) -> dict[str, Any] | None:
        query: PendingQuery | None = self._state.queries.get(query_id)
        if query is None:
            raise EmulatorError(f"unknown query id {query_id!r}")
        return query.answer

    def _first_bot_message(
        self, chat_id: int, after_message_id: int, pattern: re.Pattern[str] | None
    ) -> EmulatedMessage | None:
        for message in self.bot_messages(chat_id, include_deleted=True):
            if message.message_id <= after_message_id:
                continue
            if pattern is None or pattern.search(message.shown_text):
                return message
        return None

    def _wait_failure(
        self, chat_id: int, after_message_id: int, timeout: float, match: str | None
    ) -> str:
        seen = [_describe(m) for m in self.bot_messages(chat_id, include_deleted=True)]
        wanted = f" matching {match!r}" if match is not None else ""
        return (
            f"no bot message in chat {chat_id} with message_id > {after_message_id}{wanted} "
            f"within {timeout}s; bot messages seen: {'; '.join(seen) if seen else 'none'}"
        )


def _describe(message: EmulatedMessage, limit: int = 80) -> str:
    """``#4 'Pick one'`` / ``#5 [document] 'caption'`` for timeout diagnostics."""
    flat = message.shown_text.replace("\n", " ")
    if len(flat) > limit:
        flat = flat[: limit - 1] + "\u2026"
    kind = "" if message.kind == "text" else f"[{message.kind}] "
    deleted = " (deleted)" if message.deleted else ""
    return f"#{message.message_id}{deleted} {kind}{flat!r}"
