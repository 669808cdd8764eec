"""Alembic environment: online migrations on the engine handed over by ``db.migrate``."""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import create_engine

from clusterbridge.db import models  # noqa: F401 -- registers every table on Base.metadata
from clusterbridge.db.base import Base
from clusterbridge.db.types import UTCDateTime

#: Tables and indexes of organisation search that are not models (see revision 0002).
SEARCH_PREFIX = "organisation_search"


def render_item(kind: str, item: Any, _context: AutogenContext) -> str | Literal[False]:
    """Write our portable types as plain SQLAlchemy ones: a migration must not import the app."""
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_name(name: str | None, type_: str, _parents: Any) -> bool:
    """Leave the search side tables (created by hand in revision 0002) to their migration."""
    return not (type_ in {"table", "index"} and (name or "").startswith(SEARCH_PREFIX))


config = context.config
engine = config.attributes.get("engine") or create_engine(
    config.get_main_option("sqlalchemy.url", "")
)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # ALTER on SQLite goes through table copies
        compare_type=True,
        render_item=render_item,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
