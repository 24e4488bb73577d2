"""Joining: consent, time zone, check-in time; /start again; restarts; consent versions."""

import shutil
from pathlib import Path

import pytest

from bot.localbot import LocalBot, Person
from bot.storage import Store
from tests.journeys import join, texts


def stored(local_bot: LocalBot) -> Store:
    from bot.app import services_of

    return services_of(local_bot.application).store


async def test_start_welcomes_and_asks_for_consent_storing_nothing(local_bot, ana: Person):
    replies = await ana.says("/start")
    assert "Hi Ana, I'm glad you're here" in replies[0].text
    consent = replies[-1]
    assert "not end-to-end encrypted" in consent.text
    assert "no one watches this chat day and night" in consent.text
    assert [b.text for b in consent.flat_buttons] == ["Yes, I agree", "No, thanks"]
    assert stored(local_bot).patient_by_telegram_id(ana.user_id) is None
    assert stored(local_bot).consent_records(ana.user_id) == []


async def test_a_whole_onboarding_by_buttons(local_bot, ana: Person):
    await ana.says("/start")
    replies = await ana.presses("Yes, I agree")
    assert "Which time zone are you in?" in texts(replies)
    assert "US Eastern" in [b.text for b in replies[-1].flat_buttons]

    replies = await ana.presses("UK")
    assert "Got it: Europe/London" in texts(replies)
    assert "Your time now is 09:00" in texts(replies)  # the injected clock, London in March
    assert "What time should I ask" in texts(replies)

    replies = await ana.presses("20:00")
    summary = texts(replies)
    assert "You're all set, Ana!" in summary
    for expected in ("Europe/London", "20:00", "/checkin", "/settings", "/help"):
        assert expected in summary

    patient = stored(local_bot).patient_by_telegram_id(ana.user_id)
    assert (patient.timezone, patient.checkin_time.isoformat()) == ("Europe/London", "20:00:00")
    assert patient.consent_version == 2
    assert patient.onboarded_at is not None
    assert [r.decision for r in stored(local_bot).consent_records(ana.user_id)] == ["accepted"]


async def test_declining_keeps_only_the_refusal_and_explains_how_to_return(local_bot, ana):
    await ana.says("/start")
    replies = await ana.presses("No, thanks")
    assert "only that you said no" in texts(replies)
    assert "send /start" in texts(replies)
    assert stored(local_bot).patient_by_telegram_id(ana.user_id) is None
    records = stored(local_bot).consent_records(ana.user_id)
    assert [(r.decision, r.consent_version) for r in records] == [("declined", 2)]

    await ana.says("/start")
    await ana.presses("Yes, I agree")
    assert stored(local_bot).patient_by_telegram_id(ana.user_id) is not None


async def test_nothing_can_be_recorded_before_consent(local_bot, ana: Person):
    for attempt in ("/checkin", "/settings", "7", "hello"):
        replies = await ana.says(attempt)
        assert "I need your OK. Send /start" in texts(replies)
    assert stored(local_bot).patient_by_telegram_id(ana.user_id) is None


async def test_typed_time_zones_cities_and_offsets(local_bot, ana: Person):
    await ana.says("/start")
    await ana.presses("Yes, I agree")

    replies = await ana.says("Berln")
    assert "I don't know the time zone “Berln”" in texts(replies)
    replies = await ana.says("UTC+2")
    assert "Got it: UTC+02:00" in texts(replies)
    assert "does not change for summer time" in texts(replies)
    assert stored(local_bot).patient_by_telegram_id(ana.user_id).timezone == "UTC+02:00"


async def test_a_typed_city_is_confirmed_with_its_zone(local_bot, ana: Person):
    await ana.says("/start")
    await ana.presses("Yes, I agree")
    replies = await ana.says("new york")
    assert "Got it: America/New_York" in texts(replies)
    assert "Your time now is 05:00" in texts(replies)
    assert "summer time" not in texts(replies)


