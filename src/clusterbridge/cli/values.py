"""Parsers of option values that Typer's own types word badly, shared by the commands.

A parser raises `ValueReason`; the root command (`cli.app.bad_value_reason`) prints it after
the option and the value as typed: ``--start: "2025-02-30" is not a date (no such day)``.
"""

import re
from datetime import date

#: How a date is typed on the command line.
DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")


class ValueReason(ValueError):
    """Why an option's value is refused, in words that follow the value as typed."""


def read_day(text: str | date) -> date:
    """The parser of a date option: a real day written YYYY-MM-DD; `ValueReason` otherwise
    (``is not a date (no such day)`` for 2025-02-30, ``is not a date (YYYY-MM-DD)`` for
    5 Feb)."""
    if isinstance(text, date):
        return text
    if not DAY_PATTERN.fullmatch(text.strip()):
        raise ValueReason("is not a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueReason("is not a date (no such day)") from None
