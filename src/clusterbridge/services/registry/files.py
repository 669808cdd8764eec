"""Organisation files: import and export as CSV or XLSX, all or nothing.

Columns are ``FILE_COLUMNS`` (docs/admin/cli.md, "clusterbridge organisations import"). A row
matches an existing record by PIC, else by folded name and country; it then updates that
record instead of adding one. Lists are ``;``-separated; ``clusters`` holds the PICs of the
cluster organisations the row's organisation is a member of, which must already be in the
registry.
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation
from clusterbridge.db.repositories import organisations as repository
from clusterbridge.domain.enums import RecordSource, TechnologyDirection
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.registry.edit import apply_values, check_clusters, get_organisation
from clusterbridge.services.registry.fields import FIELDS, clean_fields, split_list
from clusterbridge.services.registry.keys import name_key
from clusterbridge.services.text import cell_text, escape_formula
from clusterbridge.services.workbooks import (
    CellTooLongError,
    TableFormat,
    beyond_header,
    read_table,
)

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell

#: Columns read on import (in this order on export), then the derived, export-only ones.
FILE_COLUMNS = (*FIELDS, "clusters")
EXPORT_ONLY_COLUMNS = ("category_2021_2027", "category_2014_2020", "source")
REQUIRED_COLUMNS = ("name", "country")
MAX_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did: records added, changed, and matched without any change."""

    created: int
    updated: int
    unchanged: int


@dataclass(slots=True)
class _Row:
    line: int
    values: dict[str, Any]
    #: PICs of the row's clusters; None when the file has no ``clusters`` column.
    clusters: list[str] | None
    target: Organisation | None = None


#: The formats of organisation files by their suffix.
FILE_SUFFIXES = {".csv": TableFormat.CSV, ".xlsx": TableFormat.XLSX}


#: What to do about a file of another format, where the format can be given (CLI, API).
GIVE_THE_FORMAT = "its name must end in .csv or .xlsx, or give the format"


def file_format(
    path: Path, given: TableFormat | None = None, *, remedy: str = GIVE_THE_FORMAT
) -> TableFormat:
    """The format named, else the one of the file's suffix. InvalidInputError (422), naming
    the file and its format and saying what to do (``remedy``: a web form has no format to
    give), for any suffix but ``.csv`` and ``.xlsx`` (a JSON file was read as CSV and failed
    in the job, "line 1, []: is not a known column")."""
    if given is not None:
        return given
    found = FILE_SUFFIXES.get(path.suffix.lower())
    if found is None:
        kind = f"is a {path.suffix} file" if path.suffix else "has no suffix"
        reason = f"{kind}, not CSV or XLSX: {remedy}"
        issue = InputIssue(path.name, "file", reason)
        raise InvalidInputError("The file cannot be imported", [issue])
    return found


def import_organisations(
    session: Session, content: bytes, *, file_format: TableFormat, source: str = "The file"
) -> ImportSummary:
    """Create or update the organisations of a CSV or XLSX file, all or nothing.

    Every bad row is reported with its line (CSV) or row (XLSX, as the spreadsheet numbers
    it) and field in one InvalidInputError, and then
    nothing is written. Rows match existing records by PIC, else by folded name and country.
    Fields absent from the file, the profile and the source stay as they are. Flushes.
    """
    table = _read_table(content, file_format, source)
    # A CSV file's rows are its lines; a workbook's are its rows, as the spreadsheet shows them.
    unit = file_format.line_unit
    rows, issues = _parse(table, source, file_format)
    _match(session, rows)
    issues += _check_duplicates(rows, source, unit)
    clusters = _resolve_clusters(session, rows, issues, f"{source}, {unit}")
    if issues:
        raise InvalidInputError(f"{source} has problems; nothing was imported", issues)
    return _apply(session, rows, clusters)


def _read_table(content: bytes, fmt: TableFormat, source: str) -> list[list[str]]:
    try:
        return read_table(content, fmt.value, max_rows=MAX_ROWS)
    except CellTooLongError as error:
        issue = InputIssue(f"{source}, {fmt.line_unit} {error.line}", error.column, error.reason)
        raise InvalidInputError(f"{source} is not valid", [issue]) from None
    except (OSError, ValueError) as error:
        reason = f"cannot be read as {fmt.value.upper()}: {error}"
        raise InvalidInputError(
            f"{source} is not valid", [InputIssue(source, "", reason)]
        ) from None


