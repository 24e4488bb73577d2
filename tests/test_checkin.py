"""The daily check-in: buttons and typed answers, one entry per local day, stale buttons."""

from datetime import date, timedelta

import pytest

from bot.app import services_of
from bot.clock import ManualClock
from bot.localbot import LocalBot, Person
from bot.storage import CheckIn
from tests.journeys import check_in, join, texts


def checkins(local_bot: LocalBot, person: Person) -> list[CheckIn]:
    store = services_of(local_bot.application).store
    patient = store.patient_by_telegram_id(person.user_id)
    return store.checkins_between(patient.id, date(2000, 1, 1), date(2100, 1, 1))


@pytest.fixture
async def joined(local_bot: LocalBot, ana: Person) -> Person:
    await join(ana)
    return ana


async def test_a_checkin_by_buttons_is_stored_with_the_local_date(local_bot, joined: Person):
    replies = await joined.says("/checkin")
    question = replies[-1]
    assert "How is your mood today?" in question.text
    assert "not a medical test" in question.text
    assert [b.text for b in question.flat_buttons] == [str(n) for n in range(11)]

    replies = await joined.presses("7")
    assert "Mood: 7" in texts(replies)
    assert "0 = no pain, 10 = worst pain imaginable" in texts(replies)
    replies = await joined.presses("3")
    assert "Anything you'd like to add?" in texts(replies)
    replies = await joined.presses("Skip")
    assert "Saved: mood 7, pain 3." in texts(replies)
    assert "This is your first check-in" in texts(replies)

    [entry] = checkins(local_bot, joined)
    assert (entry.local_date, entry.mood, entry.pain, entry.note) == (date(2026, 3, 28), 7, 3, None)


async def test_typed_numbers_and_a_note_are_accepted(local_bot, joined: Person):
    await joined.says("/checkin")
    await joined.says("6")
    await joined.says("2/10")
    replies = await joined.says("Slept badly <again> & stressed")
    assert "Saved: mood 6, pain 2, with your note." in texts(replies)
    [entry] = checkins(local_bot, joined)
    assert entry.note == "Slept badly <again> & stressed"


@pytest.mark.parametrize(
    ("typed", "explanation"),
    [
        ("11", "Please pick a number from 0 to 10."),
        ("-3", "Please pick a number from 0 to 10."),
        ("6.5", "Please use a whole number"),
        ("pretty good", "I need a number from 0 to 10 here."),
    ],
)
async def test_bad_scores_are_explained_and_asked_again(local_bot, joined, typed, explanation):
    await joined.says("/checkin")
    replies = await joined.says(typed)
    assert explanation in texts(replies)
    replies = await joined.says("5")
    assert "Mood: 5" in texts(replies)  # still on the mood question, nothing lost
    replies = await joined.says(typed)
    assert explanation in texts(replies)
    await joined.says("4")
    await joined.presses("Skip")
    [entry] = checkins(local_bot, joined)
    assert (entry.mood, entry.pain) == (5, 4)


async def test_mood_is_explained_only_the_first_time(local_bot, joined: Person):
    await check_in(joined, mood=5, pain=5)
    local_bot.clock.advance(timedelta(days=1))
    replies = await joined.says("/checkin")
    assert "How is your mood today?" in texts(replies)
    assert "not a medical test" not in texts(replies)


async def test_a_second_checkin_the_same_day_offers_to_replace(local_bot, joined: Person):
    await check_in(joined, mood=4, pain=6)
    replies = await joined.says("/checkin")
    assert "You already checked in today: mood 4, pain 6." in texts(replies)
    assert [b.text for b in replies[-1].flat_buttons] == ["Replace today's entry", "Keep it"]

    replies = await joined.presses("Keep it")
    assert "I kept today's entry" in texts(replies)
    assert [(c.mood, c.pain) for c in checkins(local_bot, joined)] == [(4, 6)]

    await joined.says("/checkin")
    replies = await joined.says("yes")
    assert "Please tap one of the buttons" in texts(replies)
    await joined.presses("Replace today's entry")
    await joined.presses("8")
    await joined.presses("1")
    replies = await joined.presses("Skip")
    assert "Updated: mood 8, pain 1." in texts(replies)
    assert [(c.mood, c.pain) for c in checkins(local_bot, joined)] == [(8, 1)]


