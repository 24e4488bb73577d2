"""/settings, /help, the command menu, and replies to everything unexpected."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app import services_of
from bot.handlers import COMMANDS
from bot.localbot import LocalBot, Person
from tests.journeys import join, texts


async def test_settings_shows_the_choices_and_changes_the_time_zone(local_bot, ana: Person):
    await join(ana)
    replies = await ana.says("/settings")
    assert "Time zone: Europe/London (your time now: 09:00)" in texts(replies)
    assert "Daily check-in: 20:00" in texts(replies)

    replies = await ana.presses("Change time zone")
    assert "Which time zone are you in?" in texts(replies)
    assert "Let's set you up" not in texts(replies)
    replies = await ana.says("Tokyo")
    assert "Got it: Asia/Tokyo. Your time now is 18:00." in texts(replies)
    assert "What time should I ask" not in texts(replies)  # settings: one change at a time

    patient = services_of(local_bot.application).store.patient_by_telegram_id(ana.user_id)
    assert (patient.timezone, patient.checkin_time.isoformat()) == ("Asia/Tokyo", "20:00:00")


async def test_settings_changes_the_checkin_time(local_bot, ana: Person):
    await join(ana)
    await ana.says("/settings")
    await ana.presses("Change check-in time")
    replies = await ana.says("8am")
    assert "I'll use 08:00 your time" in texts(replies)
    patient = services_of(local_bot.application).store.patient_by_telegram_id(ana.user_id)
    assert patient.checkin_time.isoformat() == "08:00:00"
    assert patient.timezone == "Europe/London"


async def test_the_deployments_own_zone_is_offered_first(settings, clock):
    local = settings.model_copy(update={"default_timezone": "America/Phoenix"})
    async with LocalBot(local, clock) as bot:
        cy = bot.person(5_000_000_003, "Cy")
        await cy.says("/start")
        replies = await cy.presses("Yes, I agree")
        assert replies[-1].flat_buttons[0].text == "Phoenix"
        replies = await cy.presses("Phoenix")
        assert "Got it: America/Phoenix" in texts(replies)


async def test_help_lists_every_command_with_one_line_each(local_bot, ana: Person):
    replies = await ana.says("/help")
    lines = [line for line in replies[0].text.splitlines() if line.startswith("/")]
    assert [line.split(" ", 1)[0] for line in lines] == [f"/{name}" for name in COMMANDS]
    assert "not a doctor" in replies[0].text


async def test_the_command_menu_is_registered_with_telegram(local_bot: LocalBot):
    menu = local_bot.emulator.commands()
    assert [command["command"] for command in menu] == list(COMMANDS)
    assert all(command["description"] for command in menu)


async def test_unknown_commands_get_a_helpful_reply(local_bot, ana: Person):
    replies = await ana.says("/dose@carebot_local_bot extra words")
    assert "I don't know the command /dose" in texts(replies)
    assert "/help" in texts(replies)


async def test_unexpected_text_is_never_met_with_silence(local_bot, ana: Person):
    await join(ana)
    replies = await ana.says("hello, how are you?")
    assert "no one reads this chat day and night" in texts(replies)
    assert "/checkin" in texts(replies)


async def test_files_and_other_messages_get_a_reply(local_bot: LocalBot, ana: Person):
    await join(ana)
    update_id = local_bot.emulator.send_document(ana.user_id, "scan.pdf", b"%PDF-1.4")
    await local_bot.settle(update_id)
    assert "I can only read text messages" in ana.messages()[-1].text


async def test_edited_messages_are_not_taken_as_new_answers(local_bot, ana: Person):
    await join(ana)
    await ana.says("/checkin")
    typed = [m for m in local_bot.emulator.chat(ana.user_id) if not m.from_bot][-1]
    update_id = local_bot.emulator.edit_text(ana.user_id, typed.message_id, "/checkin please")
    await local_bot.settle(update_id)
    assert "I can't change an answer that way" in ana.messages()[-1].text


async def test_buttons_the_bot_no_longer_knows_are_answered_kindly(local_bot, ana: Person):
    await ana.says("/help")
    old = await local_bot.application.bot.send_message(
        ana.user_id,
        "An old message",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Old", callback_data="v0:x")]]),
    )
    replies = await local_bot.press_button(ana.user_id, old.message_id, 0)
    assert replies == []
    answer = local_bot.emulator.calls_to("answerCallbackQuery")[-1]
    assert answer.ok
    assert "already done" in answer.params["text"]
