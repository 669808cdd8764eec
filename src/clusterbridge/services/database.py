"""Opening the database: connect and bring the schema up to date."""

from clusterbridge.config import Settings
from clusterbridge.db import migrate
from clusterbridge.db.session import Database


def open_database(settings: Settings, *, upgrade: bool = True) -> Database:
    """Connect to the configured database (a SQLite file in the data directory by default,
    created on first use) and, unless ``upgrade`` is false, migrate it to the newest schema."""
    database = Database.connect(settings.resolved_database_url())
    if upgrade:
        migrate.upgrade(database.engine)
    return database
