"""Parsers of option values that Typer's own types word badly, shared by the commands.

A parser raises `ValueReason`; the root command (`cli.app.bad_value_reason`) prints it after
the option and the value as typed: ``--start: "2025-02-30" is not a date (no such day)``, or
alone when it names the value itself (``--time-limit: must be at least 0.1, not 0``).
"""

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial

from clusterbridge.domain.numbers import read_decimal

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


def read_seconds(
    text: str | float, *, low: float | None = None, high: float | None = None
) -> float:
    """A number of seconds ("10", "0.5"), read as every form reads a number (`read_decimal`):
    `ValueReason` for one that is no finite number ("nan", "inf"), too small to store
    ("1e-400", which a float keeps as 0), ambiguous ("1.000"), below ``low`` or above ``high``
    (``must be at most 3,600, not 100000``: the limit as every limit is written)."""
    if isinstance(text, float):
        return text
    value = text.strip()
    number = read_decimal(value)
    if isinstance(number, str):
        raise ValueReason(number.removeprefix(f'"{value}" '))
    if low is not None and number < Decimal(str(low)):
        raise ValueReason(f"must be at least {_limit(low)}, not {value}")
    if high is not None and number > Decimal(str(high)):
        raise ValueReason(f"must be at most {_limit(high)}, not {value}")
    return float(number)


def _limit(value: float) -> str:
    """A limit as the other limits are written: 0.1, 600, 3,600."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def seconds_from(low: float, high: float | None = None) -> Callable[[str | float], float]:
    """The parser of a number of seconds of at least ``low`` and at most ``high``
    (`read_seconds`)."""
    return partial(read_seconds, low=low, high=high)
