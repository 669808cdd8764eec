"""``clusterbridge db``: the database schema."""

from typing import Annotated

import typer

from clusterbridge.cli.common import database, user_errors
from clusterbridge.db import migrate

app = typer.Typer(help="The database: create it and migrate its schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(
    revision: Annotated[str, typer.Argument(help="The revision to reach.")] = "head",
) -> None:
    """Create the database if needed and migrate it to REVISION (default: the newest). A
    migration that refuses the data held (why, and what to fix) stops with status 2."""
    with user_errors(), database(upgrade=False) as db:
        migrate.upgrade(db.engine, revision)
        typer.echo(f"Database at revision {migrate.current_revision(db.engine)}")


@app.command("downgrade")
def downgrade(
    revision: Annotated[str, typer.Argument(help='The revision to go back to; "base" empties it.')],
) -> None:
    """Migrate the database down to REVISION. A revision this version does not know stops with
    status 2."""
    with user_errors(), database(upgrade=False) as db:
        migrate.downgrade(db.engine, revision)
        typer.echo(f"Database at revision {migrate.current_revision(db.engine) or 'base'}")


@app.command("current")
def current() -> None:
    """Print the database's URL (without password) and its revision."""
    with database(upgrade=False) as db:
        heads = ", ".join(migrate.head_revisions(db.engine))
        revision = migrate.current_revision(db.engine) or "none (run: clusterbridge db upgrade)"
        typer.echo(f"Database: {db.engine.url.render_as_string(hide_password=True)}")
        typer.echo(f"Revision: {revision} (newest: {heads})")
