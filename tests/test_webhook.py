"""Webhook mode: Telegram posts updates to us with a secret header; /healthz reports health.

The real Application runs against the emulator, which pushes updates to the webhook as Telegram
would. Everything listens on 127.0.0.1 with an ephemeral port; nothing waits on a timer.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import make_url

from bot.__main__ import main
from bot.app import BotApplication, build_application
from bot.clock import ManualClock
from bot.config import ConfigError, Settings, WebhookSettings, load_settings
from bot.emulator import BotApiEmulator
from bot.localbot import LOCAL_BOT_ID, LOCAL_BOT_USERNAME, LocalBot, Person, throwaway_token
from bot.storage import Store
from bot.webhook import (
    SECRET_HEADER,
    WebhookError,
    WebhookServer,
    listening_socket,
    run_webhook,
    stopped_by_signals,
)

SECRET = "webhook_Secret-0123456789abcdef"
FORGED_USER = 5_000_000_666
WAIT = 10.0
LOCAL_HTTP: dict[str, Any] = {"trust_env": False, "timeout": WAIT}


@pytest.fixture
async def webhook(local_bot: LocalBot) -> AsyncIterator[httpx.AsyncClient]:
    """The local bot switched from polling to a webhook; a client for requests of our own."""
    application = local_bot.application
    assert application is not None
    assert application.updater is not None
    await application.updater.stop()  # Telegram now pushes instead of being polled
    server = WebhookServer(application, path="/telegram", secret=SECRET)
    await server.start(listening_socket("127.0.0.1", 0))
    base = f"http://127.0.0.1:{server.port}"
    assert await application.bot.set_webhook(f"{base}/telegram", secret_token=SECRET)
    async with httpx.AsyncClient(base_url=base, **LOCAL_HTTP) as client:
        yield client
    await server.stop()


def forged_start(update_id: int = 900_001) -> dict[str, Any]:
    """What a forger would post: a well-formed /start from someone new."""
    someone = {"id": FORGED_USER, "is_bot": False, "first_name": "Mallory"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 1_774_688_400,
            "chat": {"id": FORGED_USER, "type": "private", "first_name": "Mallory"},
            "from": someone,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


def row_counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table(name))).scalar_one()
            for name in inspect(connection).get_table_names()
        }


# Updates ----------------------------------------------------------------------------------


async def test_a_patient_is_welcomed_through_the_webhook(
    webhook: httpx.AsyncClient, local_bot: LocalBot, ana: Person
):
    replies = await ana.says("/start")
    assert "glad you're here" in replies[0].text
    assert "Ana" in replies[0].text
    assert local_bot.emulator.webhook_pushing
    assert not local_bot.emulator.calls_to("getUpdates")[-1].pending  # nobody polls any more


async def test_a_request_without_the_right_secret_is_refused_and_never_handled(
    webhook: httpx.AsyncClient, local_bot: LocalBot, ana: Person
):
    before = row_counts(local_bot.store())
    for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET[:-1]}):
        response = await webhook.post("/telegram", json=forged_start(), headers=headers)
        assert response.status_code == 403
    assert local_bot.application is not None
    assert local_bot.application.update_queue.empty()
    # Updates are handled in order: once this one is answered, a queued forgery would have been.
    assert await ana.says("/crisis")
    assert local_bot.emulator.chat(FORGED_USER) == []
    assert all(call.params.get("chat_id") != FORGED_USER for call in local_bot.emulator.calls)
    assert row_counts(local_bot.store()) == before


async def test_a_body_that_is_not_an_update_gets_400(
    webhook: httpx.AsyncClient, local_bot: LocalBot
):
    for body in (b"not json", b"[1, 2]", b'{"message": {}}', b'{"update_id": "7"}', b"\xff\xfe"):
        response = await webhook.post("/telegram", content=body, headers={SECRET_HEADER: SECRET})
        assert response.status_code == 400, body
    assert local_bot.application is not None
    assert local_bot.application.update_queue.empty()


async def test_only_the_webhook_path_takes_updates(webhook: httpx.AsyncClient):
    headers = {SECRET_HEADER: SECRET}
    assert (await webhook.post("/", json=forged_start(), headers=headers)).status_code == 404
    assert (await webhook.get("/telegram")).status_code == 405


# /healthz ---------------------------------------------------------------------------------


async def test_healthz_is_ok_when_the_database_answers_and_the_dispatcher_ticked(
    webhook: httpx.AsyncClient, local_bot: LocalBot, ana: Person
):
    await ana.says("/start")
    await local_bot.tick()
    response = await webhook.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": {"ok": True},
        "dispatcher": {"ok": True, "seconds_since_last_tick": 0.0, "allowed_seconds": 30.0},
    }
    assert "Ana" not in response.text
    assert str(ana.user_id) not in response.text


async def test_healthz_is_503_when_the_dispatcher_has_not_ticked_recently(
    webhook: httpx.AsyncClient, local_bot: LocalBot, clock: ManualClock
):
    never = await webhook.get("/healthz")
    assert never.status_code == 503
    assert never.json()["dispatcher"] == {
        "ok": False,
        "seconds_since_last_tick": None,
        "allowed_seconds": 30.0,
    }
    await local_bot.tick()
    clock.advance(timedelta(seconds=30))
    assert (await webhook.get("/healthz")).status_code == 200
    clock.advance(timedelta(seconds=1))
    stalled = await webhook.get("/healthz")
    assert stalled.status_code == 503
    assert stalled.json()["status"] == "unhealthy"
    assert stalled.json()["database"] == {"ok": True}
    assert stalled.json()["dispatcher"]["seconds_since_last_tick"] == 31.0


async def test_healthz_is_503_while_the_database_is_unreachable(
    webhook: httpx.AsyncClient, local_bot: LocalBot, settings: Settings
):
    await local_bot.tick()
    with database_unreachable(local_bot.store(), settings.database_url):
        response = await webhook.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False}
    assert response.json()["dispatcher"]["ok"] is True
    assert (await webhook.get("/healthz")).status_code == 200  # and recovers with it


@contextlib.contextmanager
def database_unreachable(store: Store, database_url: str) -> Iterator[None]:
    """The database stops accepting connections (SQLite: its file is gone), then comes back."""
    url = make_url(database_url)
    store.engine.dispose()
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        away = path.with_name(path.name + ".away")
        path.rename(away)
        path.mkdir()  # a folder where the file was: "unable to open database file"
        try:
            yield
        finally:
            path.rmdir()
            away.rename(path)
        return
    admin = create_engine(os.environ["TEST_POSTGRES_URL"], isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS false'))
        connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
            {"name": url.database},
        )
    try:
        yield
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS true'))
        admin.dispose()


# Running it -------------------------------------------------------------------------------


@dataclass
class WebhookProcess:
    """What ``python -m bot`` builds in webhook mode, against the emulator."""

    application: BotApplication
    webhook: WebhookSettings
    sock: socket.socket


@pytest.fixture
async def emulator(clock: ManualClock) -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(bot_id=LOCAL_BOT_ID, bot_username=LOCAL_BOT_USERNAME) as running:
        running.now = lambda: clock.now().timestamp()
        yield running


def webhook_process(
    settings: Settings, clock: ManualClock, emulator: BotApiEmulator, token: str
) -> WebhookProcess:
    sock = listening_socket("127.0.0.1", 0)
    webhook_settings = settings.model_copy(
        update={
            "telegram_api_base_url": emulator.base_url,
            "telegram_api_file_url": emulator.base_file_url,
            "bot_mode": "webhook",
            "webhook_url": f"http://127.0.0.1:{sock.getsockname()[1]}/telegram",
            "webhook_secret": SecretStr(SECRET),
        }
    )
    application = build_application(webhook_settings, clock, token=token, dispatch_on_timer=False)
    return WebhookProcess(application, webhook_settings.require_webhook(), sock)


async def test_run_webhook_serves_until_stopped_and_leaves_the_webhook_set(
    settings: Settings,
    clock: ManualClock,
    emulator: BotApiEmulator,
    capsys: pytest.CaptureFixture[str],
    production_logging,
):
    token = throwaway_token()
    production_logging("DEBUG", secrets=[token, SECRET])
    process = webhook_process(settings, clock, emulator, token)
    stop = asyncio.Event()
    running = asyncio.create_task(
        run_webhook(process.application, process.webhook, process.sock, stop)
    )
    emulator.send_text(user_id=42, text="/start", first_name="Quinta")
    await emulator.wait_for_bot_message(42, timeout=WAIT, match="glad you're here")
    stop.set()
    await asyncio.wait_for(running, WAIT)
    assert not process.application.running
    assert emulator.webhook_url == process.webhook.url  # kept for the next start
    registered = emulator.calls_to("setWebhook")[-1].params
    assert registered["secret_token"] == SECRET
    assert "message" in registered["allowed_updates"]
    assert emulator.calls_to("getUpdates") == []
    assert process.sock.fileno() == -1  # the port is free again
    log = capsys.readouterr().err
    assert "webhook mode: listening on port" in log
    assert SECRET not in log
    assert token not in log
    assert "Quinta" not in log


async def test_a_webhook_url_telegram_refuses_stops_cleanly_with_one_line(
    settings: Settings, clock: ManualClock, emulator: BotApiEmulator
):
    process = webhook_process(settings, clock, emulator, throwaway_token())
    refused = replace(process.webhook, url="http://bot.example.org/telegram")
    with pytest.raises(WebhookError) as raised:
        await run_webhook(process.application, refused, process.sock, asyncio.Event())
    assert str(raised.value) == (
        "Telegram refused WEBHOOK_URL: Bad webhook: an https url must be provided for webhook"
    )
    assert not process.application.running
    assert process.sock.fileno() == -1


async def test_sigint_and_sigterm_stop_webhook_mode():
    for number in (signal.SIGINT, signal.SIGTERM):
        stop = asyncio.Event()
        with stopped_by_signals(stop):
            os.kill(os.getpid(), number)
            await asyncio.wait_for(stop.wait(), WAIT)


def test_a_port_in_use_is_one_plain_line(tmp_path: Path, monkeypatch, capsys):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(WebhookError) as raised:
            listening_socket("127.0.0.1", port)
        assert str(raised.value).startswith(f"cannot listen on 127.0.0.1:{port}")
        use_webhook_environment(monkeypatch, tmp_path, WEBHOOK_PORT=str(port))
        assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot listen on 127.0.0.1:{port}")
    assert err.count("\n") == 1
    assert SECRET not in err


def test_bad_webhook_settings_stop_the_bot_with_one_plain_line(tmp_path: Path, monkeypatch, capsys):
    use_webhook_environment(monkeypatch, tmp_path, WEBHOOK_URL="http://bot.example.org/x")
    monkeypatch.setenv("WEBHOOK_SECRET", "has spaces " + SECRET)
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Configuration problem (BOT_MODE=webhook): WEBHOOK_URL must")
    assert "WEBHOOK_SECRET must be" in err
    assert err.count("\n") == 1
    assert SECRET not in err
    assert "example.org" not in err


def use_webhook_environment(monkeypatch: pytest.MonkeyPatch, folder: Path, **extra: str) -> None:
    """A deployment's environment in webhook mode, in a folder with no .env file."""
    monkeypatch.chdir(folder)
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "WEBHOOK_", "BOT_MODE")):
            monkeypatch.delenv(name)
    environment = {
        "TELEGRAM_BOT_TOKEN": throwaway_token(),
        "DATABASE_URL": f"sqlite:///{folder / 'bot.db'}",
        "BOT_MODE": "webhook",
        "WEBHOOK_URL": "https://bot.example.org/telegram",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        **extra,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)


