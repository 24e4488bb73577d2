"""Reading typed answers: scores on a 0-10 scale and times of day.

Each parser returns the value or raises ``InvalidAnswer`` with a reason, so the reply can say
exactly what was wrong instead of a generic "invalid input".
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from enum import StrEnum

SCALE_MIN, SCALE_MAX = 0, 10
NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
SCORE_PATTERN = re.compile(r"^(?P<value>-?\d+(?:[.,]\d+)?)\s*(?:/\s*10|out of 10)?$")
TIME_PATTERN = re.compile(
    r"^(?P<hour>\d{1,2})(?:\s*[:.h]\s*(?P<minute>\d{2}))?\s*(?P<half>[ap])?\.?\s*(?:m\.?)?$"
)


YES_WORDS = frozenset({"yes", "y", "yeah", "yep", "yup", "yes i am", "i am", "sort of", "maybe"})
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NO_WORDS = frozenset({"no", "n", "nope", "nah", "no i am not", "i am not", "not really"})


class Problem(StrEnum):
    NOT_A_NUMBER = "not_a_number"
    NOT_WHOLE = "not_whole"
    OUT_OF_RANGE = "out_of_range"
    NOT_A_TIME = "not_a_time"
    NOT_YES_OR_NO = "not_yes_or_no"
    NOT_A_DAY = "not_a_day"


class InvalidAnswer(ValueError):  # noqa: N818  (an answer, not a program error)
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def parse_score(text: str) -> int:
    """A whole number from 0 to 10, typed as ``7``, ``7/10`` or ``seven``."""
    cleaned = text.strip().lower().rstrip(".!")
    if cleaned in NUMBER_WORDS:
        return NUMBER_WORDS[cleaned]
    match = SCORE_PATTERN.match(cleaned)
    if match is None:
        raise InvalidAnswer(Problem.NOT_A_NUMBER)
    number = float(match["value"].replace(",", "."))
    if not SCALE_MIN <= number <= SCALE_MAX:
        raise InvalidAnswer(Problem.OUT_OF_RANGE)
    if not number.is_integer():
        raise InvalidAnswer(Problem.NOT_WHOLE)
    return int(number)


def parse_time_of_day(text: str) -> time:
    """A time such as ``20:30``, ``8.30pm``, ``9 am`` or ``21``."""
    match = TIME_PATTERN.match(text.strip().lower())
    if match is None:
        raise InvalidAnswer(Problem.NOT_A_TIME)
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["half"]:
        if not 1 <= hour <= 12:
            raise InvalidAnswer(Problem.NOT_A_TIME)
        hour = hour % 12 + (12 if match["half"] == "p" else 0)
    if hour > 23 or minute > 59:
        raise InvalidAnswer(Problem.NOT_A_TIME)
    return time(hour, minute)


def parse_yes_no(text: str) -> bool:
    """Yes or no, typed; anything unsure ("maybe", "sort of") counts as yes: when in doubt,
    the safer path is the one that offers help."""
    cleaned = " ".join(re.sub(r"[^a-z ]", " ", text.lower().replace("'m", " am")).split())
    if cleaned in YES_WORDS:
        return True
    if cleaned in NO_WORDS:
        return False
    raise InvalidAnswer(Problem.NOT_YES_OR_NO)


def parse_day_and_time(text: str, today: date) -> tuple[date, time]:
    """A local day and time such as ``tomorrow 10:00``, ``friday 9am`` or ``2026-04-02 10:00``.

    Dates written with slashes are refused: 04/02 is April in one country, February in another.
    """
    words = text.strip().lower().replace(",", " ").replace(" at ", " ").split()
    if len(words) < 2:
        raise InvalidAnswer(Problem.NOT_A_DAY)
    day_word, time_text = words[0], " ".join(words[1:])
    return _parse_day(day_word, today), parse_time_of_day(time_text)


def _parse_day(word: str, today: date) -> date:
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    for index, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            ahead = (index - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    if ISO_DATE.match(word):
        try:
            return date.fromisoformat(word)
        except ValueError:
            pass
    raise InvalidAnswer(Problem.NOT_A_DAY)
