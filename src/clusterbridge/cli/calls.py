"""``clusterbridge calls``: the call catalogue, and the call files of calls written in the app."""

from pathlib import Path
from typing import Annotated

import typer

from clusterbridge.cli.common import (
    CallsDirOption,
    FormatOption,
    OutputFormat,
    database,
    emit_json,
    existing_file,
    now,
    open_calls_catalogue,
    open_catalogue,
    output_file,
    user_errors,
    write_file,
)
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.reports.calls import call_to_dict, render_call_text, render_calls_table

app = typer.Typer(
    help="The call catalogue: calls, their facts and their rules.", no_args_is_help=True
)


@app.command("list")
def list_calls(
    calls_dir: CallsDirOption = None, output_format: FormatOption = OutputFormat.TEXT
) -> None:
    """List every call with its status and deadline (the call files and the published calls
    written in the app)."""
    with user_errors():
        catalogue = open_calls_catalogue(calls_dir)
    moment = now()
    if output_format is OutputFormat.JSON:
        emit_json([call_to_dict(call, now=moment, with_rules=False) for call in catalogue.calls])
        return
    typer.echo(render_calls_table(catalogue.calls, now=moment))


@app.command("show")
def show_call(
    call_id: Annotated[
        str, typer.Argument(metavar="ID", help="The call id, e.g. SMP-COSME-2024-CLUSTER.")
    ],
    calls_dir: CallsDirOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Show a call: facts, strands, time left to the deadline, and every rule with its source."""
    with user_errors():
        call = open_calls_catalogue(calls_dir).get(call_id)
    moment = now()
    if output_format is OutputFormat.JSON:
        emit_json(call_to_dict(call, now=moment, with_rules=True))
        return
    typer.echo(render_call_text(call, now=moment), nl=False)


ActingOption = Annotated[
    str, typer.Option("--as", help="The e-mail of a programme officer or an administrator.")
]


@app.command("import-file")
def import_call_file(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            callback=existing_file,
            help="A call file (TOML) with a \\[selection] table.",
        ),
    ],
    acting: ActingOption,
    calls_dir: CallsDirOption = None,
) -> None:
    """Import a call file as a new draft call, written in the app's database.

    Exit status: 0 imported, 2 a bad file (every mistake with its place), an identifier
    another call has, or a user who is no programme officer or administrator.
    """
    from clusterbridge.services.accounts.users import find_active_user  # noqa: PLC0415 -- slow import
    from clusterbridge.services.selection.calls import import_call_file as import_file  # noqa: PLC0415 -- slow import

    with user_errors():
        catalogue = open_catalogue(calls_dir)
        data = _read(path)
        with database() as db, db.unit_of_work() as session:
            officer = find_active_user(session, acting, field="--as")
            row = import_file(session, officer, path.name, data, catalogue=catalogue)
            typer.echo(f"Imported {row.identifier} as a draft call (id {row.id})")


@app.command("export")
def export_call_file(
    identifier: Annotated[
        str, typer.Argument(metavar="ID", help="The identifier of a call written in the app.")
    ],
    acting: ActingOption,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", callback=output_file, help="Write here instead of printing."
        ),
    ] = None,
) -> None:
    """Export a call written in the app to its call file (TOML, with its \\[selection] table).

    Exit status: 0 written, 2 an unknown call or a user who is no programme officer or
    administrator.
    """
    from clusterbridge.services.accounts.users import find_active_user  # noqa: PLC0415 -- slow import
    from clusterbridge.services.selection import calls  # noqa: PLC0415 -- slow import

    with user_errors(), database() as db, db.unit_of_work() as session:
        officer = find_active_user(session, acting, field="--as")
        if not calls.is_officer(officer):
            raise AccessDeniedError("Only programme officers and administrators export calls")
        row = calls.find_call(session, officer, identifier)
        _name, text = calls.export_call_file(session, officer, row.id)
    if output is None:
        typer.echo(text, nl=False)
        return
    write_file(text, output, option="--output")
    typer.echo(f"Wrote {output}")


def _read(path: Path) -> bytes:
    """The file's bytes; InvalidInputError when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        issue = InputIssue(str(path), "", error.strerror or "cannot be read")
        raise InvalidInputError("The call file cannot be read", [issue]) from None
