"""A database a newer version has migrated, and a revision that is not shipped: every command
that opens the database and ``clusterbridge db`` say so with status 2, change nothing, and
leave no connection open."""

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from clusterbridge.config import Settings
from clusterbridge.db import migrate
from clusterbridge.db.session import Database
from clusterbridge.services import database as opening
from clusterbridge.services.database import open_database
from tests.cli.conftest import Invoke

pytestmark = [pytest.mark.e2e, pytest.mark.db]

NEWER = (
    "Error: The database is at revision 0099, which this version of clusterbridge does not "
    "know (its newest is 0039): a newer version has migrated it. Nothing was changed. Run that "
    "version, or restore a backup made with this one.\n"
)


def _stamp(database: Database, revision: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


@pytest.fixture
def newer(cli_database: Database) -> Iterator[Database]:
    """The test database as a newer version leaves it (revision 0099); back at head after."""
    _stamp(cli_database, "0099")
    yield cli_database
    _stamp(cli_database, migrate.head_revisions(cli_database.engine)[0])


@pytest.mark.parametrize(
    "command",
    [("events", "list"), ("db", "upgrade"), ("db", "downgrade", "0038")],
    ids=["a command", "upgrade", "downgrade"],
)
def test_a_database_of_a_newer_version_is_refused_with_status_2(
    invoke: Invoke, newer: Database, command: tuple[str, ...]
) -> None:
    result = invoke(*command)

    assert (result.exit_code, result.stdout, result.stderr) == (2, "", NEWER)
    assert migrate.current_revision(newer.engine) == "0099"


@pytest.mark.parametrize("command", ["upgrade", "downgrade"])
def test_a_revision_that_is_not_shipped_is_refused_with_status_2(
    invoke: Invoke, cli_database: Database, command: str
) -> None:
    result = invoke("db", command, "nope")

    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "Error: Unknown revision 'nope': give head, base or a revision from 0001 to 0039 "
        "(`clusterbridge db current` shows the database's). Nothing was changed.\n",
    )
    assert migrate.current_revision(cli_database.engine) == "0039"


def test_db_current_names_a_newer_revision(invoke: Invoke, newer: Database) -> None:
    result = invoke("db", "current")

    assert (result.exit_code, result.stdout.splitlines()[1]) == (0, "Revision: 0099 (newest: 0039)")


def test_opening_a_database_it_cannot_migrate_closes_its_connections(
    newer: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Database] = []
    original = Database.connect

    def connect(url: str) -> Database:
        opened.append(original(url))
        return opened[-1]

    monkeypatch.setattr(opening.Database, "connect", connect)

    with pytest.raises(migrate.RevisionError):
        open_database(Settings(database_url=database_url))

    # Disposed: the engine's pool is a new one, holding no connection (before, the old pool
    # kept the connection that read the revision, open until the garbage collector came).
    assert [database.engine.pool.checkedin() for database in opened] == [0]
