"""One console session: who is typing, the clock, and what the bot said since the last line."""

from __future__ import annotations

import asyncio
import logging
import re
from contextlib import suppress
from datetime import UTC, timedelta

from bot.app import services_of
from bot.console.commands import (
    CONSOLE_HELP,
    ConsoleAction,
    MoveClock,
    PressButton,
    Quit,
    SendText,
    ShowHelp,
    SwitchPerson,
    local_target,
    person_id,
)
from bot.console.transcript import Transcript
from bot.domain.timezones import zone_info
from bot.emulator import ChatEvent, EmulatedMessage
from bot.localbot import LocalBot, Person

DEFAULT_PERSON = "Sam"
# Longer jumps skip ahead like downtime instead of sending every day's messages on the way.
LONGEST_SIMULATED_JUMP = timedelta(days=31)


class ErrorCounter(logging.Handler):
    """Counts errors the bot logs, so a scripted run can fail when the bot crashed."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class ConsoleSession:
    def __init__(self, bot: LocalBot, transcript: Transcript) -> None:
        self.bot = bot
        self.transcript = transcript
        self.person: Person = bot.person(person_id("patient", DEFAULT_PERSON), DEFAULT_PERSON)
        self.events: asyncio.Queue[ChatEvent] = bot.emulator.subscribe()
        self.names: dict[int, str] = {self.person.user_id: DEFAULT_PERSON}
        self.heard: list[EmulatedMessage] = []  # bot messages since the last typed line

    async def handle(self, line: str, action: ConsoleAction) -> bool:
        """Carry out one typed line; False once the person wants to leave."""
        if isinstance(action, Quit):
            return False
        self.transcript.typed(self.name, line)
        self.heard = []
        if isinstance(action, ShowHelp):
            self.transcript.console(CONSOLE_HELP)
        elif isinstance(action, SwitchPerson):
            self._switch(action)
        elif isinstance(action, MoveClock):
            await self._move_clock(action)
        elif isinstance(action, PressButton):
            await self._press(action.number)
        elif isinstance(action, SendText):
            await self.person.says(action.text)
        # What the JobQueue does every second in a real deployment: send anything now due.
        await self.bot.tick()
        self.drain()
        return True

    @property
    def name(self) -> str:
        return self.names[self.person.user_id]

    def drain(self) -> None:
        """Show everything the bot did that has not been shown yet."""
        while not self.events.empty():
            event = self.events.get_nowait()
            if event.kind in ("message", "edit") and event.message is not None:
                self.heard.append(event.message)
            if event.chat_id not in (None, self.person.user_id):
                self.transcript.console(f"to {self.names.get(event.chat_id, event.chat_id)}:")
            self.transcript.event(event)

    async def expect(self, pattern: str, seconds: float) -> bool:
        """Whether a bot message since the last typed line matches, waiting up to ``seconds``."""
        expression = re.compile(pattern, re.MULTILINE)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            self.drain()
            if any(expression.search(m.text or m.caption or "") for m in self.heard):
                return True
            if loop.time() >= deadline:
                return False
            with suppress(TimeoutError):
                async with asyncio.timeout(deadline - loop.time()):
                    event = await self.events.get()
                    self.events.put_nowait(event)  # drain() shows it in order

    def close(self) -> None:
        self.bot.emulator.unsubscribe(self.events)

    def _switch(self, action: SwitchPerson) -> None:
        """A clinician name becomes a clinician of the default clinic (where everyone who joins
        in the console belongs), created the first time it is used."""
        user_id = person_id(action.role, action.name)
        if action.role == "clinician":
            clinics = services_of(self.bot.application).clinics
            clinic = clinics.clinic_of(clinics.ensure_first_clinician(user_id, action.name))
            role = f"a clinician at {clinic.name}; /start shows your commands"
        else:
            role = "a patient"
        self.person = self.bot.person(user_id, action.name)
        self.names[user_id] = action.name
        self.transcript.console(f"You are now {action.name}, {role} (Telegram id {user_id}).")

    async def _move_clock(self, action: MoveClock) -> None:
        """Time passes as it would for a running bot: every planned message that falls due on
        the way is sent, in order (messages whose moment passed long ago are marked missed)."""
        clock = self.bot.clock
        zone = zone_info(self._zone_name())
        if action.by is not None:
            length = action.by
        else:
            assert action.to_local is not None
            length = local_target(action.to_local, zone) - clock.now()
        if length < timedelta(0):
            self.transcript.console("The clock only moves forward.")
            return
        if length > LONGEST_SIMULATED_JUMP:
            clock.advance(length)
            self.transcript.console(
                "That is a long jump, so the bot behaves as if it had been switched off meanwhile: "
                "messages whose time passed are marked missed, not sent."
            )
        else:
            await self.bot.run_for(length)
        local = clock.now().astimezone(zone)
        self.transcript.console(
            f"The clock is now {local:%a %d %b %Y, %H:%M} in {self._zone_name()} "
            f"({clock.now().astimezone(UTC):%H:%M} UTC)."
        )

    def _zone_name(self) -> str:
        services = services_of(self.bot.application)
        patient = services.onboarding.find(self.person.user_id)
        return (patient.timezone if patient else None) or services.settings.default_timezone

    async def _press(self, number: int) -> None:
        try:
            message = self.person.latest_with_buttons()
        except LookupError:
            self.transcript.console("There is no message with buttons in this chat yet.")
            return
        if not 1 <= number <= len(message.flat_buttons):
            self.transcript.console(
                f"The latest message with buttons has buttons 1 to {len(message.flat_buttons)}."
            )
            return
        await self.person.presses(number - 1, message=message)
