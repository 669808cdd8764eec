"""``clusterbridge template``: write an empty-but-filled consortium template to start from."""

from pathlib import Path
from typing import Annotated

import typer

from clusterbridge.cli.common import output_file, user_errors, write_file
from clusterbridge.services.consortia.file import template_content


def template(
    path: Annotated[
        Path,
        typer.Argument(callback=output_file, help="Where to write it: a .csv or .xlsx file."),
    ],
) -> None:
    """Write the consortium template (an eligible example Eurocluster) as CSV or XLSX."""
    with user_errors():
        content = template_content(path)
    write_file(content, path, option="PATH")
    typer.echo(f"Template written to {path}")
