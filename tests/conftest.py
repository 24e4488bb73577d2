"""Shared fixtures: settings on a temporary database, a manual clock, and the local bot."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.config import REPOSITORY_ROOT, Settings, load_settings
from bot.localbot import LocalBot, Person
from bot.logs import CHATTY_LIBRARIES, configure_logging
from bot.storage import Store, create_database_engine, prepare_schema
from bot.storage.database import upgrade_to_latest
from tests.databases import empty_database

pytest_plugins = ["tests.clinic_journeys"]

# A Saturday in spring, the day before Europe's clocks go forward (29 March 2026).
START = datetime(2026, 3, 28, 9, 0, tzinfo=UTC)


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh database per test, upgraded to the newest schema: SQLite by default; with
    ``TEST_POSTGRES_URL`` a new PostgreSQL database on that server (see tests/databases.py)."""
    with empty_database(tmp_path) as url:
        engine = create_database_engine(url)
        upgrade_to_latest(engine)  # what `python -m bot db upgrade` does for a shared database
        engine.dispose()
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings as a deployment would have them, ignoring any developer's own .env file."""
    return load_settings(
        env_file=None, database_url=database_url, log_level="DEBUG", allow_open_enrolment=True
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def store(database_url: str) -> Store:
    engine = create_database_engine(database_url)
    prepare_schema(engine)
    yield Store(engine)
    engine.dispose()


@pytest.fixture
async def local_bot(settings: Settings, clock: ManualClock) -> AsyncIterator[LocalBot]:
    async with LocalBot(settings, clock) as running:
        yield running


@pytest.fixture
def ana(local_bot: LocalBot) -> Person:
    return local_bot.person(user_id=5_000_000_001, first_name="Ana")


@pytest.fixture
def prompts_dir() -> Path:
    return REPOSITORY_ROOT / "prompts"


@pytest.fixture
def production_logging():
    """Apply the bot's logging set-up for one test, then put the previous one back."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in CHATTY_LIBRARIES}
    yield configure_logging
    root.handlers[:], root.level = saved
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
