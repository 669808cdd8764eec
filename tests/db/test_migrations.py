"""The migrations: one head, a full round trip, and no drift from the models."""

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.schema import CreateIndex

from clusterbridge.db import migrate
from clusterbridge.db.base import Base
from clusterbridge.db.session import Database

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def scratch(database_url: str, tmp_path: Path) -> Iterator[Database]:
    """A SQLite file of its own, or the PostgreSQL test database (left migrated to head)."""
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    db = Database.connect(database_url)
    yield db
    db.dispose()


def test_migrations_have_a_single_head(scratch: Database) -> None:
    assert migrate.head_revisions(scratch.engine) == ("0039",)


def test_migrations_round_trip(scratch: Database) -> None:
    migrate.downgrade(scratch.engine, "base")
    migrate.upgrade(scratch.engine)
    tables = set(sa.inspect(scratch.engine).get_table_names())
    migrate.downgrade(scratch.engine, "base")
    emptied = set(sa.inspect(scratch.engine).get_table_names())
    migrate.upgrade(scratch.engine)

    assert {t for t in tables if not t.startswith("organisation_search")} == {
        *Base.metadata.tables,
        "alembic_version",
    }
    assert emptied == {"alembic_version"}
    assert migrate.current_revision(scratch.engine) == "0039"


def test_migration_0031_adds_and_drops_the_jobs_not_before(scratch: Database) -> None:
    migrate.upgrade(scratch.engine)
    migrate.downgrade(scratch.engine, "0030")
    before = {column["name"] for column in sa.inspect(scratch.engine).get_columns("job")}
    migrate.upgrade(scratch.engine)
    after = {column["name"] for column in sa.inspect(scratch.engine).get_columns("job")}

    assert (before - after, after - before) == (set(), {"not_before"})
    assert migrate.current_revision(scratch.engine) == "0039"


def _not_search(name: str | None, type_: str, _parents: dict[str, str | None]) -> bool:
    """The search side tables of revisions 0002 and 0003 are not models."""
    return not (type_ in {"table", "index"} and (name or "").startswith("organisation_search"))


#: What SQLite cannot reflect, hence compare: its expression indexes (compared by their SQL in
#: `test_sqlite_keeps_a_payment_reference_once_per_call`).
_UNREFLECTED = (
    "Skipped unsupported reflection of expression-based index",
    "autogenerate skipping metadata-specified expression-based index",
)


def test_models_match_migrations(database: Database) -> None:
    with database.engine.connect() as connection, warnings.catch_warnings():
        if database.engine.dialect.name == "sqlite":
            for message in _UNREFLECTED:
                warnings.filterwarnings("ignore", message)
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": _not_search}
        )

        drift = compare_metadata(context, Base.metadata)

    assert drift == []


def test_sqlite_keeps_a_payment_reference_once_per_call(database: Database) -> None:
    if database.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL reflects expression indexes: test_models_match_migrations")
    query = "SELECT sql FROM sqlite_master WHERE name = 'uq_cascade_payment_call_reference'"
    with database.engine.connect() as connection:
        migrated = connection.execute(sa.text(query)).scalar_one()
    index = next(i for i in Base.metadata.tables["cascade_payment"].indexes if i.name in migrated)

    assert migrated == str(CreateIndex(index).compile(dialect=database.engine.dialect))
