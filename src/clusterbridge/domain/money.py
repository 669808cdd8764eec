"""Amounts of money and plain numbers as every page, e-mail, document, message and command
writes them for a person, and amounts read back as a person types or pastes them.

One way everywhere: ``EUR 350,000``, ``EUR 780.50`` (the currency first, thousands grouped by
commas, cents only when there are some). Machine-readable outputs (JSON, CSV, XLSX) keep
numbers and never go through ``format_euros``: they write money with two decimals (`cents`).
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

#: The currency every amount is in, as written before it.
CURRENCY = "EUR"
#: What a page writes where an amount is not given.
NO_AMOUNT = "—"

_CENT = Decimal("0.01")
# An amount as typed or pasted, once the currency and the spaces are gone: plain digits with
# an optional decimal point ("780", "780.5"), digits grouped in threes by commas ("350,000",
# "1,234,567.80"), or a decimal comma with one or two decimals ("780,50").
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_PLAIN = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]+,[0-9]{1,2}")
# A dot followed by exactly three digits after one to three digits ("1.000", "12.500"): a
# decimal point to some, thousands grouped by a dot to others (German, Italian, Spanish...).
_AMBIGUOUS_DOT = re.compile(r"[+-]?[1-9][0-9]{0,2}\.[0-9]{3}")
_AMBIGUOUS_SEPARATOR = re.compile(r"[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}")
_SPACES = str.maketrans("", "", " _'\u00a0\u202f\t")
_CURRENCY = re.compile(r"^(?:EUR|€)|(?:EUR|€)$", re.IGNORECASE)


def format_euros(amount: Decimal | int | float | None, *, missing: str = NO_AMOUNT) -> str:
    """``amount`` as people read it: ``EUR 350,000``, ``EUR 780.50``, ``EUR -40``; rounded to
    the cent (half up), with the cents only when there are some (a float, as a JSON answer
    holds it, is taken as written: 0.1 is ten cents). ``missing`` (a dash unless the caller
    gives its own word, e.g. "none") when ``amount`` is None."""
    if amount is None:
        return missing
    exact = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    cents = exact.quantize(_CENT, rounding=ROUND_HALF_UP)
    if cents == cents.to_integral_value():
        return f"{CURRENCY} {cents:,.0f}"
    return f"{CURRENCY} {cents:,.2f}"


def cents(amount: Decimal | int) -> Decimal:
    """``amount`` to the cent, as every machine-readable output writes money (JSON, CSV, XLSX):
    always two decimals, "250000.00" (rounded half up)."""
    return Decimal(amount).quantize(_CENT, rounding=ROUND_HALF_UP)


def format_number(value: Decimal | int) -> str:
    """A number as a person writes it: "8", "1.5", "10", "20.25" (no exponent, no trailing
    zeros, no grouping: a score, a quantity, an amount in a form field)."""
    return format(Decimal(value).normalize(), "f")


def ambiguous_reason(text: str, *, comma_groups: bool = True) -> str | None:
    """Why ``text`` cannot be read as one number for sure ("1.000": one, or a thousand?), or
    None. The rule of every form: a dot is the decimal point and a comma followed by one or two
    digits a decimal comma ("1,5"); a single dot followed by exactly three digits ("1.000") is
    refused rather than guessed, and so is a single comma followed by three ("1,000") unless
    ``comma_groups`` (amounts in euros, which the pages print grouped: "EUR 1,000"). A mix like
    "1.000,50" reads as nothing at all."""
    cleaned = text.translate(_SPACES)
    if comma_groups:
        cleaned = _CURRENCY.sub("", cleaned).translate(_SPACES)
    pattern = _AMBIGUOUS_DOT if comma_groups else _AMBIGUOUS_SEPARATOR
    if not pattern.fullmatch(cleaned):
        return None
    separator = "." if "." in cleaned else ","
    whole, decimals = cleaned.split(separator)
    small = format_number(Decimal(f"{whole}.{decimals}"))
    # "25.555" read as decimals is written so again: a fourth decimal makes it unambiguous.
    written = f"{small}0" if _AMBIGUOUS_SEPARATOR.fullmatch(small) else small
    return (
        f'is ambiguous: "{cleaned}" may mean {small} or {whole}{decimals}; write '
        f"{whole}{decimals} or {written}"
    )


def not_an_amount(text: str) -> str:
    """Why ``text`` is refused as an amount in euros."""
    return f'"{text}" is not an amount in euros, such as {format_euros(350_000)}'


def parse_euros(text: str) -> Decimal | None:
    """The amount in ``text`` as typed or pasted back from what we print: "780", "780.00",
    "EUR 780", "780 EUR", "€780", "EUR 1,100", "350 000", "780,50" (a comma followed by one or
    two digits is a decimal comma); None when it is not an amount (the caller names the field
    and the reason). The sign is kept, for the caller's range check to refuse it."""
    cleaned = _CURRENCY.sub("", text.translate(_SPACES)).translate(_SPACES)
    if _AMBIGUOUS_DOT.fullmatch(cleaned):
        return None
    if _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(cleaned):
        cleaned = cleaned.replace(",", ".")
    elif not _PLAIN.fullmatch(cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the patterns let through decimals only
        return None


def parse_whole_euros(text: str, *, max_digits: int) -> int:
    """The amount in ``text`` (as `parse_euros` reads it) in whole euros: "EUR 350,000" and
    "EUR 350,000.00" are 350000. Raises ``ValueError`` whose message is the reason, for the
    caller to name the field: not an amount, cents, or more than ``max_digits`` digits. The
    sign is kept, for the caller's range check to refuse it."""
    amount = parse_euros(text)
    if amount is None:
        reason = not_an_amount(text)
    elif amount != amount.to_integral_value():
        reason = f'must be in whole euros, without cents, not "{text}"'
    elif amount.adjusted() >= max_digits:
        reason = f"must have at most {max_digits} digits"
    else:
        return int(amount)
    raise ValueError(reason)
