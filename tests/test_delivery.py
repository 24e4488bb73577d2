"""Planned messages arrive on time, once, through restarts, downtime and Telegram faults."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import update

from bot.app import services_of
from bot.clock import ManualClock
from bot.domain.local_time import to_local
from bot.emulator import FaultKind
from bot.localbot import LocalBot
from bot.storage import OutboxMessage
from tests.instances import seed_patients
from tests.journeys import texts
from tests.scheduling_journeys import (
    finish_session_now,
    join_in,
    outbox_of,
    patient_of,
    rows,
    set_local_time,
)


@pytest.fixture
def clock() -> ManualClock:
    """Early in the year, so each test can move to the day it needs."""
    return ManualClock(datetime(2026, 1, 1, tzinfo=UTC))


DEFAULT_STEPS = {
    # step: (days after the session, local time) for a session ending at 12:00
    "rest_and_safety": (0, "12:30"),
    "evening_check": (0, "18:00"),
    "next_day": (1, "09:30"),
    "day_3": (3, "10:00"),
    "day_7": (7, "10:00"),
    "day_14": (14, "10:00"),
}


async def session_at_noon(bot: LocalBot, person) -> None:
    """Joined (UTC, check-ins at 09:00) and just finished a session, at noon on 1 June."""
    set_local_time(bot, date(2026, 6, 1), time(12, 0), "UTC")
    await join_in(person, "UTC", "09:00")
    await finish_session_now(person)


def bot_messages_after(bot: LocalBot, user_id: int, message_id: int) -> list:
    return [m for m in bot.emulator.bot_messages(user_id) if m.message_id > message_id]


def assert_every_step_once_on_time(bot: LocalBot, ana, zone: str, session_day: date) -> None:
    prompts = rows(bot, ana, "prompt")
    sent = {row.step_id: row for row in prompts if row.status == "sent"}
    assert set(sent) == set(DEFAULT_STEPS), [(r.step_id, r.status, r.reason) for r in prompts]
    assert len(prompts) == len(DEFAULT_STEPS)  # the intention step was not planned: not booked
    for step_id, (days, clock) in DEFAULT_STEPS.items():
        local = to_local(sent[step_id].sent_at, zone)
        assert (local.date() - session_day).days == days, step_id
        assert local.strftime("%H:%M") == clock, step_id
    # Exactly one Telegram message per sent row: nothing doubled.
    sent_ids = [row.telegram_message_id for row in outbox_of(bot, ana) if row.status == "sent"]
    assert len(sent_ids) == len(set(sent_ids))
    in_chat = {m.message_id for m in bot.emulator.bot_messages(ana.user_id)}
    assert set(sent_ids) <= in_chat


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Europe/Berlin", "Australia/Sydney"])
async def test_a_whole_protocol_arrives_once_at_local_times(
    local_bot: LocalBot, ana, zone: str
) -> None:
    # Spans the EU clock change (29 March) and Sydney's (5 April).
    session_day = date(2026, 3, 27)
    set_local_time(local_bot, session_day, time(11, 0), zone)
    await join_in(ana, zone, "20:00")
    set_local_time(local_bot, session_day, time(12, 0), zone)
    assert "session 1 ended" in await finish_session_now(ana)
    await local_bot.run_for(timedelta(days=15))
    assert_every_step_once_on_time(local_bot, ana, zone, session_day)
    checkins = rows(local_bot, ana, "checkin", "sent")
    assert len(checkins) == 15  # the day of joining and the 14 after, once each
    assert all(to_local(r.sent_at, zone).strftime("%H:%M") == "20:00" for r in checkins)
    assert len({r.local_date for r in checkins}) == len(checkins)


async def test_a_restart_in_the_middle_loses_and_doubles_nothing(local_bot: LocalBot, ana) -> None:
    zone, session_day = "America/New_York", date(2026, 3, 5)  # US clocks change on 8 March
    set_local_time(local_bot, session_day, time(12, 0), zone)
    await join_in(ana, zone)
    await finish_session_now(ana)
    await local_bot.run_for(timedelta(days=4))
    await local_bot.restart()
    await local_bot.run_for(timedelta(days=11))
    assert_every_step_once_on_time(local_bot, ana, zone, session_day)


async def test_a_crash_while_sending_sends_that_message_again_and_counts_it(
    local_bot: LocalBot, ana
) -> None:
    zone = "Europe/London"
    set_local_time(local_bot, date(2026, 6, 1), time(12, 0), zone)
    await join_in(ana, zone)
    await finish_session_now(ana)
    await local_bot.run_for(timedelta(minutes=30))  # the rest note goes out at 12:30
    rest = next(r for r in rows(local_bot, ana, "prompt") if r.step_id == "rest_and_safety")
    assert rest.status == "sent"
    # The process died after Telegram accepted the message, before the row said "sent".
    with local_bot.store().engine.begin() as connection:
        connection.execute(
            update(OutboxMessage).where(OutboxMessage.id == rest.id).values(status="sending")
        )
    await local_bot.restart()
    assert local_bot.dispatcher.released_after_restart == 1
    local_bot.clock.advance(timedelta(seconds=1))  # one message a second in a chat
    report = await local_bot.tick()
    assert report.sent == 1
    texts_in_chat = [m.text for m in local_bot.emulator.bot_messages(ana.user_id)]
    rest_text = next(
        m.text
        for m in local_bot.emulator.bot_messages(ana.user_id)
        if m.message_id == rest.telegram_message_id
    )
    assert texts_in_chat.count(rest_text) == 2  # the one stated duplicate
    await local_bot.run_for(timedelta(hours=1))
    assert texts_in_chat.count(rest_text) == 2


async def test_after_downtime_stale_messages_are_missed_not_sent_in_a_burst(
    local_bot: LocalBot, ana
) -> None:
    await session_at_noon(local_bot, ana)
    await local_bot.run_for(timedelta(hours=1))
    await local_bot.stop_application()
    local_bot.clock.advance(timedelta(days=2, hours=2))  # down until 15:00 on day 2
    last_seen = local_bot.emulator.bot_messages(ana.user_id)[-1].message_id
    await local_bot.start_application()
    report = await local_bot.tick()
    statuses = {r.step_id: r.status for r in rows(local_bot, ana, "prompt")}
    assert statuses["evening_check"] == "missed"
    assert statuses["next_day"] == "missed"
    assert report.missed >= 3
    assert report.sent == 1
    checkins = {r.local_date.isoformat(): r.status for r in rows(local_bot, ana, "checkin")}
    assert checkins["2026-06-02"] == "missed"
    assert checkins["2026-06-03"] == "sent"  # today's 09:00 check-in was still open
    new = bot_messages_after(local_bot, ana.user_id, last_seen)
    assert len(new) == 1
    assert "check-in" in new[0].text


async def test_flood_control_waits_the_time_telegram_names_and_replies_do_not_wait(
    local_bot: LocalBot, ana
) -> None:
    await session_at_noon(local_bot, ana)
    local_bot.emulator.inject_fault("sendMessage", FaultKind.RATE_LIMIT, retry_after=40)
    local_bot.clock.advance(timedelta(minutes=30))
    assert (await local_bot.tick()).retried == 1
    [limited] = [
        r for r in outbox_of(local_bot, ana) if r.reason == "Telegram asked us to slow down"
    ]
    assert limited.due_at == local_bot.clock.now() + timedelta(seconds=40)
    # A crisis reply goes out at once: the scheduled 429 paused nothing.
    reply = await ana.says("i want to die")
    assert "988" in texts(reply)
    local_bot.clock.advance(timedelta(seconds=30))
    await local_bot.tick()
    assert local_bot.store().outbox.get(limited.id).status == "planned"  # not before its time
    await local_bot.run_for(timedelta(seconds=13))  # (other rows share the chat's one a second)
    after = local_bot.store().outbox.get(limited.id)
    assert after.status == "sent"
    assert after.attempts == 2


async def test_a_blocked_bot_marks_the_patient_inactive_and_stops(local_bot: LocalBot, ana) -> None:
    await session_at_noon(local_bot, ana)
    local_bot.emulator.block_bot(ana.user_id)
    calls_before = len(local_bot.emulator.calls_to("sendMessage"))
    report = await local_bot.run_for(timedelta(days=3))
    assert report.blocked == 1
    assert len(local_bot.emulator.calls_to("sendMessage")) == calls_before + 1  # no retries
    assert patient_of(local_bot, ana).active is False
    assert not [r for r in outbox_of(local_bot, ana) if r.status == "planned"]
    assert {r.status for r in rows(local_bot, ana, "prompt")} == {"cancelled"}
    # Writing again makes them reachable: check-ins are planned again.
    local_bot.emulator.unblock_bot(ana.user_id)
    await ana.says("/checkin")
    assert patient_of(local_bot, ana).active is True
    await local_bot.run_for(timedelta(days=1))
    assert rows(local_bot, ana, "checkin", "sent")


async def test_timeouts_retry_with_growing_waits_then_fail_with_the_reason(settings, clock) -> None:
    async with LocalBot(settings.model_copy(update={"send_timeout_seconds": 0.2}), clock) as bot:
        ana = bot.person(5_000_000_001, "Ana")
        bot.emulator.timeout_delay = 1.0
        set_local_time(bot, date(2026, 6, 1), time(8, 0), "UTC")
        await join_in(ana, "UTC", "09:00")
        bot.emulator.inject_fault("sendMessage", FaultKind.TIMEOUT, times=None)
        bot.clock.set(bot.clock.now().replace(hour=9))
        waits = []
        for _ in range(4):
            report = await bot.tick()
            checkin = rows(bot, ana, "checkin")[0]
            waits.append(checkin.due_at - bot.clock.now())
            bot.clock.set(max(checkin.due_at, bot.clock.now()))
        bot.emulator.clear_faults()
        assert waits[:3] == [timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=8)]
        assert report.failed == 1
        assert checkin.status == "failed"
        assert checkin.reason == "gave up after retries: TimedOut"
        assert checkin.attempts == 4


async def test_a_server_error_is_retried_and_then_sent(local_bot: LocalBot, ana) -> None:
    set_local_time(local_bot, date(2026, 6, 1), time(8, 0), "UTC")
    await join_in(ana, "UTC", "09:00")
    local_bot.emulator.inject_fault("sendMessage", FaultKind.SERVER_ERROR, times=1)
    report = await local_bot.run_for(timedelta(hours=1, minutes=1))
    assert report.retried == 1
    assert report.sent == 1
    assert rows(local_bot, ana, "checkin", "sent")[0].attempts == 2


async def test_scheduled_sending_leaves_head_room_and_one_message_a_second_per_chat(
    local_bot: LocalBot,
) -> None:
    set_local_time(local_bot, date(2026, 6, 1), time(8, 0), "UTC")
    people = [local_bot.person(5_100_000_000 + n, f"P{n}") for n in range(25)]
    for person in people:
        await join_in(person, "UTC", "09:00")
    local_bot.clock.set(local_bot.clock.now().replace(hour=9))
    first = await local_bot.tick()
    assert first.sent == services_of(local_bot.application).settings.scheduled_per_second == 20
    assert (await local_bot.tick()).sent == 5
    # A second message for the same chat in the same second waits for the next second.
    await finish_session_now(people[0])
    local_bot.clock.advance(timedelta(minutes=30))
    assert (await local_bot.tick()).sent == 1


@pytest.mark.parametrize(
    ("zone", "first_day", "expected"),
    [
        # 02:30 does not exist on 8 March in New York: that day it comes at 03:30, once.
        ("America/New_York", date(2026, 3, 6), {7: "02:30", 8: "03:30", 9: "02:30"}),
        # 02:30 happens twice on 25 October in Berlin: it comes once, the first time.
        ("Europe/Berlin", date(2026, 10, 23), {24: "02:30", 25: "02:30", 26: "02:30"}),
    ],
)
async def test_a_checkin_at_a_time_the_clock_change_skips_or_repeats_comes_once(
    local_bot: LocalBot, ana, zone: str, first_day: date, expected: dict[int, str]
) -> None:
    set_local_time(local_bot, first_day, time(12, 0), zone)
    await join_in(ana, zone, "02:30")
    await local_bot.run_for(timedelta(days=3, hours=12))
    sent = rows(local_bot, ana, "checkin", "sent")
    assert {r.local_date.day: to_local(r.sent_at, zone).strftime("%H:%M") for r in sent} == expected
    if zone == "Europe/Berlin":
        repeated = next(r for r in sent if r.local_date.day == 25)
        assert repeated.sent_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # CEST, the first


async def test_a_template_removed_while_running_fails_that_message_only(
    settings, clock, tmp_path, prompts_dir
) -> None:
    import shutil

    prompts = tmp_path / "prompts"
    shutil.copytree(prompts_dir, prompts)
    async with LocalBot(settings.model_copy(update={"prompts_dir": prompts}), clock) as bot:
        ana = bot.person(5_000_000_001, "Ana")
        await session_at_noon(bot, ana)
        (prompts / "integration" / "rest_and_safety.html").unlink()
        report = await bot.run_for(timedelta(hours=7))
        statuses = {r.step_id: (r.status, r.reason) for r in rows(bot, ana, "prompt")}
        assert statuses["rest_and_safety"] == ("failed", "could not be written: TemplateNotFound")
        assert statuses["evening_check"][0] == "sent"
        assert report.failed == 1


async def test_a_reply_refused_because_the_bot_was_blocked_marks_the_patient_inactive(
    local_bot: LocalBot, ana
) -> None:
    await session_at_noon(local_bot, ana)
    # Blocked between writing and the reply (deleted accounts answer the same way).
    local_bot.emulator.inject_fault("sendMessage", FaultKind.FORBIDDEN)
    await ana.says("/journal")
    assert patient_of(local_bot, ana).active is False
    assert not [r for r in outbox_of(local_bot, ana) if r.status == "planned"]


async def test_when_many_are_due_at_once_nobody_is_last_every_day(local_bot: LocalBot) -> None:
    patients = seed_patients(local_bot, 60, checkin_at=time(9, 30))
    last_each_day = []
    first_morning = local_bot.clock.now().replace(hour=9, minute=0)
    for day in range(3):
        local_bot.clock.set(first_morning + timedelta(days=day))
        await local_bot.tick()  # plans the day
        local_bot.clock.set(local_bot.clock.now().replace(hour=9, minute=30))
        for _second in range(3):  # 20 a second: three seconds for all 60
            await local_bot.tick()
            local_bot.clock.advance(timedelta(seconds=1))
        sent_last = {
            row.patient_id
            for patient_id in patients
            for row in local_bot.store().outbox.for_patient(patient_id)
            if row.status == "sent" and row.sent_at == local_bot.clock.now() - timedelta(seconds=1)
        }
        assert len(sent_last) == 20
        last_each_day.append(sent_last)
    counts = {len(local_bot.emulator.bot_messages(user_id)) for user_id in patients.values()}
    assert counts == {3}
    # The last twenty change from day to day instead of being the same people every morning.
    assert len(last_each_day[0] & last_each_day[1]) < 15
    assert len(last_each_day[1] & last_each_day[2]) < 15
