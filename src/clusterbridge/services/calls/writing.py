"""Call files written back as TOML (a call authored in the app, exported to its file), and
read as TOML whatever their text.

Writes the subset of TOML the call files use: text, whole and decimal numbers, true/false,
dates and times, lists and tables. Top-level values come first, then the tables (``[documents]``,
``[fact_sources]``, ``[selection]``), then the lists of tables (``[[strands]]``, ``[[rules]]``),
whose own tables are written inline (``params = { min = 3 }``). ``tomllib`` reads back exactly
what was written.
"""

import json
import re
import sys
import tomllib
from collections.abc import Mapping
from datetime import date, time
from typing import Any

from clusterbridge.domain.numbers import NumberTooSmallError, read_float

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def read_toml(text: str) -> dict[str, Any]:
    """``text`` parsed as TOML; TOMLDecodeError for any text that is not TOML here, also a
    whole number too long for Python to convert (which ``tomllib`` lets out as a bare
    ValueError) and a number too small to store (``1e-400``, which would be read as 0)."""
    try:
        return tomllib.loads(text, parse_float=read_float)
    except tomllib.TOMLDecodeError:
        raise
    except NumberTooSmallError as error:
        raise tomllib.TOMLDecodeError(f"{error.reason} ({_place(text, error)})") from None
    except ValueError:
        most = sys.get_int_max_str_digits()
        raise tomllib.TOMLDecodeError(f"a number has more than {most} digits") from None


def _place(text: str, error: NumberTooSmallError) -> str:
    """Where ``error``'s number stands in ``text``, as ``tomllib`` words a place."""
    offset = error.position(text)
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    return f"at line {line}, column {column}"


def write_call_file(document: Mapping[str, Any]) -> str:
    """The TOML text of ``document`` (a parsed call file); ValueError for a value TOML cannot
    hold here (None, or a type other than those above)."""
    scalars = [(k, v) for k, v in document.items() if not _is_table(v) and not _is_tables(v)]
    tables = [(k, v) for k, v in document.items() if _is_table(v)]
    arrays = [(k, v) for k, v in document.items() if _is_tables(v)]
    lines = [f"{_key(k)} = {_value(v)}" for k, v in scalars]
    for key, table in tables:
        lines += ["", f"[{_key(key)}]", *(f"{_key(k)} = {_value(v)}" for k, v in table.items())]
    for key, items in arrays:
        for item in items:
            lines += [
                "",
                f"[[{_key(key)}]]",
                *(f"{_key(k)} = {_value(v)}" for k, v in item.items()),
            ]
    return "\n".join(lines).lstrip("\n") + "\n"


def _is_table(value: object) -> bool:
    return isinstance(value, Mapping)


def _is_tables(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _value(key)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # JSON escapes the control characters TOML forbids in strings, except DEL.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, date | time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    msg = f"a call file cannot hold {value!r}"
    raise ValueError(msg)
