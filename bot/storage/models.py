"""The tables. Changes here need an Alembic migration (``python -m bot db revision``).

Telegram ids exceed 32 bits, so they are BigInteger everywhere; every timestamp is UTC
(``UTCDateTime``); a check-in also keeps the patient's local date, because "today" is local.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Text,
    UniqueConstraint,
)
from sqlalchemy.sql.expression import false, true
from sqlmodel import Field, SQLModel

from bot.storage.types import UTCDateTime

# Named constraints let later migrations drop or alter them on PostgreSQL as well as SQLite.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Clinic(SQLModel, table=True):
    """A clinic: its contact details (shown to its patients) and its alert thresholds."""

    __tablename__ = "clinics"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    phone: str = Field(default="", max_length=40)
    hours: str = Field(default="", max_length=80)
    default_protocol: str | None = Field(default=None, max_length=64)
    escalate_after_minutes: int = 30
    pain_rise: int = 2
    pain_rise_checkins: int = 3
    low_mood: int = 3
    low_mood_checkins: int = 3
    missed_days: int = 3
    # Two more check-in questions (headache today? a medicine for it?) for headache clinics.
    ask_headache: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # PHQ-8 instead of PHQ-9, for programmes without same-day follow-up (no item 9).
    use_phq8: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    created_at: datetime = Field(sa_type=UTCDateTime)


class Clinician(SQLModel, table=True):
    """Clinic staff. A Telegram account is a clinician or a patient, never both."""

    __tablename__ = "clinicians"

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_type=BigInteger, unique=True, index=True)
    name: str = Field(max_length=80)
    clinic_id: int = Field(
        sa_column=Column(ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    timezone: str = Field(default="UTC", max_length=64)
    digest_time: time | None = Field(default=time(8, 0))  # None: no daily digest
    digest_sent_on: date | None = None  # the clinician's local date of the last digest
    created_at: datetime = Field(sa_type=UTCDateTime)


class Invite(SQLModel, table=True):
    """A one-time enrolment link for one clinic."""

    __tablename__ = "invites"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True, index=True)
    clinic_id: int = Field(
        sa_column=Column(ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False)
    )
    created_by: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("clinicians.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ProtocolVersion(SQLModel, table=True):
    """A protocol a clinician uploaded: a new version for their clinic only."""

    __tablename__ = "protocol_versions"
    __table_args__ = (
        UniqueConstraint("clinic_id", "key", "version", name="uq_protocol_versions_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    clinic_id: int = Field(
        sa_column=Column(ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False)
    )
    key: str = Field(max_length=64)
    version: int
    source: str = Field(sa_type=Text)
    uploaded_by: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("clinicians.id", ondelete="SET NULL"), nullable=True),
    )
    uploaded_at: datetime = Field(sa_type=UTCDateTime)


class Alert(SQLModel, table=True):
    """Something a clinician should know; ``episode`` makes each one fire once per episode."""

    __tablename__ = "alerts"
    __table_args__ = (UniqueConstraint("patient_id", "episode", name="uq_alerts_episode"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    clinic_id: int = Field(
        sa_column=Column(ForeignKey("clinics.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    tier: str = Field(max_length=16)
    kind: str = Field(max_length=32)
    episode: str = Field(max_length=64)
    raised_at: datetime = Field(sa_type=UTCDateTime)
    notified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    escalated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("clinicians.id", ondelete="SET NULL"), nullable=True),
    )


class AuditEntry(SQLModel, table=True):
    """Who did what, when: every clinician action. The name is kept as it was then."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    clinician_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("clinicians.id", ondelete="SET NULL"), nullable=True),
    )
    clinician_name: str = Field(max_length=80)
    action: str = Field(max_length=32)
    clinic_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("clinics.id", ondelete="SET NULL"), nullable=True),
    )
    patient_code: str | None = Field(default=None, max_length=12)
    detail: str = Field(default="", max_length=200)


