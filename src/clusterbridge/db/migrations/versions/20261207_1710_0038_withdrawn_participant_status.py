# ruff: noqa: S608 -- the SQL is built from constants of this file and the names of its tables
"""Match-making events: ``withdrawn`` becomes a participant status of its own. Revision 0036
stored a participant who withdrew as ``rejected`` with ``withdrawn_at`` set, which exports and
pages showed as the organiser's rejection. The status check gains ``withdrawn``, the rows with
``withdrawn_at`` set become ``withdrawn``, and a new check keeps the two together
(``withdrawn`` iff ``withdrawn_at`` is set). Downgrading makes them ``rejected`` again, as
revision 0036 stored them.

PostgreSQL alters the checks in place. SQLite cannot change a check without recreating the
table (batch mode), and dropping ``event_participant`` with foreign keys enforced would delete
its meetings, its unavailability and everything that hangs on them (``ON DELETE CASCADE``) or
clear references to them (``SET NULL``). On SQLite every table that depends on it, directly or
through another, is therefore kept aside, emptied, and filled again from the copy once the
table is back; its foreign keys are checked when the migration commits.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-07 17:00:00
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0038"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "event_participant"
BEFORE = ("pending", "validated", "rejected")
AFTER = (*BEFORE, "withdrawn")
WITHDRAWN_WHEN = "(status = 'withdrawn') = (withdrawn_at IS NOT NULL)"
STATUS_CHECK = "ck_event_participant_participantstatus"
WITHDRAWN_CHECK = "ck_event_participant_withdrawn_when"


def upgrade() -> None:
    _keeping_dependents(_add_withdrawn)


def downgrade() -> None:
    _keeping_dependents(_drop_withdrawn)


def _add_withdrawn() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(STATUS_CHECK), type_="check")
        batch_op.create_check_constraint("participantstatus", _allowed(AFTER))
    op.execute(f"UPDATE {TABLE} SET status = 'withdrawn' WHERE withdrawn_at IS NOT NULL")
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.create_check_constraint("withdrawn_when", WITHDRAWN_WHEN)


def _drop_withdrawn() -> None:
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(WITHDRAWN_CHECK), type_="check")
    op.execute(f"UPDATE {TABLE} SET status = 'rejected' WHERE status = 'withdrawn'")
    with op.batch_alter_table(TABLE, schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f(STATUS_CHECK), type_="check")
        batch_op.create_check_constraint("participantstatus", _allowed(BEFORE))


def _allowed(statuses: Sequence[str]) -> str:
    return "status IN ({})".format(", ".join(f"'{status}'" for status in statuses))


def _keeping_dependents(alter: Callable[[], None]) -> None:
    """Run ``alter`` (which recreates ``event_participant`` on SQLite) without losing or
    changing a row of the tables that depend on it."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        alter()
        return
    kept = _dependents(bind)
    for table in kept:
        op.execute(f"CREATE TEMPORARY TABLE kept_{table} AS SELECT * FROM {table}")
    for table in kept:
        op.execute(f"DELETE FROM {table}")
    alter()
    # Rows go back in any order: their foreign keys are checked at the commit.
    op.execute("PRAGMA defer_foreign_keys = ON")
    for table, columns in kept.items():
        names = ", ".join(f'"{column}"' for column in columns)
        op.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM kept_{table}")
        op.execute(f"DROP TABLE kept_{table}")


def _dependents(bind: Any) -> dict[str, list[str]]:
    """The tables whose foreign keys lead to ``event_participant``, directly or through
    another such table, each with the columns it stores (computed columns left out)."""
    inspector = sa.inspect(bind)
    parents = {
        name: {key["referred_table"] for key in inspector.get_foreign_keys(name)}
        for name in inspector.get_table_names()
    }
    found: list[str] = []
    todo = [TABLE]
    while todo:
        parent = todo.pop()
        for name, referred in parents.items():
            if parent in referred and name not in found and name != TABLE:
                found.append(name)
                todo.append(name)
    return {
        name: [
            column["name"] for column in inspector.get_columns(name) if not column.get("computed")
        ]
        for name in found
    }
