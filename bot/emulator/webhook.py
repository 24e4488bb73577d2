"""Pushing updates to a webhook on this machine, as Telegram pushes them to a bot's public URL.

The emulator never connects to another machine: a webhook URL whose host is not 127.0.0.1,
::1 or localhost is stored and never called (its updates stay pending, visible in
getWebhookInfo). For a loopback URL every update is POSTed as JSON, one at a time and oldest
first, with the ``X-Telegram-Bot-Api-Secret-Token`` header given to setWebhook. A 2xx answer
confirms the update; anything else (or no answer) keeps it, is recorded as getWebhookInfo's
``last_error_message``, and the update is tried again after ``retry_delay`` seconds, or sooner
when something changes (a new update, setWebhook). Unlike Telegram it never gives up.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from ipaddress import ip_address
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import aiohttp

if TYPE_CHECKING:
    from bot.emulator.state import EmulatorState

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_RETRY_DELAY = 1.0
REQUEST_TIMEOUT = 10.0
_LOGGER = logging.getLogger(__name__)


def is_loopback_url(url: str) -> bool:
    """Whether the URL's host is this machine: the only webhooks the emulator calls."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


class WebhookPusher:
    """Delivers pending updates to a loopback webhook while one is set."""

    def __init__(self, state: EmulatorState) -> None:
        self._state = state
        self._task: asyncio.Task[None] | None = None
        self.retry_delay = DEFAULT_RETRY_DELAY

    @property
    def active(self) -> bool:
        """Whether updates are being pushed (a loopback webhook is set and the server runs)."""
        return self._task is not None and not self._task.done()

    def follow(self) -> None:
        """Start or stop pushing to match the current webhook; call after every change."""
        if self._target() is not None and not self.active:
            self._task = asyncio.get_running_loop().create_task(self._run())
        self._state.updates.wake()

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _target(self) -> tuple[str, str | None] | None:
        webhook = self._state.webhook
        if webhook.url and is_loopback_url(webhook.url):
            return webhook.url, webhook.secret_token
        return None

    async def _run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while (target := self._target()) is not None:
                update = self._state.updates.oldest()
                if update is None:
                    await self._state.updates.wait_for_change()
                elif await self._deliver(session, *target, update):
                    self._state.updates.remove(update["update_id"])
                else:
                    await self._state.updates.wait_for_change(self.retry_delay)

    async def _deliver(
        self,
        session: aiohttp.ClientSession,
        url: str,
        secret: str | None,
        update: dict[str, Any],
    ) -> bool:
        headers = {"Content-Type": "application/json"}
        if secret:
            headers[SECRET_HEADER] = secret
        body = json.dumps(update, ensure_ascii=False).encode()
        try:
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return True
                error = f"Wrong response from the webhook: {response.status} {response.reason}"
        except TimeoutError:
            error = "Read timeout expired"
        except aiohttp.ClientConnectorError:
            error = "Connection refused"
        except (aiohttp.ClientError, ValueError) as exc:  # ValueError: a URL aiohttp refuses
            error = f"Connection failed: {type(exc).__name__}"
        _LOGGER.debug("webhook delivery of update %s failed: %s", update["update_id"], error)
        self._state.webhook.last_error_date = self._state.unix_now()
        self._state.webhook.last_error_message = error
        return False
