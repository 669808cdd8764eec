"""Spreadsheets and JSON documents from users' files, bounded before anything is built; and
tables written as CSV or XLSX files that no spreadsheet program runs as formulas.

An XLSX file is a zip archive: 2 MB of it can unpack to gigabytes (one huge cell) or to a
million rows. Every reader of a user's workbook (the web, the API and the CLI alike) goes
through `read_xlsx_rows`, which checks the archive's unpacked size before openpyxl opens it,
streams the first sheet (read-only mode) and stops at the first row or cell over its limit.

openpyxl (a sixth of a second to import) loads only when a workbook is read or written: the
registry's services import this module for every command.
"""

import csv
import io
import json
import zipfile
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.numbers import NumberTooSmallError, read_float
from clusterbridge.services.text import cell_text, escape_formula, unescape_formula

#: The most the members of an XLSX archive may unpack to, together.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
#: The most members an XLSX archive may hold (a workbook has a dozen or so).
MAX_ARCHIVE_MEMBERS = 1_000
#: Excel's limit of a cell's text; openpyxl cuts longer text to it.
MAX_CELL_CHARS = 32_767
#: The largest JSON document read from a file.
MAX_JSON_BYTES = 20 * 1024 * 1024
#: The first bytes of an old Excel workbook (.xls, an OLE2 compound file).
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileLimitError(ValueError):
    """A file is larger, longer or deeper than the platform reads; the message says which
    limit, in words for the person who sent it."""


class CellTooLongError(FileLimitError):
    """A cell longer than a file's reader takes: its ``line`` (the CSV record or the sheet's
    row, as a spreadsheet program numbers it: the header is 1), called by its ``unit``
    (``line`` in a CSV file, ``row`` in a sheet), its ``column`` (the header's name, else
    ``column 3`` in a CSV file, ``column C`` in a sheet) and the ``reason``; the message says
    all of them ("row 4, description: ...")."""

    def __init__(self, line: int, column: str, reason: str, *, unit: str = "line") -> None:
        self.line, self.column, self.reason, self.unit = line, column, reason, unit
        super().__init__(f"{unit} {line}, {column}: {reason}")


class TooManyRowsError(FileLimitError):
    """A file with more rows than its reader takes; ``line`` is the first row over the limit
    (the CSV record or the sheet's row) and the message the ``reason``."""

    def __init__(self, line: int, reason: str) -> None:
        self.line, self.reason = line, reason
        super().__init__(reason)


class NotAWorkbookError(ValueError):
    """A file read as a workbook is none (not a zip archive, or one without a sheet openpyxl
    reads: a CSV file named .xlsx, an old .xls workbook); the message says so in words."""

    def __init__(self) -> None:
        super().__init__("the file is not an Excel workbook (.xlsx)")


def check_archive(source: bytes | Path) -> None:
    """Raise FileLimitError when the zip archive ``source`` unpacks to more than
    ``MAX_UNPACKED_BYTES`` or holds more than ``MAX_ARCHIVE_MEMBERS`` members. Reads only the
    archive's directory; a file that is no zip archive is left to the reader to refuse."""
    try:
        with zipfile.ZipFile(
            io.BytesIO(source) if isinstance(source, bytes) else source
        ) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise FileLimitError(f"the workbook holds more than {MAX_ARCHIVE_MEMBERS} parts")
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // (1024 * 1024)
        raise FileLimitError(f"the workbook unpacks to more than {limit} MB")


