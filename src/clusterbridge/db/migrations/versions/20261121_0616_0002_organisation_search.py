# ruff: noqa: S608 -- the SQL is built from constants of this file, never from input
"""Full-text search over organisations: a side table kept up to date by triggers.

SQLite gets an FTS5 table (its own copy of the text, porter stemming, diacritics removed);
PostgreSQL a table of weighted ``tsvector`` documents with a GIN index. Both are filled from
the rows already present and refreshed by triggers on ``organisation`` and
``organisation_technology``, so every writer (ORM, bulk import, SQL) keeps them current.
See docs/adr/0005-organisation-search.md. The names all start with ``organisation_search``,
which autogenerate ignores (env.py).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 06:16:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_TECHNOLOGIES = (
    "(SELECT coalesce(group_concat(label, ' '), '') FROM organisation_technology"
    " WHERE organisation_id = {ref})"
)

SQLITE_UPGRADE = [
    "CREATE VIRTUAL TABLE organisation_search USING fts5("
    "name, short_name, technologies, description, profile,"
    " tokenize = 'porter unicode61 remove_diacritics 2')",
    "INSERT INTO organisation_search (rowid, name, short_name, technologies, description, profile)"
    " SELECT id, name, coalesce(short_name, ''), "
    + _SQLITE_TECHNOLOGIES.format(ref="organisation.id")
    + ", description, profile FROM organisation",
    "CREATE TRIGGER organisation_search_insert AFTER INSERT ON organisation BEGIN"
    " INSERT INTO organisation_search (rowid, name, short_name, technologies, description, profile)"
    " VALUES (new.id, new.name, coalesce(new.short_name, ''), "
    + _SQLITE_TECHNOLOGIES.format(ref="new.id")
    + ", new.description, new.profile); END",
    "CREATE TRIGGER organisation_search_update"
    " AFTER UPDATE OF name, short_name, description, profile ON organisation BEGIN"
    " UPDATE organisation_search SET name = new.name, short_name = coalesce(new.short_name, ''),"
    " description = new.description, profile = new.profile WHERE rowid = new.id; END",
    "CREATE TRIGGER organisation_search_delete AFTER DELETE ON organisation BEGIN"
    " DELETE FROM organisation_search WHERE rowid = old.id; END",
    "CREATE TRIGGER organisation_search_technology_insert"
    " AFTER INSERT ON organisation_technology BEGIN"
    " UPDATE organisation_search SET technologies = "
    + _SQLITE_TECHNOLOGIES.format(ref="new.organisation_id")
    + " WHERE rowid = new.organisation_id; END",
    "CREATE TRIGGER organisation_search_technology_update"
    " AFTER UPDATE ON organisation_technology BEGIN"
    " UPDATE organisation_search SET technologies = "
    + _SQLITE_TECHNOLOGIES.format(ref="new.organisation_id")
    + " WHERE rowid = new.organisation_id; END",
    "CREATE TRIGGER organisation_search_technology_delete"
    " AFTER DELETE ON organisation_technology BEGIN"
    " UPDATE organisation_search SET technologies = "
    + _SQLITE_TECHNOLOGIES.format(ref="old.organisation_id")
    + " WHERE rowid = old.organisation_id; END",
]

SQLITE_DOWNGRADE = [
    "DROP TRIGGER organisation_search_technology_delete",
    "DROP TRIGGER organisation_search_technology_update",
    "DROP TRIGGER organisation_search_technology_insert",
    "DROP TRIGGER organisation_search_delete",
    "DROP TRIGGER organisation_search_update",
    "DROP TRIGGER organisation_search_insert",
    "DROP TABLE organisation_search",
]

#: The weighted document of one organisation: names (A), technologies and description (B),
#: the profile built from its projects (C). The repository queries the stored ``document``.
_POSTGRES_DOCUMENT = """
    setweight(to_tsvector('english', o.name), 'A')
    || setweight(to_tsvector('english', coalesce(o.short_name, '')), 'A')
    || setweight(to_tsvector('english', coalesce((SELECT string_agg(t.label, ' ')
         FROM organisation_technology t WHERE t.organisation_id = o.id), '')), 'B')
    || setweight(to_tsvector('english', o.description), 'B')
    || setweight(to_tsvector('english', o.profile), 'C')
"""

POSTGRES_UPGRADE = [
    "CREATE TABLE organisation_search ("
    " organisation_id integer PRIMARY KEY REFERENCES organisation (id) ON DELETE CASCADE,"
    " document tsvector NOT NULL)",
    "CREATE INDEX organisation_search_document ON organisation_search USING gin (document)",
    "CREATE FUNCTION organisation_search_refresh(org_id integer) RETURNS void AS $$"
    " INSERT INTO organisation_search (organisation_id, document)"
    f" SELECT o.id, {_POSTGRES_DOCUMENT} FROM organisation o WHERE o.id = org_id"
    " ON CONFLICT (organisation_id) DO UPDATE SET document = excluded.document"
    " $$ LANGUAGE sql",
    "CREATE FUNCTION organisation_search_on_organisation() RETURNS trigger AS $$"
    " BEGIN PERFORM organisation_search_refresh(NEW.id); RETURN NULL; END"
    " $$ LANGUAGE plpgsql",
    "CREATE FUNCTION organisation_search_on_technology() RETURNS trigger AS $$"
    " BEGIN"
    " IF TG_OP = 'DELETE' THEN PERFORM organisation_search_refresh(OLD.organisation_id);"
    " ELSE PERFORM organisation_search_refresh(NEW.organisation_id); END IF;"
    " RETURN NULL; END"
    " $$ LANGUAGE plpgsql",
    "CREATE TRIGGER organisation_search_insert AFTER INSERT ON organisation"
    " FOR EACH ROW EXECUTE FUNCTION organisation_search_on_organisation()",
    "CREATE TRIGGER organisation_search_update"
    " AFTER UPDATE OF name, short_name, description, profile ON organisation"
    " FOR EACH ROW EXECUTE FUNCTION organisation_search_on_organisation()",
    "CREATE TRIGGER organisation_search_technology AFTER INSERT OR UPDATE OR DELETE"
    " ON organisation_technology"
    " FOR EACH ROW EXECUTE FUNCTION organisation_search_on_technology()",
    "SELECT organisation_search_refresh(id) FROM organisation",
]

POSTGRES_DOWNGRADE = [
    "DROP TRIGGER organisation_search_technology ON organisation_technology",
    "DROP TRIGGER organisation_search_update ON organisation",
    "DROP TRIGGER organisation_search_insert ON organisation",
    "DROP FUNCTION organisation_search_on_technology()",
    "DROP FUNCTION organisation_search_on_organisation()",
    "DROP FUNCTION organisation_search_refresh(integer)",
    "DROP TABLE organisation_search",
]


def _run(statements: dict[str, list[str]]) -> None:
    dialect = op.get_bind().dialect.name
    if dialect not in statements:
        raise NotImplementedError(f"organisation search is not implemented on {dialect}")
    for statement in statements[dialect]:
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UPGRADE, "postgresql": POSTGRES_UPGRADE})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWNGRADE, "postgresql": POSTGRES_DOWNGRADE})
