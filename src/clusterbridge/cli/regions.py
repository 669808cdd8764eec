"""``clusterbridge regions``: NUTS regions and their cohesion-policy categories."""

from typing import Annotated

import typer

from clusterbridge.cli.common import FormatOption, OutputFormat, emit_json, user_errors
from clusterbridge.reference import Period
from clusterbridge.reports.regions import region_to_dict, render_region_text
from clusterbridge.services.calls.regions import describe_region

app = typer.Typer(
    help="NUTS regions (2006-2024) and their cohesion-policy categories.", no_args_is_help=True
)


@app.command("lookup")
def lookup(
    code: Annotated[
        str,
        typer.Argument(
            help="A NUTS code of any version, level 2 or 3 (PL823, PL32), or a single-region country (LV)."
        ),
    ],
    period: Annotated[Period | None, typer.Option(help="Only this programming period.")] = None,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Say what a region is and, per programming period, its category."""
    with user_errors():
        found = describe_region(code, (period,) if period else tuple(Period))
    if output_format is OutputFormat.JSON:
        emit_json(region_to_dict(found))
        return
    typer.echo(render_region_text(found), nl=False)
