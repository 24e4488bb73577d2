"""Crisis language gets help at once, in every state; emergencies, dose questions, low moods."""

import logging

import pytest

from bot.app import services_of
from bot.localbot import LocalBot, Person
from tests.journeys import join, texts

CRISIS = "honestly I just want to kill myself"
EMERGENCY = "crushing chest pain and I can't breathe properly"
DOSE_QUESTION = "can I take an extra dose tonight?"
SAFE, AGAIN, PLAN = "I'm safe right now", "Show help lines again", "My safety plan"


def events(local_bot: LocalBot, person: Person) -> list:
    store = services_of(local_bot.application).store
    patient = store.patient_by_telegram_id(person.user_id)
    return store.safety_events(patient.id) if patient else []


def assert_crisis_reply(replies) -> None:
    said = texts(replies)
    assert "Thank you for telling me" in said
    assert "call or text 988" in said  # the default region: the United States
    assert "call 911 now" in said
    assert "no one watches this chat day and night" in said
    assert [b.text for b in replies[-1].flat_buttons][:2] == [SAFE, AGAIN]


@pytest.fixture
async def joined(local_bot: LocalBot, ana: Person) -> Person:
    await join(ana)
    return ana


async def test_crisis_language_gets_help_at_once_and_a_safety_event(
    local_bot, joined, caplog, production_logging
):
    production_logging("DEBUG", secrets=[local_bot.token])
    replies = await joined.says(CRISIS)
    assert_crisis_reply(replies)
    [event] = events(local_bot, joined)
    assert (event.concern, event.patient_id is not None) == ("crisis", True)
    assert event.rule_id
    assert "safety event" in caplog.text
    assert "kill myself" not in caplog.text


async def test_before_consent_help_is_given_and_nothing_is_stored(local_bot, ana: Person):
    replies = await ana.says(CRISIS)
    assert_crisis_reply(replies)
    await ana.says("/start")
    replies = await ana.says("i dont want to be here anymore")
    assert_crisis_reply(replies)
    store = services_of(local_bot.application).store
    assert store.patient_by_telegram_id(ana.user_id) is None
    assert store.consent_records(ana.user_id) == []


async def test_mid_onboarding_the_open_question_waits(local_bot, ana: Person):
    await ana.says("/start")
    await ana.presses("Yes, I agree")
    replies = await ana.says("no reason to live")
    assert_crisis_reply(replies)
    assert "Which time zone" not in texts(replies)
    replies = await ana.presses(SAFE)
    assert "I'm glad you're safe right now" in texts(replies)
    assert "Which time zone are you in?" in texts(replies)
    replies = await ana.says("Berlin")
    assert "Got it: Europe/Berlin" in texts(replies)


@pytest.mark.parametrize(
    ("answers", "waiting_question"),
    [
        ([], "How is your mood today?"),
        (["6"], "How much pain do you have"),
        (["6", "3"], "Anything you'd like to add?"),
    ],
)
async def test_mid_checkin_the_message_is_not_taken_as_an_answer(
    local_bot, joined: Person, answers, waiting_question
):
    await joined.says("/checkin")
    for answer in answers:
        await joined.says(answer)
    replies = await joined.says("I want to end it all")
    assert_crisis_reply(replies)
    assert waiting_question not in texts(replies)
    replies = await joined.presses(SAFE)
    assert waiting_question in texts(replies)
    for answer in ["6", "3", "ok today"][len(answers) :]:
        replies = await joined.says(answer)
    assert "Saved: mood 6, pain 3, with your note." in texts(replies)


async def test_everyday_pain_talk_is_not_mistaken_for_crisis(local_bot, joined: Person):
    await joined.says("/checkin")
    await joined.says("5")
    await joined.says("8")
    replies = await joined.says("this migraine is killing me, dead tired")
    assert "Saved: mood 5, pain 8, with your note." in texts(replies)
    assert events(local_bot, joined) == []


