"""Shared pieces of the delivery and scale benchmarks: many patients made fast, a clock that runs
in real time from a chosen moment, and a line about the machine.

Patients are written with SQLAlchemy core bulk inserts (and check-ins with PostgreSQL's COPY)
instead of thousands of chat conversations; the rows are the ones onboarding leaves behind (a
consent record, a clinic and code, a time zone, a check-in time, ``onboarded_at``), so the real
planner and ``compose()`` treat them exactly like patients who joined through the chat.
Not a test module and not imported by the bot.
"""

from __future__ import annotations

import math
import os
import platform
import random
import resource
import subprocess
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.engine import make_url

from bot.config import Settings, load_settings
from bot.storage import CheckIn, Clinic, Clinician, ConsentRecord, Patient
from bot.storage.database import create_database_engine, upgrade_to_latest

BATCH = 5_000
FIRST_USER_ID = 8_000_000_000  # well away from the ids the tests use
FIRST_CLINICIAN_ID = 7_500_000_000
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:55432/postgres"


class ShiftedClock:
    """Real time, running at real speed, that reads a chosen moment when it is made.

    Real-time benchmarks need the wall clock's pace, but a fixed date (a weekday, no clock
    change) and a fixed distance to the morning's check-ins; ``jump_to`` moves it forward
    only, as ``ManualClock`` does, because stored timestamps must never go backwards.
    """

    def __init__(self, reads: datetime) -> None:
        self._offset = reads - datetime.now(UTC)

    def now(self) -> datetime:
        return datetime.now(UTC) + self._offset

    def timestamp(self) -> float:
        return self.now().timestamp()

    def jump_to(self, moment: datetime) -> None:
        ahead = moment - self.now()
        if ahead < timedelta(0):
            raise ValueError("the clock only moves forward")
        self._offset += ahead


def bench_settings(database_url: str, **overrides: object) -> Settings:
    """Settings as a deployment has them (ignoring any .env), quiet logs."""
    return load_settings(env_file=None, database_url=database_url, log_level="WARNING").model_copy(
        update=overrides
    )


def fresh_postgres(server: str, name: str) -> str:
    """Drop and create database ``name`` on the server, upgraded by the migrations; its URL."""
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    engine = create_database_engine(url)
    upgrade_to_latest(engine)
    engine.dispose()
    return url


def drop_postgres(server: str, name: str) -> None:
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def add_clinics(engine: Engine, count: int, created_at: datetime) -> list[int]:
    """``count`` clinics (each with one clinician); their ids, in order."""
    names = [f"Bench clinic {n + 1:02d}" for n in range(count)]
    with engine.begin() as connection:
        connection.execute(
            insert(Clinic.__table__),  # type: ignore[attr-defined]
            [{"name": name, "created_at": created_at} for name in names],
        )
        ids = list(
            connection.execute(
                select(Clinic.id).where(Clinic.name.in_(names)).order_by(Clinic.id)  # type: ignore[union-attr]
            ).scalars()
        )
        connection.execute(
            insert(Clinician.__table__),  # type: ignore[attr-defined]
            [
                {
                    "telegram_user_id": FIRST_CLINICIAN_ID + n,
                    "name": f"Dr Bench {n + 1}",
                    "clinic_id": clinic_id,
                    "timezone": "UTC",
                    "digest_time": None,
                    "created_at": created_at,
                }
                for n, clinic_id in enumerate(ids)
            ],
        )
    return ids


