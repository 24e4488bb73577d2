"""What several copies of the bot on one database agree on through it: leases, and who is alive.

Every move is a single conditional UPDATE, or an INSERT that the primary key guards, so it is
atomic on SQLite and PostgreSQL alike without dialect-specific locking. Times come from the
caller's clock, so tests move them with a ``ManualClock`` instead of waiting.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.storage.database import transaction
from bot.storage.models import Instance, Lease


class Coordination:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _session(self) -> AbstractContextManager[Session]:
        return transaction(self.engine)

    def acquire(self, name: str, holder: str, now: datetime, length: timedelta) -> bool:
        """Take the lease ``name`` (or renew it, for its holder) until ``now + length``.

        False while another instance holds it and its time has not run out."""
        with self._session() as session:
            taken = session.execute(
                update(Lease)
                .where(
                    col(Lease.name) == name,
                    or_(col(Lease.holder) == holder, col(Lease.expires_at) <= now),
                )
                .values(holder=holder, expires_at=now + length)
            )
            if int(taken.rowcount) == 1:  # type: ignore[attr-defined]
                return True
            if session.get(Lease, name) is not None:
                return False
        return self._insert(Lease(name=name, holder=holder, expires_at=now + length))

    def release(self, name: str, holder: str) -> None:
        """Hand the lease back at once (a clean shutdown), so nobody waits for it to run out."""
        with self._session() as session:
            session.execute(
                delete(Lease).where(col(Lease.name) == name, col(Lease.holder) == holder)
            )

    def hold_until(self, name: str, holder: str, until: datetime) -> None:
        """A pause every instance keeps until ``until``; a later end wins, never an earlier."""
        for _attempt in range(2):  # a second try only if another instance created it meanwhile
            with self._session() as session:
                moved = session.execute(
                    update(Lease)
                    .where(col(Lease.name) == name, col(Lease.expires_at) < until)
                    .values(holder=holder, expires_at=until)
                )
                if int(moved.rowcount) == 1 or session.get(Lease, name) is not None:  # type: ignore[attr-defined]
                    return
            if self._insert(Lease(name=name, holder=holder, expires_at=until)):
                return

    def held_until(self, name: str, now: datetime) -> datetime | None:
        """When the pause ``name`` ends, if it is still on."""
        with self._session() as session:
            lease = session.get(Lease, name)
            return lease.expires_at if lease is not None and lease.expires_at > now else None

    def holder(self, name: str, now: datetime) -> str | None:
        with self._session() as session:
            lease = session.get(Lease, name)
            return lease.holder if lease is not None and lease.expires_at > now else None

    def heartbeat(self, name: str, now: datetime) -> None:
        """This instance is alive at ``now``."""
        for _attempt in range(2):
            with self._session() as session:
                seen = session.execute(
                    update(Instance).where(col(Instance.name) == name).values(seen_at=now)
                )
                if int(seen.rowcount) == 1:  # type: ignore[attr-defined]
                    return
            if self._insert(Instance(name=name, started_at=now, seen_at=now)):
                return

    def live_instances(self, now: datetime, within: timedelta) -> int:
        """How many instances ticked within ``within`` of ``now`` (at least one: the caller)."""
        with self._session() as session:
            query = select(func.count()).where(
                col(Instance.seen_at) > now - within, col(Instance.seen_at) <= now + within
            )
            return max(1, int(session.exec(query).one()))

    def last_seen(self, name: str) -> datetime | None:
        with self._session() as session:
            instance = session.get(Instance, name)
            return instance.seen_at if instance is not None else None

    def _insert(self, row: Lease | Instance) -> bool:
        """False when another instance inserted the same key first."""
        try:
            with self._session() as session:
                session.add(row)
        except IntegrityError:
            return False
        return True
