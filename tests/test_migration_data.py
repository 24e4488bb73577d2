"""Upgrading keeps every row: a database filled at the first revision, and again after each
later one, is upgraded to the newest schema and every value written is read back unchanged, on
SQLite and (with ``TEST_POSTGRES_URL``) PostgreSQL.

Nothing here names a revision or a table: revisions come from the migrations folder and tables
from the database itself, so a migration added later is covered without touching this file.
Rows are generated from the reflected column types and constraints (NOT NULL, foreign keys,
primary keys, unique constraints and indexes, and ``BETWEEN``/``IN`` checks), with realistic
words for the few columns whose values the code selects on. A migration that drops or renames
a column on purpose must say so in ``SCHEMA_CHANGES``; one that loses data by accident fails
the first test, and the last one proves that it would, with deliberately lossy migrations.
"""

from __future__ import annotations

import itertools
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, Table, event, select

from bot.storage.database import (
    MIGRATIONS_DIR,
    alembic_config,
    create_database_engine,
    current_revision,
)
from bot.storage.types import UTCDateTime
from tests.databases import empty_database

ROWS_PER_TABLE_AND_REVISION = 2
START = datetime(2026, 3, 28, 9, 0, 0, 250_000, tzinfo=UTC)


@dataclass(frozen=True)
class SchemaChange:
    """A column or table a migration drops or renames on purpose: values written before
    ``revision`` are then expected under the new name, or not at all."""

    revision: str
    table: str
    column: str | None  # None: the whole table
    renamed_to: str | None  # None: dropped
    why: str


# Every deliberate drop or rename, oldest first. None so far: each migration only adds.
SCHEMA_CHANGES: tuple[SchemaChange, ...] = ()

# Realistic words for columns the code selects or branches on, so a data migration that
# rewrites, say, outbox rows by status meets the rows it would meet in a real database.
CHOICES: dict[tuple[str, str], tuple[Any, ...]] = {
    ("consent_records", "decision"): ("accepted", "declined"),
    ("conversations", "step"): ("checkin_mood", "checkin_pain", "onboarding_timezone"),
    ("outbox", "kind"): ("prompt", "checkin", "reminder", "questionnaire"),
    ("outbox", "status"): ("planned", "sending", "sent", "missed", "failed", "cancelled"),
    ("alerts", "tier"): ("urgent", "same_day", "digest"),
    ("alerts", "kind"): ("crisis", "pain_rise", "low_mood", "no_checkins"),
    ("safety_events", "concern"): ("crisis", "emergency", "dissociation"),
    ("questionnaire_responses", "instrument"): ("phq9", "phq8", "gad7", "pgic"),
    ("questionnaire_responses", "status"): ("in_progress", "complete", "incomplete"),
    ("patients", "timezone"): ("Europe/Berlin", "America/New_York", "Asia/Kolkata"),
    ("clinicians", "timezone"): ("Europe/London", "Australia/Sydney"),
}

BETWEEN = re.compile(r"^\(*(\w+)\s+BETWEEN\s+(-?\d+)\s+AND\s+(-?\d+)\)*$", re.IGNORECASE)
AT_LEAST_AT_MOST = re.compile(
    r"^\(*(\w+)\s*>=\s*(-?\d+)\)?\s+AND\s+\(?(\w+)\s*<=\s*(-?\d+)\)*$", re.IGNORECASE
)


@dataclass(frozen=True)
class WrittenRow:
    revision: str
    table: str
    values: dict[str, Any]


