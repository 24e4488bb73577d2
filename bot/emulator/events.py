"""Fan-out of bot-side changes to subscribers (the try-it console, ``wait_for_bot_message``)."""

from __future__ import annotations

import asyncio
import dataclasses

from bot.emulator.models import ChatEvent


class EventHub:
    """Each subscriber gets its own unbounded queue and its own snapshot of every message."""

    def __init__(self) -> None:
        self._queues: list[asyncio.Queue[ChatEvent]] = []

    def subscribe(self) -> asyncio.Queue[ChatEvent]:
        """A new queue that receives every event published from now on."""
        queue: asyncio.Queue[ChatEvent] = asyncio.Queue()
        self._queues.append(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[ChatEvent]) -> None:
        """Stop delivering to ``queue`` (unknown queues are ignored)."""
        if queue in self._queues:
            self._queues.remove(queue)

    def publish(self, event: ChatEvent) -> None:
        """Deliver ``event``; messages are copied so later edits don't rewrite history."""
        for queue in self._queues:
            message = event.message.snapshot() if event.message is not None else None
            queue.put_nowait(dataclasses.replace(event, message=message))
