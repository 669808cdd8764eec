"""Events: fairness, participants' unavailable times, meeting priorities, calendar sequence
numbers and reminders.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-21 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fairness", sa.Integer(), nullable=True))
        batch_op.create_check_constraint("fairness", "fairness IS NULL OR fairness >= 0")
    with op.batch_alter_table("event_participant", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("sequence", sa.Integer(), server_default="0", nullable=False))
        batch_op.create_check_constraint("priority", "priority BETWEEN 1 AND 5")
        batch_op.create_check_constraint("sequence", "sequence >= 0")
    op.create_table(
        "event_unavailability",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "ends_at > starts_at", name=op.f("ck_event_unavailability_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["event_participant.id"],
            name=op.f("fk_event_unavailability_participant_id_event_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_unavailability")),
    )
    with op.batch_alter_table("event_unavailability", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_unavailability_participant_id"), ["participant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("event_unavailability", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_unavailability_participant_id"))
    op.drop_table("event_unavailability")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_meeting_sequence"), type_="check")
        batch_op.drop_constraint(op.f("ck_meeting_priority"), type_="check")
        batch_op.drop_column("sequence")
        batch_op.drop_column("priority")
    with op.batch_alter_table("event_participant", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_event_fairness"), type_="check")
        batch_op.drop_column("fairness")
