"""The ``clusterbridge`` command."""

import typer

from clusterbridge import __version__
from clusterbridge.cli import (
    calls,
    consortium,
    db,
    events,
    imports,
    organisations,
    partners,
    regions,
    schedule,
    selection,
    users,
)
from clusterbridge.cli.check import check
from clusterbridge.cli.demo import demo
from clusterbridge.cli.serve import serve
from clusterbridge.cli.template import template

app = typer.Typer(
    name="clusterbridge",
    help="Calls, consortia and eligibility for EU cluster programmes.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(calls.app, name="calls")
app.add_typer(regions.app, name="regions")
app.command("check")(check)
app.command("template")(template)
app.add_typer(db.app, name="db")
app.add_typer(users.app, name="users")
app.add_typer(users.tokens_app, name="tokens")
app.add_typer(organisations.app, name="organisations")
app.add_typer(events.app, name="events")
app.add_typer(imports.app, name="import")
app.add_typer(partners.app, name="partners")
app.add_typer(consortium.app, name="consortium")
app.add_typer(schedule.app, name="schedule")
app.add_typer(selection.app, name="selection")
app.command("serve")(serve)
app.command("demo")(demo)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"clusterbridge {__version__}")
        raise typer.Exit


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """Calls, consortia and eligibility for EU cluster programmes."""


def main() -> None:
    """Entry point of the console script."""
    app()