@dataclass
class RowWriter:
    """Writes realistic rows into every table a revision has, and remembers each value."""

    engine: Engine
    written: list[WrittenRow] = field(default_factory=list)
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    dice: random.Random = field(default_factory=lambda: random.Random(11))

    def fill(self, revision: str) -> None:
        metadata = reflect(self.engine)
        with self.engine.begin() as connection:
            for table in metadata.sorted_tables:
                if table.name == "alembic_version":
                    continue
                for _ in range(ROWS_PER_TABLE_AND_REVISION):
                    values = self._new_row(connection, table)
                    connection.execute(table.insert().values(values))
                    self.written.append(WrittenRow(revision, table.name, values))

    def _new_row(self, connection: Connection, table: Table) -> dict[str, Any]:
        """A row that satisfies the table's constraints, trying other parents and choices
        where a unique key made of foreign keys or small ranges is already taken."""
        taken = {key: existing_keys(connection, table, key) for key in unique_keys(table)}
        ranges = check_ranges(table)
        for _ in range(500):
            values = {
                column.name: self._value(table.name, column, ranges) for column in table.columns
            }
            for constraint in table.foreign_key_constraints:
                values.update(self._parent(connection, constraint, values))
            if not any(tuple(values[c] for c in key) in taken[key] for key in taken):
                return values
        raise AssertionError(f"could not make a row for {table.name} that fits its unique keys")

    def _parent(
        self, connection: Connection, constraint: sa.ForeignKeyConstraint, values: dict[str, Any]
    ) -> dict[str, Any]:
        """An existing row of the referenced table; the row itself for a first self-reference."""
        local = [element.parent.name for element in constraint.elements]
        remote = [element.column for element in constraint.elements]
        parents = connection.execute(select(*remote)).all()
        if parents:
            return dict(zip(local, self.dice.choice(parents), strict=True))
        if constraint.referred_table is constraint.table:
            return {name: values[column.name] for name, column in zip(local, remote, strict=True)}
        return dict.fromkeys(local)  # a nullable reference to a table still empty

    def _value(self, table: str, column: sa.Column[Any], ranges: dict[str, Any]) -> Any:
        """A value of the column's type; unique across the whole run unless a choice or a
        check constraint narrows it."""
        n = next(self.numbers)
        if (table, column.name) in CHOICES:
            return self.dice.choice(CHOICES[(table, column.name)])
        if column.name in ranges:
            return self.dice.choice(ranges[column.name])
        return typed_value(column.type, n, f"{table}.{column.name}")


def typed_value(kind: sa.types.TypeEngine[Any], n: int, label: str) -> Any:
    """The n-th value of a type: names with accents and symbols, Telegram-sized ids, aware UTC
    datetimes with microseconds, so a lossy conversion shows."""
    if isinstance(kind, UTCDateTime | sa.DateTime):
        return START + timedelta(hours=n, seconds=n, microseconds=n)
    if isinstance(kind, sa.Boolean):
        return n % 2 == 0
    if isinstance(kind, sa.BigInteger):
        return 5_000_000_000 + n
    if isinstance(kind, sa.Integer):
        return n
    if isinstance(kind, sa.Float):
        return n + 0.25
    if isinstance(kind, sa.Numeric):
        return Decimal(n) + Decimal("0.25")
    if isinstance(kind, sa.Date):
        return date(2026, 1, 1) + timedelta(days=n)
    if isinstance(kind, sa.Time):
        return time(n % 24, n % 60, n % 60, n)
    if isinstance(kind, sa.JSON):
        return {"answers": [n % 4, 3, 0], "note": f"Zoë ☀ «{n}»", "skipped": n % 2 == 0}
    if isinstance(kind, sa.String):
        suffix = f" №{n}"
        if kind.length is None:
            return f"Zoë's note ☀\nabout «{label}»{suffix}"
        return f"Zoë ☀ {label}"[: kind.length - len(suffix)] + suffix
    raise NotImplementedError(f"{label}: teach typed_value about {kind!r}")


def reflect(engine: Engine) -> MetaData:
    """The schema as the database has it, with timestamps read and written as aware UTC, as
    the bot's own ``UTCDateTime`` does (SQLite would otherwise hand back naive values)."""
    metadata = MetaData()

    def aware_timestamps(_inspector: Any, _table: Table, column: dict[str, Any]) -> None:
        if isinstance(column["type"], sa.DateTime):
            column["type"] = UTCDateTime()

    event.listen(metadata, "column_reflect", aware_timestamps)
    metadata.reflect(engine)
    return metadata


