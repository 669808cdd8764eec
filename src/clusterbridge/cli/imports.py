"""``clusterbridge import``: loading public data sets into the registry."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from clusterbridge.cli.common import database, user_errors
from clusterbridge.cli.progress import progress_bar
from clusterbridge.cli.values import read_day
from clusterbridge.services.registry.cordis import import_cordis, shipped_cordis_folder

app = typer.Typer(
    help="Load public data sets into the organisation registry.", no_args_is_help=True
)


@app.command("cordis")
def cordis(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="A CORDIS export folder (he_*.csv.gz); default: the copy shipped with clusterbridge.",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        date | None,
        typer.Option(
            "--as-of",
            parser=read_day,
            help="Count only projects that started before this date (YYYY-MM-DD).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Load Horizon Europe organisations, projects and participations from CORDIS.

    Re-running updates the records instead of adding new ones.
    """
    source = folder or shipped_cordis_folder()
    with user_errors(), database() as db, progress_bar() as progress, db.unit_of_work() as session:
        summary = import_cordis(session, source, as_of=as_of, progress=progress)
    typer.echo(
        f"Organisations: {summary.organisations_created} added, {summary.organisations_updated} updated. "
        f"Projects: {summary.projects_created} added, {summary.projects_updated} updated. "
        f"Participations: {summary.participations}."
    )
    typer.echo(summary.repairs.describe())
    for repair in summary.repairs.examples:
        typer.echo(f"  {repair.field} of {repair.key}: {repair.before!r} → {repair.after!r}")
    if summary.profiles is not None:
        typer.echo(summary.profiles.describe())
