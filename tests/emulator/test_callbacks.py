"""Button presses become callback queries; answers are checked for age and uniqueness."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

from bot.emulator import BotApiEmulator, EmulatorError

if TYPE_CHECKING:
    from conftest import RawApi

GRID = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("One", callback_data="1"),
            InlineKeyboardButton("Two", callback_data="2"),
        ],
        [InlineKeyboardButton("Site", url="https://example.org")],
        [InlineKeyboardButton("Three", callback_data="3")],
    ]
)


async def test_press_button_creates_a_callback_query(
    emu: BotApiEmulator, bot: Bot, ana: int
) -> None:
    sent = await bot.send_message(ana, "Pick", reply_markup=GRID)
    await bot.get_updates(offset=-1)  # confirm the user's "hello"
    update_id = emu.press_button(ana, sent.message_id, 3)  # left-to-right, top-to-bottom
    updates = await bot.get_updates(offset=update_id)
    (update,) = updates
    query = update.callback_query
    assert update.update_id == update_id
    assert query.data == "3"
    assert query.from_user.id == ana
    assert query.from_user.first_name == "Ana"
    assert query.message.message_id == sent.message_id
    assert query.message.text == "Pick"
    assert query.message.reply_markup == GRID
    assert query.chat_instance
    assert await query.answer("Saved", show_alert=True) is True
    assert emu.callback_answer(query.id) == {"text": "Saved", "show_alert": True, "url": None}


async def test_press_by_callback_data_and_unique_ids(
    emu: BotApiEmulator, bot: Bot, ana: int
) -> None:
    sent = await bot.send_message(ana, "Pick", reply_markup=GRID)
    first = emu.press_button(ana, sent.message_id, callback_data="2")
    second = emu.press_button(ana, sent.message_id, callback_data="2")
    queries = [u.callback_query for u in await bot.get_updates(offset=first)]
    assert [q.data for q in queries] == ["2", "2"]
    assert queries[0].id != queries[1].id
    assert second == first + 1


async def test_the_message_in_the_query_is_its_current_state(
    emu: BotApiEmulator, bot: Bot, ana: int
) -> None:
    sent = await bot.send_message(ana, "Pick", reply_markup=GRID)
    await bot.edit_message_text("Pick again", ana, sent.message_id, reply_markup=GRID)
    update_id = emu.press_button(ana, sent.message_id, 0)
    (update,) = await bot.get_updates(offset=update_id)
    assert update.callback_query.message.text == "Pick again"
    assert update.callback_query.message.edit_date is not None


async def test_impossible_presses_raise_emulator_error(
    emu: BotApiEmulator, bot: Bot, ana: int
) -> None:
    sent = await bot.send_message(ana, "Pick", reply_markup=GRID)
    plain = await bot.send_message(ana, "no buttons")
    with pytest.raises(EmulatorError, match="no button 9"):
        emu.press_button(ana, sent.message_id, 9)
    with pytest.raises(EmulatorError, match="url button"):
        emu.press_button(ana, sent.message_id, 2)
    with pytest.raises(EmulatorError, match="callback_data 'zzz'"):
        emu.press_button(ana, sent.message_id, callback_data="zzz")
    with pytest.raises(EmulatorError, match="buttons: none"):
        emu.press_button(ana, plain.message_id, 0)
    with pytest.raises(EmulatorError, match="no bot message 1"):
        emu.press_button(ana, 1, 0)  # the user's own message
    with pytest.raises(EmulatorError, match="no chat"):
        emu.press_button(999, 1, 0)


async def test_answer_after_15_seconds_is_too_old(
    emu: BotApiEmulator, bot: Bot, http: RawApi, ana: int
) -> None:
    now = [1_000.0]
    emu.now = lambda: now[0]
    sent = await bot.send_message(ana, "Pick", reply_markup=GRID)
    update_id = emu.press_button(ana, sent.message_id, 0)
    (update,) = await bot.get_updates(offset=update_id)
    now[0] += 16
    response = await http.call("answerCallbackQuery", callback_query_id=update.callback_query.id)
    assert response.status_code == 400
    assert response.json()["description"] == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    assert emu.callback_answer(update.callback_query.id) is None


async def test_answering_twice_or_unknown_ids_fail(emu: BotApiEmulator, bot: Bot, ana: int) -> None:
    sent = await bot.send_message(ana, "Pick", reply_markup=GRID)
    update_id = emu.press_button(ana, sent.message_id, 0)
    (update,) = await bot.get_updates(offset=update_id)
    assert await update.callback_query.answer()
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await update.callback_query.answer()
    with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
        await bot.answer_callback_query("123456")


async def test_answer_text_is_limited_to_200(
    http: RawApi, emu: BotApiEmulator, bot: Bot, ana: int
) -> None:
    sent = await bot.send_message(ana, "Pick", reply_markup=GRID)
    update_id = emu.press_button(ana, sent.message_id, 0)
    (update,) = await bot.get_updates(offset=update_id)
    query_id = update.callback_query.id
    too_long = await http.call("answerCallbackQuery", callback_query_id=query_id, text="x" * 201)
    assert too_long.status_code == 400
    fits = await http.call("answerCallbackQuery", callback_query_id=query_id, text="x" * 200)
    assert fits.json() == {"ok": True, "result": True}


async def test_inline_query_answers_are_stored(emu: BotApiEmulator, bot: Bot) -> None:
    query_id = emu.send_inline_query(111, "mood")
    (update,) = await bot.get_updates()
    assert (update.inline_query.id, update.inline_query.query) == (query_id, "mood")
    results = [
        {
            "type": "article",
            "id": "1",
            "title": "Mood",
            "input_message_content": {"message_text": "m"},
        }
    ]
    assert await bot.answer_inline_query(query_id, results)
    assert emu.inline_answer(query_id)["results"][0]["title"] == "Mood"
