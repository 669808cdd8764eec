"""Reading whole numbers typed into forms: a negative or very large number is a whole number,
so its reason names the range, never "is not a whole number". Amounts in whole euros are read
as the pages print them ("EUR 350,000")."""

from decimal import Decimal

import pytest

from clusterbridge.domain.errors import InputIssue
from clusterbridge.web.numbers import (
    read_euros,
    read_id,
    read_number,
    read_whole_euros,
    read_whole_number,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "number"),
    [("12", 12), (" 7 ", 7), ("-5", -5), ("+3", 3), ("250 000", 250000), ("1,200", 1200)],
)
def test_a_whole_number_is_read(text: str, number: int) -> None:
    issues: list[InputIssue] = []

    result = read_whole_number(text, "rooms", issues)

    assert (result, issues) == (number, [])


@pytest.mark.parametrize("text", ["1.5", "1,5", "twenty", "12 34", "--1", "١٢"])
def test_text_that_is_no_whole_number_is_named(text: str) -> None:
    issues: list[InputIssue] = []

    result = read_whole_number(text, "rooms", issues)

    assert (result, issues) == (None, [InputIssue("", "rooms", f'"{text}" is not a whole number')])


@pytest.mark.parametrize(
    ("text", "low", "high", "reason"),
    [
        ("-5", 1, 1200, "must be between 1 and 1,200, not -5"),
        (
            "999999999999999999999",
            1,
            1200,
            "must be between 1 and 1,200, not 999999999999999999999",
        ),
        ("-5", 1, None, "must be at least 1, not -5"),
        ("0", 1, None, "must be at least 1, not 0"),
        ("3000000000", 1, None, "must be at most 2,147,483,647, not 3000000000"),
    ],
)
def test_a_number_out_of_range_is_told_the_range(
    text: str, low: int, high: int | None, reason: str
) -> None:
    issues: list[InputIssue] = []

    result = read_whole_number(text, "duration_months", issues, low=low, high=high)

    assert (result, issues) == (None, [InputIssue("", "duration_months", reason)])


def test_text_that_is_no_whole_number_is_told_the_range_when_there_is_one() -> None:
    issues: list[InputIssue] = []

    result = read_whole_number("three", "duration_months", issues, low=1, high=120)

    assert (result, issues) == (
        None,
        [InputIssue("", "duration_months", '"three" is not a whole number from 1 to 120')],
    )


def test_without_a_range_a_large_number_is_handed_on_for_the_service_to_check() -> None:
    issues: list[InputIssue] = []

    result = read_whole_number("999999999999999999999", "slot_minutes", issues)

    assert (result, issues) == (999999999999999999999, [])


def test_an_absurdly_long_number_is_refused_before_it_is_converted() -> None:
    issues: list[InputIssue] = []

    result = read_whole_number("9" * 5000, "rooms", issues)

    assert (result, issues) == (None, [InputIssue("", "rooms", "must have at most 100 digits")])


