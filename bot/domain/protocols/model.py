"""What a protocol is once loaded: plain, checked values the planner can trust."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from enum import StrEnum


class Button(StrEnum):
    """Buttons a prompt may carry; their labels live in prompts/ui.yaml."""

    SCALE = "scale"  # 0-10, kept as a journal entry with a score
    WRITE = "write"  # "I'd like to write about it"


@dataclass(frozen=True)
class AfterSession:
    """An offset from the end of the session; negative ones need a session logged in advance."""

    offset: timedelta


@dataclass(frozen=True)
class OnDay:
    """Day N at a local time, where day 0 is the local date on which the session ended."""

    day: int
    at: time


@dataclass(frozen=True)
class EveryFromEnrolment:
    """Every N days from enrolment, at a local time or (``at=None``) the check-in time."""

    every_days: int
    at: time | None
    first_day: int = 0  # days after enrolment of the first occurrence
    count: int | None = None  # how many occurrences at most (None: no end)

    def occurs_on(self, days_since_enrolment: int) -> bool:
        since_first = days_since_enrolment - self.first_day
        if since_first < 0 or since_first % self.every_days:
            return False
        return self.count is None or since_first // self.every_days < self.count


Timing = AfterSession | OnDay | EveryFromEnrolment


@dataclass(frozen=True)
class ProtocolStep:
    id: str
    timing: Timing
    template: str | None  # a message, or
    instrument: str | None  # a questionnaire
    buttons: tuple[Button, ...]
    reminder_after: timedelta | None
    expires_after: timedelta

    @property
    def before_session(self) -> bool:
        return isinstance(self.timing, AfterSession) and self.timing.offset < timedelta(0)

    @property
    def session_step(self) -> bool:
        return not isinstance(self.timing, EveryFromEnrolment)


@dataclass(frozen=True)
class Protocol:
    key: str  # the file name without .yaml; stored with every planned message
    name: str
    description: str
    steps: tuple[ProtocolStep, ...]

    def step(self, step_id: str) -> ProtocolStep | None:
        return next((step for step in self.steps if step.id == step_id), None)

    @property
    def session_steps(self) -> tuple[ProtocolStep, ...]:
        return tuple(step for step in self.steps if step.session_step)

    @property
    def recurring_steps(self) -> tuple[ProtocolStep, ...]:
        return tuple(step for step in self.steps if not step.session_step)
