"""Turning what a patient types into a time zone, and times into their local time.

Patients are stored with an IANA zone name (which follows daylight-saving changes) or, only if
they insist, a fixed offset written ``UTC+05:30`` (which does not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.domain.city_zones import ABBREVIATIONS, CITY_ALIASES

OFFSET_PATTERN = re.compile(
    r"^(?:utc|gmt)?\s*(?P<sign>[+-])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?$",
    re.IGNORECASE,
)
# Legacy fixed-offset zones that look like abbreviations but ignore daylight saving;
# people typing them mean the regional zone (see ABBREVIATIONS).
MISLEADING_LEGACY_ZONES = frozenset(
    {"EST", "MST", "HST", "EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT"}
)
# The offsets in use on Earth run from UTC-12:00 to UTC+14:00.
EARLIEST_OFFSET, LATEST_OFFSET = timedelta(hours=-12), timedelta(hours=14)


@dataclass(frozen=True)
class ZoneChoice:
    name: str
    fixed_offset: bool = False


def resolve_zone(text: str) -> ZoneChoice | None:
    """The zone a patient most likely meant, or None when nothing fits."""
    cleaned = " ".join(text.strip().split())
    if not cleaned:
        return None
    key = cleaned.lower()
    if key in ABBREVIATIONS:
        return ZoneChoice(ABBREVIATIONS[key])
    if key in {"utc", "gmt", "z", "utc+0", "utc-0", "gmt+0"}:
        return ZoneChoice("UTC")
    offset = _parse_offset(cleaned)
    if offset is not None:
        if not EARLIEST_OFFSET <= offset <= LATEST_OFFSET:
            return None
        return ZoneChoice(_offset_name(offset), fixed_offset=True)
    if (iana := _iana_names().get(key.replace(" ", "_"))) is not None:
        return ZoneChoice(iana)
    city = key.split(",")[0].strip()
    if city in CITY_ALIASES:
        return ZoneChoice(CITY_ALIASES[city])
    if (iana := _city_names().get(city.replace(" ", "_"))) is not None:
        return ZoneChoice(iana)
    return None


def zone_info(name: str) -> tzinfo:
    """The tzinfo for a stored zone name (IANA or ``UTC±HH:MM``)."""
    offset = _parse_offset(name)
    if offset is not None and name.upper().startswith("UTC"):
        return timezone(offset, name)
    return ZoneInfo(name)


def is_known_zone(name: str) -> bool:
    try:
        zone_info(name)
    except (ValueError, KeyError):
        return False
    return True


def local_now(now: datetime, zone_name: str) -> datetime:
    return now.astimezone(zone_info(zone_name))


def local_date(now: datetime, zone_name: str) -> date:
    return local_now(now, zone_name).date()


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _parse_offset(text: str) -> timedelta | None:
    """The size of a typed offset such as ``+2``, ``UTC-05:00`` or ``GMT+5:30`` (sign in name)."""
    match = OFFSET_PATTERN.match(text.strip())
    if match is None:
        return None
    hours, minutes = int(match["hours"]), int(match["minutes"] or 0)
    if minutes >= 60:
        return None
    magnitude = timedelta(hours=hours, minutes=minutes)
    return magnitude if match["sign"] == "+" else -magnitude


def _offset_name(offset: timedelta) -> str:
    sign = "-" if offset < timedelta(0) else "+"
    total_minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{total_minutes // 60:02d}:{total_minutes % 60:02d}"


@cache
def _iana_names() -> dict[str, str]:
    """Lower-cased IANA names, so ``europe/berlin`` finds ``Europe/Berlin``."""
    return {
        name.lower(): name
        for name in available_timezones()
        if name not in MISLEADING_LEGACY_ZONES and not name.startswith(("Etc/", "SystemV/"))
    }


@cache
def _city_names() -> dict[str, str]:
    """The city part of each regional zone (``new_york`` -> ``America/New_York``)."""
    cities: dict[str, str] = {}
    for name in sorted(_iana_names().values()):
        if "/" in name and name.split("/")[0] in _REGIONS:
            cities.setdefault(name.rsplit("/", 1)[1].lower(), name)
    return cities


_REGIONS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)
