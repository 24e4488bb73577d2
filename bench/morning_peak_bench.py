"""The morning peak in simulated time: 100,000 patients whose check-in is at 09:00 in one zone
(issue #11, point 7d). How late does the last one go out, in what order, and does anyone wait
disproportionately?

The real storage, planner and ``Dispatcher`` run with a ``ManualClock``; the patients are
bulk-inserted (onboarded the day before, Europe/London, 09:00) and the dispatcher's own first
tick, at 08:50, plans everyone's check-ins as it would after a deploy. From 09:00:00 the clock
advances one simulated second per tick (the JobQueue's cadence) until no check-in of the day is
waiting. Sending rate: ``SCHEDULED_PER_SECOND`` at the default 20/s and at 30/s (Telegram's
whole limit, set with ``settings.model_copy`` because the settings cap it at 29).

The dispatcher sends through a stand-in ``Bot`` whose ``send_message`` only records the chat
and the simulated time: pushing 100k real requests through the emulator over HTTP would measure
HTTP (see bench/outbound_bench.py for that), while the question here is ordering and lateness,
which the dispatcher alone decides. Everything else (claiming, ``compose()``, recording the
send, planning the reminder) is the real code on a real database.

The SQLite file lives in /dev/shm (memory) by default: each message takes about a dozen short
transactions, and on a disk their fsyncs alone would make 100k sends take over an hour of real
time without changing a single simulated figure (``--folder`` puts it elsewhere).

Fairness: rows due at one moment are claimed in an order that turns every day
(``daily_turn``); the script reports how many of today's last tenth would be among the last
tenth again tomorrow, from the order the dispatcher will claim tomorrow's rows in.

Simulated time hides how long each tick takes for real: the script also prints the real
seconds the run took and the slowest real tick (the ones that re-plan everyone, every
``PLAN_EVERY`` = 10 simulated minutes), which in production would push the whole peak later.

    .venv/bin/python bench/morning_peak_bench.py                 # both rates, 100k, SQLite
    .venv/bin/python bench/morning_peak_bench.py --patients 20000 --rates 30
    .venv/bin/python bench/morning_peak_bench.py --postgres postgresql+psycopg://postgres@127.0.0.1:55432/postgres

Prints figures; asserts nothing (benchmarks are not tests).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from population import (
    FIRST_USER_ID,
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

from bot.app import load_content
from bot.clock import ManualClock
from bot.delivery import Dispatcher
from bot.domain.planning import Kind, Status
from bot.prompts import load_prompts
from bot.services import build_services
from bot.storage import OutboxMessage, Store, create_database_engine, prepare_schema
from bot.storage.outbox import daily_turn

ZONE = "Europe/London"
DAY = date(2026, 3, 10)  # a Tuesday; London is on GMT
CHECKIN_AT = clock_time(9, 0)
CLINICS = 20


class RecordingBot:
    """Stands in for ``telegram.Bot``: records each send at the simulated time, sends nothing."""

    def __init__(self, clock: ManualClock) -> None:
        self._clock = clock
        self.sent: list[tuple[int, datetime]] = []

    async def send_message(self, chat_id: int, text: str, **_options: Any) -> SimpleNamespace:
        self.sent.append((chat_id, self._clock.now()))
        return SimpleNamespace(message_id=len(self.sent))


@dataclass
class Peak:
    rate: int
    patients: int
    first_tick_s: float = 0.0
    real_s: float = 0.0
    slowest_tick_s: float = 0.0
    ticks: int = 0
    lateness: list[float] = field(default_factory=list)  # simulated seconds after 09:00
    per_minute: list[int] = field(default_factory=list)
    lost: int = 0
    doubled: int = 0
    last_tenth_again: float = 0.0  # of today's last tenth, the share last again tomorrow
    memory_mb: float = 0.0


async def run_peak(rate: int, patients: int, database_url: str) -> Peak:
    due = datetime.combine(DAY, CHECKIN_AT, ZoneInfo(ZONE)).astimezone(UTC)
    clock = ManualClock(due - timedelta(minutes=10))
    settings = bench_settings(database_url, scheduled_per_second=rate)
    prompts = load_prompts(settings.prompts_dir, settings.crisis_region, settings.clinic_contact)
    engine = create_database_engine(database_url)
    prepare_schema(engine)
    services = build_services(settings, clock, Store(engine), prompts, load_content(settings))
    clinic_ids = add_clinics(engine, CLINICS, due - timedelta(days=365))
    ids = add_patients(
        engine,
        count=patients,
        clinic_ids=clinic_ids,
        zones=[ZONE],
        checkin_times=[CHECKIN_AT],
        onboarded_at=due - timedelta(days=1),
        consent_version=prompts.consent_version,
        progress=patients >= 50_000,
    )
    bot = RecordingBot(clock)
    dispatcher = Dispatcher(services, bot)  # type: ignore[arg-type]
    result = Peak(rate, patients)
    started = time.perf_counter()
    await dispatcher.tick(clock.now())  # 08:50: plans everyone (today's and tomorrow's rows)
    result.first_tick_s = time.perf_counter() - started
    print(f"  first tick (plans {patients:,} patients): {result.first_tick_s:.1f} s", flush=True)

    waiting = (
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.kind == Kind.CHECKIN,
            OutboxMessage.local_date == DAY,
            OutboxMessage.status.in_([Status.PLANNED, Status.SENDING]),  # type: ignore[attr-defined]
        )
    )
    clock.set(due)
    started = time.perf_counter()
    while True:
        tick_started = time.perf_counter()
        await dispatcher.tick(clock.now())
        result.slowest_tick_s = max(result.slowest_tick_s, time.perf_counter() - tick_started)
        result.ticks += 1
        if result.ticks % 300 == 0:
            with engine.connect() as connection:
                left = connection.execute(waiting).scalar_one()
            print(
                f"  {clock.now():%H:%M:%S}: {len(bot.sent):,} sent, {left:,} waiting "
                f"({time.perf_counter() - started:.0f} s real)",
                flush=True,
            )
            if left == 0:
                break
        elif len(bot.sent) >= patients:
            with engine.connect() as connection:
                if connection.execute(waiting).scalar_one() == 0:
                    break
        clock.advance(timedelta(seconds=1))
    result.real_s = time.perf_counter() - started
    result.memory_mb = peak_memory_mb()

    order = {FIRST_USER_ID + n: n for n in range(patients)}  # patient order = row id order
    checkins = [(chat, at) for chat, at in bot.sent if chat in order]
    per_chat = Counter(chat for chat, _ in checkins)
    result.lost = patients - len(per_chat)
    result.doubled = sum(1 for count in per_chat.values() if count > 1)
    result.lateness = sorted((at - due).total_seconds() for _, at in checkins)
    minutes = Counter(int((at - due).total_seconds() // 60) for _, at in checkins)
    result.per_minute = [minutes[m] for m in range(max(minutes) + 1)] if minutes else []
    # Tomorrow's rows in the order the dispatcher will claim them (due time, then the turn
    # of that day): are today's last patients the last again?
    tenth = max(1, patients // 10)
    last_today = {chat - FIRST_USER_ID for chat, _ in checkins[-tenth:]}
    with engine.connect() as connection:
        tomorrow = list(
            connection.execute(
                select(OutboxMessage.patient_id)
                .where(
                    OutboxMessage.kind == Kind.CHECKIN,
                    OutboxMessage.local_date == DAY + timedelta(days=1),
                )
                .order_by(
                    OutboxMessage.due_at, daily_turn(due + timedelta(days=1)), OutboxMessage.id
                )
            ).scalars()
        )
    position_of = {patient_id: n for n, patient_id in enumerate(ids)}
    last_tomorrow = {position_of[patient_id] for patient_id in tomorrow[-tenth:]}
    result.last_tenth_again = len(last_today & last_tomorrow) / tenth
    engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--rates", default="20,30", help="scheduled sends per second to try")
    parser.add_argument("--postgres", metavar="SERVER_URL", help="use PostgreSQL (bench_peak)")
    parser.add_argument(
        "--folder",
        default="/dev/shm" if Path("/dev/shm").is_dir() else None,
        help="where the SQLite file lives (default: memory-backed /dev/shm, see above)",
    )
    options = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    print(f"machine: {machine()}")
    results = []
    for rate in (int(value) for value in options.rates.split(",")):
        print(f"{options.patients:,} check-ins due at 09:00 {ZONE}, {rate}/s")
        if options.postgres:
            url = fresh_postgres(options.postgres, "bench_peak")
            database = f"PostgreSQL {postgres_version(url)}"
            try:
                results.append(asyncio.run(run_peak(rate, options.patients, url)))
            finally:
                drop_postgres(options.postgres, "bench_peak")
        else:
            database = f"SQLite {sqlite_version()}"
            with tempfile.TemporaryDirectory(dir=options.folder) as folder:
                url = f"sqlite:///{Path(folder) / 'bench.db'}"
                results.append(asyncio.run(run_peak(rate, options.patients, url)))
    print(f"\ndatabase: {database}; stand-in Bot (records sends, no HTTP)\n")

    def clock_of(seconds: float) -> str:
        return f"{int(seconds // 60)} min {seconds % 60:02.0f} s"

    print_table(
        [
            "rate", "check-ins", "last out after 09:00", "median wait", "p90 wait", "lost",
            "doubled", "today's last tenth last again tomorrow",
        ],
        [
            [
                f"{r.rate}/s", f"{r.patients:,}", clock_of(r.lateness[-1]),
                clock_of(percentile(r.lateness, 0.5)), clock_of(percentile(r.lateness, 0.9)),
                r.lost, r.doubled,
                f"{r.last_tenth_again:.0%}",
            ]
            for r in results
        ],
    )  # fmt: skip
    print()
    print_table(
        ["rate", "first tick (real)", "peak run (real)", "simulated ticks", "slowest tick (real)",
         "sent per simulated minute (first, middle, last)", "peak RSS"],
        [
            [
                f"{r.rate}/s", f"{r.first_tick_s:.0f} s", f"{r.real_s:.0f} s", f"{r.ticks:,}",
                f"{r.slowest_tick_s:.1f} s",
                ", ".join(str(r.per_minute[i]) for i in (0, len(r.per_minute) // 2, -1)),
                f"{r.memory_mb:.0f} MB",
            ]
            for r in results
        ],
    )  # fmt: skip


if __name__ == "__main__":
    main()
