"""The demo partnership: enrolled registry organisations, one waiting, one exchange ahead and
two past ones (waiting for the report, for validation and payment); made once."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Exchange,
    ExchangeEvidence,
    ExchangeParticipant,
    ExchangeRequest,
)
from clusterbridge.domain.calendar import DEFAULT_TIME_ZONE, local_today
from clusterbridge.domain.enums import (
    ExchangeRole,
    ExchangeState,
    OrgType,
    RequestState,
    ValidationState,
)
from clusterbridge.engines.exchanges import load_programme
from clusterbridge.services.evidence import Upload, check_uploads
from clusterbridge.services.exchanges import ExchangeNotifier
from clusterbridge.services.exchanges.demo import EVIDENCE_PDF, prepare_demo_exchanges
from clusterbridge.services.exchanges.payment import record_payment
from clusterbridge.services.exchanges.workflow import submit_report, validate_report
from clusterbridge.services.mail import FileMailer, pending_mail
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2025, 1, 8, 10, tzinfo=UTC)


def test_prepare_demo_exchanges_enrols_located_clusters_once(session: Session) -> None:
    manager = make_user(session)
    places = [
        ("Munich Cluster", "DE", 48.14, 11.58),
        ("Porto Cluster", "PT", 41.15, -8.61),
        ("Second Munich Cluster", "DE", 48.1, 11.6),
        ("Lyon Network", "FR", 45.76, 4.84),
    ]
    for name, country, latitude, longitude in places:
        organisation = make_organisation(session, name=name, country=country, nuts=None)
        organisation.latitude, organisation.longitude = latitude, longitude
    make_organisation(session, name="Nowhere Cluster", country="IT", nuts=None)
    make_organisation(session, name="Madrid SME", country="ES", nuts=None, type=OrgType.SME)
    session.flush()

    first = prepare_demo_exchanges(
        session, manager, programme=load_programme(), now=NOW, today=NOW.date()
    )
    again = prepare_demo_exchanges(
        session, manager, programme=load_programme(), now=NOW, today=NOW.date()
    )

    participants = session.scalars(
        sa.select(ExchangeParticipant).order_by(ExchangeParticipant.id)
    ).all()
    assert [(p.organisation_id, p.role, p.state) for p in participants] == [
        (participants[0].organisation_id, ExchangeRole.VISITOR, ValidationState.VALIDATED),
        (participants[1].organisation_id, ExchangeRole.HOST, ValidationState.VALIDATED),
        (participants[2].organisation_id, ExchangeRole.VISITOR, ValidationState.PENDING),
    ]
    assert [p.country for p in participants] == ["DE", "PT", "FR"]
    [exchange] = session.scalars(sa.select(Exchange)).all()
    assert (exchange.visitor_id, exchange.host_id) == (participants[0].id, participants[1].id)
    assert (exchange.start_date, exchange.end_date) == (date(2025, 3, 10), date(2025, 3, 14))
    assert (exchange.working_days, exchange.lump_sum_eur) == (5, 780)
    assert (first.participants, first.exchanges) == (3, 1)
    # A second run makes nothing new and tells what the partnership has.
    assert (again.partnership_id, again.participants, again.exchanges) == (
        first.partnership_id,
        3,
        1,
    )
    assert pending_mail(session) == []


def test_with_five_participants_the_demo_has_a_request_a_host_accepted(session: Session) -> None:
    manager = make_user(session)
    places = [
        ("Munich Cluster", "DE", 48.14, 11.58),
        ("Porto Cluster", "PT", 41.15, -8.61),
        ("Lyon Network", "FR", 45.76, 4.84),
        ("Turin Cluster", "IT", 45.07, 7.69),
        ("Gent Cluster", "BE", 51.05, 3.72),
    ]
    for name, country, latitude, longitude in places:
        organisation = make_organisation(session, name=name, country=country, nuts=None)
        organisation.latitude, organisation.longitude = latitude, longitude
    session.flush()

    made = prepare_demo_exchanges(
        session, manager, programme=load_programme(), now=NOW, today=NOW.date()
    )

    participants = session.scalars(
        sa.select(ExchangeParticipant).order_by(ExchangeParticipant.id)
    ).all()
    [request] = session.scalars(sa.select(ExchangeRequest)).all()
    assert made.participants == 5
    assert (request.visitor_id, request.host_id) == (participants[2].id, participants[3].id)
    assert (request.state, request.is_open, request.answered_at) == (
        RequestState.ACCEPTED,
        None,
        NOW,
    )
    assert [(p.role, p.state) for p in participants[2:4]] == [
        (ExchangeRole.VISITOR, ValidationState.VALIDATED),
        (ExchangeRole.HOST, ValidationState.VALIDATED),
    ]


EIGHT_PLACES = [
    ("Munich Cluster", "DE", 48.14, 11.58),
    ("Porto Cluster", "PT", 41.15, -8.61),
    ("Lyon Network", "FR", 45.76, 4.84),
    ("Turin Cluster", "IT", 45.07, 7.69),
    ("Gent Cluster", "BE", 51.05, 3.72),
    ("Vienna Cluster", "AT", 48.21, 16.37),
    ("Madrid Cluster", "ES", 40.42, -3.70),
    ("Eindhoven Cluster", "NL", 51.44, 5.47),
]


def _eight_countries(session: Session) -> None:
    for name, country, latitude, longitude in EIGHT_PLACES:
        organisation = make_organisation(session, name=name, country=country, nuts=None)
        organisation.latitude, organisation.longitude = latitude, longitude
    session.flush()


def test_with_eight_countries_two_past_exchanges_wait_for_the_report_and_the_payment(
    session: Session,
) -> None:
    manager = make_user(session)
    _eight_countries(session)

    first = prepare_demo_exchanges(
        session, manager, programme=load_programme(), now=NOW, today=NOW.date()
    )
    again = prepare_demo_exchanges(
        session, manager, programme=load_programme(), now=NOW, today=NOW.date()
    )

    participants = session.scalars(
        sa.select(ExchangeParticipant).order_by(ExchangeParticipant.id)
    ).all()
    assert [(p.country, p.role, p.state) for p in participants] == [
        ("DE", ExchangeRole.VISITOR, ValidationState.VALIDATED),
        ("PT", ExchangeRole.HOST, ValidationState.VALIDATED),
        ("FR", ExchangeRole.VISITOR, ValidationState.VALIDATED),
        ("IT", ExchangeRole.HOST, ValidationState.VALIDATED),
        ("BE", ExchangeRole.VISITOR, ValidationState.VALIDATED),
        ("AT", ExchangeRole.HOST, ValidationState.PENDING),
        ("ES", ExchangeRole.VISITOR, ValidationState.VALIDATED),
        ("NL", ExchangeRole.VISITOR, ValidationState.VALIDATED),
    ]
    ahead, waiting, reported = session.scalars(sa.select(Exchange).order_by(Exchange.id)).all()
    assert (ahead.state, ahead.start_date) == (ExchangeState.PROPOSED, date(2025, 3, 10))
    # Madrid visited Porto from Monday to Friday three weeks ago: confirmed, no report yet.
    assert (waiting.visitor_id, waiting.host_id) == (participants[6].id, participants[1].id)
    assert (waiting.start_date, waiting.end_date) == (date(2024, 12, 16), date(2024, 12, 20))
    assert (waiting.state, waiting.report_submitted_at) == (ExchangeState.CONFIRMED, None)
    assert (waiting.working_days, waiting.lump_sum_eur, waiting.halved) == (5, 780, False)
    assert waiting.visitor_partnership_approved_at == datetime(2024, 11, 21, 10, tzinfo=UTC)
    assert waiting.host_partnership_approved_at == datetime(2024, 11, 21, 12, tzinfo=UTC)
    # Eindhoven visited Turin five weeks ago and sent its report three days after the stay.
    assert (reported.visitor_id, reported.host_id) == (participants[7].id, participants[3].id)
    assert (reported.start_date, reported.end_date) == (date(2024, 12, 2), date(2024, 12, 6))
    assert (reported.state, reported.report_submitted_at) == (
        ExchangeState.REPORTED,
        datetime(2024, 12, 9, 10, tzinfo=UTC),
    )
    [evidence] = session.scalars(sa.select(ExchangeEvidence)).all()
    assert evidence.exchange_id == reported.id
    assert (evidence.file_name, evidence.content_type, evidence.size) == (
        "train-tickets.pdf",
        "application/pdf",
        len(evidence.content),
    )
    # The evidence is a file the report form accepts.
    assert (
        check_uploads([Upload(evidence.file_name, evidence.content_type, evidence.content)]) == []
    )
    assert (reported.validated_at, reported.payment_due, reported.paid_on) == (None, None, None)
    # Each visitor was validated before its exchange was set up.
    assert participants[6].decided_at == datetime(2024, 11, 17, 10, tzinfo=UTC)
    expected = (first.partnership_id, 8, 3, 1, 1, 0)
    for made in (first, again):
        assert (
            made.partnership_id,
            made.participants,
            made.exchanges,
            made.awaiting_report,
            made.awaiting_validation,
            made.awaiting_payment,
        ) == expected
    assert session.scalar(sa.select(sa.func.count()).select_from(Exchange)) == 3
    assert pending_mail(session) == []


def test_the_demo_account_sends_the_report_then_validates_and_pays_through_the_services(
    session: Session, tmp_path: Path
) -> None:
    manager = make_user(session)
    _eight_countries(session)
    programme = load_programme()
    prepare_demo_exchanges(session, manager, programme=programme, now=NOW, today=NOW.date())
    _ahead, waiting, reported = session.scalars(sa.select(Exchange).order_by(Exchange.id)).all()
    notifier = ExchangeNotifier(FileMailer(tmp_path, "cxc@example.org"), "https://cb.example")
    later = NOW + timedelta(hours=1)

    sent = submit_report(
        session,
        manager,
        waiting.id,
        report="Nine meetings; one joint project idea.",
        uploads=[Upload("tickets.pdf", "application/pdf", EVIDENCE_PDF)],
        now=later,
        today=later.date(),
        notifier=notifier,
    )
    validated = validate_report(
        session,
        manager,
        reported.id,
        now=later,
        today=later.date(),
        programme=programme,
        notifier=notifier,
    )
    paid = record_payment(
        session,
        manager,
        reported.id,
        paid_on=later.date(),
        amount=reported.lump_sum_eur,
        reference="DEMO-1",
        notifier=notifier,
        today=later.date(),
    )

    assert sent.state is ExchangeState.REPORTED
    assert validated.payment_due == date(2025, 1, 18)
    assert (paid.state, paid.paid_on) == (ExchangeState.PAID, date(2025, 1, 8))
    again = prepare_demo_exchanges(
        session, manager, programme=programme, now=later, today=later.date()
    )
    assert (again.awaiting_report, again.awaiting_validation, again.awaiting_payment) == (0, 1, 0)


def test_a_partnership_made_without_past_exchanges_gets_them_once(session: Session) -> None:
    manager = make_user(session)
    for name, country, latitude, longitude in EIGHT_PLACES[:6]:
        organisation = make_organisation(session, name=name, country=country, nuts=None)
        organisation.latitude, organisation.longitude = latitude, longitude
    session.flush()
    # Six countries: the partnership is made without past exchanges, as an older demo made it.
    older = prepare_demo_exchanges(
        session, manager, programme=load_programme(), now=NOW, today=NOW.date()
    )
    for name, country, latitude, longitude in EIGHT_PLACES[6:]:
        organisation = make_organisation(session, name=name, country=country, nuts=None)
        organisation.latitude, organisation.longitude = latitude, longitude
    session.flush()
    later = NOW + timedelta(days=14)

    caught_up = prepare_demo_exchanges(
        session, manager, programme=load_programme(), now=later, today=later.date()
    )
    again = prepare_demo_exchanges(
        session, manager, programme=load_programme(), now=later, today=later.date()
    )

    participants = session.scalars(
        sa.select(ExchangeParticipant).order_by(ExchangeParticipant.id)
    ).all()
    country = {p.id: p.country for p in participants}
    exchanges = session.scalars(sa.select(Exchange).order_by(Exchange.id)).all()
    assert (older.added, caught_up.added, again.added) == (
        ("the exchange partnership",),
        ("2 past exchanges",),
        (),
    )
    assert [(p.country, p.role, p.state) for p in participants[6:]] == [
        ("ES", ExchangeRole.VISITOR, ValidationState.VALIDATED),
        ("NL", ExchangeRole.VISITOR, ValidationState.VALIDATED),
    ]
    assert [
        (country[e.visitor_id], country[e.host_id], e.state, e.start_date) for e in exchanges
    ] == [
        ("DE", "PT", ExchangeState.PROPOSED, date(2025, 3, 10)),
        ("ES", "PT", ExchangeState.CONFIRMED, date(2024, 12, 30)),
        ("NL", "IT", ExchangeState.REPORTED, date(2024, 12, 16)),
    ]
    assert (
        again.participants,
        again.exchanges,
        again.awaiting_report,
        again.awaiting_validation,
    ) == (
        8,
        3,
        1,
        1,
    )


def test_the_exchange_ahead_counts_from_the_sites_today(session: Session) -> None:
    manager = make_user(session)
    for name, country, latitude, longitude in EIGHT_PLACES[:2]:
        organisation = make_organisation(session, name=name, country=country, nuts=None)
        organisation.latitude, organisation.longitude = latitude, longitude
    session.flush()
    # Half past eleven in the evening of Thursday 9 January in UTC: already Friday 10 January
    # in Brussels, 60 days before Tuesday 11 March (from the 9th: Monday 10 March).
    late = datetime(2025, 1, 9, 23, 30, tzinfo=UTC)

    prepare_demo_exchanges(
        session, manager, programme=load_programme(), now=late,
        today=local_today(late, DEFAULT_TIME_ZONE),
    )  # fmt: skip

    exchange = session.scalars(sa.select(Exchange)).one()
    assert (exchange.start_date, exchange.end_date) == (date(2025, 3, 17), date(2025, 3, 21))
