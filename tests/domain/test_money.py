"""Money and plain numbers as every layer writes them for a person, and amounts read back as a
person pastes them."""

import re
from decimal import Decimal

import pytest

from clusterbridge.domain.money import (
    ambiguous_reason,
    format_euros,
    format_number,
    parse_euros,
    parse_whole_euros,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "EUR 0"),
        (Decimal(0), "EUR 0"),
        (780, "EUR 780"),
        (Decimal("780.00"), "EUR 780"),
        (Decimal("780.5"), "EUR 780.50"),
        (Decimal("780.50"), "EUR 780.50"),
        (350000, "EUR 350,000"),
        (Decimal("1234567.8"), "EUR 1,234,567.80"),
        (Decimal("4.2E+7"), "EUR 42,000,000"),
        (Decimal("0.004"), "EUR 0"),
        (Decimal("780.005"), "EUR 780.01"),
        (Decimal("-40"), "EUR -40"),
        (4_000_000.5, "EUR 4,000,000.50"),
        (0.1, "EUR 0.10"),
        (Decimal("-1500.25"), "EUR -1,500.25"),
        (None, "—"),
    ],
)
def test_format_euros_writes_cents_only_when_there_are_some(
    amount: Decimal | float | None, text: str
) -> None:
    assert format_euros(amount) == text


def test_format_euros_writes_the_callers_word_for_no_amount() -> None:
    assert format_euros(None, missing="none") == "none"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal(8), "8"),
        (Decimal("1.50"), "1.5"),
        (Decimal("10.0"), "10"),
        (Decimal("2E+1"), "20"),
        (Decimal("780.00"), "780"),
        (Decimal("20.25"), "20.25"),
        (0, "0"),
        (350000, "350000"),
    ],
)
def test_format_number_writes_no_exponent_and_no_trailing_zeros(
    value: Decimal | int, text: str
) -> None:
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("780", Decimal(780)),
        ("780.00", Decimal(780)),
        (" EUR 780 ", Decimal(780)),
        ("EUR 780.50", Decimal("780.50")),
        ("780 EUR", Decimal(780)),
        ("eur780", Decimal(780)),
        ("€780", Decimal(780)),
        ("EUR 1,100", Decimal(1100)),
        ("EUR 1,234,567.80", Decimal("1234567.80")),
        ("350 000", Decimal(350000)),
        ("350\u00a0000", Decimal(350000)),
        ("780,50", Decimal("780.50")),
        ("780,5", Decimal("780.5")),
        ("-40", Decimal(-40)),
    ],
)
def test_parse_euros_reads_what_we_print_and_what_people_type(text: str, amount: Decimal) -> None:
    assert parse_euros(text) == amount


@pytest.mark.parametrize(
    "text",
    ["", "EUR", "780 USD", "seven", "1,5000", "12,34,567", "NaN", "Infinity", "1e3", "7.8.0"],
)
def test_parse_euros_refuses_what_is_not_an_amount(text: str) -> None:
    assert parse_euros(text) is None


@pytest.mark.parametrize("amount", [0, 780, Decimal("780.5"), 350000, Decimal("1234567.8")])
def test_parse_euros_reads_back_every_amount_format_euros_writes(amount: Decimal | int) -> None:
    assert parse_euros(format_euros(amount)) == amount


@pytest.mark.parametrize(
    ("text", "amount"),
    [("EUR 350,000", 350000), ("EUR 350,000.00", 350000), ("350 000", 350000), ("-5", -5)],
)
def test_parse_whole_euros_reads_whole_amounts(text: str, amount: int) -> None:
    assert parse_whole_euros(text, max_digits=12) == amount


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("EUR 12,34,5", '"EUR 12,34,5" is not an amount in euros, such as EUR 350,000'),
        ("EUR 780.50", 'must be in whole euros, without cents, not "EUR 780.50"'),
        ("EUR 1,000,000,000,000", "must have at most 12 digits"),
    ],
)
def test_parse_whole_euros_gives_the_reason_it_refuses(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(reason)}$"):
        parse_whole_euros(text, max_digits=12)


@pytest.mark.parametrize(
    ("text", "comma_groups", "reason"),
    [
        ("1.000", True, 'is ambiguous: "1.000" may mean 1 or 1000; write 1000 or 1'),
        ("EUR 12.500", True, 'is ambiguous: "12.500" may mean 12.5 or 12500; write 12500 or 12.5'),
        ("1,000", True, None),
        ("1,000", False, 'is ambiguous: "1,000" may mean 1 or 1000; write 1000 or 1'),
        ("1.5", False, None),
        ("0.125", False, None),
        ("1000.000", True, None),
        # The decimal reading of "25.555" is written "25.5550": "25.555" would be refused again.
        ("25.555", True, 'is ambiguous: "25.555" may mean 25.555 or 25555; write 25555 or 25.5550'),
        (
            "-1,555",
            False,
            'is ambiguous: "-1,555" may mean -1.555 or -1555; write -1555 or -1.5550',
        ),
    ],
)
def test_a_separator_that_may_group_thousands_or_mark_decimals_is_ambiguous(
    text: str, comma_groups: bool, reason: str | None
) -> None:
    assert ambiguous_reason(text, comma_groups=comma_groups) == reason


def test_an_ambiguous_amount_does_not_read() -> None:
    assert (parse_euros("1.000"), parse_euros("1.000,50"), parse_euros("1,000")) == (
        None, None, Decimal(1000),
    )  # fmt: skip
