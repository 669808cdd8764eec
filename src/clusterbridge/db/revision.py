"""Whether a database is at the newest schema, told without loading Alembic.

Alembic takes about a third of a second to import and to read its scripts; a command that only
reads (``clusterbridge partners suggest``) pays it on every run. The shipped migrations say
their ``revision`` and ``down_revision`` on lines of their own, so the head is the one
revision no other names as its ``down_revision``. Anything unexpected (no single head, a file
that does not say, a database without the version table) answers False, and the caller runs
Alembic as before.
"""

import re
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

#: The folder of the shipped migration scripts.
VERSIONS = Path(__file__).parent / "migrations" / "versions"
_ASSIGNMENT = re.compile(r'^(revision|down_revision)\b[^=]*=\s*(?:"([^"]*)"|None)\s*$', re.M)


def shipped_head(folder: Path = VERSIONS) -> str | None:
    """The single head revision of the migration scripts in ``folder``, or None when there is
    not exactly one or a script does not state its revisions plainly."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in folder.glob("*.py"):
        found = dict(_ASSIGNMENT.findall(script.read_text("utf-8")))
        if "revision" not in found or not found["revision"]:
            return None
        revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


def is_at_head(engine: Engine) -> bool:
    """Whether ``engine``'s database is at the shipped head (False when unsure)."""
    head = shipped_head()
    if head is None:
        return False
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    except sa.exc.DBAPIError:
        return False
    return [row[0] for row in rows] == [head]
