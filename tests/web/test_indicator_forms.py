"""The indicators' numbers as typed: an indicator in euros takes amounts as the pages print
them ("EUR 12,000", where "1,250" is a thousand and more); any other unit keeps its decimal
comma ("1,5" is one and a half); "1.000" (and "1,000" outside euros) is refused as
ambiguous."""

from decimal import Decimal

import pytest

from clusterbridge.domain.errors import InputIssue
from clusterbridge.web.indicator_forms import parse_number

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "unit", "number"),
    [
        ("EUR 12,000", "EUR", Decimal(12000)),
        ("1,250", "€", Decimal(1250)),
        ("1250,50", "euros", Decimal("1250.50")),
        ("1,5", "SMEs", Decimal("1.5")),
        ("0.125", "SMEs", Decimal("0.125")),
        ("1250.50", "webinars", Decimal("1250.50")),
        ("-0", "SMEs", Decimal(0)),
        ("-0", "EUR", Decimal(0)),
        ("", "EUR", None),
    ],
)
def test_a_number_is_read_in_its_indicators_unit(
    text: str, unit: str, number: Decimal | None
) -> None:
    issues: list[InputIssue] = []

    result = parse_number(text, "target", issues, unit=unit)

    assert (result, issues) == (number, [])


@pytest.mark.parametrize(
    ("text", "unit", "reason"),
    [
        ("EUR 12,34,5", "EUR", '"EUR 12,34,5" is not an amount in euros, such as EUR 350,000'),
        ("EUR 12,000", "SMEs", '"EUR 12,000" is not a number'),
        ("1.000", "SMEs", 'is ambiguous: "1.000" may mean 1 or 1000; write 1000 or 1'),
        ("1,250", "SMEs", 'is ambiguous: "1,250" may mean 1.25 or 1250; write 1250 or 1.25'),
        ("EUR 1.000", "EUR", 'is ambiguous: "1.000" may mean 1 or 1000; write 1000 or 1'),
        ("1.000,50", "EUR", '"1.000,50" is not an amount in euros, such as EUR 350,000'),
        (
            "1e-400",
            "SMEs",
            '"1e-400" is too small to store: write 0 or a number with fewer decimals',
        ),
        ("inf", "SMEs", '"inf" is not a number'),
        ("nan", "SMEs", '"nan" is not a number'),
        ("1e-400", "EUR", '"1e-400" is not an amount in euros, such as EUR 350,000'),
        ("inf", "EUR", '"inf" is not an amount in euros, such as EUR 350,000'),
    ],
)
def test_a_number_that_does_not_read_in_its_unit_is_named(
    text: str, unit: str, reason: str
) -> None:
    issues: list[InputIssue] = []

    result = parse_number(text, "target", issues, unit=unit)

    assert (result, issues) == (None, [InputIssue("", "target", reason)])
