"""``write_table``: tables as CSV and XLSX files in which no cell is a formula."""

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from clusterbridge.services.workbooks import TableFormat, write_table

pytestmark = pytest.mark.unit

HEADER = ["Name", "=Total", "Count"]
ROWS = [
    ["=1+1", "+32 2 123", 3],
    ["-5", "@SUM(A1)", None],
    ["'quoted", "", -7],
]


def test_csv_escapes_every_formula_trigger_and_keeps_numbers() -> None:
    content = write_table(HEADER, ROWS, file_format=TableFormat.CSV)

    assert content.decode("utf-8") == (
        "Name,'=Total,Count\r\n'=1+1,'+32 2 123,3\r\n-5,'@SUM(A1),\r\n''quoted,,-7\r\n"
    )


def test_xlsx_keeps_text_as_text_and_numbers_as_numbers() -> None:
    content = write_table(HEADER, ROWS, file_format=TableFormat.XLSX, sheet="people")

    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    cells = [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]
    assert sheet.title == "people"
    assert cells == [
        [("Name", "s"), ("=Total", "s"), ("Count", "s")],
        [("=1+1", "s"), ("+32 2 123", "s"), (3, "n")],
        [("-5", "s"), ("@SUM(A1)", "s"), (None, "n")],
        [("'quoted", "s"), (None, "n"), (-7, "n")],
    ]


def test_media_types_name_each_format() -> None:
    assert [f.media_type for f in TableFormat] == [
        "text/csv; charset=utf-8",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]


def test_dates_are_dates_and_amounts_to_the_cent_keep_their_decimals() -> None:
    rows = [[date(2026, 1, 31), Decimal("280000.00"), Decimal("7.5"), 5]]

    written = write_table(["On", "Amount", "Score", "Count"], rows, file_format=TableFormat.XLSX)
    text = write_table(["On", "Amount", "Score", "Count"], rows, file_format=TableFormat.CSV)

    sheet = openpyxl.load_workbook(io.BytesIO(written)).worksheets[0]
    # openpyxl reads a date cell back as a naive datetime.
    assert [
        (c.value.date() if isinstance(c.value, datetime) else c.value, c.data_type, c.number_format)
        for c in sheet[2]
    ] == [
        (date(2026, 1, 31), "d", "yyyy-mm-dd"),
        (280000, "n", "#,##0.00"),
        (7.5, "n", "General"),
        (5, "n", "General"),
    ]
    assert text.decode() == "On,Amount,Score,Count\r\n2026-01-31,280000.00,7.5,5\r\n"
