"""setWebhook on this machine: the emulator pushes updates, like Telegram; elsewhere, never."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Conflict

from bot.emulator import BotApiEmulator

SECRET = "s3cret_Token-1"
WAIT = 5.0


@dataclass
class Receiver:
    """A webhook on 127.0.0.1 that records each request and answers the statuses it is given."""

    statuses: list[int] = field(default_factory=list)  # answered in turn, then 200
    received: asyncio.Queue[tuple[dict[str, str], dict[str, Any]]] = field(
        default_factory=asyncio.Queue
    )
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        await self.received.put((dict(request.headers), json.loads(await request.read())))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    async def next(self) -> tuple[dict[str, str], dict[str, Any]]:
        return await asyncio.wait_for(self.received.get(), WAIT)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    receiving = Receiver()
    app = web.Application()
    app.router.add_post("/hook", receiving.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    receiving.url = f"http://127.0.0.1:{port}/hook"
    yield receiving
    await runner.cleanup()


async def test_each_update_is_posted_in_order_with_the_secret_and_then_forgotten(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    assert await bot.set_webhook(receiver.url, secret_token=SECRET)
    sent = [emu.send_text(111, text, first_name="Ana") for text in ("one", "two", "three")]
    pushed = [await receiver.next() for _ in sent]
    assert [update["update_id"] for _, update in pushed] == sent
    assert [update["message"]["text"] for _, update in pushed] == ["one", "two", "three"]
    assert all(headers["X-Telegram-Bot-Api-Secret-Token"] == SECRET for headers, _ in pushed)
    assert all(headers["Content-Type"] == "application/json" for headers, _ in pushed)
    assert emu.webhook_pushing
    # The last update is forgotten once its answer has been read; a new one proves that point.
    last = emu.send_text(111, "four")
    assert (await receiver.next())[1]["update_id"] == last
    assert all(update["update_id"] == last for update in emu.pending_updates())


async def test_an_update_the_webhook_refuses_is_kept_and_sent_again(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    emu.webhook_retry_delay = 0.0
    receiver.statuses = [500, 403]
    assert await bot.set_webhook(receiver.url, secret_token=SECRET)
    update_id = emu.send_text(111, "please arrive")
    attempts = [await receiver.next() for _ in range(3)]
    assert [update["update_id"] for _, update in attempts] == [update_id] * 3
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 403 Forbidden"
    assert info.last_error_date is not None


async def test_a_webhook_set_with_updates_waiting_receives_them(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    waiting = emu.send_text(111, "sent while nobody listened")
    assert await bot.set_webhook(receiver.url)
    headers, update = await receiver.next()
    assert update["update_id"] == waiting
    assert "X-Telegram-Bot-Api-Secret-Token" not in headers


async def test_a_webhook_elsewhere_is_stored_and_never_called(
    emu: BotApiEmulator, bot: Bot
) -> None:
    assert await bot.set_webhook("https://bot.example.org/telegram", secret_token=SECRET)
    emu.send_text(111, "stays here")
    assert not emu.webhook_pushing
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("https://bot.example.org/telegram", 1)
    assert info.last_error_message is None


async def test_plain_http_is_accepted_only_for_this_machine(bot: Bot) -> None:
    for url in ("http://127.0.0.1:9/hook", "http://localhost:9/hook", "http://[::1]:9/hook"):
        assert await bot.set_webhook(url)
    with pytest.raises(BadRequest, match=r"(?i)an https url must be provided"):
        await bot.set_webhook("http://bot.example.org/telegram")


async def test_get_updates_still_conflicts_while_a_local_webhook_is_set(
    bot: Bot, receiver: Receiver
) -> None:
    assert await bot.set_webhook(receiver.url, secret_token=SECRET)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()


async def test_after_delete_webhook_updates_wait_for_get_updates(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    assert await bot.set_webhook(receiver.url, secret_token=SECRET)
    emu.send_text(111, "pushed")
    await receiver.next()
    assert await bot.delete_webhook()
    kept = emu.send_text(111, "polled")
    assert [update.update_id for update in await bot.get_updates(offset=kept)] == [kept]
    assert receiver.received.empty()


async def test_pushing_stops_with_the_emulator_and_resumes_when_it_starts_again(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    assert await bot.set_webhook(receiver.url, secret_token=SECRET)
    await emu.stop()
    assert not emu.webhook_pushing
    waiting = emu.send_text(111, "sent while Telegram was down")
    await emu.start()
    assert emu.webhook_pushing
    assert (await receiver.next())[1]["update_id"] == waiting


async def test_a_webhook_that_cannot_be_reached_keeps_its_updates(
    emu: BotApiEmulator, bot: Bot, receiver: Receiver
) -> None:
    emu.webhook_retry_delay = 0.0
    with socket.socket() as closed:  # bound, never listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        assert await bot.set_webhook(f"http://127.0.0.1:{closed.getsockname()[1]}/hook")
        kept = emu.send_text(111, "nobody home")
        async with asyncio.timeout(WAIT):  # each getWebhookInfo round trip lets the pusher try
            while (await bot.get_webhook_info()).last_error_message is None:
                pass
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Connection refused"
    assert [update["update_id"] for update in emu.pending_updates()] == [kept]
    assert await bot.set_webhook(receiver.url)  # the bot is back: the update arrives
    assert (await receiver.next())[1]["update_id"] == kept