def read_xlsx_rows(
    source: bytes | Path, *, max_rows: int, header_rows: int = 0
) -> list[list[object]]:
    """The values of the first sheet of the workbook ``source``, row by row (Excel's last
    calculated values, not formulas); ``rows[i]`` is the sheet's row ``i + 1``, blank ones
    included.

    Raises FileLimitError when the archive is too large unpacked (`check_archive`);
    TooManyRowsError when the sheet has more than ``max_rows`` rows after its
    ``header_rows``; CellTooLongError for a cell of ``MAX_CELL_CHARS`` characters or more
    (naming its row and its column by the header, the first row that is not blank);
    NotAWorkbookError when ``source`` is no workbook; OSError when the file cannot be read."""
    import openpyxl  # noqa: PLC0415 -- slow import
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415 -- slow import
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet  # noqa: PLC0415 -- slow import

    check_archive(source)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(source) if isinstance(source, bytes) else source,
            read_only=True,
            data_only=True,
        )
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as error:
        raise NotAWorkbookError from error
    try:
        if not workbook.worksheets:
            raise NotAWorkbookError
        sheet = workbook.worksheets[0]
        if isinstance(sheet, ReadOnlyWorksheet):
            # Some programs write a wrong sheet size; without it every row is read.
            sheet.reset_dimensions()
        rows: list[list[object]] = []
        header: Sequence[object] = ()
        for values in sheet.iter_rows(values_only=True):
            if len(rows) == max_rows + header_rows:
                below = " below its header" if header_rows else ""
                reason = f"the sheet has more than {max_rows} rows{below}"
                raise TooManyRowsError(len(rows) + 1, reason)
            _check_cells(values, row=len(rows) + 1, header=header)
            if not header and any((cell_text(value) or "").strip() for value in values):
                header = values
            rows.append(list(values))
        return rows
    finally:
        workbook.close()


def read_table(content: bytes, file_format: str, *, max_rows: int) -> list[list[str]]:
    """The rows of the CSV (UTF-8, with or without a byte-order mark) or XLSX (its first
    sheet, `read_xlsx_rows`) file ``content``, every cell as the text a user would have typed
    (``""`` for an empty one), the first row a header; ``file_format`` is ``csv`` or ``xlsx``.
    Raises ValueError saying in words why the file cannot be read: TooManyRowsError over
    ``max_rows`` rows below the header, CellTooLongError naming the line and column of a cell
    too long (in either format), another FileLimitError, NotAWorkbookError, or not CSV (an
    old Excel workbook, text that is not UTF-8, a broken quote)."""
    if file_format == "xlsx":
        try:
            rows = read_xlsx_rows(content, max_rows=max_rows, header_rows=1)
        except (KeyError, IndexError) as error:  # a part of the workbook missing or broken
            raise NotAWorkbookError from error
        return [[cell_text(value) or "" for value in row] for row in rows]
    if content.startswith(OLD_EXCEL_MAGIC):
        raise ValueError("the file is an old Excel workbook (.xls): save it as .xlsx or as CSV")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(
            "the file is not UTF-8 text: save it as CSV UTF-8 (comma delimited), or as .xlsx"
        ) from None
    table: list[list[str]] = []
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream)
    while True:
        start = stream.tell()
        try:
            row = next(reader)
        except StopIteration:
            return table
        except csv.Error as error:
            raise _csv_error(error, text, start, table) from None
        if len(table) == max_rows + 1:
            reason = f"the file has more than {max_rows} rows below its header"
            raise TooManyRowsError(len(table) + 1, reason)
        table.append([unescape_formula(cell) for cell in row])


def _csv_error(error: csv.Error, text: str, start: int, table: list[list[str]]) -> ValueError:
    """The error to raise for ``error``, met reading the record at ``start`` of ``text`` after
    the rows of ``table``: a cell over the csv module's limit names its line and column."""
    if not str(error).startswith("field larger than field limit"):
        return ValueError(f"the file is not valid CSV: {error}")
    return long_csv_cell(text, start, line=len(table) + 1, header=table[0] if table else [])


def long_csv_cell(
    text: str, start: int, *, line: int, header: Sequence[str], delimiter: str = ","
) -> CellTooLongError:
    """The error for the CSV record at ``start`` of ``text``, reported as ``line``, that has a
    cell over the csv module's limit (``field larger than field limit``): its column named by
    ``header`` (else its number)."""
    limit = csv.field_size_limit()
    number = _long_field(text, start, limit, delimiter)
    column = header[number - 1].strip() if number <= len(header) else ""
    reason = f"is longer than {limit:,} characters, the most a CSV cell may hold"
    return CellTooLongError(line, column or f"column {number}", reason)


