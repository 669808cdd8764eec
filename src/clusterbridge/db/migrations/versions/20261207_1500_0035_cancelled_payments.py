"""Cancelled payments of cascade calls: a payment recorded by mistake is cancelled (who, when,
why) instead of deleted, and no longer counts as paid. Nullable columns, and an empty reason
for the payments already recorded.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cascade_payment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cancelled_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("cancel_reason", sa.String(length=500), nullable=False, server_default="")
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_cascade_payment_cancelled_by_id_user_account"),
            "user_account",
            ["cancelled_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("cascade_payment", schema=None) as batch_op:
        batch_op.alter_column("cancel_reason", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("cascade_payment", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_cascade_payment_cancelled_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancelled_by_id")
        batch_op.drop_column("cancelled_at")
