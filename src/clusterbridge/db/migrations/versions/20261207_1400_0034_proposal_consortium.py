"""The consortium made from a builder proposal (job and proposal number), one at most per
proposal: "Create consortium from this proposal" sent again (Back, then the button) opens the
consortium already made instead of making a second one with the same name.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proposal_consortium",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("proposal", sa.Integer(), nullable=False),
        sa.Column("consortium_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consortium_id"],
            ["consortium.id"],
            name=op.f("fk_proposal_consortium_consortium_id_consortium"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["job.id"],
            name=op.f("fk_proposal_consortium_job_id_job"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "proposal", name=op.f("pk_proposal_consortium")),
        sa.UniqueConstraint("consortium_id", name=op.f("uq_proposal_consortium_consortium_id")),
    )


def downgrade() -> None:
    op.drop_table("proposal_consortium")
