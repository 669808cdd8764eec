"""A unique constraint that a race can hit becomes a ConflictError with its message; any other
integrity error stays an error (it is a bug)."""

import warnings

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from clusterbridge.db.conflicts import KNOWN_CONSTRAINTS
from clusterbridge.db.models import User
from clusterbridge.db.session import Database
from clusterbridge.domain.errors import ConflictError

pytestmark = [pytest.mark.integration, pytest.mark.db]

ACCOUNT = {"name": "Ada", "password_hash": "x", "role": "organisation_member", "is_active": True}


def _insert_user(database: Database, email: str) -> None:
    with database.unit_of_work() as session:
        session.execute(sa.insert(User).values(email=email, **ACCOUNT))


def test_a_known_unique_constraint_is_a_conflict(clean_database: Database) -> None:
    _insert_user(clean_database, "ada@example.org")

    with pytest.raises(ConflictError) as raised:
        _insert_user(clean_database, "ada@example.org")

    assert (raised.value.status, str(raised.value)) == (
        409,
        "The account cannot be created with this address",
    )


def test_another_integrity_error_stays_an_error(clean_database: Database) -> None:
    with pytest.raises(IntegrityError), clean_database.unit_of_work() as session:
        session.execute(sa.insert(User).values(email=None, **ACCOUNT))


#: The unique indexes of a database, by name.
UNIQUE_INDEXES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE 'CREATE UNIQUE%'",
    "postgresql": "SELECT indexname FROM pg_indexes WHERE indexdef LIKE 'CREATE UNIQUE%'",
}


def test_every_known_constraint_exists_in_the_schema(clean_database: Database) -> None:
    inspector = sa.inspect(clean_database.engine)
    found = set()
    with warnings.catch_warnings():
        # SQLite does not reflect an index on expressions: those are found by name below.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        for table in {known.table for known in KNOWN_CONSTRAINTS}:
            unique = inspector.get_unique_constraints(table)
            indexes = [index for index in inspector.get_indexes(table) if index["unique"]]
            primary = inspector.get_pk_constraint(table)
            found |= {(table, tuple(item["column_names"])) for item in [*unique, *indexes]}
            found.add((table, tuple(primary["constrained_columns"])))
    query = sa.text(UNIQUE_INDEXES[clean_database.engine.dialect.name])
    with clean_database.engine.connect() as connection:
        unique_indexes = set(connection.scalars(query))

    assert {(k.table, k.columns) for k in KNOWN_CONSTRAINTS if k.columns} <= found
    assert {k.name for k in KNOWN_CONSTRAINTS if not k.columns} <= unique_indexes
