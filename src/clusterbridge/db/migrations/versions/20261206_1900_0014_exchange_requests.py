"""Exchange requests: a visitor asks a host, the host accepts or declines; one open request
per visitor and host (``is_open`` NULL once answered). A new table only.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_request",
        sa.Column("visitor_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "open",
                "accepted",
                "declined",
                name="requeststate",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("is_open", sa.Boolean(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "visitor_id <> host_id", name=op.f("ck_exchange_request_two_participants")
        ),
        sa.CheckConstraint(
            "(state = 'open') = (is_open IS NOT NULL)",
            name=op.f("ck_exchange_request_open_while_open"),
        ),
        sa.CheckConstraint(
            "is_open IS NULL OR is_open", name=op.f("ck_exchange_request_open_is_true")
        ),
        sa.CheckConstraint(
            "(state = 'open') = (answered_at IS NULL)", name=op.f("ck_exchange_request_answered")
        ),
        sa.ForeignKeyConstraint(
            ["visitor_id"],
            ["exchange_participant.id"],
            name=op.f("fk_exchange_request_visitor_id_exchange_participant"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["host_id"],
            ["exchange_participant.id"],
            name=op.f("fk_exchange_request_host_id_exchange_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_request")),
        # One open request per visitor and host: is_open is NULL once answered, and both
        # databases let NULLs repeat in a unique constraint.
        sa.UniqueConstraint(
            "visitor_id",
            "host_id",
            "is_open",
            name=op.f("uq_exchange_request_visitor_id_host_id_is_open"),
        ),
    )
    with op.batch_alter_table("exchange_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exchange_request_host_id"), ["host_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_exchange_request_visitor_id"), ["visitor_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("exchange_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_request_visitor_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_request_host_id"))
    op.drop_table("exchange_request")
