"""Services to SMEs: the catalogue and deliveries recorded by a project's partners with every
field checked, seen by whoever sees the project; ratings given once per receiving organisation
by its own users, changeable; deliveries imported all or nothing and exported. SQLite and
PostgreSQL."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clusterbridge.db.models import MonitoredProject, Organisation, ServiceDelivery, User
from clusterbridge.domain.enums import OrgType, UserRole
from clusterbridge.domain.errors import AccessDeniedError, InvalidInputError
from clusterbridge.domain.sme_services import ParticipantLine as Line
from clusterbridge.domain.sme_services import ServiceKind, ServiceUnit, parse_participants
from clusterbridge.services.monitoring import (
    DeliveryDraft,
    DeliveryFilters,
    DeliveryNotFoundError,
    ParticipantDraft,
    ProjectNotFoundError,
    ServiceDraft,
    create_service,
    export_deliveries,
    import_deliveries,
    list_deliveries,
    list_services,
    rate_delivery,
    received_services,
    record_delivery,
    record_delivery_text,
)
from clusterbridge.services.workbooks import TableFormat, read_xlsx_rows
from tests.factories.organisations import add_member, make_organisation
from tests.factories.sme_services import make_delivery, make_project, make_service
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2025, 4, 1, 9, tzinfo=UTC)


@pytest.fixture
def cluster(session: Session) -> Organisation:
    return make_organisation(session, name="Mobility Cluster", pic="900000001")


@pytest.fixture
def sme(session: Session) -> Organisation:
    return make_organisation(session, name="Gears SME", type=OrgType.SME, pic="900000002")


@pytest.fixture
def project(session: Session, cluster: Organisation) -> MonitoredProject:
    return make_project(session, coordinator=cluster)


@pytest.fixture
def manager(session: Session, cluster: Organisation) -> User:
    user = make_user(session)
    add_member(session, cluster, user)
    return user


@pytest.fixture
def sme_user(session: Session, sme: Organisation) -> User:
    user = make_user(session, email="sam@gears.example")
    add_member(session, sme, user)
    return user


def draft(service_id: int, by: Organisation, **changes: object) -> DeliveryDraft:
    values: dict[str, object] = {
        "service_id": service_id, "delivered_on": date(2025, 3, 4),
        "quantity": Decimal("1.5"), "delivered_by_id": by.id,
    }  # fmt: skip
    return DeliveryDraft(**(values | changes))  # type: ignore[arg-type]


def test_a_service_is_added_to_the_catalogue_once(
    session: Session, manager: User, project: MonitoredProject
) -> None:
    service = create_service(
        session, manager, project.id,
        ServiceDraft("  Robot   audit ", ServiceKind.TECHNICAL_ASSISTANCE, ServiceUnit.HOURS),
    )  # fmt: skip
    with pytest.raises(InvalidInputError) as error:
        create_service(
            session, manager, project.id,
            ServiceDraft("robot AUDIT", ServiceKind.TRAINING, ServiceUnit.DAYS),
        )  # fmt: skip

    assert [s.name for s in list_services(session, manager, project.id)] == ["Robot audit"]
    assert service.kind == ServiceKind.TECHNICAL_ASSISTANCE
    assert [(i.field, i.reason) for i in error.value.issues] == [
        ("name", '"robot AUDIT" is in the catalogue already')
    ]


def test_an_officer_sees_the_catalogue_but_does_not_change_it(
    session: Session, project: MonitoredProject
) -> None:
    officer = make_user(session, email="otto@eu.example", role=UserRole.PROGRAMME_OFFICER)
    outsider = make_user(session, email="out@side.example")
    make_service(session, project)

    with pytest.raises(AccessDeniedError):
        create_service(
            session, officer, project.id,
            ServiceDraft("Coaching", ServiceKind.OTHER, ServiceUnit.HOURS),
        )  # fmt: skip
    with pytest.raises(ProjectNotFoundError):
        list_services(session, outsider, project.id)
    assert [s.name for s in list_services(session, officer, project.id)] == ["Robot cell audit"]


def test_a_delivery_names_every_field_at_fault(
    session: Session, manager: User, project: MonitoredProject, sme: Organisation
) -> None:
    service = make_service(session, project)

    with pytest.raises(InvalidInputError) as error:
        record_delivery(
            session, manager, project.id,
            draft(service.id, sme, delivered_on=date(2024, 12, 31), quantity=Decimal("0.001"),
                  participants=(ParticipantDraft(sme.id, 2),)),
        )  # fmt: skip

    assert [(i.field, i.reason) for i in error.value.issues] == [
        ("date", "is outside the project (01 January 2025 – 31 December 2026)"),
        ("quantity", "must be above 0 and at most 2000, two decimals at most"),
        ("delivered_by", "is not a partner of the project"),
        ("participants", "only a training or course has participants"),
        ("organisation", "is required: the organisation the service went to"),
    ]


def test_a_training_takes_participants_counted_or_named_not_both(
    session: Session, manager: User, project: MonitoredProject, cluster: Organisation,
    sme: Organisation,
) -> None:  # fmt: skip
    course = make_service(session, project, name="Course", kind=ServiceKind.TRAINING)
    people = (ParticipantDraft(sme.id, 3), ParticipantDraft(sme.id, 1, "Ana"))

    with pytest.raises(InvalidInputError) as error:
        record_delivery(
            session, manager, project.id, draft(course.id, cluster, organisation_id=sme.id,
                                                participants=people),
        )  # fmt: skip
    delivery = record_delivery(
        session, manager, project.id,
        draft(course.id, cluster, participants=(people[0], ParticipantDraft(None, 1, " Rui  C "))),
    )  # fmt: skip

    assert [(i.field, i.reason) for i in error.value.issues] == [
        ("organisation", "a training lists its participants instead"),
        ("participants",
         "an organisation's people are either counted or named in one session, not both"),
    ]  # fmt: skip
    assert [(p.organisation_id, p.people, p.name) for p in delivery.participants] == [
        (sme.id, 3, None), (None, 1, "Rui C"),
    ]  # fmt: skip
    assert delivery.unit == ServiceUnit.HOURS


def test_deliveries_are_listed_newest_first_with_filters(
    session: Session, manager: User, project: MonitoredProject, cluster: Organisation,
    sme: Organisation,
) -> None:  # fmt: skip
    audit = make_service(session, project)
    course = make_service(session, project, name="Course", kind=ServiceKind.TRAINING)
    first = make_delivery(session, audit, by=cluster, to=sme, on=date(2025, 2, 1))
    second = make_delivery(
        session, course, by=cluster, on=date(2025, 3, 1), participants=((sme, 2, None),)
    )
    third = make_delivery(session, audit, by=cluster, to=sme, on=date(2025, 4, 1))

    every = list_deliveries(session, manager, project.id, DeliveryFilters())
    trainings = list_deliveries(
        session, manager, project.id, DeliveryFilters(kind=ServiceKind.TRAINING)
    )
    ranged = list_deliveries(
        session, manager, project.id,
        DeliveryFilters(service_id=audit.id, start=date(2025, 1, 1), end=date(2025, 3, 31)),
    )  # fmt: skip

    assert [d.id for d in every] == [third.id, second.id, first.id]
    assert [d.id for d in trainings] == [second.id]
    assert [d.id for d in ranged] == [first.id]


def test_only_the_smes_own_users_rate_once_and_may_change_it(
    session: Session, project: MonitoredProject, cluster: Organisation, sme: Organisation,
    sme_user: User, manager: User,
) -> None:  # fmt: skip
    delivery = make_delivery(session, make_service(session, project), by=cluster, to=sme)
    admin = make_user(session, email="ada@admin.example", role=UserRole.ADMINISTRATOR)

    rate_delivery(session, sme_user, delivery.id, organisation_id=sme.id, score=3,
                  comment="Useful", now=NOW)  # fmt: skip
    rating = rate_delivery(session, sme_user, delivery.id, organisation_id=sme.id, score=5,
                           comment=" Very useful ", now=NOW)  # fmt: skip
    refused = []
    for who in (manager, admin):
        with pytest.raises(DeliveryNotFoundError):
            rate_delivery(session, who, delivery.id, organisation_id=sme.id, score=1,
                          comment="", now=NOW)  # fmt: skip
        refused.append(who.id)
    with pytest.raises(InvalidInputError) as error:
        rate_delivery(session, sme_user, delivery.id, organisation_id=sme.id, score=6,
                      comment="", now=NOW)  # fmt: skip

    received = received_services(session, sme_user, sme.id)
    assert [(r.delivery.id, r.rating.score if r.rating else None) for r in received] == [
        (delivery.id, 5)
    ]
    assert (rating.score, rating.comment, len(refused)) == (5, "Very useful", 2)
    assert [(i.field, i.reason) for i in error.value.issues] == [("score", "must be 1 to 5")]


def test_a_training_participants_organisation_rates_the_session(
    session: Session, project: MonitoredProject, cluster: Organisation, sme: Organisation,
    sme_user: User,
) -> None:  # fmt: skip
    course = make_service(session, project, name="Course", kind=ServiceKind.TRAINING)
    session_ = make_delivery(session, course, by=cluster, participants=((sme, 2, None),))
    other = make_delivery(session, course, by=cluster, participants=((cluster, 1, None),))

    rating = rate_delivery(session, sme_user, session_.id, organisation_id=sme.id, score=4,
                           comment="", now=NOW)  # fmt: skip
    with pytest.raises(DeliveryNotFoundError):
        rate_delivery(session, sme_user, other.id, organisation_id=sme.id, score=4,
                      comment="", now=NOW)  # fmt: skip

    assert (rating.delivery_id, rating.organisation_id) == (session_.id, sme.id)


CSV_HEADER = "service,date,quantity,unit,organisation,delivered_by,person,follow_up,participants"


def test_an_import_writes_every_row_or_none(
    session: Session, project: MonitoredProject, cluster: Organisation, sme: Organisation
) -> None:
    make_service(session, project)
    make_service(session, project, name="Course", kind=ServiceKind.TRAINING, unit=ServiceUnit.DAYS)
    good = (
        f"{CSV_HEADER}\n"
        f"Robot cell audit,2025-03-04,4,,900000002,{cluster.id},Eva,Quote next week,\n"
        f'Course,2025-03-05,0.5,,,900000001,,,"{sme.id}: 6; Ana (900000001)"\n'
    )
    bad = (
        f"{CSV_HEADER}\n"
        f"Robot cell audit,2025-03-04,4,,900000002,{cluster.id},,,\n"
        "Welding,2025-02-30,-1,weeks,,nobody,,,\n"
        f"Robot cell audit,2025-03-04,4,,,{sme.id},,,\n"
        f"Robot cell audit,2025-03-32,4,,,{cluster.id},,,\n"
    )

    with pytest.raises(InvalidInputError) as error:
        import_deliveries(session, project, bad.encode(), file_format=TableFormat.CSV)
    count_after_bad = session.scalar(select(func.count()).select_from(ServiceDelivery))
    made = import_deliveries(session, project, good.encode(), file_format=TableFormat.CSV)

    assert [str(issue) for issue in error.value.issues] == [
        'line 3, service: "Welding" is not in the project\'s catalogue',
        "line 3, date: is not a date (YYYY-MM-DD)",
        "line 3, quantity: is not a positive number with at most two decimals",
        "line 3, unit: is neither hours nor days",
        'line 3, delivered_by: no organisation of the registry is named "nobody": give its name '
        "as the registry writes it, its PIC or its registry number",
        "line 4, delivered_by: is not a partner of the project",
        "line 4, organisation: is required: the organisation the service went to",
        "line 5, date: is not a date (YYYY-MM-DD)",
        "line 5, organisation: is required: the organisation the service went to",
    ]
    assert count_after_bad == 0
    assert [(d.organisation_id, d.quantity, d.unit, d.delivered_by_person) for d in made] == [
        (sme.id, Decimal("4.00"), ServiceUnit.HOURS, "Eva"),
        (None, Decimal("0.50"), ServiceUnit.DAYS, ""),
    ]
    assert [(p.organisation_id, p.people, p.name) for p in made[1].participants] == [
        (sme.id, 6, None), (cluster.id, 1, "Ana"),
    ]  # fmt: skip


def test_a_row_with_a_value_beyond_the_header_is_refused(
    session: Session, project: MonitoredProject, cluster: Organisation
) -> None:
    make_service(session, project)
    # "Eva, Ana" without quotes: the follow-up fell into a column the header does not have.
    rows = (
        f"{CSV_HEADER}\n"
        f"Robot cell audit,2025-03-04,4,,900000002,{cluster.id},Eva, Ana,Quote next week,Ana\n"
    )

    with pytest.raises(InvalidInputError) as error:
        import_deliveries(session, project, rows.encode(), file_format=TableFormat.CSV)

    assert [str(issue) for issue in error.value.issues] == [
        'line 2: has 10 values but the header names 9 columns (the last: "Ana"): in a CSV file, a '
        "value that holds a comma must be in double quotes",
    ]


def test_a_workbook_row_with_a_value_beyond_its_headings_names_its_column(
    session: Session, project: MonitoredProject, sme: Organisation
) -> None:
    make_service(session, project)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(CSV_HEADER.split(","))
    sheet.append(["Robot cell audit", date(2025, 3, 4), 2.5, "hours", sme.id, 900000001,
                  "Eva", "Quote next week", "", "Ana"])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(InvalidInputError) as error:
        import_deliveries(session, project, buffer.getvalue(), file_format=TableFormat.XLSX)

    assert [str(issue) for issue in error.value.issues] == [
        'row 2: has a value in column J ("Ana"), which has no heading'
    ]
    assert session.scalar(select(func.count()).select_from(ServiceDelivery)) == 0


def test_an_unknown_pic_or_number_is_reported_beside_its_field(
    session: Session, manager: User, project: MonitoredProject, cluster: Organisation
) -> None:
    make_service(session, project)
    make_service(session, project, name="Course", kind=ServiceKind.TRAINING)
    typed = {
        "service": "Robot cell audit", "date": "2025-03-04", "quantity": "2",
        "organisation": "999999999", "delivered_by": "900000001",
    }  # fmt: skip
    rows = (
        f"{CSV_HEADER}\n"
        "Robot cell audit,2025-03-04,4,,99999999,999999999,,,\n"
        "Course,2025-03-05,1,,,900000001,,,999999999: 3\n"
        "Robot cell audit,2025-03-04,4,,\u0669\u0669\u0669\u0669\u0669\u0669\u0669\u0669\u0669,900000001,,,\n"
    )

    with pytest.raises(InvalidInputError) as typed_error:
        record_delivery_text(session, manager, project.id, typed)
    with pytest.raises(InvalidInputError) as file_error:
        import_deliveries(session, project, rows.encode(), file_format=TableFormat.CSV)

    assert [str(issue) for issue in typed_error.value.issues] == [
        "organisation: is not the PIC or registry number of an organisation",
    ]
    assert [str(issue) for issue in file_error.value.issues] == [
        "line 2, delivered_by: is not the PIC or registry number of an organisation",
        "line 2, organisation: is not the PIC or registry number of an organisation",
        "line 3, participants: 999999999 is not the PIC or registry number of an organisation",
        "line 4, organisation: is not the PIC or registry number of an organisation",
    ]
    assert session.scalar(select(func.count()).select_from(ServiceDelivery)) == 0


def test_an_organisation_is_also_named_by_its_name_when_only_one_has_it(
    session: Session,
    manager: User,
    project: MonitoredProject,
    cluster: Organisation,
    sme: Organisation,
) -> None:
    # A project manager knows the SME by its name, not its registry number: the name as the
    # registry writes it (accents, case and punctuation aside) is enough when one has it.
    make_service(session, project)
    twins = [make_organisation(session, name="Twin Tools", country=c) for c in ("DE", "AT")]
    typed = {
        "service": "Robot cell audit", "date": "2025-03-04", "quantity": "2",
        "delivered_by": "mobility cluster",
    }  # fmt: skip

    made = record_delivery_text(session, manager, project.id, typed | {"organisation": "GEARS-sme"})
    with pytest.raises(InvalidInputError) as error:
        record_delivery_text(session, manager, project.id, typed | {"organisation": "twin tools"})
    with pytest.raises(InvalidInputError) as part:
        record_delivery_text(session, manager, project.id, typed | {"organisation": "twin"})

    # Listed as the organisation form's cluster box lists them (services/registry/named.py).
    listed = "; ".join(f"Twin Tools ({t.country}, registry number {t.id})" for t in twins)
    assert (made.organisation_id, made.delivered_by_id) == (sme.id, cluster.id)
    assert [str(issue) for issue in error.value.issues] == [
        f'organisation: several organisations are named "twin tools" ({listed}): give the PIC '
        "or the registry number"
    ]
    assert [str(issue) for issue in part.value.issues] == [
        f'organisation: no organisation of the registry is named "twin" (it matches {listed}): '
        "give the whole name, the PIC or the registry number"
    ]


def test_an_export_holds_the_figures_and_reads_back(
    session: Session, project: MonitoredProject, cluster: Organisation, sme: Organisation,
    sme_user: User,
) -> None:  # fmt: skip
    course = make_service(session, project, name="Course", kind=ServiceKind.TRAINING,
                          unit=ServiceUnit.DAYS)  # fmt: skip
    delivery = make_delivery(session, course, by=cluster, quantity="1.5",
                             participants=((sme, 4, None), (None, 1, "Rui")))  # fmt: skip
    rate_delivery(session, sme_user, delivery.id, organisation_id=sme.id, score=4, comment="",
                  now=NOW)  # fmt: skip

    csv_text = export_deliveries(session, project, file_format=TableFormat.CSV).decode()
    xlsx = export_deliveries(session, project, file_format=TableFormat.XLSX)

    assert csv_text.splitlines() == [
        f"{CSV_HEADER},id,kind,organisation_name,delivered_by_name,hours,people,rating",
        f"Course,2025-03-04,1.50,days,,{cluster.id},,,{sme.id}: 4; Rui,{delivery.id},training,,"
        "Mobility Cluster,12.00,5,4.0 (1)",
    ]
    assert read_xlsx_rows(xlsx, max_rows=5)[1][:3] == ["Course", "2025-03-04", "1.50"]


def test_participants_are_read_counted_or_named() -> None:
    lines = parse_participants("12: 4; Ana Silva (900000002)\n Rui  Costa ;")

    with pytest.raises(ValueError, match='"12: many" is neither'):
        parse_participants("12: many")
    assert lines == [Line("12", 4, None), Line("900000002", None, "Ana Silva"),
                     Line(None, None, "Rui Costa")]  # fmt: skip


def test_a_participant_s_organisation_is_named_by_its_name_too() -> None:
    lines = parse_participants("GEARS SME: 3; Ana Silva (Mobility Cluster)\nRui (12)")

    assert lines == [Line("GEARS SME", 3, None), Line("Mobility Cluster", None, "Ana Silva"),
                     Line("12", None, "Rui")]  # fmt: skip


def test_a_training_s_participants_name_their_organisations_as_the_other_fields_do(
    session: Session,
    manager: User,
    project: MonitoredProject,
    cluster: Organisation,
    sme: Organisation,
) -> None:
    # A project manager knows the SMEs trained by their names, as in the delivery's other
    # fields: a whole name that one organisation has, its PIC or its registry number.
    make_service(session, project, name="Course", kind=ServiceKind.TRAINING)
    typed = {
        "service": "Course", "date": "2025-03-04", "quantity": "1", "delivered_by": "900000001",
    }  # fmt: skip

    made = record_delivery_text(
        session, manager, project.id,
        typed | {"participants": "gears-SME: 3\nAna Silva (Mobility Cluster)"},
    )  # fmt: skip
    with pytest.raises(InvalidInputError) as error:
        record_delivery_text(
            session, manager, project.id,
            typed | {"participants": "Nowhere Ltd: 2\n999999999: 1\nAna Silva (gears)"},
        )  # fmt: skip

    assert [(p.organisation_id, p.people, p.name) for p in made.participants] == [
        (sme.id, 3, None), (cluster.id, 1, "Ana Silva"),
    ]  # fmt: skip
    assert [str(issue) for issue in error.value.issues] == [
        'participants: no organisation of the registry is named "Nowhere Ltd": give its name as '
        "the registry writes it, its PIC or its registry number",
        "participants: 999999999 is not the PIC or registry number of an organisation",
        'participants: no organisation of the registry is named "gears" (it matches Gears SME '
        "(DE, PIC 900000002)): give the whole name, the PIC or the registry number",
    ]


def test_an_xlsx_import_reads_date_and_number_cells(
    session: Session, project: MonitoredProject, cluster: Organisation, sme: Organisation
) -> None:
    make_service(session, project)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(CSV_HEADER.split(","))
    sheet.append(["Robot cell audit", date(2025, 3, 4), 2.5, "hours", sme.id, 900000001])
    buffer = io.BytesIO()
    workbook.save(buffer)

    made = import_deliveries(session, project, buffer.getvalue(), file_format=TableFormat.XLSX)

    assert [(d.delivered_on, d.quantity, d.organisation_id, d.delivered_by_id) for d in made] == [
        (date(2025, 3, 4), Decimal("2.50"), sme.id, cluster.id)
    ]


def test_an_xlsx_import_names_its_bad_rows_as_the_sheet_numbers_them(
    session: Session, project: MonitoredProject, sme: Organisation
) -> None:
    # A workbook has rows, a CSV file lines: "row 3", as the spreadsheet shows it.
    make_service(session, project)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(CSV_HEADER.split(","))
    sheet.append(["Robot cell audit", date(2025, 3, 4), 2.5, "hours", sme.id, 900000001])
    sheet.append(["Robot cell audit", "soon", 2.5, "hours", sme.id, 900000001])
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(InvalidInputError) as error:
        import_deliveries(session, project, buffer.getvalue(), file_format=TableFormat.XLSX)

    assert [str(issue) for issue in error.value.issues] == [
        "row 3, date: is not a date (YYYY-MM-DD)"
    ]
