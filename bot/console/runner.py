"""``python -m bot console``: run the real bot against the local emulator, typed or scripted."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.clock import ManualClock, SystemClock
from bot.config import Settings
from bot.console.commands import ConsoleUsageError, parse_line
from bot.console.session import DEFAULT_PERSON, ConsoleSession, ErrorCounter
from bot.console.transcript import Transcript, wants_colour
from bot.localbot import LocalBot, throwaway_token

CONSOLE_DATABASE_URL = "sqlite:///data/console.db"
FILES_DIR = Path("data/console-files")
EXPECT_SECONDS = 5.0
BACKGROUND_REFRESH = 0.2


@dataclass(frozen=True)
class ScriptLine:
    number: int
    text: str
    expectation: str | None = None  # a regular expression, for lines starting "? "


def console_settings(settings: Settings) -> Settings:
    """Trying the bot never touches a clinic's data unless DATABASE_URL explicitly says so,
    and anyone may join without an invite."""
    changes: dict[str, object] = {"allow_open_enrolment": True}
    if "database_url" not in settings.model_fields_set:
        changes["database_url"] = CONSOLE_DATABASE_URL
    return settings.model_copy(update=changes)


def read_script(path: Path) -> Iterator[ScriptLine]:
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        if not line.strip() or line.startswith("# ") or line == "#":
            continue
        if line.startswith("? "):
            yield ScriptLine(number, line, expectation=line[2:])
        else:
            yield ScriptLine(number, line)


async def run_console(
    settings: Settings,
    script: Path | None = None,
    output: TextIO = sys.stdout,
    files_dir: Path = FILES_DIR,
    token: str | None = None,
) -> int:
    """0 when the session ended normally; 1 when the bot failed or an expectation was not met."""
    settings = console_settings(settings)
    bot = LocalBot(settings, ManualClock(SystemClock().now()), token=token or throwaway_token())
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    transcript = Transcript(output, files_dir, colour=wants_colour(output))
    await bot.start()
    session = ConsoleSession(bot, transcript)
    try:
        transcript.console(_banner(bot, settings))
        if script is not None:
            status = await _run_script(session, script)
        else:
            status = await _run_interactive(session)
    finally:
        session.close()
        await bot.stop()
        logging.getLogger().removeHandler(errors)
    if errors.count:
        transcript.console(f"The bot logged {errors.count} error(s); see the log above.")
        return 1
    return status


async def _run_script(session: ConsoleSession, script: Path) -> int:
    for line in read_script(script):
        if line.expectation is not None:
            if not await session.expect(line.expectation, EXPECT_SECONDS):
                session.transcript.console(
                    f"{script.name}:{line.number}: no bot message matched {line.expectation!r}"
                )
                return 1
            continue
        if not await _type(session, line.text):
            break
    return 0


async def _run_interactive(session: ConsoleSession) -> int:
    async def show_what_arrives() -> None:
        while True:
            session.drain()
            await asyncio.sleep(BACKGROUND_REFRESH)

    refresher = asyncio.create_task(show_what_arrives())
    try:
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line:  # end of input (Ctrl-D)
                return 0
            if line.strip() and not await _type(session, line.rstrip("\n")):
                return 0
    finally:
        refresher.cancel()


async def _type(session: ConsoleSession, line: str) -> bool:
    try:
        action = parse_line(line)
    except ConsoleUsageError as error:
        session.transcript.typed(session.name, line)
        session.transcript.console(str(error))
        return True
    return await session.handle(line, action)


def _banner(bot: LocalBot, settings: Settings) -> str:
    return (
        f"The real bot, talking to its local Telegram stand-in on "
        f"{bot.emulator.bound_address[0]}:{bot.emulator.port} (no token, no network).\n"
        f"Data: {settings.database_url}\n"
        f"You are {DEFAULT_PERSON}, a patient. Send /start to begin; "
        f"/console-help lists the console's own commands."
    )
