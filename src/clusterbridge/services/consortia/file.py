"""Read a consortium from a CSV, Excel or JSON file, and write the template users start from.

Every format becomes a list of raw rows that `parse_rows` validates, so a problem is worded the
same whichever format it came in. All problems of a file are reported together in one
`InvalidInputError`; a file with any problem yields no consortium at all.
"""

import csv
import io
import itertools
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from importlib.resources import files
from pathlib import Path
from typing import NoReturn

from clusterbridge.domain.consortium import Consortium, Partner
from clusterbridge.domain.enums import Role
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.consortia.columns import (
    CONSORTIUM_COLUMNS,
    PIC_COLUMNS,
    REQUIRED_COLUMNS,
    CellProblem,
    column_problems,
    headerless_problems,
    normalise_column,
    parse_partner,
    row_pic,
    row_values,
    text_of,
)
from clusterbridge.services.text import cell_text
from clusterbridge.services.workbooks import (
    CellTooLongError,
    FileLimitError,
    TooManyRowsError,
    load_json,
    long_csv_cell,
    read_xlsx_rows,
)

__all__ = [
    "CONSORTIUM_COLUMNS",
    "REQUIRED_COLUMNS",
    "TEMPLATE_NAME",
    "parse_rows",
    "read_consortium",
    "template_content",
    "write_template",
]

#: The file name of the shipped template, in `clusterbridge/templates_data/`.
TEMPLATE_NAME = "consortium-template.csv"

_RawRow = dict[str, str | None]
#: An issue with the number of its row, so that issues can be put in file order.
_Numbered = tuple[int, InputIssue]
#: A row that became a partner: its number, its cells by canonical column, the partner.
_Parsed = tuple[int, Mapping[str, str], Partner]

_TEMPLATE_FOLDER = "templates_data"
_JSON_KEYS = ("name", "partners")
#: The most rows a consortium file may have (a header, notes and partners).
MAX_FILE_ROWS = 10_000


#: Looks PICs up in the registry: the partners found, by PIC (unknown PICs are left out).
PartnerLookup = Callable[[Sequence[str]], Mapping[str, Partner]]


def read_consortium(path: Path, *, registry: PartnerLookup | None = None) -> Consortium:
    """Read the consortium in ``path``, a ``.csv``, ``.xlsx`` or ``.json`` file (by its suffix).

    With a ``registry``, a row whose ``id`` (or ``pic``) is a registry organisation needs no
    other cell: the registry's values fill its blank cells. Raises `InvalidInputError` with
    every problem of the file, or naming the accepted formats when the suffix is none of them.
    Only a JSON file can name the consortium.
    """
    readers: dict[str, Callable[[Path, PartnerLookup | None], Consortium]] = {
        ".csv": _read_csv,
        ".xlsx": _read_xlsx,
        ".json": _read_json,
    }
    reader = readers.get(path.suffix.lower())
    if reader is None:
        reason = (
            f"{path.suffix or 'no suffix'} is not a consortium format; use .csv, .xlsx or .json"
        )
        _raise_file_issue(path, "cannot be read", reason)
    return reader(path, registry)


def parse_rows(
    rows: list[dict[str, str | None]],
    *,
    source: str,
    first_line: int,
    unit: str = "row",
    registry: PartnerLookup | None = None,
) -> Consortium:
    """Validate raw rows (column name → cell text) and return the consortium they describe.

    ``rows[i]`` is reported as ``f"{unit} {first_line + i}"`` (``line 4``, ``row 4``,
    ``partner 4``). Rows whose cells are all blank are skipped; blank cells are unknown (None).
    Column names match case-insensitively, with spaces and hyphens read as underscores.
    Raises `InvalidInputError` ("<source> has N problems") listing every problem in file order.
    """
    issues: list[_Numbered] = []
    parsed: list[_Parsed] = []
    reported: set[CellProblem] = set()
    known = _registered(rows, registry)
    for number, row in enumerate(rows, start=first_line):
        if not any(text_of(value) for value in row.values()):
            continue
        problems = [
            problem
            for problem in column_problems(list(row), header=False)
            if problem not in reported
        ]
        reported.update(problems)
        values = row_values(row)
        pic = row_pic(values)
        partner, cell_problems = parse_partner(
            values, registered=known.get(pic or ""), registry=registry is not None
        )
        issues += _locate(number, unit, [*problems, *cell_problems, *headerless_problems(row)])
        parsed.append((number, values, partner))
    if not parsed:
        _raise_no_partners(source)
    issues += _cross_row_issues(parsed, unit)
    if issues:
        _raise_issues(source, issues)
    return Consortium(partners=tuple(partner for _, _, partner in parsed))


