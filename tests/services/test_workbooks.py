"""Users' workbooks and JSON documents are bounded before anything is built from them."""

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.orm import Session

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.consortia.file import read_consortium
from clusterbridge.services.monitoring import import_deliveries
from clusterbridge.services.registry import import_organisations
from clusterbridge.services.workbooks import OLD_EXCEL_MAGIC, TableFormat, read_table
from tests.factories.organisations import make_organisation
from tests.factories.sme_services import make_project

pytestmark = pytest.mark.integration


def _workbook(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("partners")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bomb() -> bytes:
    """A valid workbook of 2 rows with a part that unpacks to 65 MB of zeros (about 64 KB)."""
    buffer = io.BytesIO(_workbook([["name", "country"], ["Alpha", "DE"]]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (65 * 1024 * 1024))
    return buffer.getvalue()


#: A CSV file saved with the suffix of a workbook.
NOT_A_WORKBOOK = b"name,country\nAlpha,DE\n"


@pytest.mark.db
def test_a_registry_file_that_is_no_workbook_is_refused_in_words(session: Session) -> None:
    # It raised zipfile.BadZipFile: the command line printed a traceback three times (the import
    # job's attempts) and "The task failed unexpectedly".
    with pytest.raises(InvalidInputError) as caught:
        import_organisations(
            session, NOT_A_WORKBOOK, file_format=TableFormat.XLSX, source="orgs.xlsx"
        )

    assert caught.value.issues == (
        InputIssue(
            "orgs.xlsx", "", "cannot be read as XLSX: the file is not an Excel workbook (.xlsx)"
        ),
    )


@pytest.mark.db
def test_a_deliveries_file_that_is_no_workbook_is_refused_in_words(session: Session) -> None:
    project = make_project(session, coordinator=make_organisation(session, name="Cluster"))

    with pytest.raises(InvalidInputError) as caught:
        import_deliveries(
            session, project, NOT_A_WORKBOOK, file_format=TableFormat.XLSX, source="d.xlsx"
        )

    assert caught.value.issues == (
        InputIssue("d.xlsx", "", "the file is not an Excel workbook (.xlsx)"),
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            OLD_EXCEL_MAGIC + b"\0" * 100,
            "the file is an old Excel workbook (.xls): save it as .xlsx or as CSV",
        ),
        (
            "name,country\nSéville,ES\n".encode("latin-1"),
            "the file is not UTF-8 text: save it as CSV UTF-8 (comma delimited), or as .xlsx",
        ),
        (b"name\nA\nB\nC\n", "the file has more than 2 rows below its header"),
    ],
    ids=["xls", "latin-1", "rows"],
)
def test_a_csv_file_that_cannot_be_read_says_why(content: bytes, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)) as caught:
        read_table(content, "csv", max_rows=2)

    assert str(caught.value) == reason


def test_a_csv_file_is_read_as_text_cells() -> None:
    content = '\ufeffname,note\nA,"x, y"\n\'=1,\n'.encode()

    assert read_table(content, "csv", max_rows=2) == [["name", "note"], ["A", "x, y"], ["=1", ""]]


@pytest.mark.db
def test_a_registry_workbook_that_unpacks_too_large_is_refused(session: Session) -> None:
    with pytest.raises(InvalidInputError) as caught:
        import_organisations(session, _bomb(), file_format=TableFormat.XLSX, source="bomb.xlsx")

    assert caught.value.issues == (
        InputIssue(
            "bomb.xlsx", "", "cannot be read as XLSX: the workbook unpacks to more than 64 MB"
        ),
    )


def test_a_consortium_workbook_that_unpacks_too_large_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_bomb())

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)

    assert caught.value.issues == (
        InputIssue("bomb.xlsx", "", "the workbook unpacks to more than 64 MB"),
    )


#: Why a workbook's cell is refused: openpyxl cuts a longer text to this length.
EXCEL_CELL = (
    "is 32,767 characters or longer, the most an Excel cell may hold (a longer text is cut)"
)
#: Why a CSV file's cell is refused: the csv module reads none longer.
CSV_CELL = "is longer than 131,072 characters, the most a CSV cell may hold"


