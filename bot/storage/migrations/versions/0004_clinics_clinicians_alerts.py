"""Clinics, clinicians, invites, uploaded protocol versions, alerts and the audit log

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 00:08:51.033892
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.storage.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "clinics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("hours", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("default_protocol", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("escalate_after_minutes", sa.Integer(), nullable=False),
        sa.Column("pain_rise", sa.Integer(), nullable=False),
        sa.Column("pain_rise_checkins", sa.Integer(), nullable=False),
        sa.Column("low_mood", sa.Integer(), nullable=False),
        sa.Column("low_mood_checkins", sa.Integer(), nullable=False),
        sa.Column("missed_days", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinics")),
        sa.UniqueConstraint("name", name=op.f("uq_clinics_name")),
    )
    op.create_table(
        "clinicians",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("digest_time", sa.Time(), nullable=True),
        sa.Column("digest_sent_on", sa.Date(), nullable=True),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_clinicians_clinic_id_clinics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinicians")),
    )
    with op.batch_alter_table("clinicians", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clinicians_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_clinicians_telegram_user_id"), ["telegram_user_id"], unique=True
        )

    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("tier", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("episode", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("raised_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("notified_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"],
            ["clinicians.id"],
            name=op.f("fk_alerts_acknowledged_by_clinicians"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_alerts_clinic_id_clinics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_alerts_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("patient_id", "episode", name="uq_alerts_episode"),
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alerts_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_alerts_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=True),
        sa.Column("clinician_name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("patient_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["clinicians.id"],
            name=op.f("fk_audit_log_clinician_id_clinicians"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_invites_clinic_id_clinics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["clinicians.id"],
            name=op.f("fk_invites_created_by_clinicians"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invites")),
    )
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invites_code"), ["code"], unique=True)

    op.create_table(
        "protocol_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_protocol_versions_clinic_id_clinics"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["clinicians.id"],
            name=op.f("fk_protocol_versions_uploaded_by_clinicians"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol_versions")),
        sa.UniqueConstraint("clinic_id", "key", "version", name="uq_protocol_versions_version"),
    )
    with op.batch_alter_table("dosing_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("protocol_version", sa.Integer(), nullable=True))

    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clinic_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True)
        )
        batch_op.add_column(
            sa.Column("protocol", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column("share_journal", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("discharged_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_patients_clinic_id"), ["clinic_id"], unique=False)
        batch_op.create_unique_constraint("uq_patients_clinic_code", ["clinic_id", "code"])
        batch_op.create_foreign_key(
            batch_op.f("fk_patients_clinic_id_clinics"),
            "clinics",
            ["clinic_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_patients_clinic_id_clinics"), type_="foreignkey")
        batch_op.drop_constraint("uq_patients_clinic_code", type_="unique")
        batch_op.drop_index(batch_op.f("ix_patients_clinic_id"))
        batch_op.drop_column("discharged_at")
        batch_op.drop_column("share_journal")
        batch_op.drop_column("protocol")
        batch_op.drop_column("code")
        batch_op.drop_column("clinic_id")

    with op.batch_alter_table("dosing_sessions", schema=None) as batch_op:
        batch_op.drop_column("protocol_version")

    op.drop_table("protocol_versions")
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invites_code"))

    op.drop_table("invites")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alerts_patient_id"))
        batch_op.drop_index(batch_op.f("ix_alerts_clinic_id"))

    op.drop_table("alerts")
    with op.batch_alter_table("clinicians", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clinicians_telegram_user_id"))
        batch_op.drop_index(batch_op.f("ix_clinicians_clinic_id"))

    op.drop_table("clinicians")
    op.drop_table("clinics")
