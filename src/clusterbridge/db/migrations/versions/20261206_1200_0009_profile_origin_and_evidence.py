"""Profiles: where each value comes from (derived or declared), its evidence, and the fields the
members declared, which a re-import never overwrites.

The columns are added with ALTER TABLE, never by recreating a table: SQLite would drop the search
triggers of revisions 0002 and 0003 with the old table. SQLite cannot add a CHECK constraint to an
existing table, so there the ORM's enum validation guards the origins; PostgreSQL gets the
constraints the models declare.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORIGIN_LENGTH = 8
#: (table, origin column, whether it may be empty)
ORIGINS = (
    ("organisation", "sme_profile_origin", True),
    ("organisation_ecosystem", "origin", False),
    ("organisation_technology", "origin", False),
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, column, nullable in ORIGINS:
        default = None if nullable else sa.text("'declared'")
        op.add_column(
            table,
            sa.Column(column, sa.String(ORIGIN_LENGTH), nullable=nullable, server_default=default),
        )
        if postgres:
            condition = f"{column} IN ('derived', 'declared')"
            op.create_check_constraint(op.f(f"ck_{table}_valueorigin"), table, condition)
    op.add_column("organisation", sa.Column("sme_profile_evidence", sa.Text(), nullable=True))
    # Every SME profile so far was typed or imported from a file: declared.
    op.execute(
        "UPDATE organisation SET sme_profile_origin = 'declared' WHERE sme_profile IS NOT NULL"
    )
    op.add_column(
        "organisation",
        sa.Column("declared_fields", sa.JSON(), nullable=False, server_default="[]"),
    )
    for table in ("organisation_ecosystem", "organisation_technology"):
        op.add_column(table, sa.Column("evidence", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in ("organisation_technology", "organisation_ecosystem"):
        op.drop_column(table, "evidence")
    op.drop_column("organisation", "declared_fields")
    op.drop_column("organisation", "sme_profile_evidence")
    for table, column, _nullable in ORIGINS:
        op.drop_column(table, column)
