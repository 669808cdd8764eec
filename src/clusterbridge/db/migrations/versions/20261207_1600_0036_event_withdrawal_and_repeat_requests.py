"""Match-making events: a participant may withdraw their registration (``withdrawn_at``;
the registration then counts as not taking part), and an event may let a participant ask again
someone who declined (``repeat_requests``, off by default).

Both columns are added with ALTER TABLE, never by recreating the tables: on SQLite, dropping
``event`` or ``event_participant`` with foreign keys enforced would delete their meetings
(``ON DELETE CASCADE``). For the same reason ``repeat_requests`` keeps its server default.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "event",
        sa.Column("repeat_requests", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "event_participant",
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("event_participant", "withdrawn_at")
    op.drop_column("event", "repeat_requests")
