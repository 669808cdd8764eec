"""Invariants that concurrent requests broke, kept by the database: one coordinator per
consortium, and one open request or meeting per pair of participants of an event, whoever
asked whom.

Both are partial unique indexes (SQLite and PostgreSQL have them). The pair of a meeting is
stored as two columns the database computes (lower and higher participant id), added with
ALTER TABLE: a table is never recreated on SQLite (the search triggers of revisions 0002 and
0003 would be dropped with it). Rows that already break an invariant are resolved first,
deterministically: the first coordinator (by position, then id) stays coordinator and the others
become beneficiaries; of the open requests and meetings of one pair, an accepted one is kept
before a requested one, the oldest first, and the others are cancelled (freeing their slots).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COORDINATOR = "role = 'coordinator'"
OPEN = "status IN ('requested', 'accepted')"
LOWER_ID = "CASE WHEN requester_id < recipient_id THEN requester_id ELSE recipient_id END"
HIGHER_ID = "CASE WHEN requester_id < recipient_id THEN recipient_id ELSE requester_id END"

#: Coordinators after the first of their consortium.
EXTRA_COORDINATORS = """
UPDATE consortium_partner SET role = 'beneficiary'
WHERE role = 'coordinator' AND EXISTS (
    SELECT 1 FROM consortium_partner AS first
    WHERE first.consortium_id = consortium_partner.consortium_id
      AND first.role = 'coordinator'
      AND (first.position < consortium_partner.position
           OR (first.position = consortium_partner.position AND first.id < consortium_partner.id))
)
"""
#: Open requests and meetings of a pair after the one kept (accepted first, then the oldest).
EXTRA_OPEN_MEETINGS = """
UPDATE meeting SET
    status = 'cancelled',
    former_starts_at = COALESCE(starts_at, former_starts_at),
    starts_at = NULL,
    room = NULL,
    locked = false,
    responded_at = COALESCE(responded_at, updated_at)
WHERE status IN ('requested', 'accepted') AND EXISTS (
    SELECT 1 FROM meeting AS kept
    WHERE kept.pair_low_id = meeting.pair_low_id
      AND kept.pair_high_id = meeting.pair_high_id
      AND kept.status IN ('requested', 'accepted')
      AND (CASE kept.status WHEN 'accepted' THEN 0 ELSE 1 END, kept.id)
          < (CASE meeting.status WHEN 'accepted' THEN 0 ELSE 1 END, meeting.id)
)
"""


def upgrade() -> None:
    op.execute(EXTRA_COORDINATORS)
    op.create_index(
        "uq_consortium_partner_coordinator",
        "consortium_partner",
        ["consortium_id"],
        unique=True,
        sqlite_where=sa.text(COORDINATOR),
        postgresql_where=sa.text(COORDINATOR),
    )
    # SQLite adds only virtual generated columns to an existing table (the index stores the
    # values); PostgreSQL before 18 has only stored ones.
    stored = True if op.get_bind().dialect.name == "postgresql" else None
    for column, expression in (("pair_low_id", LOWER_ID), ("pair_high_id", HIGHER_ID)):
        computed = sa.Computed(expression, persisted=stored)
        op.add_column("meeting", sa.Column(column, sa.Integer(), computed, nullable=False))
    op.execute(EXTRA_OPEN_MEETINGS)
    op.create_index(
        "uq_meeting_open_pair",
        "meeting",
        ["pair_low_id", "pair_high_id"],
        unique=True,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("uq_meeting_open_pair", table_name="meeting")
    op.drop_column("meeting", "pair_high_id")
    op.drop_column("meeting", "pair_low_id")
    op.drop_index("uq_consortium_partner_coordinator", table_name="consortium_partner")
