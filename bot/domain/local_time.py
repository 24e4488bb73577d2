"""Turning a patient's wall-clock time into a UTC moment, on every day of the year.

Twice a year a wall-clock time is missing (clocks jump from 02:00 to 03:00) or happens twice
(01:30 comes round again). A planned message must still go out exactly once: a missing time is
moved forward by the size of the jump (02:30 -> 03:30), and a repeated time means its first
occurrence. Python's ``zoneinfo`` does exactly this for ``fold=0``; these helpers keep the rule
in one place and make it visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.domain.timezones import zone_info


def at_local(day: date, at: time, zone: str) -> datetime:
    """The UTC moment of ``at`` on ``day`` in ``zone`` (a missing time moves forward)."""
    return datetime.combine(day, at, tzinfo=zone_info(zone)).astimezone(UTC)


def shift_local(moment: datetime, by: timedelta, zone: str) -> datetime:
    """``moment`` moved by ``by`` on the wall clock: one day later is the same local time."""
    local = moment.astimezone(zone_info(zone)).replace(tzinfo=None) + by
    return local.replace(tzinfo=zone_info(zone)).astimezone(UTC)


def to_local(moment: datetime, zone: str) -> datetime:
    return moment.astimezone(zone_info(zone))


def next_local_midnight(day: date, zone: str) -> datetime:
    """When ``day`` ends for the patient."""
    return at_local(day + timedelta(days=1), time(0, 0), zone)


@dataclass(frozen=True)
class QuietHours:
    """Local hours in which integration prompts wait for the morning (21:30-08:00 by default).

    ``start`` after ``end`` means the quiet time crosses midnight, as it usually does.
    """

    start: time
    end: time

    def contains(self, local: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def defer(self, moment: datetime, zone: str) -> datetime:
        """``moment``, or the end of the quiet hours it falls in."""
        local = to_local(moment, zone)
        if not self.contains(local.time().replace(second=0, microsecond=0)):
            return moment
        day = local.date()
        if self.start > self.end and local.time() >= self.start:
            day += timedelta(days=1)
        return at_local(day, self.end, zone)
