"""Read the CSV files shipped in `clusterbridge/reference/data/`."""

import csv
import io
from functools import cache
from importlib.resources import files

Row = dict[str, str]


@cache
def read_rows(folder: str, name: str) -> tuple[Row, ...]:
    """Return the rows of `data/<folder>/<name>` as dicts keyed by the header, read once."""
    resource = files("clusterbridge.reference") / "data" / folder / name
    text = resource.read_text(encoding="utf-8")
    return tuple(dict(row) for row in csv.DictReader(io.StringIO(text)))


def is_true(value: str) -> bool:
    """Return whether a CSV cell holds the literal `True`."""
    return value == "True"
