"""Why a value was refused by a declared check (pydantic's), in the platform's own words.

Files (calls, events), the API's bodies and queries, web addresses and forms, and the CLI's
options are checked by pydantic models or by FastAPI and Typer through pydantic. Each error is
worded here, once, in the words the services use for their own checks ("is required", "must be
at least 1"), so the same mistake reads the same on every interface. An error of a kind not
listed keeps pydantic's message.
"""

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from pydantic_core import ErrorDetails

#: The error kinds about the range of a value, whose message an interface may follow with the
#: value given ("must be at least 1, not 0").
RANGE_KINDS = frozenset({"greater_than_equal", "greater_than", "less_than_equal", "less_than"})


def _plural(count: object, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def too_long_reason(limit: int, length: int) -> str:
    """Why a text of ``length`` characters is refused where ``limit`` is the most, in the one
    wording of every form, file, API body and command: ``must be at most 2,000 characters,
    not 2,001``."""
    noun = "character" if limit == 1 else "characters"
    return f"must be at most {limit:,} {noun}, not {length:,}"


def length_reason(text: str, limit: int) -> str | None:
    """`too_long_reason` for ``text`` when it is longer than ``limit`` characters, else None."""
    return too_long_reason(limit, len(text)) if len(text) > limit else None


def _too_short_text(limits: Mapping[str, Any]) -> str:
    least = limits["min_length"]
    if least == 1:
        # An empty text reads as one of spaces does, which the services refuse (a value missing).
        return "is required"
    return f"must be at least {_plural(least, 'character', 'characters')}"


def _limit(value: object) -> object:
    """A limit as a person writes it and as the web's range reasons (``domain.numbers``) show
    it: 0 rather than pydantic's 0.0 for a float field, 2,147,483,647 rather than 2147483647
    (a whole float or decimal limit too: 1,000,000 rather than 1000000)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value


def _value_error(limits: Mapping[str, Any]) -> str:
    return str(limits["error"])


#: What a value must be, for the errors of a value that could not be read as its type.
_KINDS_OF_VALUE = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "decimal_parsing": "a number",
    "decimal_type": "a number",
    "finite_number": "a finite number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "an object",
    "model_type": "an object",
    "model_attributes_type": "an object",
    "date_type": "a date such as 2025-03-10",
    "date_parsing": "a date such as 2025-03-10",
    "date_from_datetime_parsing": "a date such as 2025-03-10",
    "date_from_datetime_inexact": "a date such as 2025-03-10, without a time",
    "datetime_type": "a date and time such as 2025-03-10 09:00",
    "datetime_parsing": "a date and time such as 2025-03-10 09:00",
    "datetime_from_date_parsing": "a date and time such as 2025-03-10 09:00",
}

_Words = str | Callable[[Mapping[str, Any]], str]

_WORDS: dict[str, _Words] = {
    "missing": "is required",
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be at most {le}",
    "less_than": "must be less than {lt}",
    "int_parsing_size": "must be a whole number of at most 4,300 digits",
    "string_too_short": _too_short_text,
    "string_too_long": lambda limits: (
        f"must be at most {_plural(limits['max_length'], 'character', 'characters')}"
    ),
    "string_pattern_mismatch": "does not have the expected form (pattern {pattern})",
    "too_short": lambda limits: (
        f"must have at least {_plural(limits['min_length'], 'entry', 'entries')}"
    ),
    "too_long": lambda limits: (
        f"must have at most {_plural(limits['max_length'], 'entry', 'entries')}"
    ),
    "literal_error": "must be one of {expected}",
    "enum": "must be one of {expected}",
    "extra_forbidden": "is not a known field",
    "value_error": _value_error,
    "assertion_error": _value_error,
}
_WORDS.update({kind: f"must be {what}" for kind, what in _KINDS_OF_VALUE.items()})


def refusal_reason(error: ErrorDetails | Mapping[str, Any]) -> str:
    """Why the value was refused: the reason for one of pydantic's errors (``type``, ``ctx``
    and ``msg``), without the field's name."""
    kind = str(error.get("type", ""))
    limits: Mapping[str, Any] = error.get("ctx") or {}
    words = _WORDS.get(kind)
    message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
    given = error.get("input")
    if kind == "string_too_long" and isinstance(given, str) and "max_length" in limits:
        # The length given too, as every other check of a text's length says it.
        return too_long_reason(int(limits["max_length"]), len(given))
    try:
        if callable(words):
            return words(limits)
        if words is not None:
            return words.format(**{name: _limit(limit) for name, limit in limits.items()})
    except (KeyError, IndexError, ValueError):
        pass
    return message


def typed_value_refusal(error: ErrorDetails | Mapping[str, Any], value: object) -> str:
    """Why a value a person typed was refused, quoting it: ``"abc" is not a whole number``,
    ``must be at least 1, not 0``, ``"x": must be one of 'a' or 'b'``."""
    kind = str(error.get("type", ""))
    if kind in _KINDS_OF_VALUE:
        return f'"{value}" is not {_KINDS_OF_VALUE[kind]}'
    if kind in RANGE_KINDS:
        return f"{refusal_reason(error)}, not {value}"
    if kind == "string_too_long":
        return refusal_reason(error)  # its length, not the long text again
    return f'"{value}": {refusal_reason(error)}'
