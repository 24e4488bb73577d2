"""The outbox: every planned message as a row, and the few atomic moves a row can make.

A row is claimed with a conditional UPDATE (``... WHERE status = 'planned'``) whose row count
says whether this instance won it, which works the same on SQLite and PostgreSQL and never lets
two dispatchers send one row. A claim is a lease: it names the instance and holds until
``lease_until``. An instance that dies mid-send leaves its row claimed; once the lease has run
out, any instance takes it back into the queue (and the instance itself does so at once when it
starts again under the same name).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import BigInteger, ColumnElement, Engine, cast, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.domain.planning import Kind, Planned, Status
from bot.storage.database import transaction
from bot.storage.models import OutboxMessage

# Telegram asks for no more than one message a second in one chat.
PER_CHAT_GAP = timedelta(seconds=1)
# The daily turn of rows due at one moment: a prime ring, a factor and a step inside it.
TURN_RING = 1_000_003
TURN_FACTOR = 618_034  # about the golden ratio of the ring: neighbouring ids land far apart
TURN_STEP = 386_093
# Statuses a row can no longer leave, apart from being answered.
FINISHED = (Status.SENT, Status.MISSED, Status.FAILED, Status.CANCELLED, Status.SKIPPED)


@dataclass(frozen=True)
class StandingRow:
    """What planning needs to know of an outbox row that already exists."""

    status: str
    due_at: datetime
    expires_at: datetime


class Outbox:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _session(self) -> AbstractContextManager[Session]:
        return transaction(self.engine)

    def plan(
        self, patient_id: int, items: Iterable[Planned], *, reminder_of: int | None = None
    ) -> None:
        """Add each item, or move its row if it is still waiting; rows already sent (or
        missed, or cancelled) stay as they are, so planning again never sends twice."""
        items = list(items)
        try:
            self._plan(patient_id, items, reminder_of)
        except IntegrityError:
            # Another instance planned the same row at the same moment; it exists now, and
            # planning again only moves it if it is still waiting.
            self._plan(patient_id, items, reminder_of)

    def _plan(self, patient_id: int, items: list[Planned], reminder_of: int | None) -> None:
        with self._session() as session:
            existing = {
                row.dedupe_key: row
                for row in session.exec(
                    select(OutboxMessage).where(
                        OutboxMessage.patient_id == patient_id,
                        col(OutboxMessage.dedupe_key).in_([item.key for item in items]),
                    )
                )
            }
            for item in items:
                row = existing.get(item.key)
                if row is None:
                    existing[item.key] = row = _new_row(patient_id, item, reminder_of)
                    session.add(row)
                elif row.status == Status.PLANNED:
                    row.due_at, row.expires_at = item.due_at, item.expires_at

    def standing(
        self, patient_ids: list[int], keys: set[str]
    ) -> dict[tuple[int, str], StandingRow]:
        """The outbox rows these patients already have under these keys, in one query (the
        unique index on patient and key serves it), so planning everyone can skip the rows
        that already stand as planned."""
        if not patient_ids or not keys:
            return {}
        query = select(
            OutboxMessage.patient_id,
            OutboxMessage.dedupe_key,
            OutboxMessage.status,
            OutboxMessage.due_at,
            OutboxMessage.expires_at,
        ).where(
            col(OutboxMessage.patient_id).in_(patient_ids),
            col(OutboxMessage.dedupe_key).in_(sorted(keys)),
        )
        with self._session() as session:
            return {
                (patient_id, key): StandingRow(status, due_at, expires_at)
                for patient_id, key, status, due_at, expires_at in session.exec(query)
            }

    def add_new(self, planned: dict[int, list[Planned]]) -> bool:
        """New rows for patients who have none of these keys yet, in one transaction; False
        (and nothing added) if any of them exists by now, so the caller can plan those
        patients one at a time instead."""
        rows = [
            _new_row(patient_id, item) for patient_id, items in planned.items() for item in items
        ]
        if not rows:
            return True
        try:
            with self._session() as session:
                session.add_all(rows)
        except IntegrityError:
            return False
        return True

    def cancel_waiting(
        self,
        patient_id: int,
        reason: str,
        *,
        session_ids: Iterable[int] | None = None,
        keep_keys: Iterable[str] = (),
        kind: Kind | None = None,
    ) -> int:
        """Cancel rows still waiting to be sent; returns how many."""
        query = update(OutboxMessage).where(
            col(OutboxMessage.patient_id) == patient_id,
            col(OutboxMessage.status) == Status.PLANNED,
        )
        if session_ids is not None:
            query = query.where(col(OutboxMessage.session_id).in_(list(session_ids)))
        if keep := list(keep_keys):
            query = query.where(col(OutboxMessage.dedupe_key).not_in(keep))
        if kind is not None:
            query = query.where(col(OutboxMessage.kind) == kind)
        with self._session() as session:
            result = session.execute(query.values(status=Status.CANCELLED, reason=reason))
            return int(result.rowcount)  # type: ignore[attr-defined]

    def mark_missed(self, now: datetime) -> int:
        """Rows whose time to be useful has passed unsent: never sent late."""
        query = (
            update(OutboxMessage)
            .where(
                col(OutboxMessage.status) == Status.PLANNED,
                col(OutboxMessage.expires_at) <= now,
            )
            .values(status=Status.MISSED, reason="expired before it could be sent")
        )
        with self._session() as session:
            return int(session.execute(query).rowcount)  # type: ignore[attr-defined]

    def release_claims_of(self, instance: str) -> int:
        """At start-up: rows this instance claimed before it stopped, never recorded as sent
        (and rows claimed by a release that did not yet name its instance).

        They go back to the queue. Telegram has no idempotency key, so one of them may already
        have reached the patient: that is the one duplicate a crash can cause.
        """
        return self._release(
            or_(col(OutboxMessage.claimed_by) == instance, col(OutboxMessage.claimed_by).is_(None))
        )

    def take_over_lapsed(self, now: datetime) -> int:
        """Rows whose claimant has not finished them within its lease: it is presumed dead."""
        return self._release(
            or_(col(OutboxMessage.lease_until) <= now, col(OutboxMessage.lease_until).is_(None))
        )

    def _release(self, whose: object) -> int:
        query = (
            update(OutboxMessage)
            .where(col(OutboxMessage.status) == Status.SENDING, whose)  # type: ignore[arg-type]
            .values(status=Status.PLANNED, claimed_at=None, claimed_by=None, lease_until=None)
        )
        with self._session() as session:
            return int(session.execute(query).rowcount)  # type: ignore[attr-defined]

    def next_due_at(self) -> datetime | None:
        """When the earliest waiting row falls due (for simulations that skip idle time)."""
        with self._session() as session:
            query = (
                select(OutboxMessage.due_at)
                .where(OutboxMessage.status == Status.PLANNED)
                .order_by(col(OutboxMessage.due_at))
                .limit(1)
            )
            return session.exec(query).first()

    def claim_due(
        self,
        now: datetime,
        limit: int,
        instance: str,
        lease: timedelta,
        *,
        not_for: Iterable[int] = (),
    ) -> list[OutboxMessage]:
        """Claim up to ``limit`` due rows for ``instance``, oldest first, in one statement.

        On PostgreSQL the rows are picked ``FOR UPDATE SKIP LOCKED``, so instances claiming at
        the same moment take different rows instead of queueing behind each other (SQLite has
        one writer at a time and ignores the clause). The candidates are a materialised common
        table expression because PostgreSQL may run an ``IN (SELECT … LIMIT n)`` subquery more
        than once inside an ``UPDATE``, and a second run skips the rows the first one locked,
        claiming more than ``limit``. Rows due at the same moment go out in
        an order that turns every day (``daily_turn``), so that when thousands share one time,
        nobody is the last every morning. Patients who were sent something in the
        last second wait, as do the patients ``not_for`` names: Telegram asks for one message a
        second in a chat.
        """
        just_sent = select(OutboxMessage.patient_id).where(
            col(OutboxMessage.sent_at) > now - PER_CHAT_GAP, col(OutboxMessage.sent_at) <= now
        )
        candidates = (
            select(OutboxMessage.id)
            .where(
                col(OutboxMessage.status) == Status.PLANNED,
                col(OutboxMessage.due_at) <= now,
                col(OutboxMessage.patient_id).not_in(just_sent),
                col(OutboxMessage.patient_id).not_in(list(not_for)),
            )
            .order_by(col(OutboxMessage.due_at), daily_turn(now), col(OutboxMessage.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
            .cte("candidates")
            .prefix_with("MATERIALIZED")
        )
        query = (
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id).in_(select(candidates.c.id)),
                col(OutboxMessage.status) == Status.PLANNED,
            )
            .values(
                status=Status.SENDING,
                claimed_at=now,
                claimed_by=instance,
                lease_until=now + lease,
                attempts=OutboxMessage.attempts + 1,
            )
            .returning(OutboxMessage)
        )
        with self._session() as session:
            claimed = list(session.scalars(query))
        return sorted(claimed, key=lambda row: (row.due_at, row.id or 0))

    def unclaim(self, row_id: int) -> None:
        """Put a claimed row back untouched, as if it had not been claimed at all."""
        query = (
            update(OutboxMessage)
            .where(col(OutboxMessage.id) == row_id, col(OutboxMessage.status) == Status.SENDING)
            .values(
                status=Status.PLANNED,
                claimed_at=None,
                claimed_by=None,
                lease_until=None,
                attempts=OutboxMessage.attempts - 1,
            )
        )
        with self._session() as session:
            session.execute(query)

    def finish(
        self,
        row_id: int,
        status: Status,
        *,
        sent_at: datetime | None = None,
        message_id: int | None = None,
        reason: str | None = None,
    ) -> None:
        with self._session() as session:
            row = session.get(OutboxMessage, row_id)
            if row is None:
                return
            row.status, row.reason = status, reason
            row.claimed_by, row.lease_until = None, None
            if sent_at is not None:
                row.sent_at, row.telegram_message_id = sent_at, message_id

    def retry_at(self, row_id: int, due_at: datetime, reason: str) -> None:
        """Back to the queue for another try at ``due_at``."""
        with self._session() as session:
            row = session.get(OutboxMessage, row_id)
            if row is not None:
                row.status, row.due_at, row.reason = Status.PLANNED, due_at, reason
                row.claimed_by, row.lease_until = None, None

    def get(self, row_id: int) -> OutboxMessage | None:
        with self._session() as session:
            return session.get(OutboxMessage, row_id)

    def mark_answered(self, row_id: int, now: datetime) -> None:
        """The patient answered: remember it, and drop the reminder if it has not gone yet."""
        with self._session() as session:
            row = session.get(OutboxMessage, row_id)
            if row is not None and row.answered_at is None:
                row.answered_at = now
            session.execute(
                update(OutboxMessage)
                .where(
                    col(OutboxMessage.reminder_of) == row_id,
                    col(OutboxMessage.status) == Status.PLANNED,
                )
                .values(status=Status.SKIPPED, reason="answered")
            )

    def for_patient(self, patient_id: int) -> list[OutboxMessage]:
        with self._session() as session:
            query = (
                select(OutboxMessage)
                .where(OutboxMessage.patient_id == patient_id)
                .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))
            )
            return list(session.exec(query))

    def by_message_id(self, patient_id: int, message_id: int) -> OutboxMessage | None:
        with self._session() as session:
            query = select(OutboxMessage).where(
                OutboxMessage.patient_id == patient_id,
                OutboxMessage.telegram_message_id == message_id,
            )
            return session.exec(query).first()

    def latest_sent_prompt(self, patient_id: int) -> OutboxMessage | None:
        with self._session() as session:
            query = (
                select(OutboxMessage)
                .where(
                    OutboxMessage.patient_id == patient_id,
                    OutboxMessage.kind == Kind.PROMPT,
                    OutboxMessage.status == Status.SENT,
                )
                .order_by(col(OutboxMessage.sent_at).desc())
                .limit(1)
            )
            return session.exec(query).first()


def _new_row(patient_id: int, item: Planned, reminder_of: int | None = None) -> OutboxMessage:
    return OutboxMessage(
        patient_id=patient_id,
        dedupe_key=item.key,
        kind=item.kind,
        session_id=item.session_id,
        protocol=item.protocol,
        step_id=item.step_id,
        local_date=item.local_date,
        reminder_of=reminder_of,
        due_at=item.due_at,
        expires_at=item.expires_at,
        status=Status.PLANNED,
    )


def daily_turn(now: datetime) -> ColumnElement[int]:
    """A place in the queue for each patient that moves every day: the patient id scrambled
    (a multiple modulo a prime) and shifted by a day-dependent step around that ring."""
    day = now.date().toordinal()
    scrambled = cast(col(OutboxMessage.patient_id), BigInteger) * TURN_FACTOR
    return (scrambled + day * TURN_STEP) % TURN_RING
