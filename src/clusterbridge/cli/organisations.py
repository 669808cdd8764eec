"""``clusterbridge organisations``: searching the registry and its files."""

from pathlib import Path
from typing import Annotated

import typer

from clusterbridge.cli.common import FormatOption, OutputFormat, database, emit_json, user_errors
from clusterbridge.domain.enums import OrgType
from clusterbridge.services.registry import (
    MAX_PER_PAGE,
    FileFormat,
    OrganisationFilters,
    export_organisations,
    file_format,
    import_organisations,
    search_organisations,
)

app = typer.Typer(
    help="The organisation registry: search, import and export files.", no_args_is_help=True
)

FileFormatOption = Annotated[
    FileFormat | None,
    typer.Option("--format", help="csv or xlsx; default: from the file name.", show_default=False),
]


@app.command("search")
def search(
    text: Annotated[str, typer.Argument(help="Words, or a 9-digit PIC.")] = "",
    country: Annotated[
        list[str] | None,
        typer.Option("--country", help="A country code or name; repeat for several."),
    ] = None,
    org_type: Annotated[
        list[OrgType] | None, typer.Option("--type", help="A type; repeat for several.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=MAX_PER_PAGE, help="How many to list.")
    ] = 20,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """List the organisations matching TEXT, best match first: id, PIC, country and name.

    TEXT that is a PIC lists the organisation with that PIC alone, when the registry has it.
    """
    filters = OrganisationFilters(
        text=text, countries=tuple(country or ()), types=tuple(org_type or ())
    )
    with user_errors(), database() as db, db.unit_of_work() as session:
        result = search_organisations(session, filters, per_page=limit, with_facets=False)
    rows = [
        {"id": item.id, "pic": item.pic, "country": item.country, "name": item.name}
        for item in result.items
    ]
    if output_format is OutputFormat.JSON:
        emit_json({"total": result.total, "items": rows})
        return
    for row in rows:
        typer.echo(f"{row['id']:>6}  {row['pic'] or '-':<9}  {row['country']}  {row['name']}")
    typer.echo(f"{len(rows)} of {result.total:,} organisations", err=True)


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A CSV (UTF-8) or XLSX file of organisations.")],
    fmt: FileFormatOption = None,
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
    fmt: FileFormatOption = None,
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