def unique_keys(table: Table) -> list[tuple[str, ...]]:
    """The primary key, unique constraints and unique indexes, as column names."""
    keys = [tuple(column.name for column in table.primary_key.columns)]
    keys += [
        tuple(column.name for column in constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, sa.UniqueConstraint)
    ]
    keys += [
        tuple(column.name for column in index.columns) for index in table.indexes if index.unique
    ]
    return [key for key in keys if key]


def existing_keys(connection: Connection, table: Table, key: tuple[str, ...]) -> set[tuple]:
    return {tuple(row) for row in connection.execute(select(*(table.c[c] for c in key)))}


def check_ranges(table: Table) -> dict[str, Any]:
    """Allowed values from ``x BETWEEN a AND b`` (PostgreSQL reports ``x >= a AND x <= b``)
    and ``x IN ('a', 'b')`` checks; any other check is left for the database to enforce."""
    ranges: dict[str, Any] = {}
    for constraint in table.constraints:
        if not isinstance(constraint, sa.CheckConstraint):
            continue
        sql = str(constraint.sqltext).strip()
        if match := BETWEEN.match(sql):
            ranges[match[1]] = range(int(match[2]), int(match[3]) + 1)
        elif (match := AT_LEAST_AT_MOST.match(sql)) and match[1] == match[3]:
            ranges[match[1]] = range(int(match[2]), int(match[4]) + 1)
        else:
            columns = [c.name for c in table.columns if re.search(rf"\b{c.name}\b", sql)]
            words = re.findall(r"'([^']*)'", sql)
            if len(columns) == 1 and words:
                ranges[columns[0]] = words
    return ranges


def revisions_in_order(config: Config) -> list[str]:
    """Every revision in the migrations folder, oldest first; the history must be one line."""
    scripts = ScriptDirectory.from_config(config)
    heads = scripts.get_heads()
    assert len(heads) == 1, f"the migrations have several heads {heads}; merge them first"
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]


def upgrade_filling_each_revision(
    engine: Engine, config: Config
) -> tuple[list[WrittenRow], dict[str, list[str]]]:
    """From an empty database one revision at a time, reading everything back after each
    upgrade and writing new rows: what was written, and what each upgrade lost or changed."""
    revisions = revisions_in_order(config)
    writer = RowWriter(engine)
    losses: dict[str, list[str]] = {}
    reported: set[str] = set()
    for revision in revisions:
        command.upgrade(config, revision)
        differences = differences_at(engine, writer.written, revisions, revision)
        if new := [problem for problem in differences if problem not in reported]:
            losses[revision] = new
            reported.update(new)
        writer.fill(revision)
    return writer.written, losses


def expected_at(
    row: WrittenRow, revisions: list[str], now: str
) -> tuple[str, dict[str, Any]] | None:
    """Where a written row should be at revision ``now``: its table and values after every
    deliberate rename or drop made since it was written; None if its table was dropped."""
    table, values = row.table, dict(row.values)
    since = revisions[revisions.index(row.revision) + 1 : revisions.index(now) + 1]
    for change in sorted(SCHEMA_CHANGES, key=lambda c: revisions.index(c.revision)):
        if change.revision not in since or change.table != table:
            continue
        if change.column is None and change.renamed_to is None:
            return None
        if change.column is None:
            table = change.renamed_to
        elif change.column in values:
            value = values.pop(change.column)
            if change.renamed_to is not None:
                values[change.renamed_to] = value
    return table, values


def differences_at(
    engine: Engine, written: list[WrittenRow], revisions: list[str], now: str
) -> list[str]:
    """Every written value not read back unchanged, and of the same type, at revision ``now``:
    a table, row or column gone, a value changed, or rows nobody wrote."""
    expected: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for row in written:
        if (place := expected_at(row, revisions, now)) is not None:
            expected.setdefault(place[0], []).append((row.revision, place[1]))
    metadata = reflect(engine)
    problems = []
    with engine.connect() as connection:
        for name, rows in expected.items():
            if name not in metadata.tables:
                problems.append(f"{name}: the table is gone")
                continue
            table = metadata.tables[name]
            key = [column.name for column in table.primary_key.columns]
            found = {
                tuple(row[c] for c in key): dict(row)
                for row in connection.execute(select(table)).mappings()
            }
            if len(found) != len(rows):
                problems.append(f"{name}: {len(rows)} rows written, {len(found)} found")
            for revision, values in rows:
                identity = tuple(values[c] for c in key)
                if (actual := found.get(identity)) is None:
                    problems.append(f"{name}: the row {identity} written at {revision} is gone")
                    continue
                for column, value in values.items():
                    if column not in actual:
                        problems.append(f"{name}.{column}: gone (written at {revision})")
                    elif type(actual[column]) is not type(value) or actual[column] != value:
                        problems.append(
                            f"{name}.{column} of {identity}: wrote {value!r} at {revision}, "
                            f"read {actual[column]!r}"
                        )
    return problems


