"""The short texts in ``prompts/ui.yaml``: command descriptions, button labels, pop-ups, choices.

The file is read into a strict model, so a missing or misspelt key stops start-up with a
message naming it, instead of surfacing as a crash in the middle of a patient's check-in.
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from bot.domain.timezones import is_known_zone

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Notice = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Buttons(Strict):
    consent_accept: Label
    consent_decline: Label
    checkin_replace: Label
    checkin_keep: Label
    note_skip: Label
    change_timezone: Label
    change_checkin_time: Label


class Notices(Strict):
    stale_button: Notice
    consent_already_given: Notice
    consent_outdated: Notice
    saved: Notice


class TimezoneButton(Strict):
    zone: str
    label: Label

    @field_validator("zone")
    @classmethod
    def _zone_exists(cls, zone: str) -> str:
        if not is_known_zone(zone):
            raise ValueError(f"{zone!r} is not an IANA time zone name")
        return zone


class Choices(Strict):
    timezones: list[TimezoneButton] = Field(min_length=1, max_length=12)
    checkin_times: list[time] = Field(min_length=1, max_length=12)


class UiText(Strict):
    commands: dict[str, Notice] = Field(min_length=1, max_length=100)
    buttons: Buttons
    notices: Notices
    choices: Choices

    @field_validator("commands")
    @classmethod
    def _command_names_telegram_accepts(cls, commands: dict[str, str]) -> dict[str, str]:
        for name in commands:
            if not COMMAND_NAME.match(name):
                raise ValueError(f"{name!r}: use 1-32 lower-case letters, digits or underscores")
        return commands


class UiTextError(Exception):
    """ui.yaml cannot be used; the message names the file, and the line or key."""


def load_ui_text(path: Path) -> UiText:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UiTextError(f"{path}: cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "is not valid YAML"
        raise UiTextError(f"{path}{line}: {problem}") from None
    try:
        return UiText.model_validate(raw)
    except ValidationError as error:
        problems = [
            ".".join(str(part) for part in problem["loc"]) + ": " + problem["msg"]
            for problem in error.errors(include_url=False)
        ]
        raise UiTextError(f"{path}: " + "; ".join(problems)) from None
