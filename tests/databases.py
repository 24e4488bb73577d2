"""Empty databases for tests: a SQLite file, or a new database on ``TEST_POSTGRES_URL``.

One place creates and drops them, so the ``database_url`` fixture (schema at head) and the
migration tests (schema built up one revision at a time) get their databases the same way.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def empty_database(folder: Path) -> Iterator[str]:
    """The URL of a database with no tables, gone afterwards: SQLite in ``folder`` by default;
    with ``TEST_POSTGRES_URL`` (a server, e.g.
    ``postgresql+psycopg://postgres@127.0.0.1:55432/postgres``) a new PostgreSQL database."""
    server = os.environ.get("TEST_POSTGRES_URL")
    if not server:
        yield f"sqlite:///{folder / 'bot.db'}"
        return
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
