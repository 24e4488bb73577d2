"""Values shown in messages, formatted the same way everywhere."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from bot.domain.timezones import local_now
from bot.storage import Patient


def format_time(value: time) -> str:
    return value.strftime("%H:%M")


def settings_summary(patient: Patient, now: datetime) -> dict[str, Any]:
    """The template variables that describe a patient's (complete) settings."""
    zone = patient.timezone or "UTC"
    return {
        "first_name": patient.first_name,
        "zone": zone,
        "local_time": format_time(local_now(now, zone).time()),
        "checkin_time": format_time(patient.checkin_time) if patient.checkin_time else "",
    }


def format_local(moment: datetime, zone: str) -> str:
    """A moment as the patient reads it: ``Sat 28 Mar, 14:30``."""
    return local_now(moment, zone).strftime("%a %d %b, %H:%M")
