"""The demo's match-making event: made once, from the registry, with requests to answer."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.repositories.events import get_event
from clusterbridge.domain.enums import EventStatus, MeetingStatus, OrgType
from clusterbridge.services.accounts.users import authenticate
from clusterbridge.services.events.demo import DEMO_EVENT_NAME, ORGANISER_EMAIL, prepare_demo_event
from tests.factories.events import make_person
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_prepare_demo_event_registers_the_demo_account_with_requests_to_answer(
    session: Session,
) -> None:
    me = make_person(session, email="demo@clusterbridge.example", name="Demo")
    make_organisation(
        session, name="Textile Cluster Association", type=OrgType.CLUSTER_ORGANISATION
    )
    for number in range(3):
        make_organisation(session, name=f"Small Company Number {number}", type=OrgType.SME)

    first = prepare_demo_event(session, me, now=NOW)
    again = prepare_demo_event(session, me, now=NOW)

    assert first.event_id == again.event_id
    event = get_event(session, first.event_id or 0)
    assert event is not None
    assert (event.name, event.status, len(event.sessions)) == (DEMO_EVENT_NAME, EventStatus.OPEN, 2)
    assert event.sessions[0].starts_at == datetime(2025, 3, 17, 8, 0, tzinfo=UTC)  # 15th: Saturday
    assert [p.organisation.name for p in event.participants] == [
        "Textile Cluster Association",
        "Small Company Number 0",
        "Small Company Number 1",
        "Small Company Number 2",
    ]
    incoming = [
        m
        for m in event.meetings
        if m.recipient.user_id == me.id and m.status is MeetingStatus.REQUESTED
    ]
    assert [m.requester.organisation.name for m in incoming] == [
        "Small Company Number 0",
        "Small Company Number 2",
    ]
    assert first.organiser_password is not None
    assert again.organiser_password is None
    assert (
        authenticate(session, email=ORGANISER_EMAIL, password=first.organiser_password) is not None
    )


def test_prepare_demo_event_resets_the_organiser_password_only_when_asked(
    session: Session,
) -> None:
    me = make_person(session, email="demo@clusterbridge.example", name="Demo")
    first = prepare_demo_event(session, me, now=NOW)

    kept = prepare_demo_event(session, me, now=NOW)
    reset = prepare_demo_event(session, me, now=NOW, reset_password=True)

    assert kept.organiser_password is None
    assert reset.organiser_password not in (None, first.organiser_password)
    assert (
        authenticate(session, email=ORGANISER_EMAIL, password=first.organiser_password or "")
        is None
    )
    assert (
        authenticate(session, email=ORGANISER_EMAIL, password=reset.organiser_password or "")
        is not None
    )


def test_prepare_demo_event_without_smes_makes_no_event(session: Session) -> None:
    me = make_person(session, email="demo@clusterbridge.example", name="Demo")

    prepared = prepare_demo_event(session, me, now=NOW)

    assert prepared.event_id is None
