"""Cascade payments: the database keeps a reference once per call among the payments not
cancelled, ignoring case (ADR 0041). Until now only the service checked it, under a lock of the
call's row; a direct write or another code path could record it twice.

``cascade_payment`` gains ``call_id``, filled from its proposal; the foreign key on
``proposal_id`` becomes one on ``(proposal_id, call_id)``, towards a new unique index of
``proposal`` on ``(id, call_id)``, so that the copy is always the proposal's call; and a partial
unique index on ``(call_id, lower(reference))`` for the rows with ``cancelled_at`` empty.

A database that already holds a reference twice in a call among its payments not cancelled is
refused before anything changes, with every such payment named: which one is the mistake is
the programme officer's call (cancelling one changes what the SME counts as paid), not the
migration's. Cancel the wrong ones (the call's payments page, with the previous version) and
upgrade again. Downgrading drops the index, the foreign key and the column, as revision 0038
had them.

On SQLite ``cascade_payment`` is recreated (batch mode); nothing depends on it.

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

from clusterbridge.domain.errors import ConflictError

revision: str = "0039"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "cascade_payment"
PROPOSAL_CALL = "uq_proposal_id_call_id"
OLD_KEY = "fk_cascade_payment_proposal_id_proposal"
NEW_KEY = "fk_cascade_payment_proposal_id_call_id_proposal"
REFERENCE_ONCE = "uq_cascade_payment_call_reference"
STANDING = "cancelled_at IS NULL"

#: The payments not cancelled whose reference another one of the same call has, ignoring case.
DUPLICATES = sa.text(
    "SELECT c.identifier, p.reference, p.id, r.acronym, p.amount, p.paid_on "
    "FROM cascade_payment p "
    "JOIN proposal r ON r.id = p.proposal_id "
    "JOIN programme_call c ON c.id = r.call_id "
    "WHERE p.cancelled_at IS NULL AND EXISTS ("
    "  SELECT 1 FROM cascade_payment o JOIN proposal s ON s.id = o.proposal_id "
    "  WHERE o.id <> p.id AND o.cancelled_at IS NULL AND s.call_id = r.call_id "
    "  AND lower(o.reference) = lower(p.reference)) "
    "ORDER BY c.identifier, lower(p.reference), p.id"
)


def upgrade() -> None:
    _refuse_duplicates()
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.add_column(sa.Column("call_id", sa.Integer(), nullable=True))
    op.execute(
        f"UPDATE {TABLE} SET call_id = "  # noqa: S608 -- constants of this file
        f"(SELECT call_id FROM proposal WHERE proposal.id = {TABLE}.proposal_id)"
    )
    op.create_index(PROPOSAL_CALL, "proposal", ["id", "call_id"], unique=True)
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.alter_column("call_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint(OLD_KEY, type_="foreignkey")
        batch_op.create_foreign_key(
            NEW_KEY,
            "proposal",
            ["proposal_id", "call_id"],
            ["id", "call_id"],
            ondelete="CASCADE",
            onupdate="CASCADE",
        )
    op.create_index(
        REFERENCE_ONCE,
        TABLE,
        ["call_id", sa.text("lower(reference)")],
        unique=True,
        sqlite_where=sa.text(STANDING),
        postgresql_where=sa.text(STANDING),
    )


def downgrade() -> None:
    op.drop_index(REFERENCE_ONCE, table_name=TABLE)
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_constraint(NEW_KEY, type_="foreignkey")
        batch_op.create_foreign_key(
            OLD_KEY, "proposal", ["proposal_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.drop_column("call_id")
    op.drop_index(PROPOSAL_CALL, table_name="proposal")


def _refuse_duplicates() -> None:
    """Stop, before any change, when a call holds a reference twice among its payments not
    cancelled: name every such payment and say what to do."""
    rows = op.get_bind().execute(DUPLICATES).all()
    if not rows:
        return
    lines = [
        f"  - call {call}, reference {reference!r}: payment {payment_id} to {acronym}, "
        f"{Decimal(str(amount)):.2f} EUR paid on {paid_on}"
        for call, reference, payment_id, acronym, amount, paid_on in rows
    ]
    raise ConflictError(
        "The database cannot be upgraded to revision 0039: a payment reference is used more "
        "than once in a call among the payments not cancelled (ignoring case), which the new "
        "unique index refuses. Nothing was changed. Cancel the payments recorded by mistake "
        "(the call's payments page, with the previous version) and upgrade again:\n"
        + "\n".join(lines)
    )
