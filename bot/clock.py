"""The one source of "now".

Everything that depends on the time of day (local check-in dates today, schedules later) asks a
``Clock`` instead of calling ``datetime.now``. Production wires in ``SystemClock``; tests and the
try-it console wire in ``ManualClock`` so they can move time forward without waiting.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current time as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to, so time-dependent behaviour is testable."""

    def __init__(self, start: datetime) -> None:
        self._now = _require_aware(start).astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward (never backward: stored timestamps must stay monotonic)."""
        if delta < timedelta(0):
            raise ValueError("a ManualClock only moves forward")
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> datetime:
        """Jump to an absolute moment that is not in the past."""
        return self.advance(_require_aware(moment).astimezone(UTC) - self._now)


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("times must carry a time zone; naive datetimes are ambiguous")
    return moment
