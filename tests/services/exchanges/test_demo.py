"""The demo partnership: enrolled registry organisations, one waiting, one exchange; made once."""

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import Exchange, ExchangeParticipant, ExchangeRequest
from clusterbridge.domain.enums import ExchangeRole, OrgType, RequestState, ValidationState
from clusterbridge.engines.exchanges import load_programme
from clusterbridge.services.exchanges.demo import prepare_demo_exchanges
from clusterbridge.services.mail import pending_mail
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

    first = prepare_demo_exchanges(session, manager, programme=load_programme(), now=NOW)
    again = prepare_demo_exchanges(session, manager, programme=load_programme(), now=NOW)

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

    made = prepare_demo_exchanges(session, manager, programme=load_programme(), now=NOW)

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
