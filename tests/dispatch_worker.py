"""One copy of the bot's dispatcher in a process of its own, driven over stdin by a test.

Each input line is a moment (ISO 8601, UTC): the worker sets its clock there, runs one tick and
prints the tick's report as one JSON line. It ends at end of input. It never polls for updates
(one copy does that); it shares the sending. Settings come from the environment like the real
bot's, with two lifted limits for the test: WORKER_UNLIMITED=1 sends as fast as it can.

    python -m tests.dispatch_worker   # DATABASE_URL, TELEGRAM_API_BASE_URL, INSTANCE_NAME, ...
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import sys
from datetime import datetime

from bot.app import build_application, dispatcher_of
from bot.clock import ManualClock
from bot.config import load_settings

UNLIMITED = 1_000_000


async def serve(lines: asyncio.Queue[str | None]) -> None:
    settings = load_settings(env_file=None)
    if os.environ.get("WORKER_UNLIMITED") == "1":
        settings = settings.model_copy(
            update={"scheduled_per_second": UNLIMITED, "telegram_per_second": UNLIMITED}
        )
    first = await lines.get()
    if first is None:
        return
    clock = ManualClock(datetime.fromisoformat(first))
    application = build_application(
        settings, clock, token=os.environ["WORKER_TOKEN"], dispatch_on_timer=False
    )
    await application.initialize()
    dispatcher = dispatcher_of(application)
    print(json.dumps({"ready": dispatcher.instance}), flush=True)
    moment: str | None = first
    while moment is not None:
        report = await dispatcher.tick(clock.set(datetime.fromisoformat(moment)))
        print(json.dumps(dataclasses.asdict(report), default=str), flush=True)
        moment = await lines.get()
    await application.shutdown()


async def main() -> None:
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def read() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(lines.put_nowait, line.strip())
        loop.call_soon_threadsafe(lines.put_nowait, None)

    loop.run_in_executor(None, read)
    await serve(lines)


if __name__ == "__main__":
    asyncio.run(main())
