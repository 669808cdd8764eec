"""Requests between visitors and hosts: asking, answering, the mail to the other side, the
rules (validated, two countries, visit once, one open request per pair, kept by the
database), who may do what, and an accepted request in the assignment. Runs on SQLite and
PostgreSQL."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Exchange,
    ExchangeParticipant,
    ExchangePartnership,
    ExchangeRequest,
    User,
)
from clusterbridge.domain.enums import (
    ActivityType,
    ExchangeRole,
    RequestState,
    UserRole,
    ValidationState,
)
from clusterbridge.domain.errors import AccessDeniedError, InvalidInputError
from clusterbridge.engines.exchanges import Match
from clusterbridge.services.exchanges import (
    ExchangeConflictError,
    ExchangeNotifier,
    answer_request,
    ask_host,
    create_partnership,
    participant_requests,
    run_assignment,
)
from clusterbridge.services.mail import FileMailer, pending_mail
from tests.factories.exchanges import make_participant
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

T0 = datetime(2025, 2, 1, 9, 0, tzinfo=UTC)


@dataclass
class World:
    ada: User
    vera: User
    hugo: User
    paula: User
    sam: User
    alpine: ExchangePartnership
    visitor: ExchangeParticipant
    host: ExchangeParticipant


@pytest.fixture
def notifier(tmp_path: Path) -> ExchangeNotifier:
    return ExchangeNotifier(FileMailer(tmp_path / "mail", "cxc@example.org"), "https://cb.example")


@pytest.fixture
def world(session: Session) -> World:
    users = {
        key: make_user(session, email=f"{key}@example.org", name=key.title(), role=role)
        for key, role in (
            ("ada", UserRole.ADMINISTRATOR),
            ("vera", UserRole.ORGANISATION_MEMBER),
            ("hugo", UserRole.ORGANISATION_MEMBER),
            ("paula", UserRole.CLUSTER_MANAGER),
            ("sam", UserRole.ORGANISATION_MEMBER),
        )
    }
    alpine = create_partnership(
        session, users["ada"], name="Alpine", country="AT", members=[users["paula"]]
    )
    munich = make_organisation(session, name="Munich Cluster", country="DE", nuts=None)
    porto = make_organisation(session, name="Porto Cluster", country="PT", nuts=None)
    visitor = make_participant(
        session,
        partnership=alpine,
        organisation=munich,
        contact=users["vera"],
        role=ExchangeRole.VISITOR,
    )
    host = make_participant(
        session,
        partnership=alpine,
        organisation=porto,
        contact=users["hugo"],
        role=ExchangeRole.HOST,
        capacity=2,
    )
    return World(
        users["ada"],
        users["vera"],
        users["hugo"],
        users["paula"],
        users["sam"],
        alpine,
        visitor,
        host,
    )


def _ask(session: Session, world: World, notifier: ExchangeNotifier) -> ExchangeRequest:
    return ask_host(
        session,
        world.vera,
        world.visitor.id,
        host_id=world.host.id,
        message="  We would like to see your pilot line.  ",
        notifier=notifier,
    )


def test_a_visitor_asks_a_host_who_is_mailed(
    session: Session, world: World, notifier: ExchangeNotifier
) -> None:
    request = _ask(session, world, notifier)

    assert (request.state, request.is_open, request.message) == (
        RequestState.OPEN,
        True,
        "We would like to see your pilot line.",
    )
    [mail] = pending_mail(session)
    assert (mail.to, mail.subject) == (
        ("hugo@example.org",),
        "Munich Cluster asks you to host an exchange",
    )
    assert f"https://cb.example/exchanges/participants/{world.host.id}" in mail.body
    assert participant_requests(session, world.hugo, world.host.id) == [request]
    assert participant_requests(session, world.paula, world.visitor.id) == [request]


def test_the_host_accepts_and_the_visitor_and_its_partnership_are_mailed(
    session: Session, world: World, notifier: ExchangeNotifier
) -> None:
    request = _ask(session, world, notifier)

    answered = answer_request(
        session, world.hugo, request.id, accept=True, answer="Welcome!", now=T0, notifier=notifier
    )

    assert (answered.state, answered.is_open, answered.answer, answered.answered_at) == (
        RequestState.ACCEPTED,
        None,
        "Welcome!",
        T0,
    )
    mails = pending_mail(session)[1:]
    assert [(m.to, m.subject) for m in mails] == [
        (("vera@example.org",), "Porto Cluster accepted the visit of Munich Cluster"),
        (("paula@example.org",), "Porto Cluster accepted the visit of Munich Cluster"),
    ]
    assert "Alpine can now set up the exchange." in mails[0].body
    with pytest.raises(ExchangeConflictError) as caught:
        answer_request(
            session, world.hugo, request.id, accept=False, answer="", now=T0, notifier=notifier
        )
    assert str(caught.value) == "The request was already accepted."


def test_a_declined_request_mails_only_the_visitor_and_may_be_asked_again(
    session: Session, world: World, notifier: ExchangeNotifier
) -> None:
    request = _ask(session, world, notifier)
    answer_request(
        session, world.paula, request.id, accept=False, answer="Full", now=T0, notifier=notifier
    )

    again = _ask(session, world, notifier)

    assert [(m.to, m.subject) for m in pending_mail(session)[1:2]] == [
        (("vera@example.org",), "Porto Cluster declined the visit of Munich Cluster")
    ]
    assert (request.state, again.state) == (RequestState.DECLINED, RequestState.OPEN)


def test_a_second_open_request_is_a_conflict(
    session: Session, world: World, notifier: ExchangeNotifier
) -> None:
    _ask(session, world, notifier)

    with pytest.raises(ExchangeConflictError) as caught:
        _ask(session, world, notifier)

    assert (caught.value.status, str(caught.value)) == (
        409,
        "Munich Cluster already asked Porto Cluster: wait for the answer.",
    )


def test_the_database_keeps_one_open_request_per_pair(session: Session, world: World) -> None:
    def request(state: RequestState) -> ExchangeRequest:
        is_open = state is RequestState.OPEN
        return ExchangeRequest(
            visitor=world.visitor,
            host=world.host,
            message="m",
            state=state,
            is_open=True if is_open else None,
            answered_at=None if is_open else T0,
        )

    session.add_all([request(RequestState.DECLINED), request(RequestState.DECLINED)])
    session.add(request(RequestState.OPEN))
    session.flush()
    session.add(request(RequestState.OPEN))

    with pytest.raises(IntegrityError):
        session.flush()


def test_requests_keep_the_rules_and_the_roles(
    session: Session, world: World, notifier: ExchangeNotifier
) -> None:
    lisbon = make_participant(
        session,
        partnership=world.alpine,
        organisation=make_organisation(session, name="Lisbon Hub", country="PT", nuts=None),
        contact=world.sam,
        role=ExchangeRole.VISITOR,
    )
    pending = make_participant(
        session,
        partnership=world.alpine,
        organisation=make_organisation(session, name="Lyon Hub", country="FR", nuts=None),
        contact=world.sam,
        role=ExchangeRole.HOST,
        state=ValidationState.PENDING,
    )

    def ask(actor: User, visitor: int, host: int, message: str = "m") -> None:
        ask_host(session, actor, visitor, host_id=host, message=message, notifier=notifier)

    with pytest.raises(AccessDeniedError):
        ask(world.sam, world.visitor.id, world.host.id)
    with pytest.raises(InvalidInputError):
        ask(world.vera, world.visitor.id, world.host.id, message=" ")
    with pytest.raises(ExchangeConflictError, match="both are in PT"):
        ask(world.sam, lisbon.id, world.host.id)
    with pytest.raises(ExchangeConflictError, match="must be validated"):
        ask(world.vera, world.visitor.id, pending.id)
    with pytest.raises(ExchangeConflictError, match="from a visitor to a host"):
        ask(world.hugo, world.host.id, world.visitor.id)
    session.add(_exchange(world.visitor, world.host, world.alpine))
    session.flush()
    with pytest.raises(ExchangeConflictError, match="a visitor takes part once"):
        ask(world.vera, world.visitor.id, world.host.id)


def test_only_the_host_side_answers(
    session: Session, world: World, notifier: ExchangeNotifier
) -> None:
    request = _ask(session, world, notifier)

    with pytest.raises(AccessDeniedError):
        answer_request(
            session, world.vera, request.id, accept=True, answer="", now=T0, notifier=notifier
        )
    with pytest.raises(AccessDeniedError):
        participant_requests(session, world.sam, world.host.id)


def test_an_accepted_request_is_a_pair_of_the_assignment(
    session: Session, world: World, notifier: ExchangeNotifier
) -> None:
    before = run_assignment(session, world.paula, world.alpine.id)
    request = _ask(session, world, notifier)
    answer_request(
        session, world.hugo, request.id, accept=True, answer="", now=T0, notifier=notifier
    )

    after = run_assignment(session, world.paula, world.alpine.id)

    assert before.result.matches == ()
    assert after.result.matches == (Match(str(world.visitor.id), str(world.host.id)),)


def _exchange(
    visitor: ExchangeParticipant, host: ExchangeParticipant, partnership: ExchangePartnership
) -> Exchange:
    return Exchange(
        visitor=visitor,
        host=host,
        credited_partnership_id=partnership.id,
        start_date=date(2025, 3, 3),
        end_date=date(2025, 3, 7),
        activity_type=ActivityType.NETWORKING,
        working_days=5,
        distance_km=1000,
        threshold_eur=780,
        lump_sum_eur=780,
        halved=False,
        reasons=[],
        goals="g",
        objectives="o",
        agenda="a",
    )
