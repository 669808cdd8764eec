"""The organiser's exports of an event: exact tables in CSV and XLSX, and who may export."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from clusterbridge.domain.enums import EventExport, EventStatus, ParticipantStatus, UserRole
from clusterbridge.domain.errors import AccessDeniedError
from clusterbridge.services.events.access import EventNotFoundError
from clusterbridge.services.events.exports import export_event
from clusterbridge.services.events.notifications import Notifier
from clusterbridge.services.events.participants import set_status, withdraw
from clusterbridge.services.workbooks import TableFormat
from tests.factories.event_exports import (
    as_csv,
    as_xlsx,
    expected_table,
    make_exported_event,
    read_csv_table,
    read_xlsx_table,
)
from tests.factories.events import make_person

pytestmark = [pytest.mark.integration, pytest.mark.db]

WITHDREW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("kind", list(EventExport))
def test_export_csv_holds_the_exact_table_with_formulas_escaped(
    session: Session, kind: EventExport
) -> None:
    data = make_exported_event(session)

    exported = export_event(
        session, data.organiser, data.event.id, kind=kind, file_format=TableFormat.CSV
    )

    assert (exported.filename, exported.media_type) == (
        f"event-{data.event.id}-{kind.value}.csv",
        "text/csv; charset=utf-8",
    )
    assert read_csv_table(exported.content) == as_csv(expected_table(data, kind))


def test_export_csv_escapes_a_formula_with_a_quote(session: Session) -> None:
    data = make_exported_event(session)

    exported = export_event(
        session,
        data.organiser,
        data.event.id,
        kind=EventExport.PARTICIPANTS,
        file_format=TableFormat.CSV,
    )

    assert read_csv_table(exported.content)[4][6] == '\'=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize("kind", list(EventExport))
def test_export_xlsx_holds_the_exact_table_and_no_formula(
    session: Session, kind: EventExport
) -> None:
    data = make_exported_event(session)

    exported = export_event(
        session, data.organiser, data.event.id, kind=kind, file_format=TableFormat.XLSX
    )

    assert exported.filename == f"event-{data.event.id}-{kind.value}.xlsx"
    assert read_xlsx_table(exported.content) == (
        kind.value,
        as_xlsx(expected_table(data, kind)),
        ["n", "s"],
    )


def test_export_by_an_administrator_is_allowed(session: Session) -> None:
    data = make_exported_event(session)
    admin = make_person(session, email="root@example.org", name="Root", role=UserRole.ADMINISTRATOR)

    exported = export_event(
        session, admin, data.event.id, kind=EventExport.REQUESTS, file_format=TableFormat.CSV
    )

    assert read_csv_table(exported.content) == as_csv(expected_table(data, EventExport.REQUESTS))


@pytest.mark.parametrize("role", [UserRole.EVENT_ORGANISER, UserRole.PROGRAMME_OFFICER])
def test_export_by_another_user_is_refused_403(session: Session, role: UserRole) -> None:
    data = make_exported_event(session)
    other = make_person(session, email="eve@example.org", name="Eve", role=role)

    with pytest.raises(AccessDeniedError) as raised:
        export_event(
            session, other, data.event.id, kind=EventExport.AGENDAS, file_format=TableFormat.CSV
        )

    assert (raised.value.status, str(raised.value)) == (
        403,
        "Only the organiser of this event may do this",
    )


def test_export_by_a_participant_of_a_draft_is_not_found_404(session: Session) -> None:
    data = make_exported_event(session)
    data.event.status = EventStatus.DRAFT
    session.flush()

    with pytest.raises(EventNotFoundError) as raised:
        export_event(
            session,
            data.ana.user,
            data.event.id,
            kind=EventExport.PARTICIPANTS,
            file_format=TableFormat.XLSX,
        )

    assert raised.value.status == 404


@pytest.mark.parametrize("file_format", list(TableFormat))
def test_export_says_withdrawn_for_a_participant_who_withdrew_and_rejected_for_a_rejection(
    session: Session, notifier: Notifier, file_format: TableFormat
) -> None:
    data = make_exported_event(session)
    ana, ben = sorted(data.event.participants, key=lambda p: p.id)[:2]
    set_status(
        session,
        data.organiser,
        data.event.id,
        ana.id,
        ParticipantStatus.REJECTED,
        notifier=notifier,
    )
    withdraw(session, ben.user, data.event.id, ben.id, now=WITHDREW, notifier=notifier)

    exported = export_event(
        session,
        data.organiser,
        data.event.id,
        kind=EventExport.PARTICIPANTS,
        file_format=file_format,
    )

    if file_format is TableFormat.CSV:
        table: list[list[object]] = list(read_csv_table(exported.content))
    else:
        table = list(read_xlsx_table(exported.content)[1])
    assert [(row[1], row[5]) for row in table] == [
        ("Name", "Status"),
        ("Ana", "rejected"),
        ("Ben", "withdrawn"),
        ("Cleo", "validated"),
        ("Dan", "pending"),
    ]
