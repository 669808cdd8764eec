"""Alembic, driven from code: the migrations ship inside the package."""

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Engine

from clusterbridge.domain.errors import DomainError

SCRIPT_LOCATION = "clusterbridge.db:migrations"
FILE_TEMPLATE = "%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d_%%(rev)s_%%(slug)s"


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that runs on ``engine``'s connections."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.set_main_option("file_template", FILE_TEMPLATE)
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    config.attributes["engine"] = engine
    return config


class RevisionError(DomainError):
    """The database cannot be migrated as asked: it is at a revision this version does not
    ship (a newer version wrote it), or the revision asked for is not one of the shipped."""


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to ``revision``; RevisionError, with nothing changed, when the
    database or ``revision`` is at a revision this version does not know."""
    config = alembic_config(engine)
    _refuse_unknown_database_revision(engine, config)
    try:
        command.upgrade(config, revision)
    except CommandError as error:
        raise RevisionError(_target_reason(config, revision, error)) from error


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to ``revision`` (``base`` empties it); RevisionError as
    `upgrade`."""
    config = alembic_config(engine)
    _refuse_unknown_database_revision(engine, config)
    try:
        command.downgrade(config, revision)
    except CommandError as error:
        raise RevisionError(_target_reason(config, revision, error)) from error


def _refuse_unknown_database_revision(engine: Engine, config: Config) -> None:
    current = current_revision(engine)
    script = ScriptDirectory.from_config(config)
    if current is None or current in {found.revision for found in script.walk_revisions()}:
        return
    raise RevisionError(
        f"The database is at revision {current}, which this version of clusterbridge does not "
        f"know (its newest is {', '.join(script.get_heads())}): a newer version has migrated "
        "it. Nothing was changed. Run that version, or restore a backup made with this one."
    )


def _target_reason(config: Config, revision: str, error: CommandError) -> str:
    """Why Alembic refused to migrate to ``revision`` (the database's own revision is known)."""
    script = ScriptDirectory.from_config(config)
    known = [found.revision for found in script.walk_revisions()]  # newest first
    if str(error).startswith("Can't locate revision"):
        return (
            f"Unknown revision '{revision}': give head, base or a revision from {known[-1]} "
            f"to {known[0]} (`clusterbridge db current` shows the database's). Nothing was "
            "changed."
        )
    return f"Cannot migrate the database to '{revision}': {error}. Nothing was changed."


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revisions(engine: Engine) -> tuple[str, ...]:
    """The head revisions of the shipped migrations (one, unless branches were left unmerged)."""
    return tuple(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
