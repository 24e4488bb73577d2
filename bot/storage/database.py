"""Engines and schema upgrades.

The schema is only ever created by Alembic migrations, so a database made today can be upgraded
by every later release, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class SchemaOutOfDateError(Exception):
    """The database needs ``python -m bot db upgrade`` before the bot may use it."""


def create_database_engine(database_url: str) -> Engine:
    """An engine with the connection settings each backend needs."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _tune_sqlite_connection)
    return engine


def _tune_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers and the writer work at once; foreign keys are off by default in SQLite."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration built in code, so no alembic.ini has to sit beside the bot."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade_to_latest(engine: Engine) -> None:
    command.upgrade(alembic_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def latest_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def prepare_schema(engine: Engine) -> None:
    """SQLite upgrades itself at start-up; a shared PostgreSQL is upgraded deliberately."""
    if engine.dialect.name == "sqlite":
        upgrade_to_latest(engine)
        return
    if current_revision(engine) != latest_revision(engine):
        raise SchemaOutOfDateError(
            "The database schema is out of date: run `python -m bot db upgrade` first."
        )


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One short transaction; objects stay readable after it closes (``expire_on_commit``
    off), so callers never touch the database through a returned object."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session