def write_template(path: Path) -> None:
    """Write the shipped consortium template to ``path``, as CSV or Excel by its suffix
    (`template_content`).

    Overwrites an existing file. Raises `InvalidInputError` for any other suffix.
    """
    path.write_bytes(template_content(path))


def template_content(path: Path) -> bytes:
    """The shipped consortium template as the file ``path`` holds it: CSV or Excel by its
    suffix. Writes nothing; raises `InvalidInputError` for any other suffix."""
    template = files("clusterbridge").joinpath(_TEMPLATE_FOLDER, TEMPLATE_NAME)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return template.read_bytes()
    if suffix != ".xlsx":
        reason = f"{path.suffix or 'no suffix'} is not a template format; use .csv or .xlsx"
        _raise_file_issue(path, "cannot be written", reason)
    return _xlsx_bytes(list(csv.reader(io.StringIO(template.read_text("utf-8"), newline=""))))


# ---------------------------------------------------------------------------- the formats


def _registered(
    rows: list[dict[str, str | None]], registry: PartnerLookup | None
) -> Mapping[str, Partner]:
    """The registry partners of the rows' PICs (one look-up for the whole file)."""
    if registry is None:
        return {}
    pics = sorted({pic for row in rows if (pic := row_pic(row_values(row)))})
    return registry(pics) if pics else {}


def _read_csv(path: Path, registry: PartnerLookup | None) -> Consortium:
    """A CSV file in UTF-8 (with or without BOM), delimited by commas or by semicolons, of at
    most ``MAX_FILE_ROWS`` lines."""
    text = _read_text(path)
    header = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    records: list[Sequence[str | None]] = []
    while True:
        start = stream.tell()
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            _raise_csv_error(
                path, error, text=text, start=start, records=records, delimiter=delimiter
            )
        records.append(record)
        # A quoted cell can span lines: pad so that records[i] stays line i + 1.
        records.extend([] for _ in range(reader.line_num - len(records)))
        if len(records) > MAX_FILE_ROWS:
            reason = f"the file has more than {MAX_FILE_ROWS} rows"
            _raise_size_issue(path, "line", TooManyRowsError(MAX_FILE_ROWS + 1, reason))
    return _parse_table(records, source=path.name, unit="line", registry=registry)


def _raise_csv_error(
    path: Path,
    error: csv.Error,
    *,
    text: str,
    start: int,
    records: Sequence[Sequence[str | None]],
    delimiter: str,
) -> NoReturn:
    """Raise the issue of the record at ``start`` of ``text``, the one after ``records``: a
    cell over the csv module's limit names its line and column."""
    line = len(records) + 1
    if not str(error).startswith("field larger than field limit"):
        issue = InputIssue(f"line {line}", "", str(error))
        raise InvalidInputError(f"{path.name} cannot be read", [issue]) from error
    header = next((record for record in records if any(map(text_of, record))), [])
    names = [text_of(cell) for cell in header]
    _raise_size_issue(
        path, "line", long_csv_cell(text, start, line=line, header=names, delimiter=delimiter)
    )


def _read_xlsx(path: Path, registry: PartnerLookup | None) -> Consortium:
    """The first sheet of an Excel workbook, with the values Excel last calculated."""
    # openpyxl loads only for a workbook, not for a CSV or JSON file.
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415 -- slow import

    unreadable = (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError)
    try:
        rows = read_xlsx_rows(path, max_rows=MAX_FILE_ROWS)
    except OSError as error:
        _raise_file_issue(path, "cannot be read", error.strerror or str(error))
    except (CellTooLongError, TooManyRowsError) as error:
        _raise_size_issue(path, "row", error)
    except FileLimitError as error:
        _raise_file_issue(path, "cannot be read", str(error))
    except unreadable:
        _raise_file_issue(path, "cannot be read", "the file is not an Excel workbook (.xlsx)")
    records = [[cell_text(value) for value in row] for row in rows]
    return _parse_table(records, source=path.name, unit="row", registry=registry)


