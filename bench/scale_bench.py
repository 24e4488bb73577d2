"""Scale on PostgreSQL: 100,000 patients with 3 million check-ins (issue #11, point 7c).

Loads, in a child process (so its memory does not count), 100k onboarded patients across 20
clinics (one clinician each) in four zones (London, Berlin, New York, Los Angeles), check-in
times spread over every minute from 07:00 to 21:59, and 30 daily check-ins each up to
yesterday (PostgreSQL COPY). Then runs the real bot (``LocalBot``: the Application against the
emulator on 127.0.0.1, with a ManualClock at 12:00:30 UTC on a Tuesday) and times:

  * the first dispatcher tick after start-up: plans today's and tomorrow's rows for everyone
    (the real planner writes them) and looks for silent patients, then sends what is due;
  * steady ticks, one simulated second apart (nothing to plan: mark missed, claim, send);
  * the re-planning tick that ``PLAN_EVERY`` (10 min) brings, when every row already exists;
  * a clinician's roster (``/patients``, first page, a clinic of 5,000): the domain call that
    builds it, and the whole command through the emulator; and the clinician's daily digest;
  * peak resident memory (``ru_maxrss``) after each phase.

``--profile`` runs the re-planning tick and the roster under cProfile and prints the hot spots.

    .venv/bin/python bench/scale_bench.py                      # load (several minutes) and run
    .venv/bin/python bench/scale_bench.py --skip-load --keep   # reuse the loaded database
    .venv/bin/python bench/scale_bench.py --patients 10000 --profile

Creates and (unless ``--keep``) drops its own database (``--database``, default bench_scale) on
``--server``. Prints figures; asserts nothing (benchmarks are not tests).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import pstats
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from io import StringIO

from population import (
    DEFAULT_POSTGRES,
    FIRST_CLINICIAN_ID,
    FIRST_USER_ID,
    add_checkins,
    add_clinics,
    add_patients,
    bench_settings,
    drop_postgres,
    fresh_postgres,
    machine,
    peak_memory_mb,
    postgres_version,
    print_table,
)
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.app import services_of
from bot.clock import ManualClock
from bot.localbot import LocalBot
from bot.prompts import load_prompts
from bot.storage import CheckIn, Patient, create_database_engine

MOMENT = datetime(2026, 3, 10, 12, 0, 30, tzinfo=UTC)  # a Tuesday, no clock change near it
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles"]
CHECKIN_TIMES = [clock_time(7 + m // 60, m % 60) for m in range(15 * 60)]  # 07:00-21:59
STEADY_TICKS = 10
PAGE_SIZE = 10


def database_url(options: argparse.Namespace) -> str:
    return (
        make_url(options.server)
        .set(database=options.database)
        .render_as_string(hide_password=False)
    )


def load(options: argparse.Namespace) -> None:
    """The child process: a fresh database with everyone in it."""
    started = time.perf_counter()
    url = fresh_postgres(options.server, options.database)
    settings = bench_settings(url)
    consent_version = load_prompts(settings.prompts_dir, settings.crisis_region).consent_version
    engine = create_database_engine(url)
    clinic_ids = add_clinics(engine, options.clinics, MOMENT - timedelta(days=365))
    ids = add_patients(
        engine,
        count=options.patients,
        clinic_ids=clinic_ids,
        zones=ZONES,
        checkin_times=CHECKIN_TIMES,
        onboarded_at=MOMENT - timedelta(days=options.days + 1),
        consent_version=consent_version,
        progress=True,
    )
    print(f"  {len(ids):,} patients in {time.perf_counter() - started:.0f} s", flush=True)
    yesterday = (MOMENT - timedelta(days=1)).date()
    written = add_checkins(engine, ids, options.days, yesterday, progress=True)
    print(f"  {written:,} check-ins; loaded in {time.perf_counter() - started:.0f} s", flush=True)
    engine.dispose()


def profiled(profile: cProfile.Profile | None, title: str, lines: int = 14) -> None:
    if profile is None:
        return
    out = StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(lines)
    print(f"\n--- cProfile: {title} (cumulative) ---")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])


async def measure(options: argparse.Namespace) -> None:
    url = database_url(options)
    settings = bench_settings(url)
    clock = ManualClock(MOMENT)
    local_bot = LocalBot(settings, clock)
    engine = create_database_engine(url)
    with engine.connect() as connection:
        patients = connection.execute(select(func.count()).select_from(Patient)).scalar_one()
        checkins = connection.execute(select(func.count()).select_from(CheckIn)).scalar_one()
    engine.dispose()
    for n in range(patients):
        local_bot.emulator.ensure_user(FIRST_USER_ID + n, f"Pat{n}")
    print(f"database: {patients:,} patients, {checkins:,} check-ins")
    rows: list[list[object]] = []
    memory_before = peak_memory_mb()
    await local_bot.start()
    rows.append(["bot started", "", f"{peak_memory_mb():.0f} MB"])

    started = time.perf_counter()
    report = await local_bot.tick()
    first = time.perf_counter() - started
    rows.append(
        ["first tick (plans everyone)", f"{first:.1f} s, sent {report.sent}",
         f"{peak_memory_mb():.0f} MB"]
    )  # fmt: skip
    print(f"  first tick: {first:.1f} s", flush=True)

    steady = []
    sent = 0
    for _ in range(STEADY_TICKS):
        clock.advance(timedelta(seconds=1))
        started = time.perf_counter()
        report = await local_bot.tick()
        steady.append(time.perf_counter() - started)
        sent += report.sent
    rows.append(
        [f"steady tick (median of {STEADY_TICKS}, max)",
         f"{1000 * statistics.median(steady):.0f} ms, {1000 * max(steady):.0f} ms; sent {sent}",
         f"{peak_memory_mb():.0f} MB"]
    )  # fmt: skip

    clock.advance(timedelta(minutes=10))
    profile = cProfile.Profile() if options.profile else None
    started = time.perf_counter()
    if profile:
        profile.enable()
    report = await local_bot.tick()
    if profile:
        profile.disable()
    replan = time.perf_counter() - started
    rows.append(
        ["re-planning tick (every 10 min)", f"{replan:.1f} s, sent {report.sent}",
         f"{peak_memory_mb():.0f} MB"]
    )  # fmt: skip
    print(f"  re-planning tick: {replan:.1f} s", flush=True)
    profiled(profile, "re-planning tick")

    started = time.perf_counter()
    services_of(local_bot.application).scheduler.plan_everyone()
    rows.append(
        ["of which planning everyone (Scheduler.plan_everyone alone)",
         f"{time.perf_counter() - started:.1f} s", f"{peak_memory_mb():.0f} MB"]
    )  # fmt: skip

    summaries = services_of(local_bot.application).clinic_summaries
    clinics = services_of(local_bot.application).clinics
    clinician = clinics.clinician(FIRST_CLINICIAN_ID)
    assert clinician is not None
    timings = []
    profile = cProfile.Profile() if options.profile else None
    for attempt in range(3):
        started = time.perf_counter()
        if profile and attempt == 0:
            profile.enable()
        size = summaries.page(clinician, 1, PAGE_SIZE).total
        if profile and attempt == 0:
            profile.disable()
        timings.append(time.perf_counter() - started)
    rows.append(
        [f"roster page 1 in the domain ({size:,} patients; best, worst of 3)",
         f"{1000 * min(timings):.0f} ms, {1000 * max(timings):.0f} ms",
         f"{peak_memory_mb():.0f} MB"]
    )  # fmt: skip
    profiled(profile, "roster page")

    started = time.perf_counter()
    profile = cProfile.Profile() if options.profile else None
    if profile:
        profile.enable()
    digest = summaries.digest(clinician, clock.now())
    if profile:
        profile.disable()
    rows.append(
        [f"a clinician's daily digest ({len(digest['not_checked_in']):,} not checked in)",
         f"{1000 * (time.perf_counter() - started):.0f} ms", f"{peak_memory_mb():.0f} MB"]
    )  # fmt: skip
    profiled(profile, "digest")

    emulator = local_bot.emulator
    started = time.perf_counter()
    emulator.send_text(FIRST_CLINICIAN_ID, "/patients", first_name="Dr")
    page = await emulator.wait_for_bot_message(FIRST_CLINICIAN_ID, match="Patients", timeout=900)
    whole = time.perf_counter() - started
    rows.append(
        ["/patients through the emulator (first page)", f"{1000 * whole:.0f} ms",
         f"{peak_memory_mb():.0f} MB"]
    )  # fmt: skip
    assert page.text is not None
    await local_bot.stop()
    print(f"\nmachine: {machine()}; PostgreSQL {postgres_version(url)}")
    print(f"peak RSS before the bot started: {memory_before:.0f} MB\n")
    print_table(["what", "time", "peak RSS so far"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=DEFAULT_POSTGRES)
    parser.add_argument("--database", default="bench_scale")
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--clinics", type=int, default=20)
    parser.add_argument("--days", type=int, default=30, help="check-ins per patient")
    parser.add_argument("--skip-load", action="store_true", help="reuse the loaded database")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument("--profile", action="store_true", help="cProfile the slow parts")
    parser.add_argument("--load-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if options.load_only:
        load(options)
        return
    if not options.skip_load:
        print(f"loading {options.patients:,} patients x {options.days} check-ins (child process)")
        child = [sys.executable, __file__, "--load-only", *sys.argv[1:]]
        subprocess.run(child, check=True)
    try:
        asyncio.run(measure(options))
    finally:
        if not options.keep:
            drop_postgres(options.server, options.database)


if __name__ == "__main__":
    main()
