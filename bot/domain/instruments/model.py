"""An instrument once loaded, and its scoring: the total and band exactly as published."""

from __future__ import annotations

from dataclasses import dataclass

RESPONSE_FALL = 0.5  # a fall of 50% or more from the first score is a response
REMISSION_BELOW = 5  # PHQ-9 / PHQ-8 below 5 is remission


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Band:
    start: int  # the lowest total in the band
    name: str


@dataclass(frozen=True)
class Instrument:
    key: str  # the file name: phq9, gad7 ...
    name: str
    source: str
    intro: str
    options: tuple[Option, ...]
    items: tuple[str, ...]
    bands: tuple[Band, ...]
    crisis_item: int | None  # 1-based: an answer of 1 or more starts the crisis path
    alert_from: int | None  # any single answer at least this raises a same-day alert

    @property
    def lowest(self) -> int:
        return len(self.items) * min(o.value for o in self.options)

    @property
    def highest(self) -> int:
        return len(self.items) * max(o.value for o in self.options)

    def option(self, value: int) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def band(self, total: int) -> Band:
        return [band for band in self.bands if band.start <= total][-1]


@dataclass(frozen=True)
class Score:
    total: int
    band: str
    response: bool | None  # against the first score; None without an earlier one
    remission: bool | None  # PHQ only


def score(instrument: Instrument, answers: list[int], first_total: int | None) -> Score:
    """The published total and band; response and remission against the first score."""
    if len(answers) != len(instrument.items):
        raise ValueError("an incomplete questionnaire is never scored")
    total = sum(answers)
    response = None
    if first_total is not None and first_total > 0 and instrument.key.startswith(("phq", "gad")):
        response = total <= first_total * (1 - RESPONSE_FALL)
    remission = total < REMISSION_BELOW if instrument.key.startswith("phq") else None
    return Score(total, instrument.band(total).name, response, remission)