async def test_typed_checkin_times_are_checked(local_bot, ana: Person):
    await ana.says("/start")
    await ana.presses("Yes, I agree")
    await ana.presses("UK")
    for wrong in ("25:00", "teatime", "7:75"):
        replies = await ana.says(wrong)
        assert "couldn't read" in texts(replies)
    replies = await ana.says("7:30 pm")
    assert "You're all set" in texts(replies)
    assert stored(local_bot).patient_by_telegram_id(ana.user_id).checkin_time.isoformat() == (
        "19:30:00"
    )


async def test_start_again_never_duplicates_or_wipes_and_offers_settings(local_bot, ana):
    await join(ana)
    before = stored(local_bot).patient_by_telegram_id(ana.user_id)
    replies = await ana.says("/start")
    assert "Welcome back, Ana" in texts(replies)
    assert [b.text for b in replies[-1].flat_buttons] == [
        "Change time zone",
        "Change check-in time",
        "Share my journal",
    ]
    after = stored(local_bot).patient_by_telegram_id(ana.user_id)
    assert (after.id, after.timezone, after.checkin_time) == (
        before.id,
        before.timezone,
        before.checkin_time,
    )
    assert len(stored(local_bot).consent_records(ana.user_id)) == 1


async def test_start_in_the_middle_of_onboarding_asks_the_open_question_again(local_bot, ana):
    await ana.says("/start")
    await ana.presses("Yes, I agree")
    replies = await ana.says("/start")
    assert "Which time zone are you in?" in texts(replies)
    assert "Before we start" not in texts(replies)
    await ana.presses("Ireland")
    replies = await ana.says("/start")
    assert "What time should I ask" in texts(replies)


async def test_onboarding_survives_a_restart(local_bot: LocalBot, ana: Person):
    await ana.says("/start")
    await ana.presses("Yes, I agree")
    zone_question = ana.latest_with_buttons()

    await local_bot.restart()

    replies = await ana.presses("Central Europe", message=zone_question)
    assert "Got it: Europe/Berlin" in texts(replies)
    await local_bot.restart()
    replies = await ana.says("21:15")
    assert "You're all set" in texts(replies)


async def test_a_double_tap_on_accept_is_harmless(local_bot, ana: Person):
    await ana.says("/start")
    consent = ana.latest_with_buttons()
    replies = await local_bot.press_together(
        ana.user_id, [(consent.message_id, 0), (consent.message_id, 0)]
    )
    assert texts(replies).count("Which time zone are you in?") == 1
    assert len(stored(local_bot).consent_records(ana.user_id)) == 1
    answers = local_bot.emulator.calls_to("answerCallbackQuery")
    assert answers[-1].params.get("text") == "You have already agreed. Thank you!"


async def test_a_double_tap_on_two_time_zones_keeps_the_first(local_bot, ana: Person):
    await ana.says("/start")
    await ana.presses("Yes, I agree")
    question = ana.latest_with_buttons()
    labels = [b.text for b in question.flat_buttons]
    await local_bot.press_together(
        ana.user_id,
        [(question.message_id, labels.index("UK")), (question.message_id, labels.index("Ireland"))],
    )
    assert stored(local_bot).patient_by_telegram_id(ana.user_id).timezone == "Europe/London"
    answers = local_bot.emulator.calls_to("answerCallbackQuery")
    assert "already done" in answers[-1].params.get("text")


async def test_answered_questions_lose_their_buttons(local_bot, ana: Person):
    await ana.says("/start")
    await ana.presses("Yes, I agree")
    zone_question = ana.latest_with_buttons()
    await ana.says("Berlin")
    refreshed = next(m for m in ana.messages() if m.message_id == zone_question.message_id)
    assert refreshed.flat_buttons == []


@pytest.fixture
async def bot_with_own_prompts(settings, clock, prompts_dir: Path, tmp_path: Path):
    """A bot reading a copy of prompts/ that a test may change, as a clinic would."""
    prompts = tmp_path / "prompts"
    shutil.copytree(prompts_dir, prompts)
    async with LocalBot(settings.model_copy(update={"prompts_dir": prompts}), clock) as bot:
        yield bot


