"""The steps of the bot's multi-step exchanges, stored with each patient's conversation."""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    IDLE = "idle"
    ONBOARDING_TIMEZONE = "onboarding_timezone"
    ONBOARDING_CHECKIN_TIME = "onboarding_checkin_time"
    SETTINGS_TIMEZONE = "settings_timezone"
    SETTINGS_CHECKIN_TIME = "settings_checkin_time"
    CHECKIN_REPLACE = "checkin_replace"
    CHECKIN_MOOD = "checkin_mood"
    CHECKIN_MOOD_FOLLOW_UP = "checkin_mood_follow_up"
    CHECKIN_PAIN = "checkin_pain"
    CHECKIN_HEADACHE = "checkin_headache"
    CHECKIN_MEDICINE = "checkin_medicine"
    CHECKIN_NOTE = "checkin_note"
    SAFETY_PLAN_PART = "safety_plan_part"
    SESSION_MENU = "session_menu"
    SESSION_CONFIRM = "session_confirm"
    SESSION_EARLIER_TIME = "session_earlier_time"
    SESSION_UPCOMING_WHEN = "session_upcoming_when"
    JOURNAL_WRITE = "journal_write"
    QUESTIONNAIRE = "questionnaire"


TIMEZONE_STEPS = frozenset({Step.ONBOARDING_TIMEZONE, Step.SETTINGS_TIMEZONE})
CHECKIN_TIME_STEPS = frozenset({Step.ONBOARDING_CHECKIN_TIME, Step.SETTINGS_CHECKIN_TIME})
CHECKIN_STEPS = frozenset(
    {
        Step.CHECKIN_REPLACE,
        Step.CHECKIN_MOOD,
        Step.CHECKIN_MOOD_FOLLOW_UP,
        Step.CHECKIN_PAIN,
        Step.CHECKIN_HEADACHE,
        Step.CHECKIN_MEDICINE,
        Step.CHECKIN_NOTE,
    }
)
SESSION_STEPS = frozenset(
    {
        Step.SESSION_MENU,
        Step.SESSION_CONFIRM,
        Step.SESSION_EARLIER_TIME,
        Step.SESSION_UPCOMING_WHEN,
    }
)
