"""Indicator values as people read them: an amount when the unit is euros ("EUR 12,000", as
every other page writes money), the plain number for any other unit."""

from decimal import Decimal

import pytest

from clusterbridge.domain.indicators import format_quantity, format_value, is_money_unit

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("12000.00"), "EUR", "EUR 12,000"),
        (Decimal("1250.50"), "EUR", "EUR 1,250.50"),
        (Decimal("12000.00"), " eur ", "EUR 12,000"),
        (Decimal("12000.00"), "€", "EUR 12,000"),
        (Decimal("12000.00"), "euros", "EUR 12,000"),
        (Decimal("12000.00"), "SMEs", "12000"),
        (Decimal("1250.50"), "webinars", "1250.50"),
        (Decimal("12.00"), "EUR thousands", "12"),
        (Decimal("12.00"), "", "12"),
        (None, "EUR", "–"),
        (None, "SMEs", "–"),
    ],
)
def test_format_value_writes_euros_as_amounts_and_other_units_as_numbers(
    value: Decimal | None, unit: str, text: str
) -> None:
    assert format_value(value, unit=unit) == text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("12000.00"), "EUR", "EUR 12,000"),
        (Decimal("4.50"), "webinars", "4.50 webinars"),
        (None, "EUR", "– EUR"),
        (None, "meetings", "– meetings"),
    ],
)
def test_format_quantity_names_the_unit_once(value: Decimal | None, unit: str, text: str) -> None:
    assert format_quantity(value, unit=unit) == text


def test_is_money_unit_takes_euros_only() -> None:
    units = ["EUR", "Eur", "€", "Euro", "EUROS", "SMEs", "EUR thousands", "USD", ""]

    assert [is_money_unit(unit) for unit in units] == [
        True, True, True, True, True, False, False, False, False
    ]  # fmt: skip