def test_polling_stays_the_default(tmp_path: Path):
    """Nothing about webhooks set: the bot polls (here a Bot API that refuses connections)."""
    assert load_settings(env_file=None).bot_mode == "polling"
    with socket.socket() as closed:  # bound, never listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))},
            "TELEGRAM_BOT_TOKEN": throwaway_token(),
            "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{closed.getsockname()[1]}/bot",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        }
        env.pop("BOT_MODE", None)
        finished = subprocess.run(
            [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, text=True,
            timeout=60, check=False,
        )  # fmt: skip
    assert finished.returncode == 2
    assert "starting in polling mode" in finished.stderr
    assert "could not reach the Telegram Bot API" in finished.stderr


# Settings ---------------------------------------------------------------------------------


def webhook_settings(**values: Any) -> Settings:
    return load_settings(env_file=None, bot_mode="webhook", **values)


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://bot.example.org/telegram", "/telegram"),
        ("https://bot.example.org", "/"),
        ("http://127.0.0.1:8443/hook", "/hook"),
        ("http://localhost/hook", "/hook"),
        ("http://[::1]:9000/hook", "/hook"),
    ],
)
def test_webhook_settings_give_the_path_to_serve(url: str, path: str):
    webhook = webhook_settings(webhook_url=url, webhook_secret=SECRET).require_webhook()
    assert (webhook.url, webhook.path, webhook.secret) == (url, path, SECRET)
    assert (webhook.listen, webhook.port) == ("127.0.0.1", 8443)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("", "WEBHOOK_URL is not set"),
        ("http://bot.example.org/telegram", "WEBHOOK_URL must start with https://"),
        ("ftp://bot.example.org/telegram", "WEBHOOK_URL must start with https://"),
        ("https:///telegram", "WEBHOOK_URL is not a valid URL"),
        ("https://bot.example.org:99999/x", "WEBHOOK_URL is not a valid URL"),
        ("https://bot.example.org/ telegram", "WEBHOOK_URL is not a valid URL"),
        ("https://bot.example.org/healthz", "WEBHOOK_URL must not end in /healthz"),
    ],
)
def test_a_bad_webhook_url_is_explained_without_being_echoed(url: str, expected: str):
    with pytest.raises(ConfigError) as raised:
        webhook_settings(webhook_url=url, webhook_secret=SECRET).require_webhook()
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message
    assert "example.org" not in message


