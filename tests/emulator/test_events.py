"""subscribe() events and wait_for_bot_message, which the console and tests build on."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from bot.emulator import BotApiEmulator, ChatEvent

KEYS = InlineKeyboardMarkup([[InlineKeyboardButton("Ok", callback_data="ok")]])


def drain(queue: asyncio.Queue[ChatEvent]) -> list[ChatEvent]:
    events = []
    while not queue.empty():
        events.append(queue.get_nowait())
    return events


async def test_every_bot_side_change_is_published(emu: BotApiEmulator, bot: Bot, ana: int) -> None:
    queue = emu.subscribe()
    sent = await bot.send_message(ana, "first", reply_markup=KEYS)
    await bot.edit_message_text("second", ana, sent.message_id)
    again = await bot.send_message(ana, "pick", reply_markup=KEYS)
    (update,) = await bot.get_updates(offset=emu.press_button(ana, again.message_id, 0))
    await update.callback_query.answer("Noted", show_alert=True)
    await bot.delete_message(ana, sent.message_id)
    await bot.set_my_commands([BotCommand("help", "Help")])
    events = drain(queue)
    assert [(e.kind, e.chat_id) for e in events] == [
        ("message", ana),
        ("edit", ana),
        ("message", ana),
        ("callback_answer", ana),
        ("delete", ana),
        ("commands", None),
    ]
    # Each event carries a snapshot: the first still shows the text before the edit.
    assert events[0].message.text == "first"
    assert events[1].message.text == "second"
    assert events[1].message.edited
    assert (events[3].text, events[3].show_alert) == ("Noted", True)
    assert events[4].message.deleted
    emu.unsubscribe(queue)
    await bot.send_message(ana, "unheard")
    assert queue.empty()


async def test_wait_for_bot_message_returns_when_it_arrives(
    emu: BotApiEmulator, bot: Bot, ana: int
) -> None:
    async def reply_later() -> None:
        await asyncio.sleep(0.1)
        await bot.send_message(ana, "not this one")
        await bot.send_message(ana, "Your code is 42")

    task = asyncio.create_task(reply_later())
    message = await emu.wait_for_bot_message(
        ana, after_message_id=1, timeout=2, match=r"code is \d+"
    )
    await task
    assert (message.message_id, message.text) == (3, "Your code is 42")


async def test_wait_for_bot_message_timeout_lists_what_was_seen(
    emu: BotApiEmulator, bot: Bot, ana: int
) -> None:
    await bot.send_message(ana, "Welcome")
    await bot.send_document(ana, b"x", filename="x.txt", caption="file")
    with pytest.raises(TimeoutError) as raised:
        await emu.wait_for_bot_message(ana, timeout=0.2, match="Goodbye")
    assert str(raised.value) == (
        "no bot message in chat 111 with message_id > 0 matching 'Goodbye' within 0.2s; "
        "bot messages seen: #2 'Welcome'; #3 [document] 'file'"
    )