async def test_a_double_tap_records_one_answer(local_bot, joined: Person):
    await joined.says("/checkin")
    mood_question = joined.latest_with_buttons()
    replies = await local_bot.press_together(
        joined.user_id, [(mood_question.message_id, 7), (mood_question.message_id, 2)]
    )
    assert "Mood: 7" in texts(replies)
    assert "Mood: 2" not in texts(replies)
    await joined.presses("3")
    note_question = joined.latest_with_buttons()
    await local_bot.press_together(
        joined.user_id, [(note_question.message_id, 0), (note_question.message_id, 0)]
    )
    assert [(c.mood, c.pain) for c in checkins(local_bot, joined)] == [(7, 3)]
    pop_ups = [c.params.get("text") for c in local_bot.emulator.calls_to("answerCallbackQuery")]
    assert pop_ups.count("That question is already done. No need to answer it again.") == 2
    assert all(call.ok for call in local_bot.emulator.calls_to("answerCallbackQuery"))


async def test_buttons_left_behind_by_a_failed_edit_are_stale_later(local_bot, joined: Person):
    from bot.emulator import FaultKind

    await joined.says("/checkin")
    mood_question = joined.latest_with_buttons()
    local_bot.emulator.inject_fault("editMessageReplyMarkup", FaultKind.SERVER_ERROR, times=5)
    replies = await joined.presses("7", message=mood_question)
    assert "Mood: 7" in texts(replies)  # the failed tidy-up did not stop the reply
    await joined.presses("3")
    await joined.presses("Skip")
    old = next(m for m in joined.messages() if m.message_id == mood_question.message_id)
    assert old.flat_buttons  # Telegram never removed them
    replies = await joined.presses("1", message=old)
    assert replies == []
    assert [(c.mood, c.pain) for c in checkins(local_bot, joined)] == [(7, 3)]


async def test_answered_questions_lose_their_buttons(local_bot, joined: Person):
    await joined.says("/checkin")
    mood_question = joined.latest_with_buttons()
    await joined.says("6")
    refreshed = next(m for m in joined.messages() if m.message_id == mood_question.message_id)
    assert refreshed.flat_buttons == []


async def test_the_reply_compares_with_the_patients_recent_average(local_bot, joined: Person):
    clock: ManualClock = local_bot.clock
    for mood, pain in [(3, 7), (4, 6), (5, 8)]:
        await check_in(joined, mood=mood, pain=pain)
        clock.advance(timedelta(days=1))
    reply = await check_in(joined, mood=4, pain=2)
    assert "your pain is lower than usual (average 7.0)" in reply
    assert "your mood is about the same as usual (average 4.0)" in reply


async def test_entries_older_than_a_week_are_not_in_the_average(local_bot, joined: Person):
    await check_in(joined, mood=9, pain=9)
    local_bot.clock.advance(timedelta(days=8))
    reply = await check_in(joined, mood=2, pain=2)
    assert "This is your first check-in" in reply


async def test_the_day_is_the_patients_local_day(local_bot: LocalBot):
    bo = local_bot.person(5_000_000_002, "Bo")
    await join(bo, zone_button="US Pacific")
    # 05:30 UTC on 29 March is still the evening of 28 March in Los Angeles.
    local_bot.clock.set(local_bot.clock.now().replace(day=29, hour=5, minute=30))
    await check_in(bo, mood=5, pain=5)
    assert checkins(local_bot, bo)[0].local_date == date(2026, 3, 28)


async def test_a_checkin_begun_before_midnight_counts_for_that_day(local_bot, joined: Person):
    local_bot.clock.set(local_bot.clock.now().replace(hour=23, minute=58))  # London, 28 March
    await joined.says("/checkin")
    await joined.presses("6")
    local_bot.clock.advance(timedelta(minutes=5))
    await joined.presses("2")
    await joined.presses("Skip")
    assert checkins(local_bot, joined)[0].local_date == date(2026, 3, 28)


async def test_a_checkin_survives_a_restart_midway(local_bot: LocalBot, joined: Person):
    await joined.says("/checkin")
    await joined.presses("6")
    pain_question = joined.latest_with_buttons()
    await local_bot.restart()
    await joined.presses("4", message=pain_question)
    await joined.says("after restart")
    [entry] = checkins(local_bot, joined)
    assert (entry.mood, entry.pain, entry.note) == (6, 4, "after restart")


async def test_checkin_before_setup_is_finished_continues_setup(local_bot, ana: Person):
    await ana.says("/start")
    await ana.presses("Yes, I agree")
    replies = await ana.says("/checkin")
    assert "Let's finish setting you up first" in texts(replies)
    assert "Which time zone are you in?" in texts(replies)


async def test_checkin_again_midway_carries_on_where_it_stopped(local_bot, joined: Person):
    await joined.says("/checkin")
    await joined.presses("8")
    replies = await joined.says("/checkin")
    assert "Mood: 8" in texts(replies)
    assert "How much pain do you have" in texts(replies)
