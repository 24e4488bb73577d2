"""Every query the bot makes, in one place.

Handlers and domain code call these methods and never build SQL. Each method is one short
transaction; objects come back detached (``expire_on_commit=False``) so callers can read them
after the session has closed.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, delete, update
from sqlmodel import Session, col, func, select

from bot.storage.alerts import AlertQueries
from bot.storage.clinics import ClinicQueries
from bot.storage.coordination import Coordination
from bot.storage.database import transaction
from bot.storage.models import (
    Alert,
    CheckIn,
    ConsentRecord,
    Conversation,
    DosingSession,
    JournalEntry,
    OutboxMessage,
    Patient,
    QuestionnaireResponse,
    SafetyEvent,
    SafetyPlanPart,
)
from bot.storage.outbox import Outbox

# Tables whose rows belong to one patient (patient_id), removed when they delete their data.
PATIENT_TABLES: tuple[Any, ...] = (
    JournalEntry,
    OutboxMessage,
    Alert,
    DosingSession,
    CheckIn,
    Conversation,
    SafetyPlanPart,
    QuestionnaireResponse,
)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.outbox = Outbox(engine)
        self.clinics = ClinicQueries(engine)
        self.alerts = AlertQueries(engine)
        self.coordination = Coordination(engine)

    def _session(self) -> AbstractContextManager[Session]:
        return transaction(self.engine)

    # Patients -----------------------------------------------------------------------------

    def patient_by_telegram_id(self, telegram_user_id: int) -> Patient | None:
        with self._session() as session:
            query = select(Patient).where(Patient.telegram_user_id == telegram_user_id)
            return session.exec(query).first()

    def patient(self, patient_id: int) -> Patient | None:
        with self._session() as session:
            return session.get(Patient, patient_id)

    def onboarded_patients(self) -> list[Patient]:
        """Everyone who finished joining and has not blocked the bot: whom to plan for."""
        with self._session() as session:
            query = (
                select(Patient)
                .where(
                    col(Patient.onboarded_at).is_not(None),
                    col(Patient.active).is_(True),
                    col(Patient.discharged_at).is_(None),
                )
                .order_by(col(Patient.id))
            )
            return list(session.exec(query))

    def save_patient(self, patient: Patient) -> Patient:
        with self._session() as session:
            patient = session.merge(patient)
            session.flush()
            return patient

    def record_consent(self, record: ConsentRecord) -> None:
        with self._session() as session:
            session.add(record)

    def consent_records(self, telegram_user_id: int) -> list[ConsentRecord]:
        with self._session() as session:
            query = (
                select(ConsentRecord)
                .where(ConsentRecord.telegram_user_id == telegram_user_id)
                .order_by(col(ConsentRecord.id))
            )
            return list(session.exec(query))

    # Conversations ------------------------------------------------------------------------

    def conversation(self, patient_id: int) -> Conversation | None:
        with self._session() as session:
            return session.get(Conversation, patient_id)

    def save_conversation(self, conversation: Conversation) -> Conversation:
        with self._session() as session:
            return session.merge(conversation)

    # Check-ins ----------------------------------------------------------------------------

    def checkin_on(self, patient_id: int, local_date: date) -> CheckIn | None:
        with self._session() as session:
            query = select(CheckIn).where(
                CheckIn.patient_id == patient_id, CheckIn.local_date == local_date
            )
            return session.exec(query).first()

    def save_checkin(self, checkin: CheckIn) -> tuple[CheckIn, bool]:
        """Insert, or overwrite the same patient's entry for the same local date.

        Returns the stored row and whether it replaced an earlier entry for that date.
        """
        with self._session() as session:
            existing = session.exec(
                select(CheckIn).where(
                    CheckIn.patient_id == checkin.patient_id,
                    CheckIn.local_date == checkin.local_date,
                )
            ).first()
            if existing is None:
                session.add(checkin)
                session.flush()
                return checkin, False
            existing.mood, existing.pain, existing.note = checkin.mood, checkin.pain, checkin.note
            existing.headache, existing.medicine = checkin.headache, checkin.medicine
            existing.updated_at = checkin.updated_at
            session.flush()
            return existing, True

    def checkins_between(self, patient_id: int, first: date, last: date) -> list[CheckIn]:
        """Check-ins on local dates from ``first`` to ``last`` inclusive, oldest first."""
        with self._session() as session:
            query = (
                select(CheckIn)
                .where(
                    CheckIn.patient_id == patient_id,
                    col(CheckIn.local_date) >= first,
                    col(CheckIn.local_date) <= last,
                )
                .order_by(col(CheckIn.local_date))
            )
            return list(session.exec(query))

    def latest_checkin_dates(self, patient_ids: list[int] | None = None) -> dict[int, date]:
        """Each patient's most recent check-in date, in one grouped query (for everyone, or
        for ``patient_ids``); patients who never checked in are left out."""
        query = select(CheckIn.patient_id, func.max(CheckIn.local_date)).group_by(
            col(CheckIn.patient_id)
        )
        if patient_ids is not None:
            query = query.where(col(CheckIn.patient_id).in_(patient_ids))
        with self._session() as session:
            return {patient_id: latest for patient_id, latest in session.exec(query)}

    # Safety ---------------------------------------------------------------------------------

    def record_safety_event(self, event: SafetyEvent) -> SafetyEvent:
        with self._session() as session:
            session.add(event)
            session.flush()
            return event

    def safety_events(self, patient_id: int) -> list[SafetyEvent]:
        with self._session() as session:
            query = (
                select(SafetyEvent)
                .where(SafetyEvent.patient_id == patient_id)
                .order_by(col(SafetyEvent.id))
            )
            return list(session.exec(query))

    def safety_events_unlinked(self) -> list[SafetyEvent]:
        """Events kept after their patient deleted their data (counts for the clinic)."""
        with self._session() as session:
            query = select(SafetyEvent).where(col(SafetyEvent.patient_id).is_(None))
            return list(session.exec(query))

    def safety_plan(self, patient_id: int) -> list[SafetyPlanPart]:
        with self._session() as session:
            query = (
                select(SafetyPlanPart)
                .where(SafetyPlanPart.patient_id == patient_id)
                .order_by(col(SafetyPlanPart.part))
            )
            return list(session.exec(query))

    def save_safety_plan_part(self, part: SafetyPlanPart) -> SafetyPlanPart:
        with self._session() as session:
            return session.merge(part)

    # Dosing sessions ------------------------------------------------------------------------

    def sessions(self, patient_id: int) -> list[DosingSession]:
        """Oldest first."""
        with self._session() as session:
            query = (
                select(DosingSession)
                .where(DosingSession.patient_id == patient_id)
                .order_by(col(DosingSession.number))
            )
            return list(session.exec(query))

    def session(self, session_id: int) -> DosingSession | None:
        with self._session() as session:
            return session.get(DosingSession, session_id)

    def save_session(self, dosing_session: DosingSession) -> DosingSession:
        with self._session() as session:
            dosing_session = session.merge(dosing_session)
            session.flush()
            return dosing_session

    # Journal --------------------------------------------------------------------------------

    def add_journal_entry(self, entry: JournalEntry) -> JournalEntry:
        with self._session() as session:
            session.add(entry)
            session.flush()
            return entry

    def journal(self, patient_id: int, limit: int) -> list[JournalEntry]:
        """The newest ``limit`` entries, newest first."""
        with self._session() as session:
            query = (
                select(JournalEntry)
                .where(JournalEntry.patient_id == patient_id)
                .order_by(col(JournalEntry.written_at).desc(), col(JournalEntry.id).desc())
                .limit(limit)
            )
            return list(session.exec(query))

    # Leaving --------------------------------------------------------------------------------

    def delete_patient(self, patient: Patient) -> None:
        """Every row that belongs to the patient, in one transaction; safety events keep only
        that they happened (their link to the patient is cleared)."""
        patient_id = patient.id
        with self._session() as session:
            session.execute(
                update(SafetyEvent)
                .where(col(SafetyEvent.patient_id) == patient_id)
                .values(patient_id=None)
            )
            for table in PATIENT_TABLES:
                session.execute(delete(table).where(col(table.patient_id) == patient_id))
            session.execute(
                delete(ConsentRecord).where(
                    col(ConsentRecord.telegram_user_id) == patient.telegram_user_id
                )
            )
            session.execute(delete(Patient).where(col(Patient.id) == patient_id))

    def rows_of(self, patient: Patient) -> dict[str, int]:
        """How many rows of each table point at the patient (for tests and the audit)."""
        with self._session() as session:
            counts = {
                table.__tablename__: session.exec(
                    select(func.count())
                    .select_from(table)
                    .where(col(table.patient_id) == patient.id)
                ).one()
                for table in (*PATIENT_TABLES, SafetyEvent)
            }
            counts["consent_records"] = session.exec(
                select(func.count())
                .select_from(ConsentRecord)
                .where(col(ConsentRecord.telegram_user_id) == patient.telegram_user_id)
            ).one()
            counts["patients"] = session.exec(
                select(func.count()).select_from(Patient).where(col(Patient.id) == patient.id)
            ).one()
            return counts

    # Questionnaires ---------------------------------------------------------------------------

    def save_response(self, response: QuestionnaireResponse) -> QuestionnaireResponse:
        with self._session() as session:
            response = session.merge(response)
            session.flush()
            return response

    def response(self, response_id: int) -> QuestionnaireResponse | None:
        with self._session() as session:
            return session.get(QuestionnaireResponse, response_id)

    def responses(
        self, patient_id: int, instrument: str | None = None
    ) -> list[QuestionnaireResponse]:
        """Oldest first."""
        with self._session() as session:
            query = select(QuestionnaireResponse).where(
                QuestionnaireResponse.patient_id == patient_id
            )
            if instrument is not None:
                query = query.where(QuestionnaireResponse.instrument == instrument)
            return list(session.exec(query.order_by(col(QuestionnaireResponse.id))))

    def expire_responses(self, now: datetime) -> int:
        """Unfinished questionnaires past their time: recorded as incomplete, never scored."""
        query = (
            update(QuestionnaireResponse)
            .where(
                col(QuestionnaireResponse.status) == "in_progress",
                col(QuestionnaireResponse.expires_at) <= now,
            )
            .values(status="incomplete")
        )
        with self._session() as session:
            return int(session.execute(query).rowcount)  # type: ignore[attr-defined]
