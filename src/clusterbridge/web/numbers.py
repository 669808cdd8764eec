"""Reading whole numbers and amounts in whole euros typed into the web forms: one reader each,
with the reasons of ``domain.numbers`` (the same words as the rule editor's and the files').

A form field holds text. ``read_whole_number`` turns it into an ``int`` or records why it
cannot: the text is not a whole number at all ('"1.5" is not a whole number'), or it is one
outside the range the caller gives ("must be at least 1, not -5"). A negative or very large
number is a whole number, so it is never called "not a whole number": when the service checks
the field's range itself (a consortium's duration, an event's slot length), the form hands the
number on and the service's reason, the same one the API and CLI give, names the range.
``read_whole_euros`` reads an amount as the pages print it ("EUR 350,000") the same way, and
``read_number`` and ``read_euros`` a number and an amount that may have decimals: every form
reads its numbers with these (a number "1e-400", "inf" or "nan" is refused beside its field,
never read as 0 or infinity).
"""

from decimal import Decimal

from clusterbridge.domain.errors import InputIssue
from clusterbridge.domain.money import (
    ambiguous_reason,
    not_an_amount,
    parse_euros,
    parse_whole_euros,
)
from clusterbridge.domain.numbers import (
    MAX_DIGITS,
    MAX_ID,
    range_reason,
    read_decimal,
    read_whole,
    size_reason,
)

#: The longest text a number field of a form model may take (longer is a page error).
MAX_NUMBER_TEXT = 200


def read_id(text: str, *, low: int = 1) -> int | None:
    """``text`` as the id of a record chosen in a form or an address: ASCII digits from
    ``low`` to ``MAX_ID``; None for anything else ("x", "-1", "²" or "٣", which ``isdigit``
    takes, a number too large to be an id)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if low <= number <= MAX_ID else None


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
    number = read_whole(value, low=low, high=high)
    if isinstance(number, int) and low is not None:
        number = range_reason(number, low=low, high=high) or number
    if isinstance(number, str):
        issues.append(InputIssue("", field, number))
        return None
    return number


def read_number(text: str, field: str, issues: list[InputIssue]) -> Decimal | None:
    """``text`` as a number ("30", "7.5", "-2", "1e3", "1 000", "1,5"); None when it is empty
    or wrong, with the reason of `read_decimal` added to ``issues`` under ``field``:
    ambiguous ("1.000"), not a finite number, more than ``MAX_DIGITS`` digits before the
    decimal point, or too small to store (``1e-400``, which would be kept as 0). Negative zero
    is read as zero; any other value is handed on, for the service to check its range."""
    value = text.strip()
    if not value:
        return None
    number = read_decimal(value)
    if isinstance(number, str):
        issues.append(InputIssue("", field, number))
        return None
    return number


def read_euros(text: str, field: str, issues: list[InputIssue]) -> Decimal | None:
    """``text`` as an amount in euros, typed or pasted back from what the pages print ("780",
    "EUR 1,250.50", "1250,50", "350 000 EUR"); None when it is empty or wrong, with the reason
    added to ``issues`` under ``field``: ambiguous ("1.000"), not an amount ("inf", "1e3"),
    more than ``MAX_DIGITS`` digits or too small to store. Any sign and any number of cents is
    handed on: the service's reason names the field's range."""
    value = text.strip()
    if not value:
        return None
    amount = parse_euros(value)
    if amount is None:
        issues.append(InputIssue("", field, ambiguous_reason(value) or not_an_amount(value)))
        return None
    reason = size_reason(amount, value)
    if reason is not None:
        issues.append(InputIssue("", field, reason))
        return None
    return amount if amount else amount.copy_abs()


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
