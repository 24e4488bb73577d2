"""The clinic of each audit entry (so a clinic sees a patient left); headache-day questions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 00:38:19.984079
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("clinic_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_log_clinic_id_clinics"),
            "clinics",
            ["clinic_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("headache", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("medicine", sa.Boolean(), nullable=True))

    with op.batch_alter_table("clinics", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ask_headache", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("clinics", schema=None) as batch_op:
        batch_op.drop_column("ask_headache")

    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_column("medicine")
        batch_op.drop_column("headache")

    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_audit_log_clinic_id_clinics"), type_="foreignkey")
        batch_op.drop_column("clinic_id")