class Patient(SQLModel, table=True):
    """Someone who has agreed to the consent text. Nobody is stored before they agree."""

    __tablename__ = "patients"
    __table_args__ = (UniqueConstraint("clinic_id", "code", name="uq_patients_clinic_code"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_type=BigInteger, unique=True, index=True)
    chat_id: int = Field(sa_type=BigInteger)
    first_name: str = Field(max_length=64)
    consent_version: int
    consented_at: datetime = Field(sa_type=UTCDateTime)
    timezone: str | None = Field(default=None, max_length=64)
    checkin_time: time | None = None
    onboarded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    mood_explained: bool = False
    # False once Telegram says the person blocked the bot: nothing more is sent until they
    # write again.
    active: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    # /pause: until a time, or (paused without an end) until /resume.
    paused: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    paused_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The clinic that cares for them, and their short code there (P-4821), which clinicians
    # use instead of names in commands.
    clinic_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("clinics.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    code: str | None = Field(default=None, max_length=12)
    protocol: str | None = Field(default=None, max_length=64)  # None: the clinic's default
    share_journal: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    discharged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class ConsentRecord(SQLModel, table=True):
    """Each yes or no to a version of the consent text: the audit trail, and all a "no" keeps."""

    __tablename__ = "consent_records"

    id: int | None = Field(default=None, primary_key=True)
    telegram_user_id: int = Field(sa_type=BigInteger, index=True)
    consent_version: int
    decision: str = Field(max_length=16)
    decided_at: datetime = Field(sa_type=UTCDateTime)


class Conversation(SQLModel, table=True):
    """Where a patient is in a multi-step exchange, so a restart does not lose their place."""

    __tablename__ = "conversations"

    patient_id: int = Field(
        sa_column=Column(ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True)
    )
    step: str = Field(max_length=32)
    token: str = Field(max_length=16)
    draft: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    question_message_id: int | None = Field(default=None, sa_type=BigInteger)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class CheckIn(SQLModel, table=True):
    """One mood and pain rating per patient per local date."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("patient_id", "local_date", name="uq_checkins_patient_day"),
        CheckConstraint("mood BETWEEN 0 AND 10", name="mood_range"),
        CheckConstraint("pain BETWEEN 0 AND 10", name="pain_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    local_date: date
    mood: int
    pain: int
    headache: bool | None = None  # None: not asked (the clinic does not ask it)
    medicine: bool | None = None  # an acute medicine for the headache
    note: str | None = Field(default=None, sa_type=Text)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class SafetyEvent(SQLModel, table=True):
    """That a screening rule matched, and which: never what the person wrote.

    The link to the patient is cleared, not the event, when a patient deletes their data, so a
    clinic keeps an honest count of how often its patients needed crisis help.
    """

    __tablename__ = "safety_events"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("patients.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    concern: str = Field(max_length=16)
    rule_id: str = Field(max_length=64)


class SafetyPlanPart(SQLModel, table=True):
    """One of the six parts of a patient's own safety plan, in their words."""

    __tablename__ = "safety_plan_parts"
    __table_args__ = (CheckConstraint("part BETWEEN 1 AND 6", name="part_range"),)

    patient_id: int = Field(
        sa_column=Column(ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True)
    )
    part: int = Field(primary_key=True)
    text: str = Field(sa_type=Text)
    updated_at: datetime = Field(sa_type=UTCDateTime)


class DosingSession(SQLModel, table=True):
    """A ketamine session: booked in advance (``planned_for``), finished (``ended_at``), or both."""

    __tablename__ = "dosing_sessions"
    __table_args__ = (UniqueConstraint("patient_id", "number", name="uq_dosing_sessions_number"),)

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    number: int
    protocol: str = Field(max_length=64)
    planned_for: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    logged_at: datetime = Field(sa_type=UTCDateTime)
    protocol_version: int | None = None  # None: the shipped file in prompts/protocols/


class OutboxMessage(SQLModel, table=True):
    """A message the bot has planned to send: the single source of truth for what goes out.

    ``dedupe_key`` is unique per patient ("checkin:2026-03-28", "session:4:day3"), so planning
    the same thing twice updates one row instead of sending twice.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("patient_id", "dedupe_key", name="uq_outbox_patient_key"),
        Index("ix_outbox_status_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    dedupe_key: str = Field(max_length=96)
    kind: str = Field(max_length=16)
    session_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("dosing_sessions.id", ondelete="CASCADE"), nullable=True),
    )
    protocol: str | None = Field(default=None, max_length=64)
    step_id: str | None = Field(default=None, max_length=32)
    local_date: date | None = None
    reminder_of: int | None = Field(
        default=None, sa_column=Column(ForeignKey("outbox.id", ondelete="CASCADE"), nullable=True)
    )
    due_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(max_length=16)
    attempts: int = 0
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Which instance is sending the row, and until when its claim holds; after that another
    # instance takes the row over (the claimant is presumed dead).
    claimed_by: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    telegram_message_id: int | None = Field(default=None, sa_type=BigInteger)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reason: str | None = Field(default=None, max_length=120)


class JournalEntry(SQLModel, table=True):
    """A patient's reply to an integration prompt, in their words or as a 0-10 score."""

    __tablename__ = "journal_entries"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    outbox_id: int | None = Field(
        default=None, sa_column=Column(ForeignKey("outbox.id", ondelete="SET NULL"), nullable=True)
    )
    session_id: int | None = Field(
        default=None,
        sa_column=Column(ForeignKey("dosing_sessions.id", ondelete="SET NULL"), nullable=True),
    )
    text: str | None = Field(default=None, sa_type=Text)
    score: int | None = None
    written_at: datetime = Field(sa_type=UTCDateTime)


class QuestionnaireResponse(SQLModel, table=True):
    """One sending of an instrument: answered item by item, scored only when complete."""

    __tablename__ = "questionnaire_responses"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(
        sa_column=Column(ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    instrument: str = Field(max_length=32)
    status: str = Field(max_length=16)  # in_progress, complete, incomplete
    answers: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    started_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    total: int | None = None
    band: str | None = Field(default=None, max_length=40)


class Lease(SQLModel, table=True):
    """Work only one instance may do at a time (planning, telling clinicians), or a pause
    all instances keep (Telegram's flood control). Whoever holds a lease renews it each tick;
    when it lapses, another instance may take it."""

    __tablename__ = "leases"

    name: str = Field(primary_key=True, max_length=32)
    holder: str = Field(max_length=64)
    expires_at: datetime = Field(sa_type=UTCDateTime)


class Instance(SQLModel, table=True):
    """A running copy of the bot, seen at each dispatcher tick: how many share the budget,
    and whether this one is alive (``python -m bot health``)."""

    __tablename__ = "instances"

    name: str = Field(primary_key=True, max_length=64)
    started_at: datetime = Field(sa_type=UTCDateTime)
    seen_at: datetime = Field(sa_type=UTCDateTime)