def _long_field(text: str, start: int, limit: int, delimiter: str) -> int:
    """The number (from 1) of the first field longer than ``limit`` characters in the CSV
    record at ``start`` of ``text`` (fields split by ``delimiter``, double quotes doubled
    inside quotes)."""
    number, length, quoted, index = 1, 0, False, start
    while index < len(text) and length <= limit:
        char = text[index]
        if quoted and char == '"' and text.startswith('"', index + 1):
            length, index = length + 1, index + 2
            continue
        if char == '"':
            quoted = not quoted
        elif not quoted and char == delimiter:
            number, length = number + 1, 0
        elif not quoted and char in "\r\n":
            break
        else:
            length += 1
        index += 1
    return number


def beyond_header(cells: Sequence[str], columns: int, *, file_format: "TableFormat") -> str | None:
    """Why a row of ``read_table`` with a value beyond the ``columns`` of its header is
    refused, or None: in a CSV file most often a value with a comma, not in quotes, split in
    two; in a workbook a value typed in a column that has no heading (named by its letter)."""
    filled = [number for number, cell in enumerate(cells, start=1) if cell.strip()]
    if not filled or filled[-1] <= columns:
        return None
    if file_format is TableFormat.XLSX:
        return _beyond_heading(cells, [number for number in filled if number > columns])
    return (
        f"has {filled[-1]} values but the header names {columns} columns (the last: "
        f'"{cells[filled[-1] - 1].strip()}"): in a CSV file, a value that holds a comma must be '
        "in double quotes"
    )


def _beyond_heading(cells: Sequence[str], numbers: Sequence[int]) -> str:
    """A workbook row's values in the columns ``numbers`` (from 1), which have no heading."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 -- slow import

    named = [f'{get_column_letter(n)} ("{cells[n - 1].strip()}")' for n in numbers]
    if len(named) == 1:
        return f"has a value in column {named[0]}, which has no heading"
    return f"has values in columns {', '.join(named[:-1])} and {named[-1]}, which have no heading"


def _check_cells(values: Sequence[object], *, row: int, header: Sequence[object]) -> None:
    for index, value in enumerate(values):
        # openpyxl cuts longer text to this length without a word, so a cell that long was
        # (almost surely) cut: refuse it rather than import part of it.
        if isinstance(value, str) and len(value) >= MAX_CELL_CHARS:
            reason = (
                f"is {MAX_CELL_CHARS:,} characters or longer, the most an Excel cell may hold "
                "(a longer text is cut)"
            )
            raise CellTooLongError(row, _column_name(header, index), reason, unit="row")


def _column_name(header: Sequence[object], index: int) -> str:
    """The column at ``index`` (from 0) by its header's text, else by its letter."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 -- slow import

    name = cell_text(header[index]) if index < len(header) else None
    return (name or "").strip() or f"column {get_column_letter(index + 1)}"


class JSONNumberError(json.JSONDecodeError):
    """A JSON document holds a number too small to store (the message is the reason, the
    position the number's)."""


def load_json(text: str) -> object:
    """``text`` parsed as JSON. Raises FileLimitError when it is longer than
    ``MAX_JSON_BYTES`` or nested too deep to read, json.JSONDecodeError when it is no JSON or
    holds a number too small to store (``1e-400``, which would be read as 0: the error's
    message is the reason and its position the number's)."""
    if len(text) > MAX_JSON_BYTES:
        raise FileLimitError(f"the file is larger than {MAX_JSON_BYTES // (1024 * 1024)} MB")
    try:
        return json.loads(text, parse_float=read_float)
    except RecursionError:
        raise FileLimitError("the document is nested too deeply") from None
    except NumberTooSmallError as error:
        raise JSONNumberError(error.reason, text, error.position(text)) from None