def _parse(
    table: list[list[str]], source: str, file_format: TableFormat
) -> tuple[list[_Row], list[InputIssue]]:
    """The rows of ``table`` and every issue of its header and rows, each at its line (CSV) or
    row (workbook) of the file ``source``."""
    where = f"{source}, {file_format.line_unit}"
    if not table:
        return [], [InputIssue(source, "", "the file is empty")]
    header = [name.strip().lower() for name in table[0]]
    issues = [
        InputIssue(f"{where} 1", c, "the column is missing")
        for c in REQUIRED_COLUMNS
        if c not in header
    ]
    unknown = [c for c in header if c and c not in FILE_COLUMNS and c not in EXPORT_ONLY_COLUMNS]
    issues += [InputIssue(f"{where} 1", c, "is not a known column") for c in unknown]
    if issues:
        return [], issues
    rows, issues = _parse_rows(table, header, where, file_format)
    if not rows and not issues:
        issues.append(InputIssue(source, "", "the file has no rows"))
    return rows, issues


def _parse_rows(
    table: list[list[str]], header: list[str], where: str, file_format: TableFormat
) -> tuple[list[_Row], list[InputIssue]]:
    """The rows below the header (blank ones skipped), with each bad value's issue."""
    rows: list[_Row] = []
    issues: list[InputIssue] = []
    for number, cells in enumerate(table[1:], start=2):
        if extra := beyond_header(cells, len(header), file_format=file_format):
            issues.append(InputIssue(f"{where} {number}", "", extra))
            continue
        raw = dict(zip(header, cells, strict=False))
        if not any(str(value).strip() for value in raw.values()):
            continue
        values, row_issues = clean_fields(
            {k: v for k, v in raw.items() if k in FIELDS}, location=f"{where} {number}"
        )
        issues += row_issues
        clusters = split_list(raw.get("clusters")) if "clusters" in header else None
        rows.append(_Row(number, values, clusters))
    return rows, issues


def _match(session: Session, rows: list[_Row]) -> None:
    by_pic: dict[str, int] = {}
    by_name: dict[tuple[str, str], int] = {}
    for id_, known_pic, key, known_country, _source in repository.identity_keys(session):
        if known_pic:
            by_pic[known_pic] = id_
        by_name.setdefault((key, known_country), id_)
    ids: dict[int, int] = {}
    for row in rows:
        pic, name = row.values.get("pic"), row.values.get("name")
        found = by_pic.get(pic) if pic else None
        if found is None and name and row.values.get("country"):
            found = by_name.get((name_key(name), row.values["country"]))
        if found is not None:
            ids[row.line] = found
    targets = {o.id: o for o in repository.list_with_collections(session, ids.values())}
    for row in rows:
        row.target = targets.get(ids.get(row.line, -1))


def _check_duplicates(rows: list[_Row], source: str, unit: str) -> list[InputIssue]:
    issues = []
    seen: dict[Any, int] = {}
    where = f"{source}, {unit}"
    for row in rows:
        key = _identity(row)
        if key is None:
            continue
        if key in seen:
            reason = f"the same organisation as {unit} {seen[key]}"
            issues.append(InputIssue(f"{where} {row.line}", "name", reason))
        seen.setdefault(key, row.line)
    return issues


def _identity(row: _Row) -> object:
    """What makes the row's organisation: its record, else its PIC, else its name and
    country; None without them (a name missing, too long or blank has its own issue)."""
    if row.target is not None:
        return row.target.id
    if row.values.get("pic"):
        return row.values["pic"]
    name, country = row.values.get("name"), row.values.get("country")
    return (name_key(name), country) if name and country else None


def _resolve_clusters(
    session: Session, rows: list[_Row], issues: list[InputIssue], where: str
) -> dict[int, list[Organisation]]:
    """For each line with a ``clusters`` cell, its clusters: records already in the registry."""
    pics = {pic for row in rows for pic in row.clusters or ()}
    existing = {o.pic: o for o in repository.list_by_pics(session, pics)}
    chosen: dict[int, list[Organisation]] = {}
    for row in rows:
        if row.clusters is None:
            continue
        found = [existing[p] for p in row.clusters if p in existing]
        own = row.target.id if row.target is not None else None
        location = f"{where} {row.line}"
        chosen[row.line] = check_clusters(
            found, row.clusters, own, issues, location=location, field="clusters"
        )
    return chosen