def add_patients(
    engine: Engine,
    *,
    count: int,
    clinic_ids: Sequence[int],
    zones: Sequence[str],
    checkin_times: Sequence[time],
    onboarded_at: datetime,
    consent_version: int,
    first_user_id: int = FIRST_USER_ID,
    progress: bool = False,
) -> list[int]:
    """Onboarded patients, round-robin over the clinics, zones and check-in times; their ids
    in order of ``telegram_user_id`` (= first_user_id + n)."""
    for start in range(0, count, BATCH):
        numbers = range(start, min(count, start + BATCH))
        patients, consents = [], []
        for n in numbers:
            user_id = first_user_id + n
            patients.append(
                {
                    "telegram_user_id": user_id,
                    "chat_id": user_id,
                    "first_name": f"Pat{n}",
                    "consent_version": consent_version,
                    "consented_at": onboarded_at,
                    "timezone": zones[n % len(zones)],
                    "checkin_time": checkin_times[(n // len(zones)) % len(checkin_times)],
                    "onboarded_at": onboarded_at,
                    "mood_explained": True,
                    "clinic_id": clinic_ids[n % len(clinic_ids)],
                    "code": f"P-{100_000 + n}",
                    "created_at": onboarded_at,
                    "updated_at": onboarded_at,
                }
            )
            consents.append(
                {
                    "telegram_user_id": user_id,
                    "consent_version": consent_version,
                    "decision": "accepted",
                    "decided_at": onboarded_at,
                }
            )
        with engine.begin() as connection:
            connection.execute(insert(Patient.__table__), patients)  # type: ignore[attr-defined]
            connection.execute(insert(ConsentRecord.__table__), consents)  # type: ignore[attr-defined]
        if progress and (start // BATCH) % 4 == 3:
            print(f"  {min(count, start + BATCH):,} patients", flush=True)
    with engine.connect() as connection:
        query = (
            select(Patient.id)
            .where(
                Patient.telegram_user_id >= first_user_id,  # type: ignore[operator]
                Patient.telegram_user_id < first_user_id + count,  # type: ignore[operator]
            )
            .order_by(Patient.telegram_user_id)
        )
        return list(connection.execute(query).scalars())


def checkin_rows(
    patient_ids: Sequence[int], days: int, last_day: date, seed: int = 1
) -> Iterator[tuple[int, date, int, int, datetime]]:
    """``days`` consecutive daily check-ins per patient, ending on ``last_day``."""
    rng = random.Random(seed)
    for patient_id in patient_ids:
        for back in range(days - 1, -1, -1):
            day = last_day - timedelta(days=back)
            at = datetime.combine(day, time(9, 5), UTC)
            yield patient_id, day, rng.randint(2, 9), rng.randint(0, 8), at


def add_checkins(
    engine: Engine, patient_ids: Sequence[int], days: int, last_day: date, progress: bool = False
) -> int:
    """Check-ins in bulk: COPY on PostgreSQL, batched inserts elsewhere; how many."""
    rows = checkin_rows(patient_ids, days, last_day)
    written = 0
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            columns = "patient_id, local_date, mood, pain, recorded_at, updated_at"
            with cursor.copy(f"COPY checkins ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for patient_id, day, mood, pain, at in rows:
                    copy.write_row((patient_id, day, mood, pain, at, at))
                    written += 1
                    if progress and written % 500_000 == 0:
                        print(f"  {written:,} check-ins", flush=True)
            raw.commit()
        finally:
            raw.close()
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
        return written
    table = CheckIn.__table__  # type: ignore[attr-defined]
    batch: list[dict[str, object]] = []
    for patient_id, day, mood, pain, at in rows:
        batch.append(
            {
                "patient_id": patient_id,
                "local_date": day,
                "mood": mood,
                "pain": pain,
                "recorded_at": at,
                "updated_at": at,
            }
        )
        if len(batch) == BATCH:
            with engine.begin() as connection:
                connection.execute(insert(table), batch)
            written += len(batch)
            batch = []
    if batch:
        with engine.begin() as connection:
            connection.execute(insert(table), batch)
        written += len(batch)
    return written


def peak_memory_mb() -> float:
    """The process's peak resident memory so far (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    """CPU, cores, memory, OS and Python: what the figures were measured on."""
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if "model name" in line)
    except (OSError, StopIteration):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores visible, {memory:.0f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"load average now {load}"
    )


def postgres_version(database_url: str) -> str:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar())
    finally:
        engine.dispose()


def sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def git_revision() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=os.path.dirname(os.path.abspath(__file__)),
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile of values already sorted (share in 0..1)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(share * len(sorted_values)))
    return sorted_values[min(len(sorted_values), rank) - 1]


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A small Markdown table, ready to paste."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for index, row in enumerate(cells):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    sys.stdout.flush()
