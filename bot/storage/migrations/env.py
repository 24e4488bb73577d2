"""Alembic environment: runs migrations on the engine the bot hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text
from sqlmodel import SQLModel

import bot.storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)

engine = context.config.attributes["engine"]
sqlite = engine.dialect.name == "sqlite"

with engine.connect() as connection:
    if sqlite:
        # Batch mode rebuilds a table by copying it, dropping the old one and renaming the
        # copy; with foreign keys on, that DROP deletes (or sets to NULL) every row elsewhere
        # that refers to it. SQLite ignores this pragma inside a transaction, hence here.
        connection.execute(text("PRAGMA foreign_keys=OFF"))
        connection.commit()
    try:
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=SQLModel.metadata,
                render_as_batch=sqlite,
                compare_type=True,
            )
            context.run_migrations()
            if sqlite and (broken := connection.execute(text("PRAGMA foreign_key_check")).all()):
                raise RuntimeError(f"the migration left {len(broken)} broken references")
    finally:
        if sqlite:
            connection.execute(text("PRAGMA foreign_keys=ON"))
            connection.commit()
