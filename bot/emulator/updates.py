"""The queue of pending updates and ``getUpdates`` long polling, with Telegram's semantics.

* Updates stay queued until confirmed: ``getUpdates`` with ``offset`` higher than their id.
* A negative offset keeps only the last ``-offset`` updates and forgets the rest.
* ``allowed_updates`` filters updates *as they are created* (so a change does not affect updates
  already queued), and an omitted value keeps the previous setting.
* A long poll returns as soon as an update arrives; a newer ``getUpdates`` terminates an older
  one still waiting with 409 Conflict, which is how Telegram reveals two running bot instances.
* While a webhook is set, the pusher takes the oldest update, and removes it once delivered.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, Final

from bot.emulator.errors import conflict
from bot.emulator.spec import UPDATE_KINDS

DEFAULT_EXCLUDED: Final = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
DEFAULT_ALLOWED: Final = frozenset(UPDATE_KINDS) - DEFAULT_EXCLUDED


class UpdateQueue:
    """Pending updates plus the wake-up machinery long polls wait on."""

    def __init__(self) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self._allowed: frozenset[str] = DEFAULT_ALLOWED
        self._allowed_list: list[str] = []
        self._wakeup = asyncio.Event()
        self._poll_generation = 0
        self._closed = False

    @property
    def pending_count(self) -> int:
        """Number of queued, unconfirmed updates."""
        return len(self._pending)

    @property
    def allowed_updates(self) -> list[str]:
        """The ``allowed_updates`` last set (empty list = Telegram's default set)."""
        return list(self._allowed_list)

    def pending(self) -> list[dict[str, Any]]:
        """A copy of the queued updates, oldest first."""
        return [dict(update) for update in self._pending]

    def push(self, kind: str, payload: dict[str, Any]) -> int:
        """Create an update; it is queued only if ``allowed_updates`` lets it through.

        Returns the update_id either way (Telegram assigns it regardless).
        """
        update_id = self._next_id
        self._next_id += 1
        if kind in self._allowed:
            self._pending.append({"update_id": update_id, kind: payload})
            self._notify()
        return update_id

    def oldest(self) -> dict[str, Any] | None:
        """A copy of the oldest queued update, the next a webhook is given."""
        return dict(self._pending[0]) if self._pending else None

    def remove(self, update_id: int) -> None:
        """A webhook accepted this update: forget it (no-op if already gone)."""
        self._pending = [u for u in self._pending if u["update_id"] != update_id]

    def wake(self) -> None:
        """Wake everyone waiting for news (the webhook changed); long polls just wait again."""
        self._notify()

    async def wait_for_change(self, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Return when an update arrives or ``wake`` is called, or after ``timeout`` seconds."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), timeout)

    def set_allowed(self, allowed: list[str]) -> None:
        """Apply ``allowed_updates`` (an empty list restores the default set)."""
        self._allowed_list = list(allowed)
        self._allowed = frozenset(allowed) if allowed else DEFAULT_ALLOWED

    def confirm(self, offset: int) -> None:
        """Forget updates below a positive offset, or all but the last ``-offset`` if negative."""
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]

    def drop_pending(self) -> None:
        """``drop_pending_updates=True``: forget everything queued."""
        self._pending.clear()

    def open(self) -> None:
        """Allow long polls to wait again (after a restart of the server)."""
        self._closed = False

    def close(self) -> None:
        """Release every waiting long poll with an empty result (server shutting down)."""
        self._closed = True
        self._notify()

    async def poll(self, offset: int, limit: int, wait: float) -> list[dict[str, Any]]:
        """``getUpdates``: confirm by ``offset``, then wait up to ``wait`` seconds for updates."""
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older poll still waiting must now end with 409
        self.confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(wait, 0.0)
        while True:
            if self._pending:
                return self.pending()[:limit]
            if self._closed:
                return []
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            wakeup = self._wakeup
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), remaining)
            if generation != self._poll_generation:
                raise conflict(
                    "terminated by other getUpdates request; "
                    "make sure that only one bot instance is running"
                )

    def _notify(self) -> None:
        """Wake every current waiter; later waiters get a fresh event."""
        self._wakeup.set()
        self._wakeup = asyncio.Event()
