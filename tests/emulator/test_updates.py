"""getUpdates: delivery, confirmation by offset, long polling, filters, webhook conflicts."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import pytest
from telegram import Bot, MessageEntity
from telegram.error import BadRequest, Conflict

from bot.emulator import BotApiEmulator

if TYPE_CHECKING:
    from conftest import RawApi


async def test_user_text_arrives_with_bot_command_entity(emu: BotApiEmulator, bot: Bot) -> None:
    emu.now = lambda: 1_750_000_000.0
    update_id = emu.send_text(
        111, "/start@carebot_local_bot abc", first_name="Ana", language_code="pt"
    )
    (update,) = await bot.get_updates()
    assert update.update_id == update_id
    message = update.message
    assert message.text == "/start@carebot_local_bot abc"
    assert message.entities == (MessageEntity(MessageEntity.BOT_COMMAND, offset=0, length=24),)
    assert (message.chat.id, message.chat.type) == (111, "private")
    assert (message.from_user.first_name, message.from_user.language_code) == ("Ana", "pt")
    assert message.message_id == 1
    assert message.date.timestamp() == 1_750_000_000


async def test_plain_text_has_no_entities(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(111, "just words")
    (update,) = await bot.get_updates()
    assert update.message.entities == ()


async def test_message_ids_are_per_chat_and_shared_with_the_bot(
    emu: BotApiEmulator, bot: Bot
) -> None:
    emu.send_text(111, "a")
    emu.send_text(222, "b")
    sent = await bot.send_message(111, "reply")
    emu.send_text(111, "c")
    assert [m.message_id for m in emu.chat(111)] == [1, 2, 3]
    assert sent.message_id == 2
    assert [m.message_id for m in emu.chat(222)] == [1]


async def test_updates_stay_until_confirmed_by_offset(emu: BotApiEmulator, bot: Bot) -> None:
    first = emu.send_text(111, "one")
    second = emu.send_text(111, "two")
    assert [u.update_id for u in await bot.get_updates()] == [first, second]
    assert [u.update_id for u in await bot.get_updates()] == [first, second]
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
    assert await bot.get_updates(offset=second + 1) == ()
    assert emu.pending_updates() == []


async def test_limit_and_negative_offset(emu: BotApiEmulator, bot: Bot) -> None:
    ids = [emu.send_text(111, str(n)) for n in range(5)]
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    assert [u.update_id for u in await bot.get_updates(offset=-2)] == ids[-2:]
    # The negative offset forgot everything before the last two.
    assert [u.update_id for u in await bot.get_updates()] == ids[-2:]


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    emu: BotApiEmulator, bot: Bot
) -> None:
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, emu.send_text, 111, "late")
    started = time.monotonic()
    updates = await bot.get_updates(timeout=5)
    elapsed = time.monotonic() - started
    assert [u.message.text for u in updates] == ["late"]
    assert 0.15 < elapsed < 2


async def test_long_poll_times_out_empty(bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 3


async def test_a_newer_poll_terminates_an_older_one_with_conflict(
    emu: BotApiEmulator, http: RawApi
) -> None:
    older = asyncio.create_task(http.call("getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    newer = await http.call("getUpdates", timeout=0)
    response = await older
    assert newer.json() == {"ok": True, "result": []}
    assert response.status_code == 409
    assert response.json()["description"] == (
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running"
    )


async def test_allowed_updates_filters_new_updates_only(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(111, "queued before the filter")
    assert len(await bot.get_updates(allowed_updates=["callback_query"])) == 1
    emu.send_text(111, "filtered out")
    updates = await bot.get_updates()
    assert [u.message.text for u in updates] == ["queued before the filter"]
    await bot.get_updates(allowed_updates=[])  # back to the default set
    emu.send_text(111, "delivered")
    assert [u.message.text for u in await bot.get_updates()][-1] == "delivered"


async def test_get_updates_conflicts_while_a_webhook_is_set(emu: BotApiEmulator, bot: Bot) -> None:
    assert await bot.set_webhook("https://example.org/hook", secret_token="s3cret")
    emu.send_text(111, "while webhooked")
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("https://example.org/hook", 1)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()
    assert emu.webhook_url == ""


async def test_set_webhook_requires_https(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)an https url must be provided"):
        await bot.set_webhook("http://example.org/hook")


async def test_stop_releases_a_waiting_long_poll(emu: BotApiEmulator, http: RawApi) -> None:
    poll = asyncio.create_task(http.call("getUpdates", timeout=10))
    await asyncio.sleep(0.1)
    started = time.monotonic()
    await emu.stop()
    response = await poll
    assert time.monotonic() - started < 2
    assert response.json() == {"ok": True, "result": []}


async def test_user_edit_creates_edited_message_update(emu: BotApiEmulator, bot: Bot) -> None:
    emu.send_text(111, "typo")
    (first,) = await bot.get_updates()
    update_id = emu.edit_text(111, first.message.message_id, "/help fixed")
    (update,) = await bot.get_updates(offset=first.update_id + 1)
    assert update.update_id == update_id
    assert update.edited_message.text == "/help fixed"
    assert update.edited_message.entities[0].type == MessageEntity.BOT_COMMAND
    assert update.edited_message.edit_date is not None
    assert emu.chat(111)[0].edit_count == 1
