"""Queries about alerts: raising each once per episode, and what is waiting to be sent."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.storage.database import transaction
from bot.storage.models import Alert


class AlertQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _session(self) -> AbstractContextManager[Session]:
        return transaction(self.engine)

    def raise_once(self, alert: Alert) -> Alert | None:
        """Store the alert unless one for the same episode exists (then None)."""
        try:
            with self._session() as session:
                session.add(alert)
                session.flush()
                return alert
        except IntegrityError:
            return None

    def get(self, alert_id: int) -> Alert | None:
        with self._session() as session:
            return session.get(Alert, alert_id)

    def save(self, alert: Alert) -> Alert:
        with self._session() as session:
            return session.merge(alert)

    def to_notify(self, tiers: tuple[str, ...]) -> list[Alert]:
        with self._session() as session:
            query = (
                select(Alert)
                .where(col(Alert.notified_at).is_(None), col(Alert.tier).in_(tiers))
                .order_by(col(Alert.id))
            )
            return list(session.exec(query))

    def unacknowledged(self, tier: str) -> list[Alert]:
        with self._session() as session:
            query = select(Alert).where(
                Alert.tier == tier,
                col(Alert.acknowledged_at).is_(None),
                col(Alert.notified_at).is_not(None),
                col(Alert.escalated_at).is_(None),
            )
            return list(session.exec(query))

    def open_for_clinic(self, clinic_id: int) -> list[Alert]:
        with self._session() as session:
            query = (
                select(Alert)
                .where(Alert.clinic_id == clinic_id, col(Alert.acknowledged_at).is_(None))
                .order_by(col(Alert.raised_at).desc())
            )
            return list(session.exec(query))

    def raised_since(self, clinic_id: int, since: datetime) -> list[Alert]:
        with self._session() as session:
            query = (
                select(Alert)
                .where(Alert.clinic_id == clinic_id, col(Alert.raised_at) >= since)
                .order_by(col(Alert.raised_at))
            )
            return list(session.exec(query))

    def for_patient(self, patient_id: int) -> list[Alert]:
        with self._session() as session:
            query = select(Alert).where(Alert.patient_id == patient_id).order_by(col(Alert.id))
            return list(session.exec(query))
