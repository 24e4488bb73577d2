"""When planned messages fall due: local times, daylight-saving days, quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.domain.durations import DurationError, describe_duration, parse_duration
from bot.domain.local_time import QuietHours, at_local, to_local
from bot.domain.planning import (
    Kind,
    SessionTimes,
    plan_checkins,
    plan_recurring,
    plan_reminder,
    plan_session,
)
from bot.domain.protocols import (
    AfterSession,
    EveryFromEnrolment,
    OnDay,
    Protocol,
    ProtocolStep,
)

QUIET = QuietHours(time(21, 30), time(8, 0))
NONE_QUIET = QuietHours(time(0, 0), time(0, 0))


def step(step_id: str, timing, expires: timedelta = timedelta(hours=12)) -> ProtocolStep:
    return ProtocolStep(step_id, timing, "integration/next_day.html", None, (), None, expires)


PROTOCOL = Protocol(
    "test",
    "Test",
    "For tests.",
    (
        step("before", AfterSession(timedelta(hours=-18))),
        step("rest", AfterSession(timedelta(minutes=30))),
        step("evening", AfterSession(timedelta(hours=6))),
        step("day1", OnDay(1, time(9, 30))),
        step("day3", OnDay(3, time(10, 0))),
        step("day14", OnDay(14, time(10, 0))),
        step("fortnight", EveryFromEnrolment(14, None, first_day=14)),
        step("twice", EveryFromEnrolment(56, None, first_day=28, count=2)),
    ),
)


def local(moment: datetime, zone: str) -> str:
    return to_local(moment, zone).strftime("%m-%d %H:%M")


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "Asia/Kolkata"])
def test_after_a_session_each_step_falls_at_its_local_time(zone: str) -> None:
    ended = at_local(date(2026, 6, 10), time(12, 0), zone)
    planned = plan_session(PROTOCOL, SessionTimes(1, ended, None), zone, QUIET, ended)
    assert {p.step_id: local(p.due_at, zone) for p in planned} == {
        "rest": "06-10 12:30",
        "evening": "06-10 18:00",
        "day1": "06-11 09:30",
        "day3": "06-13 10:00",
        "day14": "06-24 10:00",
    }
    assert {p.key for p in planned} == {
        f"session:1:{s}" for s in ("rest", "evening", "day1", "day3", "day14")
    }
    assert all(
        p.kind == Kind.PROMPT and p.expires_at == p.due_at + timedelta(hours=12) for p in planned
    )


def test_a_day_step_keeps_its_local_time_across_the_clock_change() -> None:
    zone = "Europe/Berlin"  # clocks go forward on Sunday 29 March 2026
    ended = at_local(date(2026, 3, 27), time(12, 0), zone)
    planned = {
        p.step_id: p
        for p in plan_session(PROTOCOL, SessionTimes(1, ended, None), zone, QUIET, ended)
    }
    assert local(planned["day3"].due_at, zone) == "03-30 10:00"
    assert planned["day3"].due_at == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)  # CEST, UTC+2
    assert planned["day1"].due_at == datetime(2026, 3, 28, 8, 30, tzinfo=UTC)  # CET, UTC+1


def test_steps_before_a_session_only_for_a_session_booked_in_advance() -> None:
    zone = "Europe/London"
    booked = at_local(date(2026, 6, 12), time(12, 0), zone)
    now = at_local(date(2026, 6, 10), time(9, 0), zone)
    planned = plan_session(PROTOCOL, SessionTimes(2, None, booked), zone, QUIET, now)
    assert [(p.step_id, local(p.due_at, zone)) for p in planned] == [("before", "06-11 18:00")]
    ended = plan_session(PROTOCOL, SessionTimes(2, booked, booked), zone, QUIET, booked)
    assert "before" not in {p.step_id for p in ended}


def test_steps_already_expired_are_left_out_and_late_ones_go_now() -> None:
    zone = "UTC"
    ended = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
    logged = ended + timedelta(hours=13)  # the patient tells us the next morning
    planned = {
        p.step_id: p
        for p in plan_session(PROTOCOL, SessionTimes(1, ended, None), zone, NONE_QUIET, logged)
    }
    assert "rest" not in planned  # 12:30 + 12h expired at 00:30
    assert planned["evening"].due_at == logged  # 18:00 + 12h is still open: sent now
    assert planned["day1"].due_at == datetime(2026, 6, 11, 9, 30, tzinfo=UTC)


def test_quiet_hours_move_prompts_to_the_morning() -> None:
    zone = "America/Chicago"
    ended = at_local(date(2026, 6, 10), time(19, 0), zone)
    planned = {
        p.step_id: p
        for p in plan_session(PROTOCOL, SessionTimes(1, ended, None), zone, QUIET, ended)
    }
    assert local(planned["rest"].due_at, zone) == "06-10 19:30"
    assert local(planned["evening"].due_at, zone) == "06-11 08:00"  # 01:00 is quiet
    # Expiry still counts from 01:00, the step's own time.
    assert local(planned["evening"].expires_at, zone) == "06-11 13:00"


def test_a_step_that_quiet_hours_would_push_past_its_expiry_is_dropped() -> None:
    zone = "Europe/London"
    short = Protocol(
        "short", "S", "S", (step("rest", AfterSession(timedelta(minutes=30)), timedelta(hours=6)),)
    )
    ended = at_local(date(2026, 6, 10), time(22, 0), zone)
    assert plan_session(short, SessionTimes(1, ended, None), zone, QUIET, ended) == []
    early = at_local(date(2026, 6, 10), time(20, 0), zone)
    assert len(plan_session(short, SessionTimes(1, early, None), zone, QUIET, early)) == 1


@pytest.mark.parametrize(
    ("clock", "is_quiet"),
    [
        ("21:29", False),
        ("21:30", True),
        ("23:59", True),
        ("00:00", True),
        ("07:59", True),
        ("08:00", False),
    ],
)
def test_quiet_hours_cross_midnight(clock: str, is_quiet: bool) -> None:
    hours, minutes = map(int, clock.split(":"))
    assert QUIET.contains(time(hours, minutes)) is is_quiet


def test_daytime_quiet_hours_and_none() -> None:
    lunch = QuietHours(time(12, 0), time(13, 0))
    assert lunch.contains(time(12, 30))
    assert not lunch.contains(time(13, 0))
    assert not NONE_QUIET.contains(time(3, 0))


@pytest.mark.parametrize(
    ("zone", "day", "chosen", "expected_utc"),
    [
        # US clocks go forward on 8 March 2026: 02:30 does not exist, so it comes at 03:30 EDT.
        (
            "America/New_York",
            date(2026, 3, 8),
            time(2, 30),
            datetime(2026, 3, 8, 7, 30, tzinfo=UTC),
        ),
        ("America/New_York", date(2026, 3, 8), time(9, 0), datetime(2026, 3, 8, 13, 0, tzinfo=UTC)),
        ("America/New_York", date(2026, 3, 7), time(9, 0), datetime(2026, 3, 7, 14, 0, tzinfo=UTC)),
        # US clocks go back on 1 November 2026: 01:30 happens twice; the first one counts.
        (
            "America/New_York",
            date(2026, 11, 1),
            time(1, 30),
            datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
        ),
        # EU clocks go forward on 29 March 2026 (02:00 -> 03:00) and back on 25 October.
        ("Europe/Berlin", date(2026, 3, 29), time(2, 30), datetime(2026, 3, 29, 1, 30, tzinfo=UTC)),
        (
            "Europe/Berlin",
            date(2026, 10, 25),
            time(2, 30),
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        ),
        ("Europe/Berlin", date(2026, 10, 25), time(9, 0), datetime(2026, 10, 25, 8, 0, tzinfo=UTC)),
    ],
)
def test_checkins_on_daylight_saving_days_come_once_at_the_right_moment(
    zone: str, day: date, chosen: time, expected_utc: datetime
) -> None:
    planned = plan_checkins(zone, chosen, day, not_before=datetime(2026, 1, 1, tzinfo=UTC))
    today = planned[0]
    assert today.key == f"checkin:{day.isoformat()}"
    assert today.local_date == day
    assert today.due_at == expected_utc
    assert today.expires_at == at_local(day + timedelta(days=1), time(0, 0), zone)
    assert len({p.key for p in planned}) == len(planned) == 2


def test_no_checkin_before_the_patient_finished_joining() -> None:
    joined = datetime(2026, 6, 10, 10, 0, tzinfo=UTC)
    planned = plan_checkins("UTC", time(9, 0), date(2026, 6, 10), not_before=joined)
    assert [p.local_date for p in planned] == [date(2026, 6, 11)]


def test_recurring_steps_come_every_n_days_from_enrolment() -> None:
    enrolled = date(2026, 6, 1)
    due_days = [
        day
        for offset in range(0, 40)
        for p in plan_recurring(
            PROTOCOL, enrolled, "UTC", time(20, 0), enrolled + timedelta(days=offset), QUIET
        )
        if (day := p.local_date) is not None
    ]
    assert sorted(set(due_days)) == [date(2026, 6, 15), date(2026, 6, 29)]


def test_recurring_steps_may_start_at_enrolment_and_stop_after_a_count() -> None:
    at_enrolment = EveryFromEnrolment(14, None, first_day=0)
    assert [d for d in range(30) if at_enrolment.occurs_on(d)] == [0, 14, 28]
    twice = EveryFromEnrolment(56, None, first_day=28, count=2)
    assert [d for d in range(200) if twice.occurs_on(d)] == [28, 84]


def test_a_reminder_waits_out_quiet_hours_or_is_dropped() -> None:
    sent = datetime(2026, 6, 10, 19, 0, tzinfo=UTC)
    midnight = datetime(2026, 6, 11, 0, 0, tzinfo=UTC)
    reminder = plan_reminder(7, sent, timedelta(hours=2), midnight, "UTC", NONE_QUIET)
    assert reminder is not None
    assert reminder.due_at == sent + timedelta(hours=2)
    assert reminder.key == "reminder:7"
    assert plan_reminder(7, sent, timedelta(hours=3), midnight, "UTC", QUIET) is None
    assert plan_reminder(7, sent, timedelta(hours=6), midnight, "UTC", NONE_QUIET) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("1d12h", timedelta(days=1, hours=12)),
        ("-18h", timedelta(hours=-18)),
        ("1w", timedelta(days=7)),
    ],
)
def test_durations_read_and_write_back(text: str, expected: timedelta) -> None:
    assert parse_duration(text, signed=True) == expected
    assert parse_duration(describe_duration(expected), signed=True) == expected


@pytest.mark.parametrize("text", ["", "soon", "2 hours", "-1h", "1.5h", "h"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)
