"""The Commitment to Quality's approvals mailed one by one, and cancelling an exchange: who
may, until when, with a reason, everyone mailed; a cancelled exchange frees the visitor (visit
once) and the host's days, and counts for no indicator nor amount. SQLite and PostgreSQL."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clusterbridge.db.models import Exchange, ExchangeParticipant
from clusterbridge.domain.enums import CommitmentParty, ExchangeState
from clusterbridge.domain.errors import AccessDeniedError, InvalidInputError
from clusterbridge.reports.commitment import render_commitment_html
from clusterbridge.services.exchanges import (
    ExchangeConflictError,
    ExchangeNotifier,
    Upload,
    answer_request,
    approve_commitment,
    ask_host,
    can_cancel,
    cancel_exchange,
    partnership_dashboard,
    partnership_view,
    propose_exchange,
    submit_report,
    validate_report,
)
from clusterbridge.services.exchanges.commitment import commitment_of
from clusterbridge.services.mail import pending_mail
from tests.services.exchanges.world import PDF, PROGRAMME, T0, World, _proposal

pytestmark = [pytest.mark.integration, pytest.mark.db]

Pair = tuple[ExchangeParticipant, ExchangeParticipant]
LATER = datetime(2025, 2, 3, 10, tzinfo=UTC)
EVERYONE = [
    "hugo@porto.example",
    "paula@alpine.example",
    "pedro@atlantic.example",
    "vera@munich.example",
]


def _propose(session: Session, world: World, notifier: ExchangeNotifier, pair: Pair) -> Exchange:
    visitor, host = pair
    return propose_exchange(
        session,
        world.paula,
        _proposal(visitor.id, host.id, date(2025, 3, 3), date(2025, 3, 7)),
        programme=PROGRAMME,
        today=T0.date(),
        notifier=notifier,
    )


def _approve_all(
    session: Session, world: World, notifier: ExchangeNotifier, exchange: Exchange
) -> None:
    for actor, party in (
        (world.vera, CommitmentParty.VISITOR),
        (world.hugo, CommitmentParty.HOST),
        (world.paula, CommitmentParty.VISITOR_PARTNERSHIP),
        (world.pedro, CommitmentParty.HOST_PARTNERSHIP),
    ):
        approve_commitment(session, actor, exchange.id, party=party, now=T0, notifier=notifier)


def _mails_since(session: Session, count: int) -> list[tuple[str, str]]:
    return sorted((m.to[0], m.subject) for m in pending_mail(session)[count:])


def test_each_approval_is_mailed_to_the_other_parties_and_the_fourth_to_everyone(
    session: Session, world: World, notifier: ExchangeNotifier, pair: Pair
) -> None:
    exchange = _propose(session, world, notifier, pair)
    names = "Munich Cluster visits Porto Cluster"
    steps = [
        (world.vera, CommitmentParty.VISITOR, "visitor (1 of 4)", "vera@munich.example"),
        (
            world.pedro,
            CommitmentParty.HOST_PARTNERSHIP,
            "host's partnership (2 of 4)",
            "pedro@atlantic.example",
        ),
        (world.hugo, CommitmentParty.HOST, "host (3 of 4)", "hugo@porto.example"),
    ]
    for actor, party, words, approver in steps:
        before = len(pending_mail(session))
        approve_commitment(session, actor, exchange.id, party=party, now=T0, notifier=notifier)
        subject = f"Commitment to Quality approved by the {words}: {names}"
        assert _mails_since(session, before) == [
            (address, subject) for address in EVERYONE if address != approver
        ]
    last = pending_mail(session)[-1]
    assert "Still to approve: the visitor's partnership." in last.body
    assert f"https://cb.example/exchanges/{exchange.id}" in last.body

    before = len(pending_mail(session))
    approve_commitment(
        session,
        world.paula,
        exchange.id,
        party=CommitmentParty.VISITOR_PARTNERSHIP,
        now=T0,
        notifier=notifier,
    )
    confirmed = "Exchange confirmed: the Commitment to Quality has its four approvals"
    assert _mails_since(session, before) == [(address, confirmed) for address in EVERYONE]


def test_the_host_cancels_with_a_reason_and_everyone_is_mailed(
    session: Session, world: World, notifier: ExchangeNotifier, pair: Pair
) -> None:
    exchange = _propose(session, world, notifier, pair)
    before = len(pending_mail(session))

    cancel_exchange(
        session,
        world.hugo,
        exchange.id,
        reason=" Our lab closes in March. ",
        now=LATER,
        notifier=notifier,
    )

    assert (exchange.state, exchange.cancelled_at, exchange.cancelled_by_id) == (
        ExchangeState.CANCELLED,
        LATER,
        world.hugo.id,
    )
    assert (exchange.cancelled_by_party, exchange.cancel_reason) == (
        "the host",
        "Our lab closes in March.",
    )
    subject = "Exchange cancelled: Munich Cluster visits Porto Cluster"
    assert _mails_since(session, before) == [(address, subject) for address in EVERYONE]
    body = pending_mail(session)[-1].body
    assert "from 03 March 2025 to 07 March 2025 was cancelled by the host." in body
    assert "Reason: Our lab closes in March." in body
    assert "Munich Cluster may take part in another exchange." in body


@pytest.mark.parametrize(
    ("who", "words"),
    [
        ("vera", "the visitor"),
        ("hugo", "the host"),
        ("paula", "the visitor's partnership"),
        ("pedro", "the host's partnership"),
        ("admin", "an administrator"),
    ],
)
def test_each_party_may_cancel_and_is_named(
    session: Session, world: World, notifier: ExchangeNotifier, pair: Pair, who: str, words: str
) -> None:
    exchange = _propose(session, world, notifier, pair)

    cancel_exchange(
        session,
        getattr(world, who),
        exchange.id,
        reason="Plans changed.",
        now=LATER,
        notifier=notifier,
    )

    assert exchange.cancelled_by_party == words


def test_a_stranger_cannot_cancel_and_a_reason_is_required(
    session: Session, world: World, notifier: ExchangeNotifier, pair: Pair
) -> None:
    exchange = _propose(session, world, notifier, pair)

    assert not can_cancel(session, world.sam, exchange)
    with pytest.raises(AccessDeniedError):
        cancel_exchange(session, world.sam, exchange.id, reason="x", now=LATER, notifier=notifier)
    with pytest.raises(InvalidInputError) as caught:
        cancel_exchange(session, world.vera, exchange.id, reason="  ", now=LATER, notifier=notifier)
    assert [str(i) for i in caught.value.issues] == ["reason: is required"]
    with pytest.raises(InvalidInputError) as caught:
        cancel_exchange(
            session, world.vera, exchange.id, reason="x" * 8001, now=LATER, notifier=notifier
        )
    assert [str(i) for i in caught.value.issues] == [
        "reason: must be at most 8,000 characters, not 8,001"
    ]
    assert exchange.state is ExchangeState.PROPOSED


def test_a_reported_exchange_may_be_cancelled_a_validated_one_not(
    session: Session, world: World, notifier: ExchangeNotifier, pair: Pair
) -> None:
    exchange = _propose(session, world, notifier, pair)
    _approve_all(session, world, notifier, exchange)
    submit_report(
        session,
        world.vera,
        exchange.id,
        report="Done.",
        uploads=[Upload("pass.pdf", "application/pdf", PDF)],
        now=datetime(2025, 3, 10, tzinfo=UTC),
        today=date(2025, 3, 10),
        notifier=notifier,
    )
    assert can_cancel(session, world.pedro, exchange)
    validate_report(
        session,
        world.paula,
        exchange.id,
        now=datetime(2025, 3, 11, tzinfo=UTC),
        today=date(2025, 3, 11),
        programme=PROGRAMME,
        notifier=notifier,
    )

    assert not can_cancel(session, world.paula, exchange)
    with pytest.raises(ExchangeConflictError, match="only before its closing report is validated"):
        cancel_exchange(
            session, world.paula, exchange.id, reason="Too late.", now=LATER, notifier=notifier
        )


def test_a_cancelled_exchange_is_no_longer_approved(
    session: Session, world: World, notifier: ExchangeNotifier, pair: Pair
) -> None:
    exchange = _propose(session, world, notifier, pair)
    cancel_exchange(session, world.vera, exchange.id, reason="Ill.", now=LATER, notifier=notifier)

    with pytest.raises(ExchangeConflictError, match="no longer open for approval"):
        approve_commitment(
            session,
            world.hugo,
            exchange.id,
            party=CommitmentParty.HOST,
            now=LATER,
            notifier=notifier,
        )
    with pytest.raises(ExchangeConflictError, match="only before its closing report is validated"):
        cancel_exchange(
            session, world.hugo, exchange.id, reason="Twice.", now=LATER, notifier=notifier
        )


def test_after_a_cancellation_the_visitor_takes_part_again_on_the_same_days(
    session: Session, world: World, notifier: ExchangeNotifier, pair: Pair
) -> None:
    visitor, host = pair
    host.capacity = 1
    first = _propose(session, world, notifier, pair)
    cancel_exchange(session, world.vera, first.id, reason="Ill.", now=LATER, notifier=notifier)

    second = _propose(session, world, notifier, pair)

    assert (second.visitor_id, second.state) == (visitor.id, ExchangeState.PROPOSED)
    with pytest.raises(ExchangeConflictError, match="A visitor may take part once"):
        _propose(session, world, notifier, pair)


def test_the_database_allows_one_exchange_per_visitor_besides_the_cancelled(
    session: Session, world: World, notifier: ExchangeNotifier, pair: Pair
) -> None:
    first = _propose(session, world, notifier, pair)
    values = {c.name: getattr(first, c.name) for c in Exchange.__table__.columns if c.name != "id"}
    cancel_exchange(session, world.vera, first.id, reason="Ill.", now=LATER, notifier=notifier)
    session.flush()
    active = {**values, "state": ExchangeState.PROPOSED, "cancelled_at": None}
    active |= {"cancelled_by_id": None, "cancelled_by_party": "", "cancel_reason": ""}

    session.execute(sa.insert(Exchange).values(**active))
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(sa.insert(Exchange).values(**active))
    without_reason = {**active, "state": ExchangeState.CANCELLED, "cancelled_at": LATER}
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(sa.insert(Exchange).values(**without_reason))


def test_a_cancelled_exchange_counts_for_nothing_but_shows_on_the_dashboard(
    session: Session, world: World, notifier: ExchangeNotifier, pair: Pair
) -> None:
    exchange = _propose(session, world, notifier, pair)
    cancel_exchange(
        session, world.pedro, exchange.id, reason="Host closed.", now=LATER, notifier=notifier
    )

    board = partnership_dashboard(
        session, world.paula, world.visitors_partnership.id, today=date(2025, 3, 22)
    )
    hosts = partnership_dashboard(
        session, world.pedro, world.hosts_partnership.id, today=date(2025, 3, 22)
    )

    assert (board.by_state, board.credited, board.committed_eur, board.paid_eur) == (
        {"cancelled": 1},
        0,
        Decimal(0),
        Decimal(0),
    )
    assert (board.host_countries, board.activity_types, board.late) == ({}, {}, ())
    assert (hosts.hosted, hosts.by_state) == (0, {})


def test_the_partnership_lists_the_requests_hosts_accepted_and_which_count(
    session: Session, world: World, notifier: ExchangeNotifier, pair: Pair
) -> None:
    visitor, host = pair
    request = ask_host(
        session, world.vera, visitor.id, host_id=host.id, message="May we come?", notifier=notifier
    )
    assert partnership_view(session, world.paula, world.visitors_partnership.id).accepted == []
    answer_request(
        session, world.hugo, request.id, accept=True, answer="Welcome!", now=T0, notifier=notifier
    )

    [accepted] = partnership_view(session, world.paula, world.visitors_partnership.id).accepted
    assert (accepted.request.id, accepted.counted) == (request.id, True)
    assert partnership_view(session, world.pedro, world.hosts_partnership.id).accepted == []

    exchange = _propose(session, world, notifier, pair)
    [accepted] = partnership_view(session, world.paula, world.visitors_partnership.id).accepted
    assert accepted.counted is False
    cancel_exchange(session, world.vera, exchange.id, reason="Ill.", now=LATER, notifier=notifier)
    [accepted] = partnership_view(session, world.paula, world.visitors_partnership.id).accepted
    assert accepted.counted is True


def test_the_commitment_of_a_cancelled_exchange_says_so(
    session: Session, world: World, notifier: ExchangeNotifier, pair: Pair
) -> None:
    exchange = _propose(session, world, notifier, pair)
    assert commitment_of(exchange, now=LATER).cancelled == ""
    cancel_exchange(session, world.paula, exchange.id, reason="Ill.", now=LATER, notifier=notifier)

    page = render_commitment_html(commitment_of(exchange, now=LATER))

    expected = (
        "Cancelled on 03 February 2025 by the visitor's partnership: Ill. "
        "This exchange will not take place."
    )
    assert f"<strong>{expected}</strong>" in page.replace("&#39;", "'")
    assert "<dt>Lump sum</dt><dd>EUR 780</dd>" in page
