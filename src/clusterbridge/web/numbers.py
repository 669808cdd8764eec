"""Reading whole numbers and amounts in whole euros typed into the web forms: one reader each,
one set of reasons.

A form field holds text. ``read_whole_number`` turns it into an ``int`` or records why it
cannot: the text is not a whole number at all ('"1.5" is not a whole number'), or it is one
outside the range the caller gives ("must be at least 1, not -5"). A negative or very large
number is a whole number, so it is never called "not a whole number": when the service checks
the field's range itself (a consortium's duration, an event's slot length), the form hands the
number on and the service's reason, the same one the API and CLI give, names the range.
``read_whole_euros`` reads an amount as the pages print it ("EUR 350,000") the same way.
"""

import re
from decimal import Decimal, InvalidOperation

from clusterbridge.domain.errors import InputIssue
from clusterbridge.domain.money import parse_whole_euros

#: The largest number a form may hand on when its field states no upper bound (an id, a
#: slot): the largest value of a PostgreSQL ``integer`` column.
STORAGE_MAX = 2**31 - 1
#: The longest text a number field of a form model may take (longer is a page error).
MAX_NUMBER_TEXT = 200
#: More digits than any range checks; also keeps ``int()`` far from its own digit limit.
MAX_DIGITS = 100

# Digits, optionally grouped in threes by a space, comma, underscore, apostrophe or
# (narrow) no-break space: "250000", "250 000", "250,000"; never "1,5".
_WHOLE_NUMBER = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:[ ,_'\u00a0\u202f][0-9]{3})+)")
_SEPARATORS = str.maketrans("", "", " ,_'\u00a0\u202f")


def read_whole_number(
    text: str,
    field: str,
    issues: list[InputIssue],
    *,
    low: int | None = None,
    high: int | None = None,
    required: bool = False,
    missing: str = "must not be empty",
) -> int | None:
    """``text`` as a whole number from ``low`` to ``high``; None when it is empty or wrong, with
    the reason added to ``issues`` under ``field`` (``missing`` only when ``required``: the
    wording of the page's other required fields).

    ``low`` None: any whole number is handed on, for the service to check its range.
    ``high`` None: the field states no upper bound, and the number is only kept within
    ``STORAGE_MAX``. Digits may be grouped in threes ("250 000", "250,000")."""
    value = text.strip()
    if not value:
        if required:
            issues.append(InputIssue("", field, missing))
        return None
    if not _WHOLE_NUMBER.fullmatch(value):
        wanted = "" if low is None or high is None else f" from {low:,} to {high:,}"
        issues.append(InputIssue("", field, f'"{value}" is not a whole number{wanted}'))
        return None
    digits = value.translate(_SEPARATORS)
    if len(digits.lstrip("+-")) > MAX_DIGITS:
        issues.append(InputIssue("", field, f"must have at most {MAX_DIGITS} digits"))
        return None
    number = int(digits)
    reason = None if low is None else range_reason(number, low=low, high=high)
    if reason:
        issues.append(InputIssue("", field, reason))
        return None
    return number


def read_number(text: str, field: str, issues: list[InputIssue]) -> Decimal | None:
    """``text`` as a number ("30", "7.5", "-2", "1e3", "1 000"); None when it is empty or
    wrong, with the reason added to ``issues`` under ``field``: not a finite number, or more
    than ``MAX_DIGITS`` digits before the decimal point. Negative zero is read as zero; any
    other value is handed on, for the service to check its range."""
    value = text.strip()
    if not value:
        return None
    try:
        number = Decimal(value.translate(_SEPARATORS))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        issues.append(InputIssue("", field, f'"{value}" is not a number'))
        return None
    if number and number.adjusted() >= MAX_DIGITS:
        issues.append(InputIssue("", field, f"must have at most {MAX_DIGITS} digits"))
        return None
    return number if number else number.copy_abs()


def range_reason(number: int, *, low: int, high: int | None = None) -> str | None:
    """Why ``number`` is outside ``low`` to ``high`` (``STORAGE_MAX`` when None), or None."""
    top = STORAGE_MAX if high is None else high
    if low <= number <= top:
        return None
    if high is not None:
        return f"must be between {low:,} and {high:,}, not {number}"
    if number < low:
        return f"must be at least {low:,}, not {number}"
    return f"must be at most {STORAGE_MAX:,}, not {number}"


def read_whole_euros(
    text: str, field: str, issues: list[InputIssue], *, max_digits: int = MAX_DIGITS
) -> int | None:
    """``text`` as an amount in whole euros, typed or pasted back from what the pages print
    ("350000", "EUR 350,000", "350 000 EUR", "EUR 350,000.00"); None when it is empty or
    wrong, with the reason added to ``issues`` under ``field``: not an amount, cents, or more
    than ``max_digits`` digits. Any sign is handed on: the service's reason, the same one the
    API and CLI give, names the field's range."""
    value = text.strip()
    if not value:
        return None
    try:
        return parse_whole_euros(value, max_digits=max_digits)
    except ValueError as error:
        issues.append(InputIssue("", field, str(error)))
        return None
