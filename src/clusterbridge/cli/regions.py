"""``clusterbridge regions``: NUTS regions and their cohesion-policy categories."""

from typing import Annotated

import typer

from clusterbridge.cli.common import FormatOption, OutputFormat, emit_json, user_errors
from clusterbridge.reference import Period
from clusterbridge.services.regions import describe_region

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
    region = found.region
    if output_format is OutputFormat.JSON:
        emit_json(
            {
                "code": region.code,
                "name": region.name,
                "level": region.level,
                "country": region.country,
                "nuts2_code": region.nuts2_code,
                "nuts_versions": list(region.versions),
                "categories": {
                    a.period.value: {
                        "category": a.category.value if a.category else None,
                        "nuts2_code": a.nuts2_code,
                        "nuts_version": a.nuts_version,
                        "note": a.note,
                    }
                    for a in found.categories
                },
            }
        )
        return
    versions = ", ".join(str(v) for v in region.versions)
    typer.echo(f"{region.code} {region.name} ({found.country_name}), NUTS level {region.level}")
    typer.echo(f"Exists in NUTS versions: {versions}")
    if found.placed_by_country:
        typer.echo(f"{found.country_name} is a single NUTS-2 region: {region.code}")
    for answer in found.categories:
        category = answer.category.value.replace("_", " ") if answer.category else "cannot be said"
        typer.echo(f"{answer.period.value}: {category}. {answer.note}")
