"""The registry's stamps, read without the ORM models: what the matching index and the
search cache are keyed by.

The tables are named with Core's light ``sa.table`` clauses rather than the mapped classes, so
that a command answering from a saved matching index (``clusterbridge partners suggest``)
never imports ``clusterbridge.db.models``: declaring and configuring the 70 mapped classes
costs about 0.4 s of CPU, a third of the command. ``tests/db/test_stamps.py`` checks these
names against the models.
"""

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.types import UTCDateTime

#: The tables whose row counts are part of the registry's stamp, in the stamp's order.
COUNTED_TABLES = (
    "organisation",
    "organisation_technology",
    "organisation_ecosystem",
    "cluster_membership",
    "participation",
    "project",
)
_ORGANISATION = sa.table("organisation", sa.column("updated_at", UTCDateTime()))
_PARTICIPATION = sa.table("participation", sa.column("id"))
_EMBEDDING = sa.table("organisation_embedding", sa.column("organisation_id"), sa.column("model"))


def registry_stamp(session: Session) -> tuple[Any, ...]:
    """Counts and the last change of the tables matching reads: equal stamps, same registry
    (as far as matching can tell without reading it all)."""
    counts = [
        sa.select(sa.func.count()).select_from(sa.table(name)).scalar_subquery()
        for name in COUNTED_TABLES
    ]
    latest = sa.select(sa.func.max(_ORGANISATION.c.updated_at)).scalar_subquery()
    ids = sa.select(sa.func.max(_PARTICIPATION.c.id)).scalar_subquery()
    # The search version changes with every write to organisations, their technologies and
    # ecosystems (revision 0003), which counts alone miss (a label changed in place).
    return (*session.execute(sa.select(*counts, latest, ids)).one(), search_version(session))


def search_version(session: Session) -> str | None:
    """The registry's search version: a token that revision 0003's triggers change with every
    write to organisations, their ecosystems or technologies (None if its row is missing)."""
    statement = sa.text("SELECT token FROM organisation_search_version WHERE id = 1")
    token = session.execute(statement).scalar_one_or_none()
    return None if token is None else str(token)


def has_embeddings(session: Session, model: str) -> bool:
    """Whether any vector of ``model`` is cached."""
    statement = sa.select(_EMBEDDING.c.organisation_id).where(_EMBEDDING.c.model == model)
    return session.execute(statement.limit(1)).first() is not None
