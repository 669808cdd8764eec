"""Claims: users asking to manage an organisation's record, and the decisions.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisation_claim",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("requester_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "refused",
                name="claimstatus",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("is_open", sa.Boolean(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(status = 'pending') = (is_open IS NOT NULL)",
            name=op.f("ck_organisation_claim_open_while_pending"),
        ),
        sa.CheckConstraint(
            "is_open IS NULL OR is_open", name=op.f("ck_organisation_claim_open_is_true")
        ),
        sa.CheckConstraint(
            "(status = 'pending') = (decided_at IS NULL)",
            name=op.f("ck_organisation_claim_decided_at"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_claim_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requester_id"],
            ["user_account.id"],
            name=op.f("fk_organisation_claim_requester_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_organisation_claim_decided_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_claim")),
        # One open claim per user and organisation: is_open is NULL once decided, and both
        # databases let NULLs repeat in a unique constraint.
        sa.UniqueConstraint(
            "organisation_id",
            "requester_id",
            "is_open",
            name=op.f("uq_organisation_claim_organisation_id_requester_id_is_open"),
        ),
    )
    with op.batch_alter_table("organisation_claim", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_claim_requester_id"), ["requester_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("organisation_claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_claim_requester_id"))
    op.drop_table("organisation_claim")
