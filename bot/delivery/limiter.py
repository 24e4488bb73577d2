"""Telegram's rate limits, with replies to people ahead of scheduled messages.

python-telegram-bot's ``AIORateLimiter`` retries a 429 inside the request and, while it waits,
holds back *every* other request, so one scheduled message hitting the limit would delay a
crisis reply. Here a scheduled send (marked with ``rate_limit_args=SCHEDULED``) never waits
inside the limiter: its 429 goes back to the dispatcher, which puts the row back in the outbox
for the time Telegram named. Replies still retry a 429 themselves, and only the reply that was
refused waits. The dispatcher sends at most ``scheduled_per_second`` a second (20 by default),
which leaves head-room under Telegram's 30 a second for replies.

With several instances, Telegram's limit is still one budget for the whole bot: each
instance takes an equal share of it (``share_among``), and of the scheduled budget.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

SCHEDULED = -1  # rate_limit_args marking a send from the outbox
OVERALL_PER_SECOND = 30
REPLY_RETRIES = 3

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


class ReplyFirstRateLimiter(BaseRateLimiter[int]):
    def __init__(self, overall_per_second: int = OVERALL_PER_SECOND) -> None:
        self._limit = overall_per_second
        self._instances = 1
        self._overall = AsyncLimiter(overall_per_second, 1)

    @property
    def per_second(self) -> float:
        """This instance's share of the bot's overall limit."""
        return self._limit / self._instances

    def share_among(self, instances: int) -> None:
        """``instances`` copies of the bot are running: take one equal share of the limit.
        Requests already waiting finish under the old share."""
        instances = max(1, instances)
        if instances != self._instances:
            self._instances = instances
            self._overall = AsyncLimiter(self.per_second, 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        retries = 0 if rate_limit_args == SCHEDULED else REPLY_RETRIES
        for attempt in range(retries + 1):
            async with self._overall:
                try:
                    return await callback(*args, **kwargs)
                except RetryAfter as refused:
                    if attempt == retries:
                        raise
                    wait = retry_after_seconds(refused)
            log.info("Telegram asked to wait %.0f s before %s; retrying", wait, endpoint)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")


def retry_after_seconds(refused: RetryAfter) -> float:
    # The public property warns when it holds a plain number of seconds.
    value = refused._retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
