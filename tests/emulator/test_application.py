"""A real python-telegram-bot Application, polling the emulator, end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from bot.emulator import BotApiEmulator


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    name = update.effective_user.first_name
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Agree", callback_data="agree")]])
    await update.message.reply_html(f"Hello <b>{name}</b>! Agree?", reply_markup=keyboard)


async def agree(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer("Thanks")
    await update.callback_query.edit_message_text("You agreed.")


@pytest.fixture
async def application(emu: BotApiEmulator, token: str) -> AsyncIterator[Application]:
    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(emu.base_url)
        .base_file_url(emu.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(agree))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1, drop_pending_updates=True)
        yield app
        await app.updater.stop()
        await app.stop()


async def test_conversation_through_a_polling_application(
    emu: BotApiEmulator, application: Application
) -> None:
    emu.send_text(111, "/start", first_name="Ana")
    greeting = await emu.wait_for_bot_message(111, timeout=3)
    assert greeting.text == "Hello Ana! Agree?"
    assert greeting.entities == [{"type": "bold", "offset": 6, "length": 3}]
    assert [b.text for b in greeting.flat_buttons] == ["Agree"]

    queue = emu.subscribe()
    emu.press_button(111, greeting.message_id, 0)
    kinds = [(await queue.get()).kind for _ in range(2)]
    assert kinds == ["callback_answer", "edit"]
    (current,) = emu.bot_messages(111)
    assert (current.text, current.buttons, current.edited) == ("You agreed.", [], True)
    assert all(call.ok for call in emu.calls_to("answerCallbackQuery"))
    assert emu.calls_to("deleteWebhook")[0].params == {"drop_pending_updates": True}
