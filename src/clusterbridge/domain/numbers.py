"""Numbers as a person types them or a file writes them, read in one way with one set of
reasons: the web forms (``web.numbers``), the rule editor (``services.selection.rule_forms``),
the JSON and TOML files the services read, and the API's bodies.

A reason is worded for the field it stands beside: '"1.5" is not a whole number', '"inf" is
not a number', "must have at most 100 digits", '"1e-400" is too small to store: write 0 or a
number with fewer decimals', "must be between 1 and 120, not 200". A number too small to store
is one whose first digit comes after ``MAX_DIGITS`` decimals: a float holds none below about
1e-308 and would keep it as 0 without a word, so every reader refuses it instead.
"""

import re
from decimal import Decimal, InvalidOperation

from clusterbridge.domain.money import ambiguous_reason

#: More digits than any range checks; also keeps ``int()`` far from its own digit limit.
MAX_DIGITS = 100
#: The largest number a field may hand on when it states no upper bound (an id, a slot): the
#: largest value of a PostgreSQL ``integer`` column.
STORAGE_MAX = 2**31 - 1
#: The largest id a path, body, form, address or command may give: a larger one cannot exist
#: (ids are PostgreSQL ``integer`` columns). The one definition of the API, web and CLI.
MAX_ID = STORAGE_MAX
#: Why a number with too many digits is refused.
TOO_LONG = f"must have at most {MAX_DIGITS} digits"
#: Why a number other than 0 closer to 0 than ``SMALLEST`` is refused (after the number).
TOO_SMALL = "is too small to store: write 0 or a number with fewer decimals"
#: The smallest number (either sign, other than 0) a reader keeps.
SMALLEST = Decimal(1).scaleb(-MAX_DIGITS)

# Digits, optionally grouped in threes by a space, comma, underscore, apostrophe or
# (narrow) no-break space: "250000", "250 000", "250,000"; never "1,5".
_WHOLE_NUMBER = re.compile(r"[+-]?(?:[0-9]+|[0-9]{1,3}(?:[ ,_'\u00a0\u202f][0-9]{3})+)")
SEPARATORS = str.maketrans("", "", " ,_'\u00a0\u202f")
# A number as typed: digits, optionally grouped in threes as `_WHOLE_NUMBER`'s, with an optional
# decimal point and exponent ("7.5", ".5", "250 000.5", "1e3"); never "inf", "nan" or digits
# of another script.
_DECIMAL = re.compile(
    r"[+-]?(?:(?:[0-9]+|[0-9]{1,3}(?:[ ,_'\u00a0\u202f][0-9]{3})+)(?:\.[0-9]*)?|\.[0-9]+)"
    r"(?:[eE][+-]?[0-9]+)?"
)
# A decimal comma: one comma followed by one or two digits ("1,5", "1250,50").
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]{1,2}")
_SMALLEST_FLOAT = float(SMALLEST)


class NumberTooSmallError(ValueError):
    """A number written in a file, other than 0, too small to store (`too_small`): ``text`` is
    the number as written, the message the reason."""

    def __init__(self, text: str) -> None:
        super().__init__(too_small(text))
        self.text = text
        self.reason = too_small(text)

    def position(self, document: str) -> int:
        """Where the number first stands in ``document`` as a number (0 when it does not)."""
        pattern = rf"(?<![\w.+-]){re.escape(self.text)}(?![\w.])"
        found = re.search(pattern, document)
        return found.start() if found else 0


def not_a_number(text: str) -> str:
    """Why ``text`` is refused as a number."""
    return f'"{text}" is not a number'


def not_a_whole_number(text: str, *, low: int | None = None, high: int | None = None) -> str:
    """Why ``text`` is refused as a whole number (naming the range when both ends are given)."""
    wanted = "" if low is None or high is None else f" from {low:,} to {high:,}"
    return f'"{text}" is not a whole number{wanted}'


def too_small(text: str) -> str:
    """Why ``text``, a number other than 0 closer to 0 than ``SMALLEST``, is refused."""
    return f'"{text}" {TOO_SMALL}'


def size_reason(number: Decimal, text: str) -> str | None:
    """Why the finite ``number`` (written ``text``) cannot be kept: more than ``MAX_DIGITS``
    digits before the decimal point, or too small to store; None when it can."""
    if not number:
        return None
    if number.adjusted() >= MAX_DIGITS:
        return TOO_LONG
    if abs(number) < SMALLEST:
        return too_small(text)
    return None


def read_float(text: str) -> float:
    """``text``, a number with a decimal point or an exponent as JSON and TOML write it, as a
    float (``parse_float`` of ``json.loads`` and ``tomllib.loads``); NumberTooSmallError when
    it is not 0 but closer to 0 than ``SMALLEST`` (a float would keep "1e-400" as 0)."""
    value = float(text)
    if value != 0 and not abs(value) < _SMALLEST_FLOAT:  # also inf and nan, refused later
        return value
    exact = Decimal(text)
    if exact and abs(exact) < SMALLEST:
        raise NumberTooSmallError(text)
    return value


def read_whole(text: str, *, low: int | None = None, high: int | None = None) -> int | str:
    """``text`` (stripped, not empty) as a whole number, or the reason it is not one: not a
    whole number (from ``low`` to ``high`` when both are given), or more than ``MAX_DIGITS``
    digits. Digits may be grouped in threes ("250 000", "250,000"); the range is the caller's
    to check (`range_reason`)."""
    if not _WHOLE_NUMBER.fullmatch(text):
        return not_a_whole_number(text, low=low, high=high)
    digits = text.translate(SEPARATORS)
    if len(digits.lstrip("+-")) > MAX_DIGITS:
        return TOO_LONG
    return int(digits)


def read_decimal(text: str) -> Decimal | str:
    """``text`` (stripped, not empty) as a number typed into a form ("30", "7.5", "-2", "1e3",
    "250 000", "1,5" with a decimal comma), or the reason it is not one: ambiguous ("1.000":
    one, or a thousand? `ambiguous_reason`), not a finite number ("inf", "nan"), more than
    ``MAX_DIGITS`` digits before the decimal point, or too small to store ("1e-400", which a
    float would keep as 0). Negative zero is read as zero; the range is the caller's to check."""
    ambiguous = ambiguous_reason(text, comma_groups=False)
    if ambiguous is not None:
        return ambiguous
    if _DECIMAL_COMMA.fullmatch(text):
        cleaned = text.replace(",", ".")
    elif _DECIMAL.fullmatch(text):
        cleaned = text.translate(SEPARATORS)
    else:
        return not_a_number(text)
    try:
        number = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern lets through decimals only
        return not_a_number(text)
    return size_reason(number, text) or (number if number else number.copy_abs())


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
