"""An exchange from enrolment to payment, the mail of each step, and the rules that stop it:
validation, two countries, visit once, host capacity, the stay's length, evidence limits, who
may do what, and what the database itself keeps. Runs on SQLite and PostgreSQL."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clusterbridge.db.models import Exchange, ExchangeParticipant
from clusterbridge.domain.enums import (
    ActivityType,
    CommitmentParty,
    ExchangeRole,
    ExchangeState,
    OrganisationKind,
    ValidationState,
)
from clusterbridge.domain.errors import AccessDeniedError, InvalidInputError
from clusterbridge.services.exchanges import (
    Enrolment,
    ExchangeConflictError,
    ExchangeNotifier,
    Upload,
    approvable_parties,
    approve_commitment,
    decide_enrolment,
    enrol,
    get_exchange,
    partnership_dashboard,
    propose_exchange,
    record_payment,
    submit_report,
    validate_report,
)
from clusterbridge.services.mail import pending_mail
from tests.factories.organisations import add_member, make_organisation
from tests.services.exchanges.world import (
    PDF,
    PROGRAMME,
    T0,
    World,
    _enrol_host,
    _enrol_visitor,
    _proposal,
    _validate,
)

pytestmark = [pytest.mark.integration, pytest.mark.db]

#: A day as ISO 8601 writes it, which no mail shows (they write "21 March 2025").
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_enrolment_waits_for_validation_and_mails_the_partnership(
    session: Session, world: World, notifier: ExchangeNotifier
) -> None:
    visitor = _enrol_visitor(session, world, notifier)

    assert (visitor.state, visitor.country, visitor.place) == (
        ValidationState.PENDING,
        "DE",
        "Munich",
    )
    assert (visitor.latitude, visitor.longitude) == (48.13743, 11.57549)
    assert visitor.preferred_countries == ["PT"]
    [mail] = pending_mail(session)
    assert mail.to == ("paula@alpine.example",)
    assert mail.subject == "Munich Cluster enrolled as a visitor with Alpine CXC"
    assert "It meets the programme's rules:" in mail.body
    assert f"https://cb.example/exchanges/participants/{visitor.id}" in mail.body


def test_enrolment_reports_every_problem_at_once(
    session: Session, world: World, notifier: ExchangeNotifier
) -> None:
    form = Enrolment(
        organisation_id=world.porto,
        partnership_id=world.visitors_partnership.id,
        role=ExchangeRole.VISITOR,
        kind=OrganisationKind.SME,
        cluster_member=True,
        motivation="  ",
        activity_types=(),
        preferred_countries=("Narnia",),
        host_exception="We are special",
        capacity=-1,
    )

    with pytest.raises(InvalidInputError) as caught:
        enrol(session, world.hugo, form, programme=PROGRAMME, notifier=notifier)

    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("motivation", "is required"),
        ("host_exception", "only hosts may be accepted by exception"),
        ("activity_types", "choose at least one"),
        (
            "preferred_countries",
            '"Narnia" is not a known country; give its English name or its ISO 3166 or EU code, such as Germany, DE, EL or UK',
        ),
        ("capacity", "must be between 0 and 50"),
        ("place", "the organisation has no coordinates in the registry: give a city or lat,lon"),
    ]


def test_enrolling_someone_elses_organisation_is_denied(
    session: Session, world: World, notifier: ExchangeNotifier
) -> None:
    form = Enrolment(
        organisation_id=world.munich,
        partnership_id=world.visitors_partnership.id,
        role=ExchangeRole.VISITOR,
        kind=OrganisationKind.CLUSTER_ORGANISATION,
        cluster_member=None,
        motivation="x",
        activity_types=(ActivityType.NETWORKING,),
    )

    with pytest.raises(AccessDeniedError):
        enrol(session, world.sam, form, programme=PROGRAMME, notifier=notifier)


def test_an_sme_outside_any_cluster_cannot_be_validated(
    session: Session, world: World, notifier: ExchangeNotifier
) -> None:
    form = Enrolment(
        organisation_id=world.porto,
        partnership_id=world.hosts_partnership.id,
        role=ExchangeRole.HOST,
        kind=OrganisationKind.SME,
        cluster_member=False,
        motivation="x",
        activity_types=(ActivityType.NETWORKING,),
        place="41.15,-8.61",
    )
    host = enrol(session, world.hugo, form, programme=PROGRAMME, notifier=notifier)

    with pytest.raises(ExchangeConflictError, match="an SME but not a member of a cluster"):
        _validate(session, world.pedro, host, notifier)
    with pytest.raises(AccessDeniedError):
        _validate(session, world.paula, host, notifier)


def test_a_host_accepted_by_exception_can_be_validated(
    session: Session, world: World, notifier: ExchangeNotifier
) -> None:
    form = Enrolment(
        organisation_id=world.porto,
        partnership_id=world.hosts_partnership.id,
        role=ExchangeRole.HOST,
        kind=OrganisationKind.OTHER,
        cluster_member=None,
        motivation="x",
        activity_types=(ActivityType.NETWORKING,),
        place="Porto, PT",
        host_exception="The regional agency running the cluster's pilots",
    )
    host = enrol(session, world.hugo, form, programme=PROGRAMME, notifier=notifier)

    _validate(session, world.pedro, host, notifier)

    assert host.state is ValidationState.VALIDATED


def test_refusing_needs_a_reason_and_mails_the_contact(
    session: Session, world: World, notifier: ExchangeNotifier
) -> None:
    visitor = _enrol_visitor(session, world, notifier)

    with pytest.raises(InvalidInputError):
        decide_enrolment(
            session,
            world.paula,
            visitor.id,
            approve=False,
            reason=" ",
            now=T0,
            programme=PROGRAMME,
            notifier=notifier,
        )
    decide_enrolment(
        session,
        world.paula,
        visitor.id,
        approve=False,
        reason="Full this year.",
        now=T0,
        programme=PROGRAMME,
        notifier=notifier,
    )

    assert (visitor.state, visitor.decision_reason) == (ValidationState.REFUSED, "Full this year.")
    mail = pending_mail(session)[-1]
    assert (mail.to, mail.subject) == (
        ("vera@munich.example",),
        "Your enrolment as a visitor was refused",
    )


def test_exchange_from_proposal_to_payment(
    session: Session,
    world: World,
    notifier: ExchangeNotifier,
    pair: tuple[ExchangeParticipant, ExchangeParticipant],
) -> None:
    visitor, host = pair
    proposal = _proposal(visitor.id, host.id, date(2025, 3, 3), date(2025, 3, 7))

    exchange = propose_exchange(
        session, world.paula, proposal, programme=PROGRAMME, today=T0.date(), notifier=notifier
    )

    assert (exchange.state, exchange.working_days, exchange.halved) == (
        ExchangeState.PROPOSED,
        5,
        False,
    )
    assert (exchange.threshold_eur, exchange.lump_sum_eur) == (Decimal(780), Decimal(780))
    # Munich to Porto: 1768.9 km by the spherical law of cosines on the same radius.
    assert exchange.distance_km == Decimal("1768.9")
    assert exchange.credited_partnership_id == world.visitors_partnership.id
    assert exchange.reasons[-1] == "Threshold for PT: EUR 780, paid in full: EUR 780."

    for actor, party in (
        (world.vera, CommitmentParty.VISITOR),
        (world.hugo, CommitmentParty.HOST),
        (world.paula, CommitmentParty.VISITOR_PARTNERSHIP),
        (world.pedro, CommitmentParty.HOST_PARTNERSHIP),
    ):
        assert approvable_parties(session, actor, exchange) == [party]
        approve_commitment(session, actor, exchange.id, party=party, now=T0, notifier=notifier)
    assert exchange.state is ExchangeState.CONFIRMED

    with pytest.raises(ExchangeConflictError, match="after 07 March 2025"):
        submit_report(
            session,
            world.vera,
            exchange.id,
            report="Done.",
            uploads=[Upload("pass.pdf", "application/pdf", PDF)],
            now=datetime(2025, 3, 7, 18, tzinfo=UTC),
            today=date(2025, 3, 7),
            notifier=notifier,
        )
    submit_report(
        session,
        world.vera,
        exchange.id,
        report="Two project ideas agreed.",
        uploads=[Upload("pass.pdf", "application/pdf", PDF)],
        now=datetime(2025, 3, 10, tzinfo=UTC),
        today=date(2025, 3, 10),
        notifier=notifier,
    )
    assert (exchange.state, [e.size for e in exchange.evidence]) == (
        ExchangeState.REPORTED,
        [len(PDF)],
    )

    with pytest.raises(AccessDeniedError):
        validate_report(
            session,
            world.pedro,
            exchange.id,
            now=T0,
            today=T0.date(),
            programme=PROGRAMME,
            notifier=notifier,
        )
    validate_report(
        session,
        world.paula,
        exchange.id,
        now=datetime(2025, 3, 11, 15, tzinfo=UTC),
        today=date(2025, 3, 11),
        programme=PROGRAMME,
        notifier=notifier,
    )
    assert (exchange.state, exchange.payment_due) == (ExchangeState.VALIDATED, date(2025, 3, 21))

    late = partnership_dashboard(
        session, world.paula, world.visitors_partnership.id, today=date(2025, 3, 22)
    )
    assert [e.id for e in late.late] == [exchange.id]
    assert (late.committed_eur, late.paid_eur) == (Decimal(780), Decimal(0))

    with pytest.raises(InvalidInputError) as caught:
        record_payment(
            session,
            world.paula,
            exchange.id,
            paid_on=date(2025, 3, 1),
            amount=Decimal(390),
            reference="",
            notifier=notifier,
            today=date(2025, 3, 22),
        )
    assert [(i.field, i.reason) for i in caught.value.issues] == [
        ("amount", "must be the lump sum, EUR 780"),
        ("paid_on", "is before the report was validated"),
    ]
    record_payment(
        session,
        world.paula,
        exchange.id,
        paid_on=date(2025, 3, 20),
        amount=Decimal(780),
        reference="SEPA 42",
        notifier=notifier,
        today=date(2025, 3, 22),
    )

    board = partnership_dashboard(
        session, world.paula, world.visitors_partnership.id, today=date(2025, 3, 22)
    )
    assert (board.by_state, board.credited, board.hosted) == ({"paid": 1}, 1, 0)
    assert (board.committed_eur, board.paid_eur, board.late) == (Decimal(780), Decimal(780), ())
    assert (board.host_countries, board.activity_types) == ({"PT": 1}, {"knowledge_sharing": 1})
    hosts_board = partnership_dashboard(
        session, world.pedro, world.hosts_partnership.id, today=date(2025, 3, 22)
    )
    # The exchange counts once, for the visitor's partnership: the host's hosted it.
    assert (hosts_board.credited, hosts_board.hosted, hosts_board.committed_eur) == (
        0,
        1,
        Decimal(0),
    )
    mails = pending_mail(session)
    subjects = [m.subject for m in mails]
    link = notifier.exchange_link(exchange)
    assert (subjects[-1], mails[-1].body) == (
        "Lump sum paid: EUR 780",
        f"Hello Vera,\n\nEUR 780 was paid on 20 March 2025: {link}\n",
    )
    validated = next(m for m in mails if m.subject.startswith("Closing report validated"))
    assert validated.body.split("\n\n")[1] == (
        f"The closing report is validated. EUR 780 is to be paid to Munich Cluster by "
        f"21 March 2025: {link}\n"
    )
    assert "Closing report validated: payment due by 21 March 2025" in subjects
    # Every mail of the exchange writes its days in words, as the pages do.
    assert [m.subject for m in mails if ISO_DATE.search(m.subject + m.body)] == []
    assert "Exchange confirmed: the Commitment to Quality has its four approvals" in subjects


def test_approving_twice_or_for_another_party_is_refused(
    session: Session,
    world: World,
    notifier: ExchangeNotifier,
    pair: tuple[ExchangeParticipant, ExchangeParticipant],
) -> None:
    visitor, host = pair
    exchange = propose_exchange(
        session,
        world.paula,
        _proposal(visitor.id, host.id, date(2025, 3, 3), date(2025, 3, 7)),
        programme=PROGRAMME,
        today=T0.date(),
        notifier=notifier,
    )
    approve_commitment(
        session, world.vera, exchange.id, party=CommitmentParty.VISITOR, now=T0, notifier=notifier
    )

    with pytest.raises(ExchangeConflictError, match=r"The visitor already approved it\."):
        approve_commitment(
            session,
            world.vera,
            exchange.id,
            party=CommitmentParty.VISITOR,
            now=T0,
            notifier=notifier,
        )
    with pytest.raises(AccessDeniedError, match="host's partnership"):
        approve_commitment(
            session,
            world.vera,
            exchange.id,
            party=CommitmentParty.HOST_PARTNERSHIP,
            now=T0,
            notifier=notifier,
        )


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (
            date(2025, 3, 3),
            date(2025, 3, 4),
            "the stay has 2 working days; the programme asks for at least 3",
        ),
        (
            date(2025, 3, 3),
            date(2025, 4, 3),
            "the stay is longer than one month: it must end by 02 April 2025",
        ),
    ],
)
def test_a_stay_outside_the_limits_is_refused_as_input_beside_its_last_day(
    session: Session,
    world: World,
    notifier: ExchangeNotifier,
    pair: tuple[ExchangeParticipant, ExchangeParticipant],
    start: date,
    end: date,
    message: str,
) -> None:
    visitor, host = pair

    with pytest.raises(InvalidInputError) as caught:
        propose_exchange(
            session,
            world.paula,
            _proposal(visitor.id, host.id, start, end),
            programme=PROGRAMME,
            today=T0.date(),
            notifier=notifier,
        )

    assert [(i.field, i.reason) for i in caught.value.issues] == [("end", message)]


@pytest.mark.parametrize(
    ("start", "end", "issues"),
    [
        (
            date(2025, 1, 27),
            date(2025, 1, 31),
            ["start: is in the past: start on 01 February 2025 or later"],
        ),
        (date(2025, 3, 3), date(2026, 3, 4), ["end: the stay spans more than 366 days"]),
        (
            date(2024, 3, 4),
            date(2025, 3, 5),
            [
                "start: is in the past: start on 01 February 2025 or later",
                "end: the stay spans more than 366 days",
            ],
        ),
    ],
)
def test_a_new_exchange_starts_today_or_later_and_spans_at_most_366_days(
    session: Session,
    world: World,
    notifier: ExchangeNotifier,
    pair: tuple[ExchangeParticipant, ExchangeParticipant],
    start: date,
    end: date,
    issues: list[str],
) -> None:
    visitor, host = pair

    with pytest.raises(InvalidInputError) as caught:
        propose_exchange(
            session,
            world.paula,
            _proposal(visitor.id, host.id, start, end),
            programme=PROGRAMME,
            today=T0.date(),
            notifier=notifier,
        )

    assert [str(i) for i in caught.value.issues] == issues
    assert session.scalar(sa.select(sa.func.count()).select_from(Exchange)) == 0


def test_an_exchange_may_start_today_and_stays_readable_once_begun(
    session: Session,
    world: World,
    notifier: ExchangeNotifier,
    pair: tuple[ExchangeParticipant, ExchangeParticipant],
) -> None:
    visitor, host = pair
    monday = datetime(2025, 3, 3, 23, 59, tzinfo=UTC)

    exchange = propose_exchange(
        session,
        world.paula,
        _proposal(visitor.id, host.id, date(2025, 3, 3), date(2025, 3, 7)),
        programme=PROGRAMME,
        today=monday.date(),
        notifier=notifier,
    )
    read = get_exchange(session, world.vera, exchange.id)

    assert (read.start_date, read.end_date, read.working_days) == (
        date(2025, 3, 3),
        date(2025, 3, 7),
        5,
    )


def test_an_unknown_visitor_or_host_is_named(
    session: Session,
    world: World,
    notifier: ExchangeNotifier,
    pair: tuple[ExchangeParticipant, ExchangeParticipant],
) -> None:
    visitor, _host = pair

    with pytest.raises(InvalidInputError) as caught:
        propose_exchange(
            session,
            world.paula,
            _proposal(visitor.id, 2_000_000_000, date(2025, 3, 3), date(2025, 3, 7)),
            programme=PROGRAMME,
            today=T0.date(),
            notifier=notifier,
        )

    assert [str(i) for i in caught.value.issues] == ["host: is not enrolled in the programme"]


def test_a_visitor_takes_part_once(
    session: Session,
    world: World,
    notifier: ExchangeNotifier,
    pair: tuple[ExchangeParticipant, ExchangeParticipant],
) -> None:
    visitor, host = pair
    propose_exchange(
        session,
        world.paula,
        _proposal(visitor.id, host.id, date(2025, 3, 3), date(2025, 3, 7)),
        programme=PROGRAMME,
        today=T0.date(),
        notifier=notifier,
    )

    with pytest.raises(
        ExchangeConflictError, match=r"A visitor may take part once; this one already has\."
    ):
        propose_exchange(
            session,
            world.paula,
            _proposal(visitor.id, host.id, date(2025, 5, 5), date(2025, 5, 9)),
            programme=PROGRAMME,
            today=T0.date(),
            notifier=notifier,
        )


def test_the_database_keeps_one_exchange_per_visitor(
    session: Session,
    world: World,
    notifier: ExchangeNotifier,
    pair: tuple[ExchangeParticipant, ExchangeParticipant],
) -> None:
    visitor, host = pair
    first = propose_exchange(
        session,
        world.paula,
        _proposal(visitor.id, host.id, date(2025, 3, 3), date(2025, 3, 7)),
        programme=PROGRAMME,
        today=T0.date(),
        notifier=notifier,
    )
    values = {c.name: getattr(first, c.name) for c in Exchange.__table__.columns if c.name != "id"}

    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(sa.insert(Exchange).values(**values))


def test_host_capacity_counts_visitors_at_once(
    session: Session,
    world: World,
    notifier: ExchangeNotifier,
) -> None:
    host = _enrol_host(session, world, notifier, capacity=1)
    _validate(session, world.pedro, host, notifier)
    visitors = []
    for number in range(2):
        organisation = make_organisation(session, name=f"Berlin Cluster {number}", country="DE")
        add_member(session, organisation, world.vera)
        form = Enrolment(
            organisation_id=organisation.id,
            partnership_id=world.visitors_partnership.id,
            role=ExchangeRole.VISITOR,
            kind=OrganisationKind.BUSINESS_NETWORK,
            cluster_member=None,
            motivation="x",
            activity_types=(ActivityType.NETWORKING,),
            place="Berlin, DE",
        )
        visitor = enrol(session, world.vera, form, programme=PROGRAMME, notifier=notifier)
        _validate(session, world.paula, visitor, notifier)
        visitors.append(visitor)
    propose_exchange(
        session,
        world.paula,
        _proposal(visitors[0].id, host.id, date(2025, 3, 3), date(2025, 3, 7)),
        programme=PROGRAMME,
        today=T0.date(),
        notifier=notifier,
    )

    with pytest.raises(
        ExchangeConflictError, match="at most 1 visitor at once and has 1 on 07 March 2025"
    ):
        propose_exchange(
            session,
            world.paula,
            _proposal(visitors[1].id, host.id, date(2025, 3, 7), date(2025, 3, 12)),
            programme=PROGRAMME,
            today=T0.date(),
            notifier=notifier,
        )
    after = propose_exchange(
        session,
        world.paula,
        _proposal(visitors[1].id, host.id, date(2025, 3, 10), date(2025, 3, 12)),
        programme=PROGRAMME,
        today=T0.date(),
        notifier=notifier,
    )
    assert after.state is ExchangeState.PROPOSED


def test_visitor_and_host_in_the_same_country_are_refused(
    session: Session,
    world: World,
    notifier: ExchangeNotifier,
) -> None:
    host = _enrol_host(session, world, notifier)
    _validate(session, world.pedro, host, notifier)
    lisbon = make_organisation(session, name="Lisbon Cluster", country="PT", nuts=None)
    add_member(session, lisbon, world.vera)
    form = Enrolment(
        organisation_id=lisbon.id,
        partnership_id=world.visitors_partnership.id,
        role=ExchangeRole.VISITOR,
        kind=OrganisationKind.CLUSTER_ORGANISATION,
        cluster_member=None,
        motivation="x",
        activity_types=(ActivityType.NETWORKING,),
        place="Lisbon, PT",
    )
    visitor = enrol(session, world.vera, form, programme=PROGRAMME, notifier=notifier)
    _validate(session, world.paula, visitor, notifier)

    with pytest.raises(ExchangeConflictError, match="both in PT"):
        propose_exchange(
            session,
            world.paula,
            _proposal(visitor.id, host.id, date(2025, 3, 3), date(2025, 3, 7)),
            programme=PROGRAMME,
            today=T0.date(),
            notifier=notifier,
        )


def test_an_unvalidated_participant_cannot_take_part(
    session: Session,
    world: World,
    notifier: ExchangeNotifier,
) -> None:
    visitor = _enrol_visitor(session, world, notifier)
    host = _enrol_host(session, world, notifier)
    _validate(session, world.pedro, host, notifier)

    with pytest.raises(InvalidInputError) as caught:
        propose_exchange(
            session,
            world.paula,
            _proposal(visitor.id, host.id, date(2025, 3, 3), date(2025, 3, 7)),
            programme=PROGRAMME,
            today=T0.date(),
            notifier=notifier,
        )

    assert [str(i) for i in caught.value.issues] == ["visitor: Munich Cluster is not validated"]


def test_evidence_type_size_and_count_are_checked_at_once(
    session: Session,
    world: World,
    notifier: ExchangeNotifier,
    pair: tuple[ExchangeParticipant, ExchangeParticipant],
) -> None:
    visitor, host = pair
    exchange = propose_exchange(
        session,
        world.paula,
        _proposal(visitor.id, host.id, date(2025, 3, 3), date(2025, 3, 7)),
        programme=PROGRAMME,
        today=T0.date(),
        notifier=notifier,
    )
    for actor, party in (
        (world.vera, CommitmentParty.VISITOR),
        (world.hugo, CommitmentParty.HOST),
        (world.paula, CommitmentParty.VISITOR_PARTNERSHIP),
        (world.pedro, CommitmentParty.HOST_PARTNERSHIP),
    ):
        approve_commitment(session, actor, exchange.id, party=party, now=T0, notifier=notifier)
    uploads = [
        Upload("fake.pdf", "application/pdf", b"MZ\x90\x00"),
        Upload("huge.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024)),
        Upload("notes.txt", "text/plain", b"hello"),
    ]

    with pytest.raises(InvalidInputError) as caught:
        submit_report(
            session,
            world.vera,
            exchange.id,
            report="",
            uploads=uploads,
            now=datetime(2025, 3, 10, tzinfo=UTC),
            today=date(2025, 3, 10),
            notifier=notifier,
        )

    assert [str(i) for i in caught.value.issues] == [
        "report: is required",
        "fake.pdf, evidence: must be a PDF, JPEG or PNG file",
        "huge.png, evidence: is larger than 5 MB",
        "notes.txt, evidence: must be a PDF, JPEG or PNG file",
    ]
    assert (exchange.state, exchange.evidence) == (ExchangeState.CONFIRMED, [])
    with pytest.raises(AccessDeniedError):
        submit_report(
            session,
            world.hugo,
            exchange.id,
            report="x",
            uploads=uploads[:1],
            now=datetime(2025, 3, 10, tzinfo=UTC),
            today=date(2025, 3, 10),
            notifier=notifier,
        )


def test_the_database_refuses_an_exchange_whose_state_does_not_add_up(
    session: Session,
    world: World,
    notifier: ExchangeNotifier,
    pair: tuple[ExchangeParticipant, ExchangeParticipant],
) -> None:
    visitor, host = pair
    exchange = propose_exchange(
        session,
        world.paula,
        _proposal(visitor.id, host.id, date(2025, 3, 3), date(2025, 3, 7)),
        programme=PROGRAMME,
        today=T0.date(),
        notifier=notifier,
    )

    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(sa.update(Exchange).where(Exchange.id == exchange.id).values(state="paid"))
