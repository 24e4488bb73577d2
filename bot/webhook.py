"""Webhook mode: Telegram posts each update to us, and ``/healthz`` says whether we are well.

python-telegram-bot's own ``run_webhook`` serves only the webhook (with tornado), so this
follows its ``customwebhookbot`` example with aiohttp instead: a small web app feeds
``application.update_queue`` and the Application runs exactly as in polling mode. TLS is left
to a reverse proxy in front; this server speaks plain HTTP on WEBHOOK_LISTEN:WEBHOOK_PORT.

A request without the right ``X-Telegram-Bot-Api-Secret-Token`` gets 403 before its body is
read, so a forged update is never parsed, queued or handled. Nothing a request carries (the
secret, the update, who sent it) is ever logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import os
import signal
import socket
from collections.abc import Iterator
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.error import BadRequest

from bot.app import BotApplication, dispatcher_of, services_of
from bot.config import HEALTH_PATH, WebhookSettings
from bot.health import assess, database_is_reachable

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# A database that has not answered in this long is reported unreachable; the probe runs in a
# thread so a hanging connection never stalls the bot's event loop.
DATABASE_PROBE_TIMEOUT = 5.0
LISTEN_BACKLOG = 128
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
log = logging.getLogger(__name__)


class WebhookError(Exception):
    """Webhook mode cannot start; the message is one plain line naming no secret."""


def listening_socket(host: str, port: int) -> socket.socket:
    """Bind and listen before anything else starts, so a port in use fails fast and plainly.
    Port 0 picks a free port (tests)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror:
        raise WebhookError(f"WEBHOOK_LISTEN {host!r} is not an address of this machine") from None
    sock = socket.socket(family, kind, proto)
    try:
        if os.name == "posix":  # rebinding right after a restart (TIME_WAIT), not a live port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(LISTEN_BACKLOG)
    except OSError as error:
        sock.close()
        reason = error.strerror or type(error).__name__
        raise WebhookError(
            f"cannot listen on {host}:{port} ({reason}); free the port or change "
            "WEBHOOK_LISTEN / WEBHOOK_PORT"
        ) from None
    return sock


class WebhookServer:
    """The HTTP side: ``POST <path of WEBHOOK_URL>`` feeds the bot, ``GET /healthz`` reports."""

    def __init__(self, application: BotApplication, path: str, secret: str) -> None:
        self._application = application
        self._path = path
        self._secret = secret.encode()
        self._runner: web.AppRunner | None = None
        self._socket: socket.socket | None = None

    def web_app(self) -> web.Application:
        app = web.Application()
        app.router.add_post(self._path, self._receive_update)
        app.router.add_get(HEALTH_PATH, self._report_health)
        return app

    @property
    def port(self) -> int:
        if self._socket is None:
            raise RuntimeError("the webhook server is not running")
        port: int = self._socket.getsockname()[1]
        return port

    async def start(self, sock: socket.socket) -> None:
        """Serve on an already listening socket (see ``listening_socket``)."""
        runner = web.AppRunner(self.web_app(), access_log=None, shutdown_timeout=5.0)
        await runner.setup()
        try:
            await web.SockSite(runner, sock).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner, self._socket = runner, sock

    async def stop(self) -> None:
        """Stop accepting updates; requests being answered are finished first."""
        runner, sock = self._runner, self._socket
        self._runner = self._socket = None
        if runner is not None:
            await runner.cleanup()
        if sock is not None:
            sock.close()

    async def _receive_update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", errors="replace")
        if not hmac.compare_digest(given, self._secret):
            log.warning("webhook: refused a request without the right secret token")
            return web.Response(status=403)
        if not self._application.running:
            # Stopping: Telegram keeps the update and tries again (another instance, or us).
            return web.Response(status=503)
        update = _parse_update(await request.read(), self._application)
        if update is None:
            log.warning("webhook: refused a request whose body is not a Telegram update")
            return web.Response(status=400)
        await self._application.update_queue.put(update)
        return web.Response(status=200)

    async def _report_health(self, _request: web.Request) -> web.Response:
        services = services_of(self._application)
        try:
            database_ok = await asyncio.wait_for(
                asyncio.to_thread(database_is_reachable, services.store.engine),
                DATABASE_PROBE_TIMEOUT,
            )
        except TimeoutError:
            log.warning("health check: the database did not answer in time")
            database_ok = False
        report = assess(
            database_ok,
            dispatcher_of(self._application).last_tick_at,
            services.clock.now(),
            services.settings.dispatch_interval_seconds,
        )
        return web.json_response(
            report.as_json(),
            status=200 if report.healthy else 503,
            headers={"Cache-Control": "no-store"},
        )


def _parse_update(body: bytes, application: BotApplication) -> Update | None:
    """The update in a request body, or None if the body is not one."""
    try:
        data: Any = json.loads(body)
    except ValueError:  # also bad UTF-8
        return None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    try:
        return Update.de_json(data, application.bot)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


async def run_webhook(
    application: BotApplication,
    webhook: WebhookSettings,
    sock: socket.socket,
    stop: asyncio.Event | None = None,
) -> None:
    """Run the bot on a webhook until ``stop`` is set (by default: SIGINT or SIGTERM).

    The same steps as ``Application.run_polling``, with our server in the updater's place. The
    webhook stays registered when we stop, so Telegram keeps updates during a restart and
    delivers them to whichever instance answers.
    """
    if stop is None:
        stop = asyncio.Event()
    server = WebhookServer(application, webhook.path, webhook.secret)
    try:
        async with application:  # initialize() now, shutdown() at the end
            if application.post_init is not None:
                await application.post_init(application)
            await application.start()
            try:
                await server.start(sock)
                await _register_webhook(application, webhook)
                log.info("webhook mode: listening on port %d", server.port)
                with stopped_by_signals(stop):
                    await stop.wait()
                log.info("stopping")
            finally:
                await server.stop()  # no new updates; those already queued are still handled
                await application.stop()
                if application.post_stop is not None:
                    await application.post_stop(application)
    finally:
        sock.close()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def _register_webhook(application: BotApplication, webhook: WebhookSettings) -> None:
    try:
        await application.bot.set_webhook(
            webhook.url, secret_token=webhook.secret, allowed_updates=Update.ALL_TYPES
        )
    except BadRequest as error:
        raise WebhookError(f"Telegram refused WEBHOOK_URL: {error.message}") from None


@contextlib.contextmanager
def stopped_by_signals(stop: asyncio.Event) -> Iterator[None]:
    """SIGINT and SIGTERM set ``stop``, as run_polling's handlers stop its loop. Where signals
    cannot be caught (not the main thread, Windows) the caller's ``stop`` is the only way."""
    loop = asyncio.get_running_loop()
    installed = []
    for number in STOP_SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(number, stop.set)
            installed.append(number)
    try:
        yield
    finally:
        for number in installed:
            loop.remove_signal_handler(number)
