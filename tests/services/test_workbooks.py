"""Users' workbooks and JSON documents are bounded before anything is built from them."""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy.orm import Session

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.consortia.file import read_consortium
from clusterbridge.services.registry import FileFormat, import_organisations

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


@pytest.mark.db
def test_a_registry_workbook_that_unpacks_too_large_is_refused(session: Session) -> None:
    with pytest.raises(InvalidInputError) as caught:
        import_organisations(session, _bomb(), file_format=FileFormat.XLSX, source="bomb.xlsx")

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