async def publish_new_consent(bot: LocalBot) -> None:
    """A clinic adds consent v3 and restarts the bot."""
    consent_dir = bot.settings.prompts_dir / "consent"
    (consent_dir / "v3.html").write_text("<b>New terms.</b> Do you agree?")
    await bot.restart()


async def test_a_new_consent_version_must_be_accepted_before_continuing(bot_with_own_prompts):
    bot = bot_with_own_prompts
    ana = bot.person(5_000_000_001, "Ana")
    await join(ana)
    await publish_new_consent(bot)
    replies = await ana.says("/checkin")
    assert "We've updated how I look after your information" in texts(replies)
    assert "New terms." in texts(replies)
    await ana.presses("Yes, I agree")
    replies = await ana.says("/checkin")
    assert "How is your mood today?" in texts(replies)

    patient = stored(bot).patient_by_telegram_id(ana.user_id)
    assert patient.consent_version == 3
    assert patient.timezone == "Europe/London"  # nothing was lost on the way
    records = stored(bot).consent_records(ana.user_id)
    assert [(r.consent_version, r.decision) for r in records] == [
        (2, "accepted"),
        (3, "accepted"),
    ]


async def test_agreeing_to_a_consent_text_that_has_since_changed_shows_the_new_one(
    bot_with_own_prompts,
):
    bot = bot_with_own_prompts
    ana = bot.person(5_000_000_001, "Ana")
    await ana.says("/start")
    old_consent = ana.latest_with_buttons()
    await publish_new_consent(bot)
    replies = await ana.presses("Yes, I agree", message=old_consent)
    assert "New terms." in texts(replies)
    assert stored(bot).patient_by_telegram_id(ana.user_id) is None
    answer = bot.emulator.calls_to("answerCallbackQuery")[-1]
    assert answer.params.get("text") == "That was an older version. Here is the current one."


async def test_declining_a_new_version_keeps_earlier_entries_and_records_nothing_new(
    bot_with_own_prompts,
):
    bot = bot_with_own_prompts
    ana = bot.person(5_000_000_001, "Ana")
    await join(ana)
    await publish_new_consent(bot)
    await ana.says("/start")
    replies = await ana.presses("No, thanks")
    assert "I won't record anything new" in texts(replies)
    replies = await ana.says("/checkin")
    assert "New terms." in texts(replies)
    assert stored(bot).patient_by_telegram_id(ana.user_id).consent_version == 2


async def test_names_that_look_like_html_are_shown_as_typed(local_bot: LocalBot):
    al = local_bot.person(5_000_000_009, "<b>Al & Co")
    replies = await al.says("/start")
    assert "Hi <b>Al & Co, I'm glad you're here" in replies[0].text
    assert replies[0].entities == []  # no bold: the name was escaped, not interpreted
    await join_rest(al)
    replies = await al.says("/start")
    assert "Welcome back, <b>Al & Co" in texts(replies)


async def join_rest(person: Person) -> None:
    await person.presses("Yes, I agree")
    await person.presses("UK")
    await person.presses("20:00")


async def test_a_time_zone_button_from_an_older_list_is_answered_and_ignored(local_bot, ana):
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    await ana.says("/start")
    await ana.presses("Yes, I agree")
    store = stored(local_bot)
    patient = store.patient_by_telegram_id(ana.user_id)
    token = store.conversation(patient.id).token
    old = await local_bot.application.bot.send_message(
        ana.user_id,
        "An older time zone question",
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("Mars", callback_data=f"tz:{token}:Mars/Olympus")]]
        ),
    )
    replies = await local_bot.press_button(ana.user_id, old.message_id, 0)
    assert replies == []
    answer = local_bot.emulator.calls_to("answerCallbackQuery")[-1]
    assert answer.ok
    assert "already done" in answer.params["text"]
    assert store.patient_by_telegram_id(ana.user_id).timezone is None
