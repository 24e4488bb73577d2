"""Injected faults and user states produce the responses (and PTB exceptions) of real Telegram."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
from typing import TYPE_CHECKING

import pytest
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.emulator import BotApiEmulator, FaultKind

if TYPE_CHECKING:
    from conftest import BotFactory, RawApi


# PTB 22 warns that RetryAfter.retry_after will become a timedelta; both forms are accepted.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_rate_limit(emu: BotApiEmulator, bot: Bot, http: RawApi, ana: int) -> None:
    emu.inject_fault("sendMessage", FaultKind.RATE_LIMIT, retry_after=7, times=2)
    response = await http.call("sendMessage", chat_id=ana, text="x")
    assert response.status_code == 429
    assert response.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(ana, "x")
    assert raised.value.retry_after in (7, dtm.timedelta(seconds=7))
    # Used up after two calls.
    assert (await bot.send_message(ana, "x")).text == "x"
    assert [c.error_code for c in emu.calls_to("sendMessage")] == [429, 429, None]


async def test_forbidden_fault(emu: BotApiEmulator, bot: Bot, ana: int) -> None:
    emu.inject_fault("sendMessage", FaultKind.FORBIDDEN)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ana, "x")
    assert emu.bot_messages(ana) == []


async def test_server_error_fault(emu: BotApiEmulator, http: RawApi, bot: Bot, ana: int) -> None:
    emu.inject_fault("sendMessage", FaultKind.SERVER_ERROR, times=2)
    response = await http.call("sendMessage", chat_id=ana, text="x")
    assert (response.status_code, response.json()["description"]) == (
        500,
        "Internal Server Error",
    )
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(ana, "x")


async def test_timeout_fault_makes_the_client_time_out(
    emu: BotApiEmulator, make_bot: BotFactory, ana: int
) -> None:
    emu.timeout_delay = 2.0
    emu.inject_fault("sendMessage", FaultKind.TIMEOUT)
    async with make_bot(read_timeout=0.3) as bot:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(ana, "slow")
        assert time.monotonic() - started < 1.5  # the client gave up, not the server
        # The abandoned request is dropped unprocessed; the next call goes through.
        assert (await bot.send_message(ana, "fast")).text == "fast"
    await asyncio.sleep(0.05)
    assert [m.text for m in emu.bot_messages(ana)] == ["fast"]
    first = emu.calls_to("sendMessage")[0]
    assert (first.ok, first.pending) == (False, False)


async def test_timeout_fault_answers_a_patient_client_late(
    emu: BotApiEmulator, bot: Bot, ana: int
) -> None:
    emu.timeout_delay = 0.3
    emu.inject_fault("sendMessage", FaultKind.TIMEOUT)
    started = time.monotonic()
    assert (await bot.send_message(ana, "late")).text == "late"
    assert time.monotonic() - started >= 0.3


async def test_fault_for_any_method_spares_get_updates(
    emu: BotApiEmulator, bot: Bot, ana: int
) -> None:
    emu.inject_fault(None, FaultKind.SERVER_ERROR, times=None)
    assert len(await bot.get_updates()) == 1
    with pytest.raises(NetworkError):
        await bot.get_me()
    with pytest.raises(NetworkError):
        await bot.send_message(ana, "x")
    assert len(emu.active_faults) == 1
    emu.clear_faults()
    assert (await bot.get_me()).id == 7000001


async def test_block_bot(emu: BotApiEmulator, bot: Bot, http: RawApi, ana: int) -> None:
    sent = await bot.send_message(ana, "before")
    emu.block_bot(ana)
    response = await http.call("sendMessage", chat_id=ana, text="x")
    assert response.status_code == 403
    assert response.json() == {
        "ok": False,
        "error_code": 403,
        "description": "Forbidden: bot was blocked by the user",
    }
    with pytest.raises(Forbidden, match="blocked"):
        await bot.edit_message_text("edit", ana, sent.message_id)
    with pytest.raises(Forbidden):
        await bot.send_document(ana, b"doc", filename="a.txt")
    emu.unblock_bot(ana)
    assert (await bot.send_message(ana, "after")).text == "after"


async def test_writing_again_unblocks_the_bot(emu: BotApiEmulator, bot: Bot, ana: int) -> None:
    emu.block_bot(ana)
    emu.send_text(ana, "/start")  # the client's "Restart" button
    assert (await bot.send_message(ana, "welcome back")).text == "welcome back"


async def test_deactivated_user(emu: BotApiEmulator, bot: Bot, ana: int) -> None:
    emu.deactivate_user(ana)
    with pytest.raises(Forbidden, match="user is deactivated"):
        await bot.send_message(ana, "x")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(ana + 1, "x")
