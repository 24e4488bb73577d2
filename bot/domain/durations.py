"""Lengths of time written the way people write them: ``90m``, ``2h``, ``1d12h``, ``-12h``.

Clinicians write them in protocol files and testers type them in the console, so both read
them here, with one set of units.
"""

from __future__ import annotations

import re
from datetime import timedelta

PART = re.compile(r"(\d+)([wdhm])")
WHOLE = re.compile(r"^([+-]?)((?:\d+[wdhm])+)$")
UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}
EXAMPLES = "like 30m, 2h, 1d or 1d12h"


class DurationError(ValueError):
    """Not a length of time; the message shows how to write one."""


def parse_duration(text: str, *, signed: bool = False) -> timedelta:
    """``signed`` allows a leading ``-`` (before the session) as well as ``+``."""
    match = WHOLE.match(str(text).strip().replace(" ", ""))
    if match is None or (match[1] == "-" and not signed):
        raise DurationError(f"{text!r} is not a length of time: write it {EXAMPLES}")
    length = sum(
        (timedelta(**{UNITS[unit]: int(number)}) for number, unit in PART.findall(match[2])),
        timedelta(),
    )
    return -length if match[1] == "-" else length


def describe_duration(length: timedelta) -> str:
    """The inverse of :func:`parse_duration`, for messages about a protocol."""
    sign = "-" if length < timedelta(0) else ""
    minutes = abs(int(length.total_seconds())) // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{n}{u}" for n, u in ((days, "d"), (hours, "h"), (minutes, "m")) if n]
    return sign + ("".join(parts) or "0m")
