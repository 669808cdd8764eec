# ruff: noqa: S608 -- the SQL is built from constants of this file, never from input
"""The registry's search version: a token that changes with every write a search can see.

One row, ``organisation_search_version(id = 1, token)``. Triggers on ``organisation``,
``organisation_ecosystem`` and ``organisation_technology`` give it a new random token on every
insert, update or delete, whoever writes (ORM, bulk import, SQL). Searches cache their results
under the token they read first (docs/adr/0008-search-results-cached-by-registry-version.md).
The token is random rather than a counter so that a table dropped and created again (a
downgrade and upgrade) never repeats an earlier value. The name starts with
``organisation_search``, which autogenerate ignores (env.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("organisation", "organisation_ecosystem", "organisation_technology")
EVENTS = ("insert", "update", "delete")

_SQLITE_NEW_VERSION = "lower(hex(randomblob(16)))"
SQLITE_UPGRADE = [
    "CREATE TABLE organisation_search_version ("
    " id integer PRIMARY KEY CHECK (id = 1), token text NOT NULL)",
    f"INSERT INTO organisation_search_version (id, token) VALUES (1, {_SQLITE_NEW_VERSION})",
    # SQLite has row triggers only: one cheap update of a one-row table per written row.
    *(
        f"CREATE TRIGGER organisation_search_version_{table}_{event}"
        f" AFTER {event.upper()} ON {table} BEGIN"
        f" UPDATE organisation_search_version SET token = {_SQLITE_NEW_VERSION} WHERE id = 1; END"
        for table in TABLES
        for event in EVENTS
    ),
]
SQLITE_DOWNGRADE = [
    *(
        f"DROP TRIGGER organisation_search_version_{table}_{event}"
        for table in TABLES
        for event in EVENTS
    ),
    "DROP TABLE organisation_search_version",
]

_POSTGRES_NEW_VERSION = "md5(random()::text || clock_timestamp()::text)"
POSTGRES_UPGRADE = [
    "CREATE TABLE organisation_search_version ("
    " id integer PRIMARY KEY CHECK (id = 1), token text NOT NULL)",
    f"INSERT INTO organisation_search_version (id, token) VALUES (1, {_POSTGRES_NEW_VERSION})",
    "CREATE FUNCTION organisation_search_version_bump() RETURNS trigger AS $$"
    f" BEGIN UPDATE organisation_search_version SET token = {_POSTGRES_NEW_VERSION} WHERE id = 1;"
    " RETURN NULL; END $$ LANGUAGE plpgsql",
    # Statement triggers: a bulk import of thousands of rows changes the token once.
    *(
        "CREATE TRIGGER organisation_search_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
        f" ON {table} FOR EACH STATEMENT EXECUTE FUNCTION organisation_search_version_bump()"
        for table in TABLES
    ),
]
POSTGRES_DOWNGRADE = [
    *(f"DROP TRIGGER organisation_search_version ON {table}" for table in TABLES),
    "DROP FUNCTION organisation_search_version_bump()",
    "DROP TABLE organisation_search_version",
]


def _run(statements: dict[str, list[str]]) -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in statements:
        raise NotImplementedError(f"the search version is not implemented on {dialect}")
    for statement in statements[dialect]:
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UPGRADE, "postgresql": POSTGRES_UPGRADE})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWNGRADE, "postgresql": POSTGRES_DOWNGRADE})
