"""Exchange cancellation: an exchange may be called off before its closing report is
validated (state ``cancelled``, when and by whom, the reason), and "visit once" becomes a
partial unique index on the visitor among the exchanges not cancelled (ADR 0017).

The ``exchange`` table is recreated on SQLite (batch mode; PostgreSQL alters it in place): its
state check gains ``cancelled`` and the report check lets a cancelled exchange have a report
or none. The table has no triggers; but dropping it with foreign keys enforced deletes its
evidence (``ON DELETE CASCADE``), so on SQLite the evidence is kept aside and put back. Downgrading fails while a visitor has a cancelled
exchange and another one (the unique constraint would be broken); cancelled exchanges are
deleted first, as the schema before had no place for them.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 18:24:10
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATES = ("proposed", "confirmed", "reported", "validated", "paid")
NOT_CANCELLED = "state <> 'cancelled'"
REPORTED = "(state IN ('proposed', 'confirmed')) = (report_submitted_at IS NULL)"


def _states(states: Sequence[str]) -> str:
    return "state IN ({})".format(", ".join(f"'{state}'" for state in states))


def _keeping_evidence(alter: Callable[[], None]) -> None:
    """Run ``alter`` (which may recreate ``exchange``) without losing ``exchange_evidence``."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMPORARY TABLE kept_evidence AS SELECT * FROM exchange_evidence")
    alter()
    if sqlite:
        op.execute(
            "INSERT INTO exchange_evidence SELECT * FROM kept_evidence "
            "WHERE id NOT IN (SELECT id FROM exchange_evidence) "
            "AND exchange_id IN (SELECT id FROM exchange)"
        )
        op.execute("DROP TABLE kept_evidence")


def upgrade() -> None:
    _keeping_evidence(_add_cancellation)
    op.create_index(
        "uq_exchange_visitor_active",
        "exchange",
        ["visitor_id"],
        unique=True,
        sqlite_where=sa.text(NOT_CANCELLED),
        postgresql_where=sa.text(NOT_CANCELLED),
    )


def downgrade() -> None:
    op.drop_index("uq_exchange_visitor_active", table_name="exchange")
    op.execute("DELETE FROM exchange WHERE state = 'cancelled'")
    _keeping_evidence(_drop_cancellation)


def _add_cancellation() -> None:
    with op.batch_alter_table("exchange", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cancelled_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("cancelled_by_party", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("cancel_reason", sa.Text(), nullable=False, server_default="")
        )
        batch_op.drop_constraint(batch_op.f("uq_exchange_visitor_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("ck_exchange_exchangestate"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_exchange_reported"), type_="check")
        batch_op.create_check_constraint("exchangestate", _states((*STATES, "cancelled")))
        batch_op.create_check_constraint("reported", f"state = 'cancelled' OR {REPORTED}")
        batch_op.create_check_constraint(
            "cancelled_when", "(state = 'cancelled') = (cancelled_at IS NOT NULL)"
        )
        batch_op.create_check_constraint(
            "cancel_reason", "state <> 'cancelled' OR cancel_reason <> ''"
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_exchange_cancelled_by_id_user_account"),
            "user_account",
            ["cancelled_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def _drop_cancellation() -> None:
    with op.batch_alter_table("exchange", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_exchange_cancelled_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("ck_exchange_cancel_reason"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_exchange_cancelled_when"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_exchange_reported"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_exchange_exchangestate"), type_="check")
        batch_op.create_check_constraint("exchangestate", _states(STATES))
        batch_op.create_check_constraint("reported", REPORTED)
        batch_op.create_unique_constraint(batch_op.f("uq_exchange_visitor_id"), ["visitor_id"])
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancelled_by_party")
        batch_op.drop_column("cancelled_by_id")
        batch_op.drop_column("cancelled_at")