async def test_captions_and_edited_messages_are_screened(local_bot: LocalBot, joined: Person):
    update_id = local_bot.emulator.send_document(
        joined.user_id, "diary.txt", b"notes", caption="i keep thinking about suicide"
    )
    await local_bot.settle(update_id)
    assert "Thank you for telling me" in joined.messages()[-1].text
    typed = [m for m in local_bot.emulator.chat(joined.user_id) if m.kind == "text"]
    own = [m for m in typed if not m.from_bot][-1]
    update_id = local_bot.emulator.edit_text(joined.user_id, own.message_id, "kms")
    await local_bot.settle(update_id)
    assert "Thank you for telling me" in joined.messages()[-1].text
    assert len(events(local_bot, joined)) == 2


async def test_help_lines_can_be_shown_again_without_a_new_event(local_bot, joined: Person):
    await joined.says(CRISIS)
    replies = await joined.presses(AGAIN)
    assert_crisis_reply(replies)
    assert len(events(local_bot, joined)) == 1


async def test_emergency_symptoms_get_the_emergency_number(local_bot, joined: Person):
    replies = await joined.says(EMERGENCY)
    assert "This could be a medical emergency. Please call 911 now" in texts(replies)
    [event] = events(local_bot, joined)
    assert event.concern == "emergency"


async def test_crisis_command_works_for_anyone_and_records_nothing(local_bot, ana: Person):
    replies = await ana.says("/crisis")
    assert "call or text 988" in texts(replies)
    assert "findahelpline.com" in texts(replies)
    await join(ana)
    replies = await ana.says("/crisis")
    assert "call or text 988" in texts(replies)
    assert events(local_bot, ana) == []
    replies = await ana.says("/help")
    assert "send /crisis for help lines" in texts(replies)


async def test_the_region_setting_chooses_the_lines(settings, clock):
    uk = settings.model_copy(update={"crisis_region": "uk-ie"})
    async with LocalBot(uk, clock) as bot:
        replies = await bot.person(5_000_000_004, "Di").says("/crisis")
    assert "Samaritans" in texts(replies)
    assert "116 123" in texts(replies)
    assert "call 999 or 112 now" in texts(replies)
    assert "988" not in texts(replies)


async def test_dose_questions_get_the_fixed_reply_and_the_step_waits(settings, clock):
    clinic = settings.model_copy(
        update={"clinic_name": "Lakeside Clinic", "clinic_phone": "+1 555 0100",
                "clinic_hours": "Mon-Fri 9-5"}
    )  # fmt: skip
    async with LocalBot(clinic, clock) as bot:
        eve = bot.person(5_000_000_005, "Eve")
        await join(eve)
        await eve.says("/checkin")
        await eve.says("6")
        await eve.says("3")
        replies = await eve.says(DOSE_QUESTION)
        said = texts(replies)
        assert "I can't give advice about doses or medicines" in said
        assert "no alcohol, sedatives or opioids unless your prescriber said they are okay" in said
        assert "Lakeside Clinic: +1 555 0100 (Mon-Fri 9-5)" in said
        assert "Anything you'd like to add?" in said  # the note step is asked again
        replies = await eve.presses("Skip")
        assert "Saved: mood 6, pain 3." in texts(replies)


async def test_a_dose_question_before_consent_is_answered_and_nothing_stored(local_bot, ana):
    replies = await ana.says(DOSE_QUESTION)
    assert "I can't give advice about doses" in texts(replies)
    assert "Please ask your clinic directly." in texts(replies)
    assert services_of(local_bot.application).store.patient_by_telegram_id(ana.user_id) is None


async def test_a_very_low_mood_is_followed_by_a_direct_question_no(local_bot, joined):
    await joined.says("/checkin")
    replies = await joined.presses("1")
    assert "Are you having any thoughts of harming yourself" in texts(replies)
    assert [b.text for b in replies[-1].flat_buttons] == ["Yes", "No"]
    replies = await joined.presses("No")
    assert "Low days are hard" in texts(replies)
    assert "How much pain do you have" in texts(replies)
    assert events(local_bot, joined) == []


