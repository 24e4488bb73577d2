"""/session, /pause and /resume, the daily check-in from the outbox, and the journal."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.clock import ManualClock
from bot.localbot import LocalBot
from tests.journeys import texts
from tests.scheduling_journeys import finish_session_now, join_in, rows, set_local_time


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 1, 1, tzinfo=UTC))


@pytest.fixture
async def joined(local_bot: LocalBot, ana):
    """Ana in London, joined at 08:00 on Monday 1 June with a 09:00 check-in."""
    set_local_time(local_bot, date(2026, 6, 1), time(8, 0), "Europe/London")
    await join_in(ana, "Europe/London", "09:00")
    return ana


def session_rows(bot: LocalBot, person) -> dict[str, str]:
    return {f"{r.session_id}:{r.step_id}": r.status for r in rows(bot, person, "prompt")}


async def test_a_session_ended_earlier_today_is_planned_from_that_time(local_bot, joined) -> None:
    local_bot.clock.advance(timedelta(hours=6))  # 14:00 local
    await joined.says("/session")
    await joined.presses("It ended earlier today")
    assert "couldn't read" in texts(await joined.says("after lunch"))
    assert "hasn't come yet" in texts(await joined.says("16:00"))
    reply = texts(await joined.says("12:00"))
    assert "session 1 ended" in reply
    assert "12:00" in reply
    planned = {r.step_id: r for r in rows(local_bot, joined, "prompt")}
    assert planned["rest_and_safety"].due_at == local_bot.clock.now()  # 12:30 passed: now
    assert planned["evening_check"].due_at == datetime(2026, 6, 1, 17, 0, tzinfo=UTC)  # 18:00 BST


async def test_an_upcoming_session_plans_the_intention_and_then_becomes_the_session(
    local_bot, joined
) -> None:
    await joined.says("/session")
    await joined.presses("I have one coming up")
    assert "couldn't read" in texts(await joined.says("soon"))
    assert "noted your session" in texts(await joined.says("wednesday 12:00"))
    assert session_rows(local_bot, joined) == {"1:intention": "planned"}
    await local_bot.run_for(timedelta(days=1, hours=11))  # to Tuesday 19:00
    assert session_rows(local_bot, joined) == {"1:intention": "sent"}
    set_local_time(local_bot, date(2026, 6, 3), time(12, 30), "Europe/London")
    assert "session 1 ended" in await finish_session_now(joined)
    assert session_rows(local_bot, joined)["1:rest_and_safety"] == "planned"


async def test_logging_again_corrects_the_time_and_never_doubles(local_bot, joined) -> None:
    local_bot.clock.advance(timedelta(hours=4))
    await finish_session_now(joined)
    await local_bot.run_for(timedelta(hours=1))
    local_bot.clock.advance(timedelta(hours=1))
    reply = await finish_session_now(joined)  # same session: a correction, not a second one
    assert "changed the end time of session 1" in reply
    await local_bot.run_for(timedelta(days=15))
    statuses = session_rows(local_bot, joined)
    assert list(statuses.values()).count("sent") == 6
    assert len(statuses) == 6


async def test_a_new_session_cancels_what_is_left_of_the_last_one(local_bot, joined) -> None:
    local_bot.clock.advance(timedelta(hours=4))
    await finish_session_now(joined)
    await local_bot.run_for(timedelta(days=4))
    assert "session 2 ended" in await finish_session_now(joined)
    await local_bot.run_for(timedelta(days=15))
    statuses = session_rows(local_bot, joined)
    assert statuses["1:day_7"] == statuses["1:day_14"] == "cancelled"
    assert statuses["1:day_3"] == "sent"
    assert all(status == "sent" for key, status in statuses.items() if key.startswith("2:"))


async def test_the_daily_checkin_arrives_with_buttons_and_one_reminder(local_bot, joined) -> None:
    await local_bot.run_for(timedelta(hours=1))
    checkin = joined.latest_with_buttons()
    assert "time for today's check-in" in checkin.text
    await local_bot.run_for(timedelta(hours=2))
    reminder = joined.latest_with_buttons()
    assert "still open" in reminder.text
    await joined.presses("6")
    await joined.presses("3")
    assert "Saved" in texts(await joined.presses("Skip"))
    # Tomorrow: answered straight away, so no reminder.
    await local_bot.run_for(timedelta(hours=22))
    await joined.presses("7")
    await joined.presses("2")
    await joined.presses("Skip")
    await local_bot.run_for(timedelta(hours=3))
    checkin_ids = {r.id for r in rows(local_bot, joined, "checkin")}
    reminders = [r for r in rows(local_bot, joined, "reminder") if r.reminder_of in checkin_ids]
    assert [r.status for r in reminders] == ["sent", "skipped"]


async def test_an_unanswered_checkin_closes_at_local_midnight(local_bot, joined) -> None:
    await local_bot.run_for(timedelta(days=1))
    today = rows(local_bot, joined, "checkin")[0]
    assert today.local_date == date(2026, 6, 1)
    assert today.status == "sent"
    reminder = rows(local_bot, joined, "reminder")[0]
    assert reminder.expires_at == datetime(2026, 6, 1, 23, 0, tzinfo=UTC)  # midnight BST


async def test_the_checkin_comes_at_the_chosen_time_even_in_quiet_hours(local_bot, ana) -> None:
    set_local_time(local_bot, date(2026, 6, 1), time(8, 0), "Europe/London")
    await join_in(ana, "Europe/London", "22:30")
    await local_bot.run_for(timedelta(hours=15))
    sent = rows(local_bot, ana, "checkin", "sent")
    assert sent[0].sent_at == datetime(2026, 6, 1, 21, 30, tzinfo=UTC)
    assert rows(local_bot, ana, "reminder") == []  # a reminder would fall in quiet hours


async def test_pausing_skips_prompts_and_checkins_until_resumed(local_bot, joined) -> None:
    await joined.says("/pause")
    assert "paused until" in texts(await joined.presses("3 days"))
    await finish_session_now(joined)
    await local_bot.run_for(timedelta(days=4))
    checkins = {r.local_date.day: r.status for r in rows(local_bot, joined, "checkin")}
    assert checkins[1] == checkins[2] == checkins[3] == "skipped"
    assert checkins[4] == "sent"
    await joined.says("/pause")
    assert "until you type /resume" in texts(await joined.presses("Until I say /resume"))
    await local_bot.run_for(timedelta(days=2))  # to 08:00 on the 7th
    by_day = {r.local_date.day: r.status for r in rows(local_bot, joined, "checkin")}
    assert by_day[5] == by_day[6] == "skipped"
    assert "Welcome back" in texts(await joined.says("/resume"))
    assert "nothing to restart" in texts(await joined.says("/resume"))
    await local_bot.run_for(timedelta(hours=2))
    by_day = {r.local_date.day: r.status for r in rows(local_bot, joined, "checkin")}
    assert by_day[7] == "sent"


async def test_replies_to_prompts_become_journal_entries(local_bot, joined) -> None:
    await finish_session_now(joined)
    await local_bot.run_for(timedelta(hours=1))  # the rest note at 08:30, the check-in at 09:00
    rest = next(r for r in rows(local_bot, joined, "prompt") if r.step_id == "rest_and_safety")
    rest_note = next(m for m in joined.messages() if m.message_id == rest.telegram_message_id)
    # A Telegram reply to a prompt counts even while the check-in question waits.
    reply = await joined.replies(rest_note, "Feeling floaty but ok")
    assert "Thank you for writing" in texts(reply)
    await local_bot.run_for(timedelta(hours=5))  # the evening check, with a 0-10 scale
    assert "saved your answer: 7" in texts(await joined.presses("7"))
    await local_bot.run_for(timedelta(hours=19, minutes=30))  # 09:30: "write about it"
    await joined.presses("I'd like to write about it")
    assert "Thank you for writing" in texts(await joined.says("I slept well and felt calm."))
    journal = texts(await joined.says("/journal"))
    assert "Feeling floaty but ok" in journal
    assert "I slept well" in journal
    assert "your answer: 7" in journal
    assert rest.id is not None
    assert local_bot.store().outbox.get(rest.id).answered_at is not None


async def test_free_text_soon_after_a_prompt_is_kept_and_later_text_is_not(local_bot, ana) -> None:
    set_local_time(local_bot, date(2026, 6, 1), time(8, 0), "Europe/London")
    await join_in(ana, "Europe/London", "21:00")  # no check-in question waiting by day
    await finish_session_now(ana)
    await local_bot.run_for(timedelta(hours=1))  # the rest note at 08:30
    local_bot.clock.advance(timedelta(hours=2))
    assert "Thank you for writing" in texts(await ana.says("a quiet morning"))
    local_bot.clock.advance(timedelta(hours=5))  # 6.5 hours after the note, before 14:00's
    assert "Thank you for writing" not in texts(await ana.says("random words"))
    assert [e.text for e in local_bot.store().journal(1, 10)] == ["a quiet morning"]


async def test_long_journal_entries_are_shortened_so_the_list_fits_one_message(
    local_bot, joined
) -> None:
    await finish_session_now(joined)
    await local_bot.run_for(timedelta(hours=1))
    rest = next(r for r in rows(local_bot, joined, "prompt") if r.step_id == "rest_and_safety")
    note = next(m for m in joined.messages() if m.message_id == rest.telegram_message_id)
    for letter in "abcde":
        await joined.replies(note, letter * 3000)
    shown = texts(await joined.says("/journal"))
    assert len(shown) < 4096
    assert "a" * 599 + "…" in shown
    assert len(local_bot.store().journal(1, 10)[0].text) == 3000  # stored whole
