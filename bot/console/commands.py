"""Console-only commands, kept apart from the bot's own by name and by help text.

They act on the console itself (who is typing, what time it is), never on the bot: everything
else a person types goes to the bot exactly as Telegram would deliver it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

CONSOLE_HELP = """\
Console commands (the bot never sees these):
  /as patient NAME        type as someone else (each name is its own Telegram user)
  /as clinician NAME      type as a clinician of the console's clinic
  /time +2h | +1d | +30m  move the bot's clock forward (also +1w, or combined: +1d2h)
  /time 2026-03-29 09:00  jump to a local date and time (the current person's time zone)
  #N                      press button N on the latest message with buttons
  /console-help           show this list
  /quit                   leave (Ctrl-D works too)
Everything else is sent to the bot as a Telegram message, /help included."""

DURATION_PART = re.compile(r"(\d+)([wdhms])")
UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
BUTTON = re.compile(r"^#(\d+)$")
FIRST_PERSON_ID = 1_000_000_000


class ConsoleUsageError(ValueError):
    """A console command was mistyped; the message says how to write it."""


@dataclass(frozen=True)
class SwitchPerson:
    role: str
    name: str


@dataclass(frozen=True)
class MoveClock:
    by: timedelta | None = None
    to_local: datetime | None = None  # naive, read in the current person's time zone


@dataclass(frozen=True)
class PressButton:
    number: int


@dataclass(frozen=True)
class ShowHelp:
    pass


@dataclass(frozen=True)
class Quit:
    pass


@dataclass(frozen=True)
class SendText:
    text: str


ConsoleAction = SwitchPerson | MoveClock | PressButton | ShowHelp | Quit | SendText


def parse_line(line: str) -> ConsoleAction:
    """What a typed line means: a console command, a button press, or a message to the bot."""
    stripped = line.strip()
    if match := BUTTON.match(stripped):
        return PressButton(int(match[1]))
    command, _, rest = stripped.partition(" ")
    rest = rest.strip()
    if command == "/console-help":
        return ShowHelp()
    if command in ("/quit", "/exit"):
        return Quit()
    if command == "/as":
        return _parse_as(rest)
    if command == "/time":
        return _parse_time(rest)
    return SendText(line.rstrip("\n"))


def _parse_as(rest: str) -> SwitchPerson:
    role, _, name = rest.partition(" ")
    if role not in ("patient", "clinician") or not name.strip():
        raise ConsoleUsageError("write /as patient NAME or /as clinician NAME")
    return SwitchPerson(role, " ".join(name.split()))


def _parse_time(rest: str) -> MoveClock:
    if rest.startswith("+"):
        parts = DURATION_PART.findall(rest[1:])
        if not parts or "".join(n + u for n, u in parts) != rest[1:]:
            raise ConsoleUsageError("write a step forward like /time +2h, +1d, +30m or +1d2h")
        return MoveClock(by=sum((timedelta(**{UNITS[u]: int(n)}) for n, u in parts), timedelta()))
    try:
        return MoveClock(to_local=datetime.strptime(rest, "%Y-%m-%d %H:%M"))
    except ValueError:
        raise ConsoleUsageError(
            "write /time +2h, or a date and time like 2026-03-29 09:00"
        ) from None


def person_id(role: str, name: str) -> int:
    """A stable Telegram user id for a name, so the same name is the same person next time."""
    digest = hashlib.sha256(f"{role}:{name.lower()}".encode()).hexdigest()
    return FIRST_PERSON_ID + int(digest[:12], 16) % FIRST_PERSON_ID


def local_target(to_local: datetime, zone: tzinfo) -> datetime:
    return to_local.replace(tzinfo=zone)
