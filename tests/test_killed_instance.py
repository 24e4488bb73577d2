"""Three dispatchers in three processes on one database send 5,000 due messages; one of them
is killed with SIGKILL halfway. Every message goes out once, apart from the one stated
exception: a message the killed process had in flight may go out twice, and is counted.

The rate limits are lifted (the workers send as fast as they can); time is simulated: the
workers' clocks are set by the test, so the killed process's lease runs out without waiting.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from bot.domain.planning import Kind, Status
from bot.localbot import LocalBot
from bot.storage import OutboxMessage
from tests.instances import seed_patients

MESSAGES = 5_000
NAMES = ("one", "two", "three")
VICTIM = "two"
LEASE = timedelta(seconds=60)
STARTUP_TIMEOUT = 120.0
TICK_TIMEOUT = 300.0


@dataclass
class Worker:
    """A dispatcher process (tests/dispatch_worker.py), ticked one moment at a time."""

    name: str
    process: asyncio.subprocess.Process

    @classmethod
    async def start(cls, name: str, environment: dict[str, str], first: datetime) -> Worker:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.dispatch_worker",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env={**environment, "INSTANCE_NAME": name},
        )
        worker = cls(name, process)
        worker.send(first)
        ready = await asyncio.wait_for(worker.read(), STARTUP_TIMEOUT)
        assert ready == {"ready": name}
        await asyncio.wait_for(worker.read(), TICK_TIMEOUT)  # its first tick
        return worker

    def send(self, moment: datetime) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{moment.isoformat()}\n".encode())

    async def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = await self.process.stdout.readline()
        assert line, f"worker {self.name} ended early (exit {self.process.returncode})"
        report: dict[str, Any] = json.loads(line)
        return report

    async def tick(self, moment: datetime) -> dict[str, Any]:
        self.send(moment)
        return await asyncio.wait_for(self.read(), TICK_TIMEOUT)

    async def close(self) -> None:
        if self.process.returncode is None and self.process.stdin is not None:
            self.process.stdin.close()
        await asyncio.wait_for(self.process.wait(), STARTUP_TIMEOUT)


def worker_environment(bot: LocalBot) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": bot.settings.database_url,
        "TELEGRAM_API_BASE_URL": bot.emulator.base_url,
        "TELEGRAM_API_FILE_URL": bot.emulator.base_file_url,
        "WORKER_TOKEN": bot.token,
        "WORKER_UNLIMITED": "1",
        "CLAIM_LEASE_SECONDS": str(int(LEASE.total_seconds())),
        "LOG_LEVEL": "WARNING",
    }


def checkins_by_status(bot: LocalBot, day_start: datetime) -> Counter[str]:
    with Session(bot.store().engine) as session:
        statuses = session.exec(
            select(OutboxMessage.status).where(
                OutboxMessage.kind == Kind.CHECKIN,
                col(OutboxMessage.due_at) >= day_start,
                col(OutboxMessage.due_at) < day_start + timedelta(days=1),
            )
        )
        return Counter(statuses)


def claimed_by(bot: LocalBot, instance: str) -> list[OutboxMessage]:
    with Session(bot.store().engine) as session:
        query = select(OutboxMessage).where(
            OutboxMessage.status == Status.SENDING, OutboxMessage.claimed_by == instance
        )
        return list(session.exec(query))


async def wait_for_messages(bot: LocalBot, count: int) -> None:
    """Until Telegram (the emulator) has received ``count`` messages from the bot."""
    events = bot.emulator.subscribe()
    try:
        while len(bot.emulator.calls_to("sendMessage")) < count:
            await asyncio.wait_for(events.get(), TICK_TIMEOUT)
    finally:
        bot.emulator.unsubscribe(events)


async def test_three_dispatchers_send_each_message_once_when_one_is_killed(local_bot: LocalBot):
    patients = seed_patients(local_bot, MESSAGES, checkin_at=time(9, 30))
    local_bot.emulator.strict_html = False  # speed: the templates are checked elsewhere
    start = local_bot.clock.now()  # 09:00 UTC
    day_start = start.replace(hour=0)
    due = start.replace(minute=30)
    environment = worker_environment(local_bot)
    workers = {
        name: await Worker.start(name, environment, start) for name in NAMES
    }  # each ticked once at 09:00: one of them planned everyone's check-ins
    try:
        assert checkins_by_status(local_bot, day_start) == {Status.PLANNED: MESSAGES}
        for worker in workers.values():  # a second before: everyone knows who is alive
            await worker.tick(due - timedelta(seconds=1))

        for worker in workers.values():
            worker.send(due)
        await wait_for_messages(local_bot, MESSAGES // 2)
        workers[VICTIM].process.send_signal(signal.SIGKILL)
        await workers[VICTIM].process.wait()
        claimed_when_killed = claimed_by(local_bot, VICTIM)
        survivors = [worker for name, worker in workers.items() if name != VICTIM]
        first_reports = [await asyncio.wait_for(w.read(), TICK_TIMEOUT) for w in survivors]
        # Claimed rows the victim had already handed to Telegram (at most the one in flight;
        # the others of its batch were still waiting their turn).
        in_flight = {
            row.patient_id
            for row in claimed_when_killed
            if local_bot.emulator.bot_messages(patients[row.patient_id])
        }

        # The victim's claims wait out their lease; then a survivor takes them over.
        taken_over = 0
        for moment in (due + timedelta(seconds=1), due + LEASE + timedelta(seconds=1)):
            for worker in survivors:
                taken_over += (await worker.tick(moment))["taken_over"]
    finally:
        for worker in workers.values():
            if worker.process.returncode is None:
                await worker.close()

    assert checkins_by_status(local_bot, day_start) == {Status.SENT: MESSAGES}
    assert taken_over == len(claimed_when_killed)
    assert len(in_flight) <= 1  # one message at a time is handed to Telegram
    per_chat = Counter(
        {user_id: len(local_bot.emulator.bot_messages(user_id)) for user_id in patients.values()}
    )
    assert min(per_chat.values()) == 1
    twice = {user_id for user_id, count in per_chat.items() if count == 2}
    assert twice == {patients[patient_id] for patient_id in in_flight}
    assert max(per_chat.values()) <= 2
    # The work was shared: each survivor sent part of it, and so did the victim.
    assert all(report["sent"] > 0 for report in first_reports)
    assert sum(report["sent"] for report in first_reports) < MESSAGES
