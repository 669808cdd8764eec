"""A project's deliveries as CSV or XLSX files: imported all or nothing, exported with the
figures the counts use.

Columns (docs/admin/cli.md, "clusterbridge services"): ``service`` (a name of the project's
catalogue), ``date`` (YYYY-MM-DD), ``quantity`` (hours or days, "1.5"), ``unit`` (``hours``
or ``days``; empty for the service's), ``organisation`` (the PIC, registry number or whole name
of the organisation served; empty for a training), ``delivered_by`` (a partner's, the same
way), ``person``, ``follow_up`` and ``participants`` (a training's, written as
`domain.sme_services.parse_participants` reads them). The export adds ``id``, ``kind``,
``organisation_name``, ``delivered_by_name``, ``hours``, ``people`` and ``rating``, which an
import ignores: importing an export adds its deliveries again."""

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    MonitoredProject,
    ServiceDelivery,
    TrainingParticipant,
    User,
)
from clusterbridge.db.repositories import sme_services as repository
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.sme_services import (
    ServiceKind,
    ServiceUnit,
    hours_of,
    parse_participants,
    read_quantity,
)
from clusterbridge.services import registry
from clusterbridge.services.monitoring.deliveries import (
    ORGANISATION_REQUIRED,
    DeliveryDraft,
    ParticipantDraft,
    add_delivery,
    check_delivery,
)
from clusterbridge.services.monitoring.projects import ProjectNotFoundError, managed_project
from clusterbridge.services.workbooks import (
    CellTooLongError,
    TableFormat,
    beyond_header,
    read_table,
    write_table,
)

IMPORT_COLUMNS = (
    "service", "date", "quantity", "unit", "organisation", "delivered_by", "person",
    "follow_up", "participants",
)  # fmt: skip
EXPORT_ONLY_COLUMNS = (
    "id", "kind", "organisation_name", "delivered_by_name", "hours", "people", "rating",
)  # fmt: skip
REQUIRED_COLUMNS = ("service", "date", "quantity", "delivered_by")
MAX_ROWS = 10_000
#: Reports a problem of a row's field: ``fail(field, reason)``.
Fail = Callable[[str, str], None]


def find_project(session: Session, acronym: str) -> MonitoredProject:
    """The project of this acronym, case aside (``ProjectNotFoundError``). For the command
    line, whose operator sees every project. Reads only."""
    project = repository.project_by_acronym(session, acronym)
    if project is None:
        raise ProjectNotFoundError(f'No project has the acronym "{acronym}".')
    return project


def record_delivery_text(
    session: Session, actor: User, project_id: int, values: Mapping[str, str]
) -> ServiceDelivery:
    """Record a delivery given as text, as a web form or a file's row gives it (the columns
    of the module docstring; ``delivered_by``, ``organisation`` and the participants'
    organisations a PIC, registry number or whole name). The user must manage the project; ``InvalidInputError`` names every field at
    fault. Flushes."""
    project = managed_project(session, actor, project_id)
    draft, issues = _draft_of(session, project, dict(values), location="")
    if draft is not None:
        issues += check_delivery(session, project, draft, location="")
    if issues or draft is None:
        raise InvalidInputError("The delivery was not recorded", issues)
    return add_delivery(session, draft, recorded_by=actor)


def import_deliveries(
    session: Session, project: MonitoredProject, content: bytes, *, file_format: TableFormat,
    source: str = "The file",
) -> list[ServiceDelivery]:  # fmt: skip
    """Record the deliveries of a CSV or XLSX file, all or nothing: every bad row is reported
    (its number, field and reason: "line 3" of a CSV file, "row 3" of a workbook) in one
    ``InvalidInputError`` and then nothing is written. Line or row 1 is the header. Flushes."""
    table = _read_table(content, file_format, source)
    unit = file_format.line_unit
    header, issues = _check_header(table, source, unit)
    drafts: list[DeliveryDraft] = []
    for number, cells in enumerate(table[1:], start=2):
        if extra := beyond_header(cells, len(header), file_format=file_format):
            issues.append(InputIssue(f"{unit} {number}", "", extra))
            continue
        raw = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)}
        if not any(value.strip() for value in raw.values()):
            continue
        draft, row_issues = _draft_of(session, project, raw, location=f"{unit} {number}")
        issues += row_issues
        if draft is not None:
            issues += check_delivery(session, project, draft, location=f"{unit} {number}")
            drafts.append(draft)
    if not drafts and not issues:
        issues.append(InputIssue(source, "", "has no delivery below its header"))
    if issues:
        raise InvalidInputError(f"{source} has problems; nothing was imported", issues)
    return [add_delivery(session, draft, recorded_by=None) for draft in drafts]


def _read_table(content: bytes, fmt: TableFormat, source: str) -> list[list[str]]:
    try:
        return read_table(content, fmt.value, max_rows=MAX_ROWS)
    except CellTooLongError as error:
        issue = InputIssue(f"{fmt.line_unit} {error.line}", error.column, error.reason)
        raise InvalidInputError(f"{source} is not valid", [issue]) from None
    except (OSError, ValueError) as error:
        raise InvalidInputError(
            f"{source} is not valid", [InputIssue(source, "", str(error))]
        ) from None


def _check_header(
    table: list[list[str]], source: str, unit: str
) -> tuple[list[str], list[InputIssue]]:
    if not table:
        return [], [InputIssue(source, "", "the file is empty")]
    header = [name.strip().lower() for name in table[0]]
    known = (*IMPORT_COLUMNS, *EXPORT_ONLY_COLUMNS)
    issues = [
        InputIssue(f"{unit} 1", c, "the column is missing")
        for c in REQUIRED_COLUMNS
        if c not in header
    ]
    issues += [
        InputIssue(f"{unit} 1", c, "is not a known column") for c in header if c and c not in known
    ]
    return header, issues  # fmt: skip


