"""``clusterbridge calls``: the call catalogue."""

from typing import Annotated

import typer

from clusterbridge.cli.common import (
    CallsDirOption,
    FormatOption,
    OutputFormat,
    emit_json,
    now,
    open_catalogue,
    user_errors,
)
from clusterbridge.reports.calls import call_to_dict, render_call_text, render_calls_table

app = typer.Typer(
    help="The call catalogue: calls, their facts and their rules.", no_args_is_help=True
)


@app.command("list")
def list_calls(
    calls_dir: CallsDirOption = None, output_format: FormatOption = OutputFormat.TEXT
) -> None:
    """List every call with its status and deadline."""
    with user_errors():
        catalogue = open_catalogue(calls_dir)
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
        call = open_catalogue(calls_dir).get(call_id)
    moment = now()
    if output_format is OutputFormat.JSON:
        emit_json(call_to_dict(call, now=moment, with_rules=True))
        return
    typer.echo(render_call_text(call, now=moment), nl=False)