def _apply(
    session: Session, rows: list[_Row], clusters: dict[int, list[Organisation]]
) -> ImportSummary:
    created = updated = unchanged = 0
    for row in rows:
        organisation = row.target
        if organisation is None:
            organisation = Organisation(
                ecosystems=[],
                technologies=[],
                clusters=[],
                users=[],
                source=RecordSource.IMPORT,
                description="",
                profile="",
            )
            session.add(organisation)
            created += 1
        elif _differs(organisation, row, clusters.get(row.line)):
            updated += 1
        else:
            unchanged += 1
            continue
        apply_values(organisation, row.values, clusters.get(row.line))
    session.flush()
    return ImportSummary(created, updated, unchanged)


def _differs(organisation: Organisation, row: _Row, clusters: list[Organisation] | None) -> bool:
    current = export_values(organisation)
    for field, value in row.values.items():
        if field in ("technologies_offered", "technologies_needed", "ecosystems"):
            if sorted(value) != sorted(split_list(current[field])):
                return True
        elif getattr(organisation, field) != value:
            return True
    if clusters is None:
        return False
    return sorted(c.id for c in clusters) != sorted(m.cluster_id for m in organisation.clusters)


# ----------------------------------------------------------------------------------- export


def export_organisations(session: Session, *, file_format: TableFormat) -> bytes:
    """Every organisation as a CSV (UTF-8) or XLSX file that ``import_organisations`` reads
    back without any change. Reads only."""
    return _table_file(repository.list_for_export(session), file_format)


def export_organisation(
    session: Session, organisation_id: int, *, file_format: TableFormat
) -> bytes:
    """One organisation as the file ``export_organisations`` writes (a header and its row), for
    its members to keep or to import elsewhere. Reads only; raises OrganisationNotFoundError
    (404) for an unknown id."""
    return _table_file([get_organisation(session, organisation_id)], file_format)


def _table_file(organisations: list[Organisation], file_format: TableFormat) -> bytes:
    header = [*FILE_COLUMNS, *EXPORT_ONLY_COLUMNS]
    rows = ([values.get(c, "") for c in header] for values in map(export_values, organisations))
    if file_format == TableFormat.XLSX:
        return _xlsx(header, rows)
    stream = io.StringIO(newline="")
    writer = csv.writer(stream)
    writer.writerow(header)
    writer.writerows([escape_formula(cell) for cell in row] for row in rows)
    return stream.getvalue().encode("utf-8")


def _xlsx(header: list[str], rows: Iterable[list[str]]) -> bytes:
    # openpyxl loads only to write a workbook: every command imports the registry's services.
    from openpyxl import Workbook  # noqa: PLC0415 -- slow import

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("organisations")
    sheet.append(header)
    for row in rows:
        sheet.append([_text_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _text_cell(sheet: Any, value: str) -> "Cell":
    """A cell that holds ``value`` as text even when it starts with ``=``: never a formula."""
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 -- slow import

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def export_values(organisation: Organisation) -> dict[str, str]:
    """The file cells of one organisation (collections must be loaded)."""
    values: dict[str, str] = {}
    for field in (*FIELDS, *EXPORT_ONLY_COLUMNS):
        if hasattr(Organisation, field):
            values[field] = cell_text(getattr(organisation, field)) or ""
    values["ecosystems"] = "; ".join(sorted(e.ecosystem for e in organisation.ecosystems))
    for field, direction in (
        ("technologies_offered", TechnologyDirection.OFFERED),
        ("technologies_needed", TechnologyDirection.NEEDED),
    ):
        values[field] = "; ".join(
            sorted(t.label for t in organisation.technologies if t.direction == direction)
        )
    values["clusters"] = "; ".join(
        sorted(m.cluster.pic for m in organisation.clusters if m.cluster.pic)
    )
    return values


def form_values(organisation: Organisation) -> dict[str, Any]:
    """The values of an edit form: text per field, ecosystems and cluster ids as lists,
    technologies one per line (collections must be loaded)."""
    values: dict[str, Any] = export_values(organisation)
    values["ecosystems"] = sorted(e.ecosystem for e in organisation.ecosystems)
    values["cluster_ids"] = [str(m.cluster_id) for m in organisation.clusters]
    for field in ("technologies_offered", "technologies_needed"):
        values[field] = "\n".join(split_list(values[field]))
    return values
