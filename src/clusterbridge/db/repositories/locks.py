"""One way to make concurrent writers wait for each other on a row, on both databases.

PostgreSQL locks the rows a SELECT ... FOR UPDATE reads; SQLite has one write lock for the
whole file, which an UPDATE takes (here one that sets a column to itself, changing nothing),
waiting for a writer that holds it. Either way, what the caller reads next, until its
transaction ends, is what the database holds under the lock."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session


def take_write_lock(
    session: Session, model: Any, row_id: int, unchanged: InstrumentedAttribute[Any]
) -> None:
    """SQLite only: take the file's write lock with an UPDATE of the row ``row_id`` of
    ``model`` that sets ``unchanged`` to itself."""
    session.execute(
        sa.update(model)
        .where(model.id == row_id)
        .values({unchanged.key: unchanged})
        .execution_options(synchronize_session=False)
    )


def hold_row(
    session: Session, model: Any, row_id: int, unchanged: InstrumentedAttribute[Any]
) -> None:
    """Keep every other transaction that holds the same row from going on until the caller's
    ends: its row locked on PostgreSQL, the write lock on SQLite (``take_write_lock``)."""
    if session.get_bind().dialect.name == "sqlite":
        take_write_lock(session, model, row_id, unchanged)
    else:
        session.execute(sa.select(model.id).where(model.id == row_id).with_for_update())