def _read_json(path: Path, registry: PartnerLookup | None) -> Consortium:
    """A list of partner objects, or ``{"name": ..., "partners": [...]}``."""
    try:
        document = load_json(_read_text(path))
    except FileLimitError as error:
        _raise_file_issue(path, "cannot be read", str(error))
    except json.JSONDecodeError as error:
        issue = InputIssue(f"line {error.lineno}, column {error.colno}", "", error.msg)
        raise InvalidInputError(f"{path.name} is not valid JSON", [issue]) from error
    name, items = _json_document(document, path.name)
    rows = _json_rows(items, path.name)
    consortium = parse_rows(rows, source=path.name, first_line=1, unit="partner", registry=registry)
    return replace(consortium, name=name)


def _json_document(document: object, source: str) -> tuple[str | None, list[object]]:
    """The consortium name and the partner items of a JSON document of either shape."""
    if isinstance(document, list):
        return None, document
    if not isinstance(document, dict):
        shape = 'a list of partners, or an object with "partners" and an optional "name"'
        _raise_issues(source, [(0, InputIssue(source, "", f"expected {shape}"))])
    problems = [
        (key, 'unknown key; use "name" and "partners"') for key in document if key not in _JSON_KEYS
    ]
    name, partners = document.get("name"), document.get("partners")
    if name is not None and not isinstance(name, str):
        problems.append(("name", "the consortium name must be text"))
    if not isinstance(partners, list):
        problems.append(("partners", "give the partners as a list of objects"))
    if problems or not isinstance(partners, list):
        _raise_issues(source, [(0, InputIssue(source, key, reason)) for key, reason in problems])
    return (name.strip() or None) if isinstance(name, str) else None, partners


def _json_rows(items: list[object], source: str) -> list[_RawRow]:
    """Each partner object as a raw row; nested values and non-objects are problems."""
    rows: list[_RawRow] = []
    issues: list[_Numbered] = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            issues.append(_issue(number, "partner", "", "expected an object of column: value"))
            continue
        for key, value in item.items():
            if isinstance(value, dict | list):
                reason = "a value must be text, a number, true, false or null"
                issues.append(_issue(number, "partner", str(key), reason))
        rows.append({str(key): cell_text(value) for key, value in item.items()})
    if issues:
        _raise_issues(source, issues)
    return rows


