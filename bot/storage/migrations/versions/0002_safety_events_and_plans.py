"""safety events and safety plans

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 21:47:00.642224
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.storage.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "safety_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("occurred_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("concern", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("rule_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_safety_events_patient_id_patients"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_events")),
    )
    with op.batch_alter_table("safety_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_events_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "safety_plan_parts",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("part BETWEEN 1 AND 6", name=op.f("ck_safety_plan_parts_part_range")),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_safety_plan_parts_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patient_id", "part", name=op.f("pk_safety_plan_parts")),
    )


def downgrade() -> None:
    op.drop_table("safety_plan_parts")
    with op.batch_alter_table("safety_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_events_patient_id"))

    op.drop_table("safety_events")
