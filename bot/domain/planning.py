"""Deciding when each planned message goes out: plain functions of times and protocols.

Everything here is computed in the patient's own zone and returned in UTC. Nothing is sent and
nothing is stored: the scheduler stores what these functions return as outbox rows, and the
dispatcher sends the rows that fall due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from bot.domain.local_time import QuietHours, at_local, next_local_midnight, shift_local, to_local
from bot.domain.protocols import (
    AfterSession,
    EveryFromEnrolment,
    OnDay,
    Protocol,
    ProtocolStep,
)

# Check-ins and recurring steps are planned this many local days ahead (today included), so a
# restart or a jump of the console's clock finds tomorrow's rows already waiting.
DAYS_AHEAD = 2


class Kind(StrEnum):
    PROMPT = "prompt"  # a protocol step
    CHECKIN = "checkin"  # the daily mood and pain check-in
    REMINDER = "reminder"  # the one nudge after an unanswered prompt or check-in
    QUESTIONNAIRE = "questionnaire"  # an instrument (PHQ-9, GAD-7 ...), item by item


class Status(StrEnum):
    PLANNED = "planned"  # waiting for its time
    SENDING = "sending"  # claimed by the dispatcher, handed to Telegram
    SENT = "sent"
    MISSED = "missed"  # its time passed while the bot was down: never sent late
    FAILED = "failed"  # Telegram kept refusing it; ``reason`` says why
    CANCELLED = "cancelled"  # replaced by a newer plan, or the patient blocked the bot
    SKIPPED = "skipped"  # no longer needed when due (paused, already answered)


@dataclass(frozen=True)
class Planned:
    key: str
    kind: Kind
    due_at: datetime
    expires_at: datetime
    protocol: str | None = None
    step_id: str | None = None
    session_id: int | None = None
    local_date: date | None = None


@dataclass(frozen=True)
class SessionTimes:
    id: int
    ended_at: datetime | None
    planned_for: datetime | None


def session_key(session_id: int, step_id: str) -> str:
    return f"session:{session_id}:{step_id}"


def plan_session(
    protocol: Protocol,
    session: SessionTimes,
    zone: str,
    quiet: QuietHours,
    now: datetime,
) -> list[Planned]:
    """The session's steps still worth sending: before a booked session only the steps with a
    negative offset, after it ends every other step. Steps already past their expiry are left
    out, as are steps that quiet hours would push past their expiry; steps past their time but
    not yet expired go out now."""
    planned = []
    for step in protocol.session_steps:
        due = _session_step_time(step, session, zone)
        if due is None:
            continue
        # Expiry counts from the step's own time: quiet hours may delay a step within that
        # window, never beyond it (a same-evening note is not sent the next morning).
        expires = due + step.expires_after
        due = quiet.defer(due, zone)
        if expires <= max(now, due):
            continue
        planned.append(
            Planned(
                key=session_key(session.id, step.id),
                kind=Kind.QUESTIONNAIRE if step.instrument else Kind.PROMPT,
                due_at=max(due, now),
                expires_at=expires,
                protocol=protocol.key,
                step_id=step.id,
                session_id=session.id,
            )
        )
    return planned


def _session_step_time(step: ProtocolStep, session: SessionTimes, zone: str) -> datetime | None:
    timing = step.timing
    if step.before_session:
        if session.ended_at is not None or session.planned_for is None:
            return None
        assert isinstance(timing, AfterSession)
        return shift_local(session.planned_for, timing.offset, zone)
    if session.ended_at is None:
        return None
    if isinstance(timing, AfterSession):
        return shift_local(session.ended_at, timing.offset, zone)
    assert isinstance(timing, OnDay)
    day_zero = to_local(session.ended_at, zone).date()
    return at_local(day_zero + timedelta(days=timing.day), timing.at, zone)


def plan_checkins(
    zone: str, checkin_time: time, today: date, not_before: datetime
) -> list[Planned]:
    """Today's and tomorrow's check-ins, at the chosen local time, each open until local
    midnight. None before ``not_before`` (when the patient finished joining)."""
    planned = []
    for offset in range(DAYS_AHEAD):
        day = today + timedelta(days=offset)
        due = at_local(day, checkin_time, zone)
        if due < not_before:
            continue
        planned.append(
            Planned(
                key=f"checkin:{day.isoformat()}",
                kind=Kind.CHECKIN,
                due_at=due,
                expires_at=next_local_midnight(day, zone),
                local_date=day,
            )
        )
    return planned


def plan_recurring(
    protocol: Protocol,
    enrolled_on: date,
    zone: str,
    checkin_time: time,
    today: date,
    quiet: QuietHours,
) -> list[Planned]:
    """Occurrences of the protocol's "every N days from enrolment" steps in the next days."""
    planned = []
    for step in protocol.recurring_steps:
        timing = step.timing
        assert isinstance(timing, EveryFromEnrolment)
        for offset in range(DAYS_AHEAD):
            day = today + timedelta(days=offset)
            if not timing.occurs_on((day - enrolled_on).days):
                continue
            due = at_local(day, timing.at or checkin_time, zone)
            if timing.at is not None:
                due = quiet.defer(due, zone)
            planned.append(
                Planned(
                    key=f"every:{protocol.key}:{step.id}:{day.isoformat()}",
                    kind=Kind.QUESTIONNAIRE if step.instrument else Kind.PROMPT,
                    due_at=due,
                    expires_at=due + step.expires_after,
                    protocol=protocol.key,
                    step_id=step.id,
                    local_date=day,
                )
            )
    return planned


def plan_reminder(
    original_id: int,
    sent_at: datetime,
    after: timedelta,
    expires_at: datetime,
    zone: str,
    quiet: QuietHours,
) -> Planned | None:
    """The one reminder for a message sent at ``sent_at``, if there is still time for it.

    A reminder is never urgent, so one that would fall in quiet hours waits for the morning,
    and is dropped if the message it recalls has closed by then."""
    due = quiet.defer(sent_at + after, zone)
    if due >= expires_at:
        return None
    return Planned(
        key=f"reminder:{original_id}", kind=Kind.REMINDER, due_at=due, expires_at=expires_at
    )