def test_an_empty_field_is_none_or_named_when_required() -> None:
    issues: list[InputIssue] = []

    results = (
        read_whole_number(" ", "rooms", issues),
        read_whole_number("", "slot_minutes", issues, required=True),
    )

    assert (results, issues) == (
        (None, None),
        [InputIssue("", "slot_minutes", "must not be empty")],
    )


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("EUR 350,000", 350000),
        ("350 000 EUR", 350000),
        ("€350000", 350000),
        ("EUR 350,000.00", 350000),
        (" 780 ", 780),
        ("-5", -5),
        ("", None),
        ("  ", None),
    ],
)
def test_an_amount_in_whole_euros_is_read_as_the_pages_print_it(
    text: str, amount: int | None
) -> None:
    issues: list[InputIssue] = []

    result = read_whole_euros(text, "budget", issues)

    assert (result, issues) == (amount, [])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("EUR 12,34,5", '"EUR 12,34,5" is not an amount in euros, such as EUR 350,000'),
        ("a lot", '"a lot" is not an amount in euros, such as EUR 350,000'),
        ("١٢", '"١٢" is not an amount in euros, such as EUR 350,000'),
        ("EUR 780.50", 'must be in whole euros, without cents, not "EUR 780.50"'),
        ("780,5", 'must be in whole euros, without cents, not "780,5"'),
        ("1,000,000,000,000", "must have at most 12 digits"),
        ("-1000000000000", "must have at most 12 digits"),
    ],
)
def test_an_amount_that_is_no_whole_euros_is_named(text: str, reason: str) -> None:
    issues: list[InputIssue] = []

    result = read_whole_euros(text, "budget", issues, max_digits=12)

    assert (result, issues) == (None, [InputIssue("", "budget", reason)])


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.5", Decimal("0.5")), ("1e-100", Decimal("1e-100")), ("-0.000", Decimal(0)), ("1e3", Decimal(1000)),
     ("1,5", Decimal("1.5")), ("1,000,000", Decimal(1000000))],
)  # fmt: skip
def test_a_number_is_read_exactly(text: str, expected: Decimal) -> None:
    issues: list[InputIssue] = []

    result = read_number(text, "overall_threshold", issues)

    assert (result, issues) == (expected, [])


@pytest.mark.parametrize("text", ["1e-400", "-1e-101", "0." + "0" * 100 + "1"])
def test_a_number_too_small_to_store_is_refused_not_read_as_0(text: str) -> None:
    issues: list[InputIssue] = []

    result = read_number(text, "overall_threshold", issues)

    reason = f'"{text}" is too small to store: write 0 or a number with fewer decimals'
    assert (result, issues) == (None, [InputIssue("", "overall_threshold", reason)])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("inf", '"inf" is not a number'),
        ("nan", '"nan" is not a number'),
        ("1.000", 'is ambiguous: "1.000" may mean 1 or 1000; write 1000 or 1'),
    ],
)
def test_a_number_that_does_not_read_is_refused_in_the_words_of_every_form(
    text: str, reason: str
) -> None:
    issues: list[InputIssue] = []

    result = read_number(text, "overall_threshold", issues)

    assert (result, issues) == (None, [InputIssue("", "overall_threshold", reason)])


@pytest.mark.parametrize(
    ("text", "amount"),
    [("EUR 1,250.50", Decimal("1250.50")), ("1250,50", Decimal("1250.50")), ("-0", Decimal(0)),
     ("", None)],
)  # fmt: skip
def test_an_amount_is_read_as_the_pages_print_it(text: str, amount: Decimal | None) -> None:
    issues: list[InputIssue] = []

    result = read_euros(text, "amount", issues)

    assert (result, issues) == (amount, [])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1e-400", '"1e-400" is not an amount in euros, such as EUR 350,000'),
        ("inf", '"inf" is not an amount in euros, such as EUR 350,000'),
        ("1.000", 'is ambiguous: "1.000" may mean 1 or 1000; write 1000 or 1'),
        ("0." + "0" * 100 + "1",
         f'"0.{"0" * 100}1" is too small to store: write 0 or a number with fewer decimals'),
    ],
)  # fmt: skip
def test_an_amount_that_does_not_read_is_refused_in_words(text: str, reason: str) -> None:
    issues: list[InputIssue] = []

    result = read_euros(text, "amount", issues)

    assert (result, issues) == (None, [InputIssue("", "amount", reason)])


@pytest.mark.parametrize(
    ("text", "low", "expected"),
    [("12", 1, 12), ("0", 0, 0), ("0", 1, None), ("2147483647", 1, 2147483647),
     ("2147483648", 1, None), ("9" * 30, 1, None), ("\u00b2", 1, None), ("\u0663", 1, None),
     ("-1", 1, None), (" 1", 1, None), ("", 1, None)],
)  # fmt: skip
def test_an_id_is_ascii_digits_within_the_ids_range(
    text: str, low: int, expected: int | None
) -> None:
    assert read_id(text, low=low) == expected
