"""The Commitment to Quality's four approvals (the visitor, the host and both partnerships):
who may approve for which party, and each approval mailed to the other parties; the fourth
confirms the exchange and everyone is mailed."""

from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import Exchange, User
from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.enums import CommitmentParty, ExchangeState
from clusterbridge.domain.errors import AccessDeniedError
from clusterbridge.services.exchanges.access import (
    ExchangeConflictError,
    acts_for,
    is_administrator,
)
from clusterbridge.services.exchanges.notifications import (
    ExchangeNotifier,
    tell_everyone,
    tell_parties,
)
from clusterbridge.services.exchanges.workflow import load_exchange

APPROVAL_COLUMNS = {
    CommitmentParty.VISITOR: "visitor_approved_at",
    CommitmentParty.HOST: "host_approved_at",
    CommitmentParty.VISITOR_PARTNERSHIP: "visitor_partnership_approved_at",
    CommitmentParty.HOST_PARTNERSHIP: "host_partnership_approved_at",
}
_PARTNERSHIPS = {CommitmentParty.VISITOR_PARTNERSHIP, CommitmentParty.HOST_PARTNERSHIP}


def approvable_parties(session: Session, actor: User, exchange: Exchange) -> list[CommitmentParty]:
    """The parties ``actor`` may approve the Commitment to Quality for, not yet approved."""
    parties = []
    admin = is_administrator(actor)
    if admin or exchange.visitor.contact_id == actor.id:
        parties.append(CommitmentParty.VISITOR)
    if admin or exchange.host.contact_id == actor.id:
        parties.append(CommitmentParty.HOST)
    if acts_for(session, actor, exchange.visitor.partnership_id):
        parties.append(CommitmentParty.VISITOR_PARTNERSHIP)
    if acts_for(session, actor, exchange.host.partnership_id):
        parties.append(CommitmentParty.HOST_PARTNERSHIP)
    return [p for p in parties if getattr(exchange, APPROVAL_COLUMNS[p]) is None]


def approve_commitment(
    session: Session,
    actor: User,
    exchange_id: int,
    *,
    party: CommitmentParty,
    now: datetime,
    notifier: ExchangeNotifier,
) -> Exchange:
    """Approve the Commitment to Quality as ``party`` (which the actor must be able to speak
    for). The people of the three other parties are mailed who approved and who has yet to;
    when the fourth approval is in, the exchange is confirmed and everyone is mailed
    instead."""
    exchange = load_exchange(session, exchange_id)
    if exchange.state is not ExchangeState.PROPOSED:
        raise ExchangeConflictError("The Commitment to Quality is no longer open for approval.")
    column = APPROVAL_COLUMNS[party]
    if getattr(exchange, column) is not None:
        raise ExchangeConflictError(f"The {party_words(party)} already approved it.")
    if party not in approvable_parties(session, actor, exchange):
        raise AccessDeniedError(f"You cannot approve for the {party_words(party)}.")
    setattr(exchange, column, now)
    waiting = [p for p, c in APPROVAL_COLUMNS.items() if getattr(exchange, c) is None]
    if waiting:
        _tell_approval(session, notifier, exchange, party, waiting)
    else:
        exchange.state = ExchangeState.CONFIRMED
        tell_everyone(
            session,
            notifier,
            exchange,
            subject="Exchange confirmed: the Commitment to Quality has its four approvals",
            body=(
                f"The exchange from {day_text(exchange.start_date)} to {day_text(exchange.end_date)} "
                "is confirmed. "
                f"After it, the visitor sends the closing report with the evidence: "
                f"{notifier.exchange_link(exchange)}"
            ),
        )
    session.flush()
    return exchange


def party_words(party: CommitmentParty) -> str:
    """The party in words: ``visitor``, ``host``, ``visitor's partnership``..."""
    return str(party).replace("_", "'s ") if party in _PARTNERSHIPS else str(party)


def _tell_approval(
    session: Session,
    notifier: ExchangeNotifier,
    exchange: Exchange,
    party: CommitmentParty,
    waiting: list[CommitmentParty],
) -> None:
    done = len(APPROVAL_COLUMNS) - len(waiting)
    names = f"{exchange.visitor.organisation.name} visits {exchange.host.organisation.name}"
    tell_parties(
        session,
        notifier,
        exchange,
        set(CommitmentParty) - {party},
        subject=f"Commitment to Quality approved by the {party_words(party)} ({done} of 4): {names}",
        body=(
            f"The {party_words(party)} approved the Commitment to Quality of the exchange from "
            f"{day_text(exchange.start_date)} to {day_text(exchange.end_date)}. Still to approve: "
            f"{', '.join('the ' + party_words(p) for p in waiting)}. "
            f"Read it and approve here: {notifier.exchange_link(exchange)}"
        ),
    )
