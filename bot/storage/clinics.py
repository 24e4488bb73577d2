"""Queries about clinics, their clinicians and patients, invites, protocol versions and audit."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, datetime

from sqlalchemy import Engine, update
from sqlmodel import Session, col, func, select

from bot.storage.database import transaction
from bot.storage.models import (
    AuditEntry,
    CheckIn,
    Clinic,
    Clinician,
    DosingSession,
    Invite,
    Patient,
    ProtocolVersion,
)


class ClinicQueries:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _session(self) -> AbstractContextManager[Session]:
        return transaction(self.engine)

    # Clinics ------------------------------------------------------------------------------

    def clinic(self, clinic_id: int) -> Clinic | None:
        with self._session() as session:
            return session.get(Clinic, clinic_id)

    def clinic_of(self, patient: Patient) -> Clinic | None:
        """The patient's clinic (None for a patient who joined before clinics existed)."""
        return self.clinic(patient.clinic_id) if patient.clinic_id else None

    def clinic_named(self, name: str) -> Clinic | None:
        with self._session() as session:
            query = select(Clinic).where(func.lower(Clinic.name) == name.strip().lower())
            return session.exec(query).first()

    def save_clinic(self, clinic: Clinic) -> Clinic:
        with self._session() as session:
            clinic = session.merge(clinic)
            session.flush()
            return clinic

    def clinics(self) -> list[Clinic]:
        with self._session() as session:
            return list(session.exec(select(Clinic).order_by(col(Clinic.name))))

    # Clinicians ---------------------------------------------------------------------------

    def clinician(self, telegram_user_id: int) -> Clinician | None:
        with self._session() as session:
            query = select(Clinician).where(Clinician.telegram_user_id == telegram_user_id)
            return session.exec(query).first()

    def clinicians_of(self, clinic_id: int) -> list[Clinician]:
        with self._session() as session:
            query = (
                select(Clinician)
                .where(Clinician.clinic_id == clinic_id)
                .order_by(col(Clinician.id))
            )
            return list(session.exec(query))

    def all_clinicians(self) -> list[Clinician]:
        with self._session() as session:
            return list(session.exec(select(Clinician).order_by(col(Clinician.id))))

    def save_clinician(self, clinician: Clinician) -> Clinician:
        with self._session() as session:
            clinician = session.merge(clinician)
            session.flush()
            return clinician

    def remove_clinician(self, telegram_user_id: int) -> Clinician | None:
        with self._session() as session:
            query = select(Clinician).where(Clinician.telegram_user_id == telegram_user_id)
            clinician = session.exec(query).first()
            if clinician is not None:
                session.delete(clinician)
            return clinician

    # Patients of a clinic -----------------------------------------------------------------

    def patient_by_code(self, clinic_id: int, code: str) -> Patient | None:
        with self._session() as session:
            query = select(Patient).where(
                Patient.clinic_id == clinic_id, func.upper(Patient.code) == code.strip().upper()
            )
            return session.exec(query).first()

    def patients_of(self, clinic_id: int) -> list[Patient]:
        with self._session() as session:
            query = (
                select(Patient).where(Patient.clinic_id == clinic_id).order_by(col(Patient.code))
            )
            return list(session.exec(query))

    def checkin_days(self, clinic_id: int, first: date, last: date) -> set[tuple[int, date]]:
        """(patient id, local date) of every check-in of the clinic's patients on local dates
        from ``first`` to ``last``: one query for a whole clinic."""
        query = (
            select(CheckIn.patient_id, CheckIn.local_date)
            .join(Patient, col(Patient.id) == col(CheckIn.patient_id))
            .where(
                Patient.clinic_id == clinic_id,
                col(CheckIn.local_date) >= first,
                col(CheckIn.local_date) <= last,
            )
        )
        with self._session() as session:
            return {(patient_id, day) for patient_id, day in session.exec(query)}

    def sessions_ended(self, clinic_id: int, since: datetime, until: datetime) -> list[int]:
        """The patient id of each session of the clinic's patients that ended in
        [since, until] (one entry per session): one query for a whole clinic."""
        query = (
            select(DosingSession.patient_id)
            .join(Patient, col(Patient.id) == col(DosingSession.patient_id))
            .where(
                Patient.clinic_id == clinic_id,
                col(DosingSession.ended_at) >= since,
                col(DosingSession.ended_at) <= until,
            )
        )
        with self._session() as session:
            return list(session.exec(query))

    def code_taken(self, clinic_id: int, code: str) -> bool:
        return self.patient_by_code(clinic_id, code) is not None

    # Invites ------------------------------------------------------------------------------

    def add_invite(self, invite: Invite) -> Invite:
        with self._session() as session:
            session.add(invite)
            session.flush()
            return invite

    def invite(self, code: str) -> Invite | None:
        with self._session() as session:
            return session.exec(select(Invite).where(Invite.code == code)).first()

    def use_invite(self, code: str, now: datetime) -> bool:
        """Mark an unused, unexpired invite used; False if someone else got there first."""
        query = (
            update(Invite)
            .where(
                col(Invite.code) == code,
                col(Invite.used_at).is_(None),
                col(Invite.expires_at) > now,
            )
            .values(used_at=now)
        )
        with self._session() as session:
            return int(session.execute(query).rowcount) == 1  # type: ignore[attr-defined]

    # Protocol versions ----------------------------------------------------------------------

    def protocol_versions(self, clinic_id: int) -> list[ProtocolVersion]:
        with self._session() as session:
            query = (
                select(ProtocolVersion)
                .where(ProtocolVersion.clinic_id == clinic_id)
                .order_by(col(ProtocolVersion.key), col(ProtocolVersion.version))
            )
            return list(session.exec(query))

    def add_protocol_version(self, version: ProtocolVersion) -> ProtocolVersion:
        with self._session() as session:
            session.add(version)
            session.flush()
            return version

    # Audit --------------------------------------------------------------------------------

    def audit(self, entry: AuditEntry) -> None:
        with self._session() as session:
            session.add(entry)

    def audit_log(self) -> list[AuditEntry]:
        with self._session() as session:
            return list(session.exec(select(AuditEntry).order_by(col(AuditEntry.id))))

    def departures_since(self, clinic_id: int, since: datetime) -> list[AuditEntry]:
        with self._session() as session:
            query = select(AuditEntry).where(
                AuditEntry.clinic_id == clinic_id,
                AuditEntry.action == "patient left",
                col(AuditEntry.at) >= since,
            )
            return list(session.exec(query))
