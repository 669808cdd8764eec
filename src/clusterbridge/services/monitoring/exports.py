"""A project's indicators as a table, for CSV and XLSX (ADR 0029): the figures of the
dashboard, one row per indicator and period (then its total to date), and one row per
breakdown group under it. Both files are written from the same rows. An indicator in euros
writes its amounts with two decimals ("7.50", "5.00"); any other number as written shortest
("7.5", "5")."""

from collections.abc import Sequence
from decimal import Decimal

from clusterbridge.domain.indicators import IndicatorSource, is_money_unit
from clusterbridge.domain.money import cents
from clusterbridge.services.monitoring.dashboard import Point, Series
from clusterbridge.services.workbooks import Cell, TableFormat, write_table

HEADER = (
    "Indicator",
    "Unit",
    "Source",
    "Period",
    "From",
    "To",
    "Group",
    "Target",
    "Value",
    "Progress (%)",
)
TOTAL_LABEL = "To date"


def number(value: Decimal | None) -> Cell:
    """A value as a cell: a whole number as an int, else the decimal without trailing zeros
    ("7.5", not "7.50"); empty for none."""
    if value is None:
        return None
    return int(value) if value == value.to_integral() else value.normalize()


def amount(value: Decimal | None) -> Cell:
    """An amount in euros as a cell: two decimals ("5.00", "7.50"); empty for none."""
    return None if value is None else cents(value)


def period_name(point: Point) -> str:
    """ "P2", or "To date" for the total."""
    return TOTAL_LABEL if point.period.number == 0 else f"P{point.period.number}"


def _rows(series: Series, point: Point) -> list[list[Cell]]:
    first = [series.name, series.unit, series.source_label, period_name(point)]
    dates: list[Cell] = [point.period.start, point.period.end]
    money = is_money_unit(series.unit) or series.source is IndicatorSource.FINANCIAL_SUPPORT_PAID
    write = amount if money else number
    main: list[Cell] = [*first, *dates, None, write(point.target), write(point.value)]
    main.append(number(point.progress.percent))
    groups: list[list[Cell]] = [
        [*first, *dates, group, None, write(value), None] for group, value in point.breakdown
    ]
    return [main, *groups]


def indicator_rows(all_series: Sequence[Series]) -> list[list[Cell]]:
    """The table's rows: per indicator, each period then the total, each with its groups."""
    rows: list[list[Cell]] = []
    for series in all_series:
        for point in (*series.points, series.total):
            rows.extend(_rows(series, point))
    return rows


def export_indicators(all_series: Sequence[Series], file_format: TableFormat) -> bytes:
    """The indicators table as a CSV or XLSX file (sheet "Indicators")."""
    return write_table(
        HEADER, indicator_rows(all_series), file_format=file_format, sheet="Indicators"
    )