def _xlsx_bytes(records: list[list[str]]) -> bytes:
    """One sheet with a frozen header row and columns wide enough for their text."""
    import openpyxl  # noqa: PLC0415 -- slow import
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 -- slow import

    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Consortium"
    for record in records:
        sheet.append([cell or None for cell in record])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(zip(*records, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(map(len, column)) + 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------ text and cells


def _read_text(path: Path) -> str:
    """The file decoded as UTF-8, a leading byte-order mark dropped."""
    try:
        data = path.read_bytes()
    except OSError as error:
        _raise_file_issue(path, "cannot be read", error.strerror or str(error))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        reason = f"the file is not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8"
        issue = InputIssue(f"line {line}", "", f'{reason} (in Excel: "CSV UTF-8")')
        raise InvalidInputError(f"{path.name} cannot be read", [issue]) from error


# ---------------------------------------------------------------------------- the rows


def _parse_table(
    records: Sequence[Sequence[str | None]],
    *,
    source: str,
    unit: str,
    registry: PartnerLookup | None = None,
) -> Consortium:
    """Rows of cells whose first non-blank row is the header; ``records[i]`` is ``unit i + 1``."""
    start = next((index for index, record in enumerate(records) if any(map(text_of, record))), None)
    if start is None:
        _raise_no_partners(source)
    header = [text_of(cell) for cell in records[start]]
    problems = column_problems(header, header=True, registry=registry is not None)
    if problems:
        _raise_issues(source, [_issue(start + 1, unit, *problem) for problem in problems])
    keys = [normalise_column(cell) for cell in header]
    rows = [_zip_row(keys, record) for record in records[start + 1 :]]
    return parse_rows(rows, source=source, first_line=start + 2, unit=unit, registry=registry)


def _zip_row(keys: Sequence[str], record: Sequence[str | None]) -> _RawRow:
    """A record as a raw row; cells beyond the header or under a blank header go to ``""``."""
    row: _RawRow = {}
    for key, value in itertools.zip_longest(keys, record):
        if not text_of(row.get(key or "")):
            row[key or ""] = value
    return row


def _cross_row_issues(parsed: Iterable[_Parsed], unit: str) -> list[_Numbered]:
    """At most one coordinator, and no partner listed twice (same PIC, or same name and country)."""
    issues: list[_Numbered] = []
    coordinator: tuple[int, Partner] | None = None
    seen: dict[tuple[str, ...], tuple[int, Partner]] = {}
    for number, values, partner in parsed:
        if partner.role is Role.COORDINATOR and coordinator:
            first = _where(*coordinator, unit)
            issues.append(_issue(number, unit, "role", f"there is already a coordinator: {first}"))
        elif partner.role is Role.COORDINATOR:
            coordinator = (number, partner)
        issues += _duplicate_issues(number, values, partner, seen, unit)
    return issues


def _duplicate_issues(
    number: int,
    values: Mapping[str, str],
    partner: Partner,
    seen: dict[tuple[str, ...], tuple[int, Partner]],
    unit: str,
) -> list[_Numbered]:
    """An issue when an earlier row has this partner's PIC, or its name and country."""
    keys: list[tuple[str, ...]] = [("pic", partner.pic)] if partner.pic else []
    if partner.name and partner.country:
        keys.append(("name", " ".join(partner.name.split()).casefold(), partner.country))
    for key in keys:
        if key in seen:
            where = _where(*seen[key], unit)
            if key[0] == "pic":
                column = next(column for column in PIC_COLUMNS if column in values)
                return [
                    _issue(number, unit, column, f"PIC {partner.pic} is already given for {where}")
                ]
            return [_issue(number, unit, "name", f"the partner is already listed: {where}")]
    seen.update((key, (number, partner)) for key in keys)
    return []


def _where(number: int, partner: Partner, unit: str) -> str:
    """An earlier row as a message names it: the partner, as far as it is known, and the row."""
    name = partner.label if partner.country else partner.name
    return f"{name} on {unit} {number}" if name else f"{unit} {number}"


def _locate(number: int, unit: str, problems: Sequence[CellProblem]) -> list[_Numbered]:
    return [_issue(number, unit, *problem) for problem in problems]


def _issue(number: int, unit: str, column: str, reason: str) -> _Numbered:
    return number, InputIssue(f"{unit} {number}", column, reason)


def _raise_issues(source: str, issues: list[_Numbered]) -> NoReturn:
    """Raise the issues in file order: by row, then in the order of the template's columns."""

    def position(numbered: _Numbered) -> tuple[int, int]:
        column = normalise_column(numbered[1].field)
        known = column in CONSORTIUM_COLUMNS
        return numbered[0], CONSORTIUM_COLUMNS.index(column) if known else len(CONSORTIUM_COLUMNS)

    ordered = [issue for _, issue in sorted(issues, key=position)]
    count = len(ordered)
    raise InvalidInputError(f"{source} has {count} problem{'' if count == 1 else 's'}", ordered)


def _raise_no_partners(source: str) -> NoReturn:
    reason = "there are no partners: give one partner a row, with at least a name and a country"
    raise InvalidInputError(f"{source} has no partners", [InputIssue(source, "", reason)])


def _raise_size_issue(
    path: Path, unit: str, error: CellTooLongError | TooManyRowsError
) -> NoReturn:
    """Raise the issue of a cell too long or a row over the limit, at its line or row (``unit``)
    and, for a cell, its column."""
    column = error.column if isinstance(error, CellTooLongError) else ""
    issue = InputIssue(f"{unit} {error.line}", column, error.reason)
    raise InvalidInputError(f"{path.name} cannot be read", [issue])


def _raise_file_issue(path: Path, summary: str, reason: str) -> NoReturn:
    raise InvalidInputError(f"{path.name} {summary}", [InputIssue(path.name, "", reason)])