def _draft_of(
    session: Session, project: MonitoredProject, raw: dict[str, str], *, location: str
) -> tuple[DeliveryDraft | None, list[InputIssue]]:
    issues: list[InputIssue] = []

    def fail(field: str, reason: str) -> None:
        issues.append(InputIssue(location, field, reason))

    service = repository.service_by_name(session, project.id, raw.get("service", "").strip())
    if service is None:
        fail("service", f'"{raw.get("service", "")}" is not in the project\'s catalogue')
    day = _date(raw.get("date", ""))
    if day is None:
        fail("date", "is not a date (YYYY-MM-DD)")
    quantity = read_quantity(raw.get("quantity", ""))
    if isinstance(quantity, str):
        fail("quantity", quantity)
    unit_text = raw.get("unit", "").strip().lower()
    units = {unit.value: unit for unit in ServiceUnit}
    if unit_text and unit_text not in units:
        fail("unit", "is neither hours nor days")
    delivered_by = _organisation(session, "delivered_by", raw.get("delivered_by", ""), fail)
    recipient = _recipient(session, raw.get("organisation", ""), fail)
    participants = _participants(session, raw.get("participants", ""), fail)
    if (
        issues
        or service is None
        or day is None
        or isinstance(quantity, str)
        or delivered_by is None
    ):
        # No draft to check further: what `check_delivery` would say of a missing recipient
        # is said now, with the other mistakes, not after they are put right.
        needs_recipient = service is not None and service.kind is not ServiceKind.TRAINING
        if needs_recipient and not raw.get("organisation", "").strip():
            fail("organisation", ORGANISATION_REQUIRED)
        return None, issues
    return DeliveryDraft(
        service_id=service.id, delivered_on=day, quantity=quantity, delivered_by_id=delivered_by,
        organisation_id=recipient, unit=units.get(unit_text),
        delivered_by_person=raw.get("person", ""), follow_up=raw.get("follow_up", ""),
        participants=participants,
    ), issues  # fmt: skip


def _date(text: str) -> date | None:
    text = text.strip()
    if text.endswith("T00:00:00"):
        text = text[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _recipient(session: Session, text: str, fail: Fail) -> int | None:
    return _organisation(session, "organisation", text, fail) if text.strip() else None


def _organisation(session: Session, field: str, text: str, fail: Fail) -> int | None:
    try:
        return registry.find_named_organisation(session, text, field=field).id
    except InvalidInputError as error:
        for issue in error.issues:
            fail(field, issue.reason)
        return None


def _participants(session: Session, text: str, fail: Fail) -> tuple[ParticipantDraft, ...]:
    try:
        lines = parse_participants(text)
    except ValueError as error:
        fail("participants", str(error))
        return ()
    drafts = []
    for line in lines:
        organisation = None
        if line.reference is not None:
            try:
                found = registry.find_named_organisation(
                    session, line.reference, field="participants"
                )
            except InvalidInputError as error:
                for issue in error.issues:
                    fail("participants", _of_reference(line.reference, issue.reason))
                continue
            organisation = found.id
        drafts.append(ParticipantDraft(organisation, line.people or 1, line.name))
    return tuple(drafts)


def _of_reference(reference: str, reason: str) -> str:
    """``reason`` (as ``find_named_organisation`` words it for its field) said of a
    participant's ``reference``: "999999999 is not the PIC ...", 'no organisation ... is named
    "X" ...'."""
    return f"{reference} {reason}" if reason.startswith("is ") else reason


def export_deliveries(
    session: Session, project: MonitoredProject, *, file_format: TableFormat
) -> bytes:
    """Every delivery of the project, oldest first, as a CSV or XLSX table of
    ``IMPORT_COLUMNS`` and ``EXPORT_ONLY_COLUMNS`` (``hours`` converted at 8 hours a day,
    ``people`` trained in a session, ``rating`` the mean score and how many rated). Reads
    only."""
    deliveries = sorted(
        repository.deliveries(session, project.id), key=lambda d: (d.delivered_on, d.id)
    )
    rows = [_row(delivery) for delivery in deliveries]
    header = (*IMPORT_COLUMNS, *EXPORT_ONLY_COLUMNS)
    return write_table(header, rows, file_format=file_format, sheet="Deliveries")


def _row(delivery: ServiceDelivery) -> list[str | int | None]:
    ratings = [rating.score for rating in delivery.ratings]
    mean = f"{Decimal(sum(ratings)) / len(ratings):.1f} ({len(ratings)})" if ratings else ""
    people = sum(p.people for p in delivery.participants)
    return [
        delivery.service.name, delivery.delivered_on.isoformat(), str(delivery.quantity),
        delivery.unit.value, delivery.organisation_id, delivery.delivered_by_id,
        delivery.delivered_by_person, delivery.follow_up,
        "; ".join(write_participant(p) for p in delivery.participants),
        delivery.id, delivery.service.kind.value,
        delivery.organisation.name if delivery.organisation else "",
        delivery.delivered_by.name if delivery.delivered_by else "",
        str(hours_of(delivery.quantity, delivery.unit)), people or None, mean,
    ]  # fmt: skip


def write_participant(participant: TrainingParticipant) -> str:
    """A participant as `parse_participants` reads it: ``ID: N`` or ``Name (ID)``, by the
    registry number ``ID`` (a name may not be the only one in the registry)."""
    if participant.name is None:
        return f"{participant.organisation_id}: {participant.people}"
    if participant.organisation_id is None:
        return participant.name
    return f"{participant.name} ({participant.organisation_id})"