async def test_a_very_low_mood_and_yes_opens_the_crisis_path(local_bot, joined: Person):
    await joined.says("/checkin")
    await joined.says("0")
    replies = await joined.says("yeah")
    assert_crisis_reply(replies)
    assert "How much pain" not in texts(replies)
    [event] = events(local_bot, joined)
    assert (event.concern, event.rule_id) == ("crisis", "low-mood-follow-up-yes")
    replies = await joined.presses(SAFE)
    assert "How much pain do you have" in texts(replies)
    await joined.says("4")
    replies = await joined.presses("Skip")
    assert "Saved: mood 0, pain 4." in texts(replies)


async def test_a_mood_of_two_asks_no_follow_up(local_bot, joined: Person):
    await joined.says("/checkin")
    replies = await joined.presses("2")
    assert "How much pain do you have" in texts(replies)


async def test_unclear_follow_up_answers_ask_for_the_buttons(local_bot, joined: Person):
    await joined.says("/checkin")
    await joined.says("1")
    replies = await joined.says("hmm")
    assert "Please tap one of the buttons" in texts(replies)


async def test_a_safety_plan_is_written_part_by_part_and_can_be_edited(local_bot, joined):
    replies = await joined.says("/safetyplan")
    assert "A safety plan is your own short list" in texts(replies)
    assert "Part 1 of 6: My warning signs" in texts(replies)
    await joined.says("Not sleeping, pulling away from friends")
    replies = await joined.presses("Skip this part")
    assert "Part 3 of 6" in texts(replies)
    for answer in ["Walk the dog", "Sister Jo, 555 0101", "My clinic", "Give pills to Jo"]:
        replies = await joined.says(answer)
    shown = texts(replies)
    assert "Your safety plan" in shown
    assert "Not sleeping, pulling away from friends" in shown
    assert "(not written yet)" in shown  # the skipped part 2
    assert "Give pills to Jo" in shown

    replies = await joined.presses("2. Things I can do on my own")
    assert "Part 2 of 6" in texts(replies)
    replies = await joined.says("Music and a hot shower")
    assert "Music and a hot shower" in texts(replies)
    assert "(not written yet)" not in texts(replies)
    replies = await joined.says("/safetyplan")
    assert "Music and a hot shower" in texts(replies)


async def test_stopping_a_safety_plan_keeps_what_was_written(local_bot, joined: Person):
    await joined.says("/safetyplan")
    await joined.says("Feeling numb")
    replies = await joined.presses("Stop for now")
    assert "I've kept everything you wrote" in texts(replies)
    replies = await joined.says("/safetyplan")
    assert "Feeling numb" in texts(replies)


async def test_crisis_replies_offer_the_safety_plan_once_there_is_one(local_bot, joined):
    replies = await joined.says(CRISIS)
    assert PLAN not in [b.text for b in replies[-1].flat_buttons]
    await joined.says("/safetyplan")
    await joined.says("Feeling numb")
    await joined.presses("Stop for now")
    replies = await joined.says(CRISIS)
    assert PLAN in [b.text for b in replies[-1].flat_buttons]
    replies = await joined.presses(PLAN)
    assert "Feeling numb" in texts(replies)


async def test_the_safety_plan_needs_consent(local_bot, ana: Person):
    replies = await ana.says("/safetyplan")
    assert "I need your OK. Send /start" in texts(replies)


async def test_screening_logs_no_text_even_before_consent(
    local_bot, ana, caplog, production_logging
):
    production_logging("DEBUG", secrets=[local_bot.token])
    caplog.set_level(logging.DEBUG)
    await ana.says("I want to kill myself tonight")
    assert "matched before consent" in caplog.text
    assert "kill myself" not in caplog.text
    assert str(ana.user_id) not in caplog.text
