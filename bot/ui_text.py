"""The short texts in ``prompts/ui.yaml``: command descriptions, button labels, pop-ups, choices.

The file is read into a strict model, so a missing or misspelt key stops start-up with a
message naming it, instead of surfacing as a crash in the middle of a patient's check-in.
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from bot.domain.safety_plan import PARTS
from bot.domain.timezones import is_known_zone
from bot.yaml_files import StrictModel, load_model

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Notice = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")


class Buttons(StrictModel):
    consent_accept: Label
    consent_decline: Label
    checkin_replace: Label
    checkin_keep: Label
    note_skip: Label
    change_timezone: Label
    change_checkin_time: Label
    safe_now: Label
    show_help_again: Label
    my_safety_plan: Label
    yes: Label
    no: Label
    plan_skip_part: Label
    plan_stop: Label
    plan_start_again: Label
    journal_write: Label
    session_just_finished: Label
    session_earlier_today: Label
    session_upcoming: Label
    session_confirm_now: Label
    cancel: Label
    pause_1_day: Label
    pause_3_days: Label
    pause_7_days: Label
    pause_until_resume: Label
    learn_previous: Label
    learn_next: Label
    learn_sources: Label
    learn_more: Label
    learn_topics: Label
    learn_read: Label
    acknowledge: Label
    journal_share: Label
    journal_stop_sharing: Label
    span_30: Label
    span_90: Label
    span_all: Label
    delete_yes: Label
    delete_for_good: Label
    back: Label


class ChartLabels(StrictModel):
    """Words on the progress chart and in PDF reports."""

    mood: Label
    pain: Label
    rolling: Label
    baseline: Label
    session: Label
    scale: Label


class Notices(StrictModel):
    stale_button: Notice
    consent_already_given: Notice
    consent_outdated: Notice
    saved: Notice
    article_gone: Notice


class SafetyPlanPart(StrictModel):
    title: Label
    question: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class TimezoneButton(StrictModel):
    zone: str
    label: Label

    @field_validator("zone")
    @classmethod
    def _zone_exists(cls, zone: str) -> str:
        if not is_known_zone(zone):
            raise ValueError(f"{zone!r} is not an IANA time zone name")
        return zone


class Choices(StrictModel):
    timezones: list[TimezoneButton] = Field(min_length=1, max_length=12)
    checkin_times: list[time] = Field(min_length=1, max_length=12)


class UiText(StrictModel):
    commands: dict[str, Notice] = Field(min_length=1, max_length=100)
    clinician_commands: dict[str, Notice] = Field(min_length=1, max_length=100)
    chart: ChartLabels
    buttons: Buttons
    notices: Notices
    choices: Choices
    safety_plan: list[SafetyPlanPart] = Field(min_length=PARTS, max_length=PARTS)

    @field_validator("commands", "clinician_commands")
    @classmethod
    def _command_names_telegram_accepts(cls, commands: dict[str, str]) -> dict[str, str]:
        for name in commands:
            if not COMMAND_NAME.match(name):
                raise ValueError(f"{name!r}: use 1-32 lower-case letters, digits or underscores")
        return commands


def load_ui_text(path: Path) -> UiText:
    return load_model(path, UiText)
