"""``python -m bot health``: what a container's health check runs, in polling or webhook mode."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.storage import Store
from tests.test_cli import run_bot


def test_an_instance_that_ticked_just_now_is_healthy(store: Store, database_url: str, tmp_path):
    store.coordination.heartbeat("bot-1", datetime.now(UTC))
    result = run_bot(tmp_path, "health", DATABASE_URL=database_url, INSTANCE_NAME="bot-1")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == "ok"
    assert report["dispatcher"]["seconds_since_last_tick"] < 30


def test_an_instance_that_stopped_ticking_is_unhealthy(store: Store, database_url: str, tmp_path):
    store.coordination.heartbeat("bot-1", datetime.now(UTC) - timedelta(minutes=5))
    store.coordination.heartbeat("bot-2", datetime.now(UTC))  # another copy is fine
    result = run_bot(tmp_path, "health", DATABASE_URL=database_url, INSTANCE_NAME="bot-1")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["database"] == {"ok": True}
    assert report["dispatcher"]["ok"] is False


def test_a_database_without_the_schema_is_unhealthy_and_says_so(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'never-upgraded.db'}"
    result = run_bot(tmp_path, "health", DATABASE_URL=url)
    assert result.returncode == 1
    assert json.loads(result.stdout)["status"] == "unhealthy"
    assert result.stderr.strip() == "error: the database could not be read (OperationalError)"
