"""Opening the database: connect and bring the schema up to date."""

from clusterbridge.config import Settings
from clusterbridge.db.revision import is_at_head
from clusterbridge.db.session import Database


def open_database(settings: Settings, *, upgrade: bool = True) -> Database:
    """Connect to the configured database (a SQLite file in the data directory by default,
    created on first use) and, unless ``upgrade`` is false, migrate it to the newest schema
    (Alembic is loaded only when the database is not already at the newest revision). When the
    migration fails, the connections it opened are closed before the error goes up."""
    database = Database.connect(settings.resolved_database_url())
    if upgrade and not is_at_head(database.engine):
        # Alembic loads only when there is something to migrate (a third of a second).
        from clusterbridge.db import migrate  # noqa: PLC0415 -- slow import

        try:
            migrate.upgrade(database.engine)
        except BaseException:
            database.dispose()
            raise
    return database
