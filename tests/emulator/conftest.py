"""Fixtures for the emulator's own tests: a running emulator, a PTB Bot and a raw HTTP client.

Helpers are fixtures (not importable functions) because ``tests`` is not a package.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.emulator import BotApiEmulator

TOKEN = "7000001:AAHk9rQ2xT4vB8nLmP0sW3yZ6cD1eF5gJ7h"
USER_ID = 111
# Plain HTTP to 127.0.0.1: ignore proxy settings, and skip building a TLS context per client
# (that costs ~20 ms each and dominated the suite's run time).
LOCAL_HTTP: dict[str, Any] = {"trust_env": False, "verify": False}

BotFactory = Callable[..., Bot]


class RawApi:
    """Plain HTTP against the emulator, for checking exact status codes and bodies."""

    def __init__(self, client: httpx.AsyncClient, token: str) -> None:
        self.client = client
        self.token = token

    def path(self, method: str, token: str | None = None) -> str:
        return f"/bot{self.token if token is None else token}/{method}"

    async def call(self, method: str, **params: Any) -> httpx.Response:
        """POST ``params`` as a JSON body."""
        return await self.client.post(self.path(method), json=params)

    async def post(self, method: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
        return await self.client.post(self.path(method, token), **kwargs)

    async def get(self, method: str, **kwargs: Any) -> httpx.Response:
        return await self.client.get(self.path(method), **kwargs)


@pytest.fixture
def token() -> str:
    return TOKEN


@pytest.fixture
async def emu() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(
        bot_id=7000001, bot_username="carebot_local_bot", bot_first_name="Care Bot"
    ) as emulator:
        yield emulator


@pytest.fixture
def make_bot(emu: BotApiEmulator) -> BotFactory:
    """Build a real python-telegram-bot ``Bot`` pointed at the emulator."""

    def factory(token: str = TOKEN, **request_kwargs: Any) -> Bot:
        return Bot(
            token,
            base_url=emu.base_url,
            base_file_url=emu.base_file_url,
            request=HTTPXRequest(httpx_kwargs=LOCAL_HTTP, **request_kwargs),
            get_updates_request=HTTPXRequest(httpx_kwargs=LOCAL_HTTP),
        )

    return factory


@pytest.fixture
async def bot(make_bot: BotFactory) -> AsyncIterator[Bot]:
    async with make_bot() as ptb_bot:
        yield ptb_bot


@pytest.fixture
async def http(emu: BotApiEmulator) -> AsyncIterator[RawApi]:
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{emu.port}", timeout=5.0, **LOCAL_HTTP
    ) as client:
        yield RawApi(client, TOKEN)


@pytest.fixture
def ana(emu: BotApiEmulator) -> int:
    """A user who has written to the bot, so their private chat exists; returns the chat id."""
    emu.send_text(USER_ID, "hello", first_name="Ana")
    return USER_ID


@pytest.fixture
def png() -> Callable[..., bytes]:
    """Make a tiny valid PNG, since sendPhoto only accepts real images."""

    def make(width: int = 2, height: int = 3) -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
        pixels = zlib.compress(b"".join(b"\x00" * (width + 1) for _ in range(height)))
        signature = b"\x89PNG\r\n\x1a\n"
        return signature + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")

    return make