def read_json_file(path: Path) -> object:
    """The parsed JSON of the file at ``path``, read within the limits (`MAX_JSON_BYTES`, the
    nesting depth). InvalidInputError naming the file, and the line and column of a syntax
    error, for a file that cannot be read or is no JSON."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_JSON_BYTES + 1)
        if len(data) > MAX_JSON_BYTES:
            raise FileLimitError(f"the file is larger than {MAX_JSON_BYTES // (1024 * 1024)} MB")
        return load_json(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        issue = InputIssue(str(path), "", str(error))
        raise InvalidInputError(f"{path.name} cannot be read:", [issue]) from None
    except json.JSONDecodeError as error:
        where = f"{path.name}, line {error.lineno}, column {error.colno}"
        issue = InputIssue(where, "", error.msg)
        wrong = "cannot be read" if isinstance(error, JSONNumberError) else "is not valid JSON"
        raise InvalidInputError(f"{path.name} {wrong}:", [issue]) from None
    except FileLimitError as error:
        issue = InputIssue(path.name, "", str(error))
        raise InvalidInputError(f"{path.name} cannot be read:", [issue]) from None


class TableFormat(StrEnum):
    """The file formats a table is written in."""

    CSV = "csv"
    XLSX = "xlsx"

    @property
    def line_unit(self) -> str:
        """What a message calls a numbered row of a file of this format: a CSV file's ``line``
        (as a text editor numbers it), a workbook's ``row`` (as the spreadsheet shows it)."""
        return "line" if self is TableFormat.CSV else "row"

    @property
    def media_type(self) -> str:
        """The file's MIME type (CSV as UTF-8 text)."""
        if self is TableFormat.CSV:
            return "text/csv; charset=utf-8"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


#: A table's cell: text, a whole number, a decimal number, a calendar date, or empty.
Cell = str | int | Decimal | date | None

#: How an XLSX cell shows a date (ISO, as the CSV writes it).
DATE_FORMAT = "yyyy-mm-dd"
#: How an XLSX cell shows a decimal to the cent (an amount in euros): two decimals, grouped.
CENTS_FORMAT = "#,##0.00"


def write_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    file_format: TableFormat,
    sheet: str = "Sheet1",
) -> bytes:
    """``header`` and ``rows`` as a CSV (UTF-8, empty cells for None, dates as YYYY-MM-DD) or
    XLSX file (one sheet named ``sheet``, numbers as numbers, a decimal with two decimal
    places shown with them (an amount to the cent), dates as dates shown YYYY-MM-DD, empty text
    as an empty cell). No cell is ever a formula: CSV text that a spreadsheet program would run
    is escaped (`services.text.escape_formula`), and XLSX text cells are typed as text."""
    if file_format is TableFormat.CSV:
        stream = io.StringIO(newline="")
        writer = csv.writer(stream)
        writer.writerow([escape_formula(name) for name in header])
        writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
        return stream.getvalue().encode("utf-8")
    import openpyxl  # noqa: PLC0415 -- slow import

    workbook = openpyxl.Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in (header, *rows):
        worksheet.append([_xlsx_cell(worksheet, cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_cell(cell: Cell) -> str:
    if isinstance(cell, date):
        return cell.isoformat()
    return "" if cell is None else escape_formula(str(cell))


def _xlsx_cell(worksheet: object, cell: Cell) -> object:
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 -- slow import

    if isinstance(cell, date):
        dated = WriteOnlyCell(worksheet, value=cell)  # type: ignore[arg-type]
        dated.number_format = DATE_FORMAT
        return dated
    if isinstance(cell, Decimal) and cell.as_tuple().exponent == -2:
        cents = WriteOnlyCell(worksheet, value=cell)  # type: ignore[arg-type]
        cents.number_format = CENTS_FORMAT
        return cents
    if not isinstance(cell, str) or not cell:
        return None if cell == "" else cell
    written = WriteOnlyCell(worksheet, value=cell)  # type: ignore[arg-type]
    # Typed as text, "=1+1" stays the text it is rather than becoming a formula.
    written.data_type = "s"
    return written
