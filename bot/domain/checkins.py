"""Check-in arithmetic: how today's entry compares with the patient's own recent entries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import fmean

from bot.storage import CheckIn

RECENT_DAYS = 7
# Differences under one point on a 0-10 scale are read as "about the same".
SAME_BAND = 1.0


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    SAME = "same"


@dataclass(frozen=True)
class Trend:
    today: int
    average: float
    direction: Direction


@dataclass(frozen=True)
class Comparison:
    days: int
    entries: int
    mood: Trend
    pain: Trend


def compare_with_recent(mood: int, pain: int, earlier: Sequence[CheckIn]) -> Comparison | None:
    """Today's scores against the average of earlier entries; None when there are none yet."""
    if not earlier:
        return None
    return Comparison(
        days=RECENT_DAYS,
        entries=len(earlier),
        mood=_trend(mood, fmean(entry.mood for entry in earlier)),
        pain=_trend(pain, fmean(entry.pain for entry in earlier)),
    )


def _trend(today: int, average: float) -> Trend:
    difference = today - average
    if abs(difference) < SAME_BAND:
        direction = Direction.SAME
    else:
        direction = Direction.HIGHER if difference > 0 else Direction.LOWER
    return Trend(today=today, average=round(average, 1), direction=direction)
