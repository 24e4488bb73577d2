"""An article of the library once loaded and checked: metadata, and its body in snippets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Audience(StrEnum):
    PATIENT = "patient"
    CLINICIAN = "clinician"


class Occasion(StrEnum):
    """Moments when the bot offers (never pushes) one article."""

    HIGH_PAIN = "high-pain"  # a check-in with pain of 7 or more
    LOW_MOOD = "low-mood"  # a check-in with mood of 3 or less
    FIRST_SESSION = "first-session"  # after the patient's first session is logged


@dataclass(frozen=True)
class Source:
    title: str
    author: str
    year: int
    url: str


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    summary: str
    tags: tuple[str, ...]
    audience: Audience
    sources: tuple[Source, ...]
    reviewed: date
    offer: Occasion | None
    snippets: tuple[str, ...]  # Telegram HTML, each small enough for one message
    text: str  # the body as plain words, for searching

    @property
    def pages(self) -> int:
        return len(self.snippets)
