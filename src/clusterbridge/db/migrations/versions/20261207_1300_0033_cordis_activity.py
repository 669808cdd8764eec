"""The CORDIS activity type of an organisation (ADR 0038, revision): a technology centre is now
also derived from the name of an "other" body (OTH), and its evidence names the type CORDIS
gives. A nullable column, filled by the next CORDIS import; until then a derived technology
centre reads as a research organisation, the only activity type derived before.

The column is added with ALTER TABLE, never by recreating the table: SQLite would drop the search
triggers of revision 0003 with the old table (as revision 0009 explains).

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("organisation", sa.Column("cordis_activity", sa.String(length=3), nullable=True))


def downgrade() -> None:
    op.drop_column("organisation", "cordis_activity")
