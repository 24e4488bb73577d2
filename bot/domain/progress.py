"""A patient's own figures over a range of local dates: the numbers the chart, the summary and
the reports all use, so they can never disagree.

Everything is counted in the patient's local dates (a check-in belongs to the day it was begun
there), so a time-zone change or a daylight-saving day never moves an entry to another day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from statistics import mean

from bot.storage import CheckIn

BASELINE_CHECKINS = 3
ROLLING_DAYS = 7
HIGH_PAIN = 7
FEWEST_FOR_A_CHART = 3


class Span(StrEnum):
    MONTH = "30"
    QUARTER = "90"
    EVERYTHING = "all"

    def first_day(self, today: date, earliest: date | None) -> date:
        if self == Span.EVERYTHING:
            return earliest or today
        return today - timedelta(days=int(self.value) - 1)


@dataclass(frozen=True)
class Day:
    day: date
    mood: int | None
    pain: int | None
    mood_rolling: float | None  # mean of the checked-in days among the last 7
    pain_rolling: float | None


@dataclass(frozen=True)
class Month:
    month: str  # 2026-03
    days: int  # days of the month inside the range
    checked_in: int
    pain_free: int
    high_pain: int
    missing: int
    headache_days: int | None  # None where the clinic does not ask
    medicine_days: int | None


@dataclass(frozen=True)
class Progress:
    first: date
    last: date
    days: list[Day]
    baseline_pain: float | None
    week_pain: float | None
    week_mood: float | None
    change_points: float | None  # this week's pain minus baseline (negative = better)
    change_percent: int | None
    streak: int  # consecutive days with a check-in, ending today or yesterday
    days_since_session: int | None
    months: list[Month]
    adherence: int  # percent of days in the range with a check-in
    checkins: int

    @property
    def enough_for_a_chart(self) -> bool:
        return self.checkins >= FEWEST_FOR_A_CHART


def progress(
    every_checkin: list[CheckIn],
    session_days: list[date],
    today: date,
    span: Span,
) -> Progress:
    """``every_checkin``: all of the patient's check-ins, oldest first (the baseline is their
    first three, whatever the range shown)."""
    by_day = {c.local_date: c for c in every_checkin}
    first = span.first_day(today, every_checkin[0].local_date if every_checkin else None)
    days = []
    for offset in range((today - first).days + 1):
        day = first + timedelta(days=offset)
        window = [by_day[d] for d in _days_back(day, ROLLING_DAYS) if d in by_day]
        checkin = by_day.get(day)
        days.append(
            Day(
                day=day,
                mood=checkin.mood if checkin else None,
                pain=checkin.pain if checkin else None,
                mood_rolling=_mean([c.mood for c in window]),
                pain_rolling=_mean([c.pain for c in window]),
            )
        )
    in_range = [c for c in every_checkin if first <= c.local_date <= today]
    week = [by_day[d] for d in _days_back(today, ROLLING_DAYS) if d in by_day]
    baseline = _mean([c.pain for c in every_checkin[:BASELINE_CHECKINS]])
    if len(every_checkin) < BASELINE_CHECKINS:
        baseline = None
    week_pain = _mean([c.pain for c in week])
    change = (
        round(week_pain - baseline, 1) if week_pain is not None and baseline is not None else None
    )
    percent = round(100 * change / baseline) if change is not None and baseline else None
    past_sessions = [d for d in session_days if d <= today]
    return Progress(
        first=first,
        last=today,
        days=days,
        baseline_pain=baseline,
        week_pain=week_pain,
        week_mood=_mean([c.mood for c in week]),
        change_points=change,
        change_percent=percent,
        streak=_streak(by_day, today),
        days_since_session=(today - max(past_sessions)).days if past_sessions else None,
        months=_months(by_day, first, today),
        adherence=round(100 * len(in_range) / ((today - first).days + 1)),
        checkins=len(in_range),
    )


def _days_back(day: date, count: int) -> list[date]:
    return [day - timedelta(days=n) for n in range(count)]


def _mean(values: list[int]) -> float | None:
    return round(float(mean(values)), 1) if values else None


def _streak(by_day: dict[date, CheckIn], today: date) -> int:
    """Days in a row with a check-in; today not yet checked in does not break it."""
    day = today if today in by_day else today - timedelta(days=1)
    streak = 0
    while day in by_day:
        streak += 1
        day -= timedelta(days=1)
    return streak


def _months(by_day: dict[date, CheckIn], first: date, last: date) -> list[Month]:
    months: dict[str, list[date]] = {}
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        months.setdefault(day.strftime("%Y-%m"), []).append(day)
    result = []
    for name, days in months.items():
        entries = [by_day[d] for d in days if d in by_day]
        result.append(
            Month(
                month=name,
                days=len(days),
                checked_in=len(entries),
                pain_free=sum(1 for c in entries if c.pain == 0),
                high_pain=sum(1 for c in entries if c.pain >= HIGH_PAIN),
                missing=len(days) - len(entries),
                headache_days=_count_recorded([c.headache for c in entries]),
                medicine_days=_count_recorded([c.medicine for c in entries]),
            )
        )
    return result


def _count_recorded(answers: list[bool | None]) -> int | None:
    """How many yes answers, or None if the question was never asked in the month."""
    recorded = [answer for answer in answers if answer is not None]
    return sum(recorded) if recorded else None
