"""Indicators (ADR 0029): each computed source on a fixture with exact values per period and
to date, SMEs counted once however many activities supported them, manual values with
evidence, reports that stay frozen, and exports holding the dashboard's figures. SQLite and
PostgreSQL."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import CascadePayment, Organisation, Proposal
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import AccessDeniedError, InvalidInputError
from clusterbridge.domain.indicators import IndicatorSource
from clusterbridge.domain.sme_services import ServiceKind
from clusterbridge.services.monitoring import (
    IndicatorDraft,
    LinkKind,
    ProjectNotFoundError,
    compute,
    create_indicator,
    export_indicators,
    indicator_rows,
    issue_report,
    link_activity,
    project_reports,
    project_series,
    record_value,
    supported_smes,
    unlink_activity,
    update_indicator,
)
from clusterbridge.services.uploads import Upload
from clusterbridge.services.workbooks import TableFormat
from tests.factories.indicators import IndicatorWorld, make_indicator_world
from tests.factories.sme_services import make_delivery, make_service
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

P1 = (date(2026, 1, 1), date(2026, 6, 30))
P2 = (date(2026, 7, 1), date(2026, 12, 31))
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
NOW = datetime(2026, 12, 31, 12, 0, tzinfo=UTC)
PDF = b"%PDF-1.4 minutes"
S = IndicatorSource
D = Decimal


@pytest.fixture
def world(session: Session) -> IndicatorWorld:
    return make_indicator_world(session)


#: (source, P1, P2, to date) values, then the breakdowns of P1.
EXPECTED = [
    (S.EVENTS_HELD, "1.00", "1.00", "2.00", ()),
    (S.PARTICIPANTS, "3.00", "2.00", "5.00", ()),
    (S.MEETINGS_HELD, "2.00", "1.00", "3.00", ()),
    (
        S.OUTCOMES,
        "2.00",
        "1.00",
        "3.00",
        (("A commercial agreement", "1.00"), ("A research cooperation", "1.00"),
         ("A joint application for funding", "0.00"), ("A technical cooperation", "0.00")),
    ),
    (S.EXCHANGES_COMPLETED, "1.00", "0.00", "1.00", ()),
    (S.FINANCIAL_SUPPORT_PAID, "12000.00", "5000.50", "17000.50", (("IT", "10000.00"), ("DE", "2000.00"))),
    (S.SMES_SUPPORTED, "3.00", "2.00", "3.00", ()),
    (S.SMES_BY_COUNTRY, "3.00", "2.00", "3.00", (("DE", "1.00"), ("FR", "1.00"), ("IT", "1.00"))),
    (
        S.SMES_BY_REGION_CATEGORY,
        "3.00",
        "2.00",
        "3.00",
        (("Less developed regions", "1.00"), ("Region not known", "1.00"), ("Transition regions", "1.00")),
    ),
    (
        S.SMES_BY_ECOSYSTEM,
        "3.00",
        "2.00",
        "3.00",
        (("Digital", "2.00"), ("Agri-food", "1.00"), ("No ecosystem known", "1.00")),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("source", "first", "second", "total", "breakdown"), EXPECTED)
def test_each_source_counts_the_linked_activities_exactly(
    session: Session,
    world: IndicatorWorld,
    source: IndicatorSource,
    first: str,
    second: str,
    total: str,
    breakdown: tuple[tuple[str, str], ...],
) -> None:
    values = [compute(session, world.project, source, *window) for window in (P1, P2, YEAR)]

    assert [str(v.value) for v in values] == [first, second, total]
    assert tuple((g, str(v)) for g, v in values[0].breakdown) == breakdown


def test_an_sme_with_two_meetings_an_exchange_and_a_payment_counts_once(
    session: Session, world: IndicatorWorld
) -> None:
    alpha = world.orgs["Alpha"].id

    smes = supported_smes(session, world.project, *P1)

    # Alpha: two meetings at E1, the exchange and a cascade payment; Big is no SME; Xeno met
    # only at an event not linked; Delta is paid.
    names = {o.id: n for n, o in world.orgs.items()}
    assert sorted(names[i] for i in smes) == ["Alpha", "Beta", "Delta"]
    assert alpha in smes
    assert str(compute(session, world.project, S.SMES_SUPPORTED, *P1).value) == "3.00"


def test_a_payment_counts_in_the_period_it_was_paid_and_unlinking_stops_counting(
    session: Session, world: IndicatorWorld
) -> None:
    proposal = session.query(Proposal).filter_by(acronym="ALPHA").one()
    session.add(
        CascadePayment(
            proposal_id=proposal.id,
            call_id=proposal.call_id,
            amount=D("0.25"),
            paid_on=date(2026, 6, 30),
            reference="x",
        )
    )
    session.flush()
    assert str(compute(session, world.project, S.FINANCIAL_SUPPORT_PAID, *P1).value) == "12000.25"

    call_id = proposal.call_id
    unlink_activity(session, world.manager, world.project.id, LinkKind.CALL, call_id)

    assert str(compute(session, world.project, S.FINANCIAL_SUPPORT_PAID, *YEAR).value) == "0.00"
    assert str(compute(session, world.project, S.SMES_SUPPORTED, *P1).value) == "2.00"
    link_activity(session, world.manager, world.project.id, LinkKind.CALL, call_id)
    assert str(compute(session, world.project, S.SMES_SUPPORTED, *P1).value) == "3.00"


def test_a_cancelled_payment_counts_neither_as_paid_nor_as_an_sme_supported(
    session: Session, world: IndicatorWorld
) -> None:
    proposal = session.query(Proposal).filter_by(acronym="DELTA").one()
    payment = (
        session.query(CascadePayment)
        .filter_by(proposal_id=proposal.id, paid_on=date(2026, 2, 1))
        .one()
    )

    payment.cancelled_at = datetime(2026, 7, 1, tzinfo=UTC)
    session.flush()

    # Delta's only payment of P1 is cancelled: EUR 2,000 of Alpha's is left, and the SMEs of
    # the meetings and exchanges.
    assert str(compute(session, world.project, S.FINANCIAL_SUPPORT_PAID, *P1).value) == "2000.00"
    assert str(compute(session, world.project, S.SMES_SUPPORTED, *P1).value) == "2.00"


def test_only_partners_define_indicators_and_every_field_is_checked(
    session: Session, world: IndicatorWorld
) -> None:
    officer = make_user(session, role=UserRole.PROGRAMME_OFFICER)
    stranger = make_user(session, email="stranger@example.org")
    draft = IndicatorDraft(name="SMEs", unit="SMEs", source=S.SMES_SUPPORTED)

    with pytest.raises(AccessDeniedError):
        create_indicator(session, officer, world.project.id, draft)
    with pytest.raises(ProjectNotFoundError):
        create_indicator(session, stranger, world.project.id, draft)
    bad = IndicatorDraft(name=" ", unit="", baseline=D(-1), targets={3: D(1), 1: D("1e20")})
    with pytest.raises(InvalidInputError) as caught:
        create_indicator(session, world.manager, world.project.id, bad)

    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("name", "is required"),
        ("unit", "is required"),
        ("baseline", "must be a number from 0 to 999999999999.99"),
        ("targets.1", "must be a number from 0 to 999999999999.99"),
        ("targets.3", "the project has periods 1 to 2"),
    ]


@pytest.mark.parametrize(
    ("source", "targets", "refused"),
    [
        (None, {1: D(60), 2: D(60)}, [("targets", "the period targets add up to 120, more than "
         "the end target of 100 (the total to date is the sum of the periods' values)")]),
        (S.SMES_SUPPORTED, {1: D(120)}, [("targets.1", "is more than the end target of 100")]),
        # SMEs supported in both periods count once to date: 60 + 60 can make 100.
        (S.SMES_SUPPORTED, {1: D(60), 2: D(60)}, []),
        (None, {1: D(40), 2: D(60)}, []),
    ],
)  # fmt: skip
def test_period_targets_fit_the_end_target(
    session: Session,
    world: IndicatorWorld,
    source: S | None,
    targets: dict[int, D],
    refused: list[tuple[str, str]],
) -> None:
    draft = IndicatorDraft(name="SMEs", unit="SMEs", target=D(100), source=source, targets=targets)

    try:
        create_indicator(session, world.manager, world.project.id, draft)
        issues = []
    except InvalidInputError as error:
        issues = [(i.field, i.reason) for i in error.issues]

    assert issues == refused


def _define(session: Session, world: IndicatorWorld) -> tuple[int, int]:
    smes = create_indicator(
        session, world.manager, world.project.id,
        IndicatorDraft(name="SMEs supported", unit="SMEs", target=D(10), source=S.SMES_SUPPORTED,
                       targets={1: D(4), 2: D(6)}),
    )  # fmt: skip
    trained = create_indicator(
        session, world.manager, world.project.id,
        IndicatorDraft(name="Webinars", unit="webinars", target=D(8), targets={1: D(4)}),
    )  # fmt: skip
    return smes.id, trained.id


def test_the_dashboard_series_has_values_targets_progress_and_a_distinct_total(
    session: Session, world: IndicatorWorld
) -> None:
    _smes_id, webinars_id = _define(session, world)
    record_value(session, world.manager, webinars_id, period=1, value=D(3), note="Three webinars",
                 uploads=[Upload("minutes.pdf", "application/pdf", PDF)], now=NOW, today=NOW.date())  # fmt: skip
    record_value(
        session, world.manager, webinars_id, period=2, value=D("2.5"), now=NOW, today=NOW.date()
    )

    smes, webinars = project_series(session, world.project, today=date(2026, 12, 31))

    assert [(str(p.value), str(p.target), str(p.progress.percent)) for p in smes.points] == [
        ("3.00", "4.00", "75.0"),
        ("2.00", "6.00", "33.3"),
    ]
    assert (str(smes.total.value), str(smes.total.target), str(smes.total.progress.percent)) == (
        "3.00",
        "10.00",
        "30.0",
    )
    assert [str(p.value) for p in webinars.points] == ["3.00", "2.50"]
    assert [e.file_name for e in webinars.points[0].evidence] == ["minutes.pdf"]
    assert (str(webinars.total.value), str(webinars.total.progress.percent)) == ("5.50", "68.8")


def test_periods_not_started_have_no_points(session: Session, world: IndicatorWorld) -> None:
    _define(session, world)

    smes, _ = project_series(session, world.project, today=date(2026, 3, 1))

    assert [p.period.number for p in smes.points] == [1]
    # To date is to today: Delta (paid 2026-02-01) and Alpha (paid 2026-03-01); the meetings of
    # 2026-03-10 are not held yet.
    assert (smes.total.period.end, str(smes.total.value)) == (date(2026, 3, 1), "2.00")


def test_a_computed_indicator_takes_no_value_and_evidence_must_be_a_pdf_or_image(
    session: Session, world: IndicatorWorld
) -> None:
    smes_id, webinars_id = _define(session, world)

    with pytest.raises(InvalidInputError) as computed:
        record_value(
            session, world.manager, smes_id, period=3, value=D(1), now=NOW, today=NOW.date()
        )
    with pytest.raises(InvalidInputError) as wrong_file:
        record_value(session, world.manager, webinars_id, period=1, value=D(1),
                     uploads=[Upload("x.exe", "application/pdf", b"MZ")], now=NOW, today=NOW.date())  # fmt: skip

    assert [(i.field, i.reason) for i in computed.value.issues] == [
        ("indicator", "is computed by the platform; it takes no values"),
        ("period", "the project has periods 1 to 2"),
    ]
    assert [i.field for i in wrong_file.value.issues] == ["evidence"]


def test_a_value_waits_for_its_period_to_start_and_the_project_to_have_it(
    session: Session, world: IndicatorWorld
) -> None:
    _smes_id, webinars_id = _define(session, world)
    spring = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    with pytest.raises(InvalidInputError) as early:
        record_value(
            session,
            world.manager,
            webinars_id,
            period=2,
            value=D(1),
            now=spring,
            today=spring.date(),
        )
    with pytest.raises(InvalidInputError) as beyond:
        record_value(
            session, world.manager, webinars_id, period=3, value=D(1), now=NOW, today=NOW.date()
        )
    record_value(session, world.manager, webinars_id, period=2, value=D(2),
                 now=datetime(2026, 7, 1, 0, 0, tzinfo=UTC), today=date(2026, 7, 1))  # fmt: skip

    assert [(i.field, i.reason) for i in early.value.issues] == [
        ("period", "period 2 has not started (it starts on 01 July 2026)")
    ]
    assert [(i.field, i.reason) for i in beyond.value.issues] == [
        ("period", "the project has periods 1 to 2")
    ]
    _, webinars = project_series(session, world.project, today=date(2026, 7, 1))
    assert [(p.period.number, str(p.value)) for p in webinars.points] == [(1, "None"), (2, "2.00")]


def test_a_frozen_report_does_not_change_and_a_reissue_is_a_new_version(
    session: Session, world: IndicatorWorld
) -> None:
    smes_id, webinars_id = _define(session, world)
    record_value(session, world.manager, webinars_id, period=1, value=D(3),
                 uploads=[Upload("minutes.pdf", "application/pdf", PDF)], now=NOW, today=NOW.date())  # fmt: skip
    first = issue_report(session, world.manager, world.project.id, 1, now=NOW, today=NOW.date())

    unlink_activity(session, world.manager, world.project.id, LinkKind.EVENT, world.events["E1"].id)
    record_value(
        session, world.manager, webinars_id, period=1, value=D(4), now=NOW, today=NOW.date()
    )
    update_indicator(
        session,
        world.manager,
        smes_id,
        IndicatorDraft(name="SMEs helped", unit="SMEs", source=S.SMES_SUPPORTED),
    )
    second = issue_report(session, world.manager, world.project.id, 1, now=NOW, today=NOW.date())
    session.expire_all()

    first_again, _ = [
        r for r in project_reports(session, world.project) if r.id in (first.id, second.id)
    ][::-1]
    assert (
        first_again.version,
        [(ln.name, str(ln.value), str(ln.target)) for ln in first_again.lines],
    ) == (1, [("SMEs supported", "3.00", "4.00"), ("Webinars", "3.00", "4.00")])
    assert first_again.lines[0].breakdown == []
    assert [(e.file_name, e.size) for e in first_again.lines[1].evidence] == [
        ("minutes.pdf", len(PDF))
    ]
    latest = next(r for r in project_reports(session, world.project) if r.id == second.id)
    # Without E1, Alpha and Beta are still supported by the exchange; Delta by its payment.
    assert (latest.version, [(ln.name, str(ln.value), ln.target) for ln in latest.lines]) == (
        2,
        [("SMEs helped", "3.00", None), ("Webinars", "4.00", D("4.00"))],
    )


def test_a_report_is_only_issued_for_a_started_period(
    session: Session, world: IndicatorWorld
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        issue_report(
            session,
            world.manager,
            world.project.id,
            2,
            now=datetime(2026, 5, 1, tzinfo=UTC),
            today=date(2026, 5, 1),
        )

    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("period", "choose a period that has started (1 to 1)")
    ]


def test_the_csv_and_xlsx_exports_hold_the_dashboard_figures(
    session: Session, world: IndicatorWorld
) -> None:
    _define(session, world)
    series = project_series(session, world.project, today=date(2026, 12, 31))

    rows = indicator_rows(series)
    csv_rows = list(csv.reader(io.StringIO(export_indicators(series, TableFormat.CSV).decode())))
    sheet = openpyxl.load_workbook(io.BytesIO(export_indicators(series, TableFormat.XLSX)))[
        "Indicators"
    ]
    xlsx_rows = [list(r) for r in sheet.iter_rows(values_only=True)]

    assert rows[:3] == [
        [
            "SMEs supported",
            "SMEs",
            "SMEs supported (each counted once)",
            "P1",
            date(2026, 1, 1),
            date(2026, 6, 30),
            None,
            4,
            3,
            75,
        ],
        [
            "SMEs supported",
            "SMEs",
            "SMEs supported (each counted once)",
            "P2",
            date(2026, 7, 1),
            date(2026, 12, 31),
            None,
            6,
            2,
            D("33.3"),
        ],
        [
            "SMEs supported",
            "SMEs",
            "SMEs supported (each counted once)",
            "To date",
            date(2026, 1, 1),
            date(2026, 12, 31),
            None,
            10,
            3,
            30,
        ],
    ]
    assert csv_rows[1:] == [
        ["" if c is None else c.isoformat() if isinstance(c, date) else str(c) for c in row]
        for row in rows
    ]
    # The From and To columns are dates, shown as YYYY-MM-DD.
    assert [(c.is_date, c.number_format) for c in sheet[2][4:6]] == [(True, "yyyy-mm-dd")] * 2
    read_back = [[c.date() if isinstance(c, datetime) else c for c in row] for row in xlsx_rows]
    assert [[float(c) if isinstance(c, Decimal) else c for c in row] for row in rows] == (
        read_back[1:]
    )


def test_services_to_smes_count_and_their_smes_join_the_others_once(
    session: Session, world: IndicatorWorld
) -> None:
    """An audit of Alpha (already supported by meetings) and a training that Xeno (2 people),
    Big (3 people; no SME) and Ana (named, no organisation) took, in P1."""
    orgs = world.orgs
    coordinator = session.get(Organisation, world.project.members[0].organisation_id)
    assert coordinator is not None
    audit = make_service(session, world.project)
    course = make_service(session, world.project, name="Course", kind=ServiceKind.TRAINING)
    make_delivery(session, audit, by=coordinator, to=orgs["Alpha"], on=date(2026, 2, 1))
    participants = ((orgs["Xeno"], 2, None), (orgs["Big"], 3, None), (None, 1, "Ana Silva"))
    make_delivery(session, course, by=coordinator, on=date(2026, 3, 1), participants=participants)

    values = {
        source: str(compute(session, world.project, source, *P1).value)
        for source in (S.SERVICES_DELIVERED, S.PEOPLE_TRAINED, S.SMES_SUPPORTED)
    }

    assert values == {
        S.SERVICES_DELIVERED: "2.00",
        S.PEOPLE_TRAINED: "6.00",
        S.SMES_SUPPORTED: "4.00",
    }
    names = {o.id: n for n, o in orgs.items()}
    assert sorted(names[i] for i in supported_smes(session, world.project, *P1)) == [
        "Alpha", "Beta", "Delta", "Xeno",
    ]  # fmt: skip
    assert str(compute(session, world.project, S.SERVICES_DELIVERED, *P2).value) == "0.00"


def test_a_report_of_the_current_period_is_frozen_up_to_today(
    session: Session, world: IndicatorWorld
) -> None:
    _define(session, world)
    today = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    report = issue_report(
        session, world.manager, world.project.id, 1, now=today, today=today.date()
    )

    assert report.period_label == "P1 (2026-01-01 – 2026-03-01)"
    smes = next(line for line in report.lines if line.name == "SMEs supported")
    assert str(smes.value) == "2.00"