@pytest.mark.parametrize(
    ("secret", "expected"),
    [
        (None, "WEBHOOK_SECRET is not set"),
        ("", "WEBHOOK_SECRET is not set"),
        ("with space", "WEBHOOK_SECRET must be 1-256 characters"),
        ("ümlaut_secret", "WEBHOOK_SECRET must be 1-256 characters"),
        ("x" * 257, "WEBHOOK_SECRET must be 1-256 characters"),
    ],
)
def test_a_bad_webhook_secret_is_explained_without_being_echoed(secret: str | None, expected: str):
    settings = webhook_settings(
        webhook_url="https://bot.example.org/telegram", webhook_secret=secret
    )
    with pytest.raises(ConfigError) as raised:
        settings.require_webhook()
    message = str(raised.value)
    assert expected in message
    assert "\n" not in message
    assert not secret or secret not in message


def test_the_longest_and_shortest_secrets_telegram_allows_are_accepted():
    for secret in ("a", "A-z_9" * 51 + "x"):
        settings = webhook_settings(webhook_url="https://h.example/t", webhook_secret=secret)
        assert settings.require_webhook().secret == secret


def test_both_webhook_problems_are_named_in_one_line():
    with pytest.raises(ConfigError) as raised:
        webhook_settings().require_webhook()
    message = str(raised.value)
    assert "WEBHOOK_URL is not set" in message
    assert "WEBHOOK_SECRET is not set" in message
    assert "\n" not in message
