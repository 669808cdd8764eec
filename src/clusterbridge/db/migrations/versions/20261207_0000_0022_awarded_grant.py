"""Cascade awards below the request (issue 18; ADR 0032): the amount an officer awards a
selected application, on its decision. A nullable column and its check.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("proposal_decision", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("awarded_grant", sa.Numeric(precision=14, scale=2), nullable=True)
        )
        batch_op.create_check_constraint(
            "awarded_when_selected",
            "awarded_grant IS NULL OR (awarded_grant > 0 AND outcome = 'selected')",
        )


def downgrade() -> None:
    with op.batch_alter_table("proposal_decision", schema=None) as batch_op:
        batch_op.drop_constraint("awarded_when_selected", type_="check")
        batch_op.drop_column("awarded_grant")
