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


def test_a_consortium_workbook_with_a_huge_cell_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cell.xlsx"
    path.write_bytes(_workbook([["name", "country"], ["A" * 40_000, "DE"]]))

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)

    assert caught.value.issues == (
        InputIssue(
            "cell.xlsx",
            "",
            "row 2 has a cell of 32767 characters or more (the most a cell may hold)",
        ),
    )


def test_a_consortium_workbook_with_too_many_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rows.xlsx"
    path.write_bytes(_workbook([["name", "country"]] + [[None, None]] * 10_000))

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)

    assert caught.value.issues == (
        InputIssue("rows.xlsx", "", "the sheet has more than 10000 rows"),
    )


def test_a_deeply_nested_consortium_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(path)

    assert caught.value.issues == (
        InputIssue("deep.json", "", "the document is nested too deeply"),
    )
