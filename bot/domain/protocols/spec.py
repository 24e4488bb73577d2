"""The shape of a protocol file, checked key by key so a mistake names its line.

A step's timing is one of three forms, and exactly one:

    offset: 2h                      from the end of the session (30m, 2h, 1d; -12h = before it)
    day: 3            at: "09:00"   day N at a local time; day 0 is the day the session ended
    every: 14d  from: enrolment     recurring, at ``at`` or (without it) the check-in time;
                                    ``first_day`` (default: one period in) and ``count``
A step sends a message (``template``) or a questionnaire (``instrument``: phq9, gad7, ...).
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from typing import Literal

from pydantic import Field, field_validator, model_validator

from bot.domain.durations import DurationError, parse_duration
from bot.domain.protocols.model import (
    AfterSession,
    Button,
    EveryFromEnrolment,
    OnDay,
    Protocol,
    ProtocolStep,
    Timing,
)
from bot.yaml_files import StrictModel

STEP_ID = r"^[a-z][a-z0-9_]{0,31}$"
CLOCK_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
LONGEST_OFFSET = timedelta(days=90)
LONGEST_DAY = 90


class StepSpec(StrictModel):
    id: str = Field(pattern=STEP_ID)
    offset: str | None = None
    day: int | None = Field(default=None, ge=0, le=LONGEST_DAY)
    at: str | None = None
    every: str | None = None
    from_: Literal["enrolment"] | None = Field(default=None, alias="from")
    template: str | None = Field(default=None, min_length=1)
    instrument: str | None = Field(default=None, min_length=1)
    first_day: int | None = Field(default=None, ge=0, le=LONGEST_DAY)
    count: int | None = Field(default=None, ge=1)
    buttons: list[Button] = Field(default_factory=list)
    reminder: str | None = None
    expires: str

    @field_validator("offset")
    @classmethod
    def _offset_is_a_length(cls, value: str | None) -> str | None:
        if value is not None:
            length = _duration(value, signed=True)
            if abs(length) > LONGEST_OFFSET:
                raise ValueError(f"an offset of more than {LONGEST_OFFSET.days} days is too far")
        return value

    @field_validator("every", "reminder", "expires")
    @classmethod
    def _positive_length(cls, value: str | None) -> str | None:
        if value is not None and _duration(value) <= timedelta(0):
            raise ValueError("must be longer than zero, like 30m, 2h or 1d")
        return value

    @field_validator("at", mode="before")
    @classmethod
    def _quoted_time(cls, value: object) -> object:
        # YAML reads an unquoted 09:00 as a number (540); say how to write it instead.
        if isinstance(value, int):
            raise ValueError('write the time in quotes, like at: "09:00"')
        return value

    @field_validator("at")
    @classmethod
    def _clock_time(cls, value: str | None) -> str | None:
        if value is not None:
            _clock(value)
        return value

    @field_validator("buttons")
    @classmethod
    def _each_button_once(cls, value: list[Button]) -> list[Button]:
        if len(set(value)) != len(value):
            raise ValueError("a button is listed twice")
        return value

    @model_validator(mode="after")
    def _one_timing(self) -> StepSpec:
        forms = [
            self.offset is not None,
            self.day is not None,
            self.every is not None,
        ]
        if sum(forms) != 1:
            raise ValueError("give exactly one of offset, day (with at) or every (with from)")
        if self.day is not None and self.at is None:
            raise ValueError("'day' needs 'at', the local time, like at: \"09:00\"")
        if self.every is not None:
            if self.from_ is None:
                raise ValueError("'every' needs from: enrolment")
            if _duration(self.every) % timedelta(days=1):
                raise ValueError("'every' must be whole days, like 14d")
        if (self.template is None) == (self.instrument is None):
            raise ValueError(
                "give exactly one of template (a message) or instrument (a questionnaire)"
            )
        if self.every is None and (self.first_day is not None or self.count is not None):
            raise ValueError("'first_day' and 'count' belong with 'every'")
        if self.offset is not None and (self.at is not None or self.from_ is not None):
            raise ValueError("'offset' stands alone: leave out 'at' and 'from'")
        if self.day is not None and self.from_ is not None:
            raise ValueError("'from' belongs with 'every', not with 'day'")
        return self

    def to_step(self) -> ProtocolStep:
        return ProtocolStep(
            id=self.id,
            timing=self._timing(),
            template=self.template,
            instrument=self.instrument,
            buttons=tuple(self.buttons),
            reminder_after=_duration(self.reminder) if self.reminder else None,
            expires_after=_duration(self.expires),
        )

    def _timing(self) -> Timing:
        if self.offset is not None:
            return AfterSession(_duration(self.offset, signed=True))
        if self.day is not None and self.at is not None:
            return OnDay(self.day, _clock(self.at))
        assert self.every is not None
        every = _duration(self.every).days
        return EveryFromEnrolment(
            every,
            _clock(self.at) if self.at else None,
            first_day=every if self.first_day is None else self.first_day,
            count=self.count,
        )


class ProtocolSpec(StrictModel):
    name: str = Field(min_length=1, max_length=80)
    description: str = Field(min_length=1)
    steps: list[StepSpec] = Field(min_length=1)

    def to_protocol(self, key: str) -> Protocol:
        return Protocol(
            key=key,
            name=self.name,
            description=self.description.strip(),
            steps=tuple(step.to_step() for step in self.steps),
        )


def _duration(text: str, *, signed: bool = False) -> timedelta:
    try:
        return parse_duration(text, signed=signed)
    except DurationError as error:
        raise ValueError(str(error)) from None


def _clock(text: str) -> time:
    match = CLOCK_TIME.match(str(text).strip())
    if match is None:
        raise ValueError(f'{text!r} is not a time of day: write it like "09:00" or "18:30"')
    return time(int(match[1]), int(match[2]))