def describe(losses: dict[str, list[str]]) -> str:
    return "\n".join(
        f"upgrading to {revision} lost or changed:\n  " + "\n  ".join(problems[:20])
        for revision, problems in losses.items()
    )


@pytest.fixture
def empty_engine(tmp_path: Path) -> Iterator[Engine]:
    with empty_database(tmp_path) as url:
        engine = create_database_engine(url)
        yield engine
        engine.dispose()


def test_every_row_written_at_any_revision_survives_the_upgrade_to_the_newest(
    empty_engine: Engine,
):
    config = alembic_config(empty_engine)
    revisions = revisions_in_order(config)
    written, losses = upgrade_filling_each_revision(empty_engine, config)

    assert not losses, describe(losses)
    assert current_revision(empty_engine) == revisions[-1]
    assert {row.revision for row in written} == set(revisions)
    # The comparison compares real values: every column at the newest revision was written
    # with something other than NULL at least once.
    newest = reflect(empty_engine)
    for table in newest.sorted_tables:
        if table.name == "alembic_version":
            continue
        rows = [row.values for row in written if row.table == table.name]
        empty = [c.name for c in table.columns if all(row.get(c.name) is None for row in rows)]
        assert not empty, f"{table.name}: no value written to {empty}"
    assert differences_at(empty_engine, written, revisions, revisions[-1]) == []


def test_schema_changes_name_real_revisions():
    revisions = revisions_in_order(alembic_config(sa.create_engine("sqlite://")))
    assert all(change.revision in revisions for change in SCHEMA_CHANGES)


LOSSY_MIGRATION = '''"""A deliberately lossy migration, only in a temporary copy of the folder."""

import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    {body}


def downgrade() -> None:
    pass
'''

LOSSES = {
    "a row deleted": (
        "op.execute('DELETE FROM checkins WHERE id = (SELECT MIN(id) FROM checkins)')",
        "checkins: the row",
    ),
    "a value changed": (
        "op.execute(\"UPDATE patients SET first_name = 'Ana'\")",
        "patients.first_name of",
    ),
    "a column dropped": (
        "with op.batch_alter_table('journal_entries') as batch_op:\n"
        "        batch_op.drop_column('text')",
        "journal_entries.text: gone",
    ),
    "a number turned into text": (
        "with op.batch_alter_table('journal_entries') as batch_op:\n"
        "        batch_op.alter_column('score', type_=sa.String(8))",
        "journal_entries.score of",
    ),
}


@pytest.mark.parametrize(("body", "reported"), LOSSES.values(), ids=LOSSES.keys())
def test_a_migration_that_loses_data_is_caught(
    empty_engine: Engine, tmp_path: Path, body: str, reported: str
):
    """The check can fail: a lossy migration after the real ones, in a copy of the folder."""
    folder = shutil.copytree(
        MIGRATIONS_DIR, tmp_path / "migrations", ignore=shutil.ignore_patterns("__pycache__")
    )
    config = alembic_config(empty_engine)
    config.set_main_option("script_location", str(folder))
    head = revisions_in_order(config)[-1]
    (folder / "versions" / "9999_lossy.py").write_text(
        LOSSY_MIGRATION.format(head=head, body=body), encoding="utf-8"
    )
    revisions = revisions_in_order(config)
    assert revisions[-1] == "9999"

    _, losses = upgrade_filling_each_revision(empty_engine, config)

    assert any(problem.startswith(reported) for problem in losses.get("9999", [])), losses