@pytest.mark.parametrize(
    ("rows", "issue"),
    [
        (
            [["name", "country", "description"], ["Alpha", "DE"], [], ["Beta", "DE", "A" * 40_000]],
            InputIssue("row 4", "description", EXCEL_CELL),
        ),
        (
            [[], [None, "name", "country"], [None, "B" * 40_000, "DE"]],
            InputIssue("row 3", "name", EXCEL_CELL),
        ),
        (
            [["name", "country"], ["Alpha", "DE", "C" * 40_000]],
            InputIssue("row 2", "column C", EXCEL_CELL),
        ),
    ],
    ids=["below-a-blank-row", "header-not-on-row-1", "beyond-the-header"],
)
def test_a_consortium_workbook_with_a_huge_cell_names_its_row_and_column(
    tmp_path: Path, rows: list[list[object]], issue: InputIssue
) -> None:
    # It said "cell.xlsx: row 2 has a cell of 32767 characters or more", no column.
    path = tmp_path / "cell.xlsx"
    path.write_bytes(_workbook(rows))

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)

    assert (caught.value.summary, caught.value.issues) == ("cell.xlsx cannot be read", (issue,))


def test_a_consortium_workbook_with_too_many_rows_names_the_first_row_over(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rows.xlsx"
    path.write_bytes(_workbook([["name", "country"]] + [[None, None]] * 10_000))

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)

    assert caught.value.issues == (
        InputIssue("row 10001", "", "the sheet has more than 10000 rows"),
    )


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_consortium_csv_file_with_a_huge_cell_names_its_line_and_column(
    tmp_path: Path, delimiter: str
) -> None:
    # It said "line 3: field larger than field limit (131072)", no column.
    huge = "x" * (2 * 1024 * 1024)
    header = delimiter.join(["name", "country", "description"])
    beta = delimiter.join(["Beta", "DE", f'"a ""quoted"", {huge}"'])
    path = tmp_path / "huge.csv"
    path.write_text(f"\n{header}\nAlpha{delimiter}DE{delimiter}short\n{beta}\n", encoding="utf-8")

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)

    assert (caught.value.summary, caught.value.issues) == (
        "huge.csv cannot be read",
        (InputIssue("line 4", "description", CSV_CELL),),
    )


def test_a_consortium_csv_file_with_too_many_rows_names_the_first_line_over(
    tmp_path: Path,
) -> None:
    # A CSV file had no limit at all (a workbook, 10,000 rows).
    path = tmp_path / "rows.csv"
    path.write_text("name,country\n" + "Alpha,DE\n" * 10_000, encoding="utf-8")

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)

    assert (caught.value.summary, caught.value.issues) == (
        "rows.csv cannot be read",
        (InputIssue("line 10001", "", "the file has more than 10000 rows"),),
    )


@pytest.mark.db
def test_a_registry_workbook_with_a_huge_cell_names_its_row_and_column(
    session: Session,
) -> None:
    # It said "big.xlsx: cannot be read as XLSX: row 4 has a cell of 32767 characters or more".
    rows: list[list[object]] = [["name", "country", "description"], ["Alpha", "DE"], []]
    content = _workbook([*rows, ["Beta", "DE", "A" * 40_000]])

    with pytest.raises(InvalidInputError) as caught:
        import_organisations(session, content, file_format=TableFormat.XLSX, source="big.xlsx")

    assert (caught.value.summary, caught.value.issues) == (
        "big.xlsx is not valid",
        (InputIssue("big.xlsx, row 4", "description", EXCEL_CELL),),
    )


@pytest.mark.db
@pytest.mark.parametrize(
    ("file_format", "issue"),
    [
        (TableFormat.XLSX, InputIssue("row 3", "follow_up", EXCEL_CELL)),
        (TableFormat.CSV, InputIssue("line 3", "follow_up", CSV_CELL)),
    ],
)
def test_a_deliveries_file_with_a_huge_cell_names_its_row_and_column(
    session: Session, file_format: TableFormat, issue: InputIssue
) -> None:
    project = make_project(session, coordinator=make_organisation(session, name="Cluster"))
    rows: list[list[object]] = [["service", "date", "follow_up"], ["Audit", "2025-03-04", ""]]
    rows.append(["Audit", "2025-03-05", "x" * 200_000])
    if file_format is TableFormat.XLSX:
        content = _workbook(rows)
    else:
        content = "".join(",".join(map(str, row)) + "\n" for row in rows).encode()

    with pytest.raises(InvalidInputError) as caught:
        import_deliveries(session, project, content, file_format=file_format, source="d")

    assert (caught.value.summary, caught.value.issues) == ("d is not valid", (issue,))


def test_a_deeply_nested_consortium_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)

    assert caught.value.issues == (
        InputIssue("deep.json", "", "the document is nested too deeply"),
    )
