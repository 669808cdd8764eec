"""``clusterbridge template``: write an empty-but-filled consortium template to start from."""

from pathlib import Path
from typing import Annotated

import typer

from clusterbridge.cli.common import user_errors
from clusterbridge.services.consortia.file import write_template


def template(
    path: Annotated[Path, typer.Argument(help="Where to write it: a .csv or .xlsx file.")],
) -> None:
    """Write the consortium template (an eligible example Eurocluster) as CSV or XLSX."""
    with user_errors():
        write_template(path)
    typer.echo(f"Template written to {path}")
