"""``clusterbridge services``: a monitored project's deliveries of services to SMEs, imported
from and exported to CSV or XLSX files.

The services are imported inside the commands, so that ``--help`` stays fast."""

from pathlib import Path
from typing import Annotated

import typer

from clusterbridge.cli.common import (
    EXIT_BAD_INPUT,
    database,
    existing_file,
    output_file,
    require_output_file,
    user_errors,
    write_output,
)
from clusterbridge.cli.messages import print_error

app = typer.Typer(help="Services to SMEs: a project's deliveries, imported and exported.")

ProjectOption = Annotated[
    str, typer.Option("--project", help="The project's acronym (case aside).", show_default=False)
]


@app.command("import")
def import_file(
    file: Annotated[
        Path,
        typer.Argument(callback=existing_file, help="A CSV (UTF-8) or XLSX file of deliveries."),
    ],
    project: ProjectOption,
) -> None:
    """Record the deliveries of FILE for a project, all or nothing.

    Columns: service, date, quantity, unit, organisation, delivered_by, person, follow_up,
    participants (docs/admin/cli.md). Every bad row is reported with its row number, field
    and reason (exit status 2), and then nothing is written. The format is XLSX for a .xlsx
    file, CSV otherwise.
    """
    from clusterbridge.services.monitoring import (  # noqa: PLC0415 -- slow import
        find_project,
        import_deliveries,
    )
    from clusterbridge.services.workbooks import TableFormat  # noqa: PLC0415 -- slow import

    try:
        content = file.read_bytes()
    except OSError as error:
        print_error(f"cannot read {file}: {error.strerror}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    fmt = TableFormat.XLSX if file.suffix.lower() == ".xlsx" else TableFormat.CSV
    with user_errors(), database() as db, db.unit_of_work() as session:
        found = find_project(session, project)
        made = import_deliveries(session, found, content, file_format=fmt, source=file.name)
        acronym = found.acronym
    typer.echo(f"{len(made)} deliveries recorded for {acronym}.")


@app.command("export")
def export_file(
    project: ProjectOption,
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            callback=output_file,
            help="The file to write (default: stdout; required for xlsx).",
        ),
    ] = None,
) -> None:
    """Write a project's deliveries, oldest first, in the columns import reads plus the
    figures (hours at 8 a day, people trained, ratings). An XLSX file needs --output."""
    from clusterbridge.services.monitoring import (  # noqa: PLC0415 -- slow import
        export_deliveries,
        find_project,
    )
    from clusterbridge.services.workbooks import TableFormat  # noqa: PLC0415 -- slow import

    formats = {f.value: f for f in TableFormat}
    if fmt.lower() not in formats:
        print_error(f"--format: {fmt!r} is neither csv nor xlsx")
        raise typer.Exit(EXIT_BAD_INPUT)
    if formats[fmt.lower()] is TableFormat.XLSX:
        require_output_file(output, what="an XLSX file")
    with user_errors(), database() as db, db.unit_of_work() as session:
        content = export_deliveries(
            session, find_project(session, project), file_format=formats[fmt.lower()]
        )
    write_output(content, output)
