"""Engines and sessions. Exactly one commit or rollback happens at the edge (``unit_of_work``)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from clusterbridge.db.conflicts import conflict_for
from clusterbridge.private_files import create_private_file

#: How long SQLite waits for another writer before giving up, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 10_000
#: Pooled connections to a SQLite file: as many as the threads that serve requests (anyio's
#: default limit for FastAPI's synchronous routes and dependencies is 40).
SQLITE_POOL_SIZE = 40
#: The key, in ``Session.info``, of the function that hands a committed job (its id) to the
#: queue: the outbox of e-mail (`services.mail`) dispatches its jobs through it after commit.
DISPATCH_KEY = "clusterbridge.dispatch"


def create_db_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout on every connection."""
    is_sqlite = url.startswith("sqlite")
    if is_sqlite and not _is_memory_url(url):
        _create_private_database_file(url)
    options: dict[str, Any] = {"pool_pre_ping": True}
    if is_sqlite:
        # A connection to a SQLite file is only a file handle, so keep one for each thread
        # that may run a request: with the default five, the sixth concurrent request opened
        # (and configured, and closed) a connection of its own, or waited for one.
        options = {"connect_args": {"check_same_thread": False}}
        if not _is_memory_url(url):
            options |= {"pool_size": SQLITE_POOL_SIZE, "max_overflow": 0}
    engine = sa.create_engine(url, echo=echo, **options)
    if is_sqlite:
        sa.event.listen(engine, "connect", _configure_sqlite)
    elif engine.dialect.name == "postgresql":
        # An executemany of INSERTs becomes multi-row INSERT statements (1,000 rows each), as
        # it already is when rows are returned. psycopg would send one INSERT a row, and each
        # fires the statement triggers of the search version (revision 0003): a CORDIS import
        # updated that one row 100,000 times in its transaction, slower with every update.
        engine.dialect.use_insertmanyvalues_wo_returning = True
    return engine


def _create_private_database_file(url: str) -> None:
    # SQLite would create the file (and its -wal and -shm files, which copy the file's mode)
    # readable by everyone under the usual umask; an empty file is a valid new database.
    database = sa.engine.make_url(url).database
    if database and not database.startswith("file:"):
        create_private_file(Path(database))


def _configure_sqlite(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    if not _is_memory(connection):
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _is_memory_url(url: str) -> bool:
    database = sa.engine.make_url(url).database
    return database in (None, "", ":memory:") or "mode=memory" in url


def _is_memory(connection: Any) -> bool:
    cursor = connection.cursor()
    rows = cursor.execute("PRAGMA database_list").fetchall()
    cursor.close()
    return any(row[1] == "main" and not row[2] for row in rows)


@dataclass(frozen=True)
class Database:
    """An engine and its session factory."""

    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def connect(cls, url: str, *, echo: bool = False) -> "Database":
        """Connect to ``url`` (nothing is created or migrated here)."""
        engine = create_db_engine(url, echo=echo)
        return cls(engine, sessionmaker(engine, expire_on_commit=False))

    def with_dispatch(self, dispatch: Callable[[int], None]) -> "Database":
        """The same engine, whose sessions hand the jobs they queue as a side effect (e-mail)
        to ``dispatch`` once they commit (``Session.info[DISPATCH_KEY]``)."""
        sessions = sessionmaker(self.engine, expire_on_commit=False, info={DISPATCH_KEY: dispatch})
        return Database(self.engine, sessions)

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back if it raises.

        A collision with a known unique constraint (`db.conflicts`), at a flush in the block or
        at the commit, becomes a ConflictError (409) with a message for the user."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except IntegrityError as error:
                session.rollback()
                conflict = conflict_for(error)
                if conflict is None:
                    raise
                raise conflict from error
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
