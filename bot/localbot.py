"""The real bot, running against the package's own Bot API emulator on 127.0.0.1.

The test suite and the try-it console both use this: the real ``Application`` with its real
handlers, storage and prompts, an injected clock, and a throwaway token. Every action a person
takes returns once the bot has finished handling it, so no caller has to guess with sleeps.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram.ext import BaseUpdateProcessor

from bot.app import BotApplication, build_application, dispatcher_of, services_of
from bot.clock import ManualClock
from bot.config import Settings
from bot.delivery import Dispatcher, TickReport
from bot.emulator import BotApiEmulator, EmulatedMessage
from bot.storage import Store

LOCAL_BOT_ID = 7000001
LOCAL_BOT_USERNAME = "carebot_local_bot"
PROCESSING_TIMEOUT = 10.0
# Long-poll timeout towards the emulator: short, so stopping never waits long.
POLL_TIMEOUT = 1
# The longest jump of a simulated clock between two ticks: well inside the two days that
# check-ins are planned ahead, so none is ever skipped.
SIMULATION_STRIDE = timedelta(hours=6)
PACING_STEP = timedelta(seconds=1)


def throwaway_token() -> str:
    """A token of the right shape that only the local emulator will ever see."""
    return f"{LOCAL_BOT_ID}:{secrets.token_urlsafe(27)}"


class TrackingUpdateProcessor(BaseUpdateProcessor):
    """Processes updates one at a time, like the default, and remembers which are done."""

    def __init__(self) -> None:
        super().__init__(max_concurrent_updates=1)
        self._done: set[int] = set()
        self._changed = asyncio.Condition()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        try:
            await coroutine
        finally:
            update_id = getattr(update, "update_id", None)
            async with self._changed:
                if update_id is not None:
                    self._done.add(update_id)
                self._changed.notify_all()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def wait_until_processed(self, update_id: int) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: update_id in self._done)


@dataclass
class LocalBot:
    """Owns an emulator and runs the application against it; restartable like a real process."""

    settings: Settings
    clock: ManualClock
    emulator: BotApiEmulator = field(
        default_factory=lambda: BotApiEmulator(
            bot_id=LOCAL_BOT_ID, bot_username=LOCAL_BOT_USERNAME, bot_first_name="Care Bot"
        )
    )
    application: BotApplication | None = None
    _processor: TrackingUpdateProcessor | None = None
    token: str = field(default_factory=throwaway_token)

    async def start(self) -> None:
        await self.emulator.start()
        self.emulator.now = lambda: self.clock.now().timestamp()
        await self.start_application()

    async def start_application(self) -> None:
        """Start the bot (a new process) against the running emulator."""
        self._processor = TrackingUpdateProcessor()
        self.application = build_application(
            self.settings_here(),
            self.clock,
            token=self.token,
            update_processor=self._processor,
            dispatch_on_timer=False,
        )
        await self.application.initialize()
        # run_polling() would call these hooks; started piecemeal, they are called here.
        if self.application.post_init is not None:
            await self.application.post_init(self.application)
        await self.application.start()
        assert self.application.updater is not None
        await self.application.updater.start_polling(poll_interval=0.0, timeout=POLL_TIMEOUT)

    def settings_here(self, **changes: Any) -> Settings:
        """The settings a copy of the bot runs with here: this emulator's URLs, and ``changes``
        (another instance's name, say)."""
        return self.settings.model_copy(
            update={
                "telegram_api_base_url": self.emulator.base_url,
                "telegram_api_file_url": self.emulator.base_file_url,
                **changes,
            }
        )

    async def stop_application(self) -> None:
        """Stop the bot as a shutdown would, leaving the emulator (Telegram) running."""
        application, self.application = self.application, None
        if application is None:
            return
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)

    async def restart(self) -> None:
        """A new process on the same database: nothing held in memory survives."""
        await self.stop_application()
        await self.start_application()

    async def stop(self) -> None:
        await self.stop_application()
        await self.emulator.stop()

    async def __aenter__(self) -> LocalBot:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    # Time passing -------------------------------------------------------------------------

    @property
    def dispatcher(self) -> Dispatcher:
        if self.application is None:
            raise RuntimeError("the local bot is not running")
        return dispatcher_of(self.application)

    def store(self) -> Store:
        if self.application is None:
            raise RuntimeError("the local bot is not running")
        return services_of(self.application).store

    async def tick(self) -> TickReport:
        """What the JobQueue does every second in production: send what is due by now."""
        return await self.dispatcher.tick(self.clock.now())

    async def run_for(self, length: timedelta) -> TickReport:
        """Let ``length`` of clock time pass, simulated, never waited: the clock jumps to each
        moment a planned message falls due (and at least every few hours, so the days ahead
        are planned as they would be) and the dispatcher ticks there."""
        total = TickReport()
        end = self.clock.now() + length
        outbox = self.store().outbox
        while self.clock.now() < end:
            now = self.clock.now()
            next_due = outbox.next_due_at()
            target = min(end, now + SIMULATION_STRIDE)
            if next_due is not None and next_due <= now:
                # Something is due but was held back (one message a second per chat, or
                # Telegram's retry_after): the next second, as the JobQueue would.
                target = min(end, now + PACING_STEP)
            elif next_due is not None and now < next_due < target:
                target = next_due
            self.clock.set(target)
            report = await self.tick()
            for name in ("sent", "missed", "skipped", "retried", "failed", "blocked", "deferred"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
        return total

    # What a person does -----------------------------------------------------------------

    def person(self, user_id: int, first_name: str) -> Person:
        return Person(self, user_id, first_name)

    async def send_text(
        self, user_id: int, text: str, first_name: str, reply_to: int | None = None
    ) -> list[EmulatedMessage]:
        """Type a message (``reply_to``: as a reply to that message); returns the bot's new
        messages in that chat."""
        return await self._act(
            user_id,
            lambda: self.emulator.send_text(
                user_id=user_id, text=text, first_name=first_name, reply_to=reply_to
            ),
        )

    async def press_button(
        self, user_id: int, message_id: int, index: int
    ) -> list[EmulatedMessage]:
        """Press the index-th button (left to right, top to bottom) of a bot message."""
        return await self.press_together(user_id, [(message_id, index)])

    async def press_together(
        self, user_id: int, presses: list[tuple[int, int]]
    ) -> list[EmulatedMessage]:
        """Presses that reach the bot before it answers any of them, like a fast double tap."""
        return await self._act(
            user_id,
            lambda: [
                self.emulator.press_button(user_id=user_id, message_id=message_id, index=index)
                for message_id, index in presses
            ],
        )

    async def inline_query(self, user_id: int, query: str) -> dict[str, Any] | None:
        """Type ``@bot query`` in any chat; returns the bot's answerInlineQuery parameters."""
        query_id, update_id = self.emulator.send_inline_query_update(user_id, query)
        await self.settle(update_id)
        return self.emulator.inline_answer(query_id)

    async def settle(self, update_id: int) -> None:
        """Wait until the bot has handled an update made directly on the emulator."""
        if self._processor is None:
            raise RuntimeError("the local bot is not running")
        async with asyncio.timeout(PROCESSING_TIMEOUT):
            await self._processor.wait_until_processed(update_id)

    async def _act(
        self, chat_id: int, create_updates: Callable[[], int | list[int]]
    ) -> list[EmulatedMessage]:
        if self._processor is None:
            raise RuntimeError("the local bot is not running")
        seen = {message.message_id for message in self.emulator.bot_messages(chat_id)}
        created = create_updates()
        async with asyncio.timeout(PROCESSING_TIMEOUT):
            for update_id in created if isinstance(created, list) else [created]:
                await self._processor.wait_until_processed(update_id)
        return [m for m in self.emulator.bot_messages(chat_id) if m.message_id not in seen]


@dataclass
class Person:
    """Someone typing into the local bot: the words tests and console scripts are written in."""

    bot: LocalBot
    user_id: int
    first_name: str

    async def says(self, text: str) -> list[EmulatedMessage]:
        return await self.bot.send_text(self.user_id, text, self.first_name)

    async def replies(self, message: EmulatedMessage, text: str) -> list[EmulatedMessage]:
        """Telegram's "reply" to one of the bot's messages."""
        return await self.bot.send_text(self.user_id, text, self.first_name, message.message_id)

    async def presses(
        self, button: str | int, message: EmulatedMessage | None = None
    ) -> list[EmulatedMessage]:
        """Press a button by its label or index, on the given or the latest message with buttons."""
        message = message or self.latest_with_buttons()
        labels = [b.text for b in message.flat_buttons]
        index = labels.index(button) if isinstance(button, str) else button
        return await self.bot.press_button(self.user_id, message.message_id, index)

    def messages(self) -> list[EmulatedMessage]:
        return self.bot.emulator.bot_messages(self.user_id)

    def latest_with_buttons(self) -> EmulatedMessage:
        for message in reversed(self.messages()):
            if message.flat_buttons:
                return message
        raise LookupError("no bot message with buttons in this chat")
