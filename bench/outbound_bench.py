"""Outbound delivery in real time: how fast due messages leave, whether any is lost or doubled,
and how long a crisis reply waits while they do (issue #11, points 7a and 7b).

Each run starts the real ``Application`` (handlers, storage, prompts, ``ReplyFirstRateLimiter``,
and the JobQueue waking ``Dispatcher.tick`` every ``DISPATCH_INTERVAL_SECONDS``) against the
package's Bot API emulator on 127.0.0.1, with a clock that runs in real time from 08:58 on a
Tuesday. N patients (one clinic, Europe/London, check-in at 09:00, joined the day before) are
bulk-inserted; the dispatcher's first tick plans everyone's check-ins as it would after a
deploy; then the clock is moved to 08:59:59.5 and the N check-ins fall due together. The run
ends when none of today's check-in rows is waiting or being sent.

Measured, from the emulator's own log of every request (``ApiCall.at`` is when the request
reached it):
  * rate: check-ins sent per second, counted from the moment they fell due (09:00:00) to the
    last one reaching the emulator, against Telegram's overall 30/s (``TELEGRAM_PER_SECOND``)
    and the dispatcher's 20/s (``SCHEDULED_PER_SECOND``); and the busiest one-second window;
  * lost / doubled: patients whose chat received no check-in, or more than one;
  * crisis replies (7b): while the check-ins are queued, patients chosen at random type
    "I want to end it all" at random moments; latency = from the update entering the emulator
    to the bot's crisis reply reaching it; p50/p95/p99/max.

Runs (``--runs``): ``default`` (20/s scheduled under 30/s overall, as shipped), ``max``
(scheduled 29/s, the most the settings allow), ``lifted`` (both limits lifted with
``settings.model_copy``, ``--lifted-patients`` patients: the engine's own ceiling).

    .venv/bin/python bench/outbound_bench.py                      # SQLite in a temp folder
    .venv/bin/python bench/outbound_bench.py --postgres postgresql+psycopg://postgres@127.0.0.1:55432/postgres
    .venv/bin/python bench/outbound_bench.py --runs default --patients 300 --crisis 10  # quick

Prints figures; asserts nothing (benchmarks are not tests).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from population import (
    FIRST_CLINICIAN_ID,
    FIRST_USER_ID,
    ShiftedClock,
    add_clinics,
    add_patients,
    bench_settings,
    drop_postgres,
    fresh_postgres,
    machine,
    peak_memory_mb,
    percentile,
    postgres_version,
    print_table,
    sqlite_version,
)
from sqlalchemy import func, select

from bot.app import build_application, dispatcher_of, services_of
from bot.domain.planning import Kind, Status
from bot.emulator import BotApiEmulator
from bot.localbot import (
    LOCAL_BOT_ID,
    LOCAL_BOT_USERNAME,
    POLL_TIMEOUT,
    TrackingUpdateProcessor,
    throwaway_token,
)
from bot.storage import OutboxMessage

ZONE = "Europe/London"
DAY = date(2026, 3, 10)  # a Tuesday; London is on GMT, no clock change near it
CHECKIN_AT = clock_time(9, 0)
CRISIS_TEXT = "I want to end it all"
CHECKIN_MARK = "time for today's check-in"  # prompts/messages/checkin_due.html
CRISIS_MARK = "Thank you for telling me"  # prompts/messages/crisis.html
RUNS = {
    "default": {},  # 20/s scheduled, 30/s overall: as shipped
    "max": {"scheduled_per_second": 29},
    "lifted": {"scheduled_per_second": 1_000_000, "telegram_per_second": 1_000_000},
}


@dataclass
class Result:
    run: str
    patients: int
    scheduled: int
    overall: int
    planning_s: float = 0.0
    checkins: int = 0
    lost: int = 0
    doubled: int = 0
    first_after_due_s: float = 0.0
    last_after_due_s: float = 0.0
    rate: float = 0.0
    busiest_second: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    crisis: list[float] = field(default_factory=list)
    crisis_missing: int = 0
    memory_mb: float = 0.0


async def run_once(name: str, patients: int, crisis: int, database_url: str, seed: int) -> Result:
    due = datetime.combine(DAY, CHECKIN_AT, ZoneInfo(ZONE)).astimezone(UTC)
    clock = ShiftedClock(due - timedelta(minutes=2))
    emulator = BotApiEmulator(
        bot_id=LOCAL_BOT_ID, bot_username=LOCAL_BOT_USERNAME, now=clock.timestamp
    )
    await emulator.start()
    settings = bench_settings(
        database_url,
        telegram_api_base_url=emulator.base_url,
        telegram_api_file_url=emulator.base_file_url,
        **RUNS[name],
    )
    result = Result(name, patients, settings.scheduled_per_second, settings.telegram_per_second)
    processor = TrackingUpdateProcessor()
    application = build_application(
        settings, clock, token=throwaway_token(), update_processor=processor
    )
    services = services_of(application)
    engine = services.store.engine
    started = time.perf_counter()
    [clinic_id] = add_clinics(engine, 1, due - timedelta(days=30))
    add_patients(
        engine,
        count=patients,
        clinic_ids=[clinic_id],
        zones=[ZONE],
        checkin_times=[CHECKIN_AT],
        onboarded_at=due - timedelta(days=1),
        consent_version=services.onboarding.consent_version,
    )
    for n in range(patients):
        emulator.ensure_user(FIRST_USER_ID + n, f"Pat{n}")
    emulator.ensure_user(FIRST_CLINICIAN_ID, "Dr Bench 1")
    print(f"  {patients:,} patients loaded in {time.perf_counter() - started:.1f} s", flush=True)

    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    started = time.perf_counter()
    await application.start()  # starts the JobQueue: the first tick plans everyone
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0.0, timeout=POLL_TIMEOUT)
    dispatcher = dispatcher_of(application)
    while dispatcher.last_tick_at is None:  # noqa: ASYNC110 - the bot's own state, polled
        await asyncio.sleep(0.05)
    result.planning_s = time.perf_counter() - started
    print(f"  first tick (plans everyone) took {result.planning_s:.1f} s", flush=True)

    clock.jump_to(due - timedelta(seconds=0.5))
    rng = random.Random(seed)
    expected = patients / min(settings.scheduled_per_second, settings.telegram_per_second, 200)
    senders = rng.sample(range(patients), min(crisis, patients))
    moments = sorted(rng.uniform(0.5, 0.9 * expected) for _ in senders)
    typed: list[tuple[int, float, int]] = []  # (user id, when queued, update id)

    async def type_crisis_messages() -> None:
        begun = time.perf_counter()
        for sender, moment in zip(senders, moments, strict=True):
            await asyncio.sleep(max(0.0, moment + 0.5 - (time.perf_counter() - begun)))
            user_id = FIRST_USER_ID + sender
            at = clock.timestamp()
            typed.append((user_id, at, emulator.send_text(user_id, CRISIS_TEXT, f"Pat{sender}")))

    typing = asyncio.create_task(type_crisis_messages())
    deadline = time.perf_counter() + 3 * expected + 120
    waiting = (
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.kind == Kind.CHECKIN,
            OutboxMessage.local_date == DAY,
            OutboxMessage.status.in_([Status.PLANNED, Status.SENDING]),  # type: ignore[attr-defined]
        )
    )
    last_report = time.perf_counter()
    while time.perf_counter() < deadline:
        await asyncio.sleep(0.5)
        with engine.connect() as connection:
            left = connection.execute(waiting).scalar_one()
        if time.perf_counter() - last_report > 15:
            print(f"  {patients - left:,} of {patients:,} out", flush=True)
            last_report = time.perf_counter()
        if left == 0 and typing.done():
            break
    await typing
    for _user, _at, update_id in typed:
        async with asyncio.timeout(60):
            await processor.wait_until_processed(update_id)
    result.memory_mb = peak_memory_mb()

    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
    calls = [call for call in emulator.calls_to("sendMessage") if call.ok]
    await emulator.stop()

    checkins = [c for c in calls if CHECKIN_MARK in str(c.params.get("text", ""))]
    per_chat = Counter(int(c.params["chat_id"]) for c in checkins)
    result.checkins = len(checkins)
    result.lost = sum(1 for n in range(patients) if per_chat[FIRST_USER_ID + n] == 0)
    result.doubled = sum(1 for count in per_chat.values() if count > 1)
    moments_sent = sorted(c.at for c in checkins)
    if moments_sent:
        due_at = due.timestamp()
        result.first_after_due_s = moments_sent[0] - due_at
        result.last_after_due_s = moments_sent[-1] - due_at
        # What patients see: all of them, over the time from 09:00 to the last one out.
        result.rate = len(moments_sent) / max(result.last_after_due_s, 1e-9)
        result.busiest_second = max(Counter(int(at - due_at) for at in moments_sent).values())
    for user_id, at, _update in typed:
        replies = [
            c.at
            for c in calls
            if int(c.params["chat_id"]) == user_id
            and c.at >= at
            and CRISIS_MARK in str(c.params.get("text", ""))
        ]
        if replies:
            result.crisis.append(min(replies) - at)
        else:
            result.crisis_missing += 1
    with engine.connect() as connection:
        query = (
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.kind == Kind.CHECKIN, OutboxMessage.local_date == DAY)
            .group_by(OutboxMessage.status)
        )
        result.statuses = {status: count for status, count in connection.execute(query)}
    engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=3_000, help="for the limited runs")
    parser.add_argument("--lifted-patients", type=int, default=10_000)
    parser.add_argument("--crisis", type=int, default=36, help="crisis messages per run")
    parser.add_argument("--runs", default="default,max,lifted", help="default,max,lifted")
    parser.add_argument("--postgres", metavar="SERVER_URL", help="use PostgreSQL (bench_outbound)")
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    logging.getLogger("bot.domain.safety_events").setLevel(logging.ERROR)  # one per crisis

    print(f"machine: {machine()}")
    results = []
    for name in options.runs.split(","):
        patients = options.lifted_patients if name == "lifted" else options.patients
        crisis = 0 if name == "lifted" else options.crisis
        print(f"run {name}: {patients:,} check-ins due at once, {crisis} crisis messages")
        if options.postgres:
            url = fresh_postgres(options.postgres, "bench_outbound")
            database = f"PostgreSQL {postgres_version(url)}"
            try:
                results.append(asyncio.run(run_once(name, patients, crisis, url, options.seed)))
            finally:
                drop_postgres(options.postgres, "bench_outbound")
        else:
            database = f"SQLite {sqlite_version()}"
            with tempfile.TemporaryDirectory() as folder:
                url = f"sqlite:///{Path(folder) / 'bench.db'}"
                results.append(asyncio.run(run_once(name, patients, crisis, url, options.seed)))
    print(f"\ndatabase: {database}\n")
    print_table(
        [
            "run", "check-ins", "limits (sched./overall)", "first tick", "rate /s",
            "% of 30/s", "% of 20/s", "busiest second", "last out after due", "lost", "doubled",
        ],
        [
            [
                r.run, f"{r.patients:,}",
                f"{r.scheduled}/{r.overall}" if r.scheduled < 1000 else "lifted",
                f"{r.planning_s:.1f} s", f"{r.rate:.1f}", f"{100 * r.rate / 30:.0f}%",
                f"{100 * r.rate / 20:.0f}%", r.busiest_second, f"{r.last_after_due_s:.1f} s",
                r.lost, r.doubled,
            ]
            for r in results
        ],
    )  # fmt: skip
    print()
    rows = []
    for r in results:
        if not r.crisis and not r.crisis_missing:
            continue
        values = sorted(r.crisis)
        rows.append(
            [
                r.run, len(values) + r.crisis_missing, r.crisis_missing,
                *(f"{1000 * percentile(values, p):.0f} ms" for p in (0.5, 0.95, 0.99)),
                f"{1000 * max(values):.0f} ms" if values else "-",
                f"{1000 * statistics.mean(values):.0f} ms" if values else "-",
            ]
        )  # fmt: skip
    if rows:
        print_table(
            ["run", "crisis messages", "unanswered", "p50", "p95", "p99", "max", "mean"], rows
        )
        print()
    for r in results:
        print(
            f"{r.run}: outbox check-in rows by status {r.statuses}; peak RSS {r.memory_mb:.0f} MB"
        )


if __name__ == "__main__":
    main()
