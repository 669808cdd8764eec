"""The indicators table: money with two decimals, other numbers written shortest, dates as
dates."""

from datetime import date
from decimal import Decimal

import pytest

from clusterbridge.domain.indicators import IndicatorSource, progress
from clusterbridge.domain.monitoring import Period
from clusterbridge.services.monitoring.dashboard import Point, Series
from clusterbridge.services.monitoring.exports import indicator_rows
from clusterbridge.services.workbooks import TableFormat, write_table

pytestmark = pytest.mark.unit

P1 = Period(1, date(2026, 1, 1), date(2026, 6, 30))


def _series(unit: str, source: IndicatorSource | None, value: str, target: str) -> Series:
    point = Point(P1, Decimal(value), Decimal(target), progress(Decimal(value), Decimal(target)))
    return Series(id=1, name="Paid", unit=unit, definition="", source=source, source_label="x",
                  baseline=None, points=(point,), total=point, overlapping=False)  # fmt: skip


@pytest.mark.parametrize(
    ("unit", "source", "value", "target", "written"),
    [
        ("EUR", None, "7.50", "5", ("5.00", "7.50")),
        ("SMEs supported", IndicatorSource.FINANCIAL_SUPPORT_PAID, "7.5", "5", ("5.00", "7.50")),
        ("webinars", None, "7.50", "5.00", ("5", "7.5")),
    ],
)
def test_money_has_two_decimals_and_other_numbers_are_written_shortest(
    unit: str, source: IndicatorSource | None, value: str, target: str, written: tuple[str, str]
) -> None:
    rows = indicator_rows([_series(unit, source, value, target)])

    text = write_table(["a"] * 10, rows, file_format=TableFormat.CSV).decode()

    assert [tuple(line.split(",")[7:9]) for line in text.splitlines()[1:]] == [written] * 2
