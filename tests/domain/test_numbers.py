"""One way to read numbers and one set of reasons (web forms, rule editor, files, API)."""

from decimal import Decimal

import pytest

from clusterbridge.domain.numbers import (
    NumberTooSmallError,
    range_reason,
    read_decimal,
    read_float,
    read_whole,
    size_reason,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0.5", 0.5), ("0.0", 0.0), ("-0.0", -0.0), ("1e-100", 1e-100), ("1e308", 1e308), ("1e999", float("inf"))],
)  # fmt: skip
def test_a_float_of_a_file_is_read_as_written(text: str, expected: float) -> None:
    assert read_float(text) == expected


@pytest.mark.parametrize("text", ["1e-400", "-1e-400", "1e-101", "0." + "0" * 400 + "1"])
def test_a_float_too_small_to_store_is_refused_in_words(text: str) -> None:
    with pytest.raises(NumberTooSmallError) as raised:
        read_float(text)

    assert (str(raised.value), raised.value.position(f'{{"a": "x{text}", "b": {text}}}')) == (
        f'"{text}" is too small to store: write 0 or a number with fewer decimals',
        len(f'{{"a": "x{text}", "b": '),
    )


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        (Decimal(0), None),
        (Decimal("1e-100"), None),
        (Decimal("1e99"), None),
        (Decimal("1e100"), "must have at most 100 digits"),
        (Decimal("-1e-101"), '"-1e-101" is too small to store: write 0 or a number with fewer decimals'),
    ],
)  # fmt: skip
def test_size_reason(number: Decimal, reason: str | None) -> None:
    assert size_reason(number, str(number).replace("E", "e")) == reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("250 000", 250_000),
        ("-12", -12),
        ("1,5", '"1,5" is not a whole number'),
        ("9" * 101, "must have at most 100 digits"),
    ],
)
def test_read_whole(text: str, expected: int | str) -> None:
    assert read_whole(text) == expected


def test_range_reason_names_the_range() -> None:
    assert [range_reason(n, low=1, high=120) for n in (1, 120, 121)] == [
        None,
        None,
        "must be between 1 and 120, not 121",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7.5", Decimal("7.5")), (".5", Decimal("0.5")), ("1e3", Decimal(1000)), ("-0", Decimal(0)),
     ("250 000", Decimal(250000)), ("1,000,000.5", Decimal("1000000.5")), ("1,5", Decimal("1.5")),
     ("1250,50", Decimal("1250.50"))],
)  # fmt: skip
def test_a_typed_number_is_read_exactly(text: str, expected: Decimal) -> None:
    number = read_decimal(text)

    assert (number, str(number).startswith("-")) == (expected, False)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1e-400", '"1e-400" is too small to store: write 0 or a number with fewer decimals'),
        ("inf", '"inf" is not a number'),
        ("-Infinity", '"-Infinity" is not a number'),
        ("nan", '"nan" is not a number'),
        ("1e400", "must have at most 100 digits"),
        ("1.000", 'is ambiguous: "1.000" may mean 1 or 1000; write 1000 or 1'),
        ("1,000", 'is ambiguous: "1,000" may mean 1 or 1000; write 1000 or 1'),
        ("12 34", '"12 34" is not a number'),
        ("1,2,3", '"1,2,3" is not a number'),
        ("١٢", '"١٢" is not a number'),
    ],
)
def test_a_typed_number_that_does_not_read_is_refused_in_words(text: str, reason: str) -> None:
    assert read_decimal(text) == reason
