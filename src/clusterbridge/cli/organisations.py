"""``clusterbridge organisations``: the registry's files."""

from pathlib import Path
from typing import Annotated

import typer

from clusterbridge.cli.common import database, user_errors
from clusterbridge.services.registry import (
    FileFormat,
    export_organisations,
    file_format,
    import_organisations,
)

app = typer.Typer(help="The organisation registry: import and export files.", no_args_is_help=True)

FormatOption = Annotated[
    FileFormat | None,
    typer.Option("--format", help="csv or xlsx; default: from the file name.", show_default=False),
]


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A CSV (UTF-8) or XLSX file of organisations.")],
    fmt: FormatOption = None,
) -> None:
    """Create or update the organisations of FILE, all or nothing.

    Every bad row is reported with its line and field (exit status 2), and then nothing is
    written. Rows match existing records by PIC, else by name and country.
    """
    with user_errors():
        content = _read(file)
        with database() as db, db.unit_of_work() as session:
            summary = import_organisations(
                session, content, file_format=file_format(file, fmt), source=file.name
            )
    typer.echo(f"{summary.created} added, {summary.updated} updated, {summary.unchanged} unchanged")


@app.command("export")
def export_file(
    file: Annotated[Path, typer.Argument(help="The file to write.")],
    fmt: FormatOption = None,
) -> None:
    """Write every organisation to FILE (CSV or XLSX), in the columns import reads."""
    chosen = file_format(file, fmt)
    with database() as db, db.unit_of_work() as session:
        content = export_organisations(session, file_format=chosen)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(content)
    typer.echo(f"Written to {file}", err=True)


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as error:
        typer.echo(f"Error: cannot read {file}: {error.strerror}", err=True)
        raise typer.Exit(2) from None
