"""Cancelling an exchange: the visitor, the host, either partnership (or an administrator)
calls it off before its closing report is validated, with a reason; everyone is mailed.

A cancelled exchange did not happen (ADR 0017): it does not count for "visit once" (the
visitor may take part again, the database's unique visitor is among the exchanges not
cancelled), it frees its days of the host's capacity, and it counts for no indicator nor
any amount of the dashboard, where it shows as cancelled."""

from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import Exchange, User
from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.enums import CANCELLABLE_STATES, ExchangeState
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.exchanges.access import (
    ExchangeConflictError,
    acts_for,
    is_administrator,
)
from clusterbridge.services.exchanges.enrolment import MAX_TEXT
from clusterbridge.services.exchanges.notifications import ExchangeNotifier, tell_everyone
from clusterbridge.services.exchanges.workflow import load_exchange


def cancelling_party(session: Session, actor: User, exchange: Exchange) -> str | None:
    """Who ``actor`` cancels for, in words (``the visitor``, ``the host``, ``the visitor's
    partnership``, ``the host's partnership``, ``an administrator``), or None when the actor
    may not cancel this exchange. A contact speaks as its side before its partnership."""
    if exchange.visitor.contact_id == actor.id and actor.is_active:
        return "the visitor"
    if exchange.host.contact_id == actor.id and actor.is_active:
        return "the host"
    for partnership_id, words in (
        (exchange.visitor.partnership_id, "the visitor's partnership"),
        (exchange.host.partnership_id, "the host's partnership"),
    ):
        if not is_administrator(actor) and acts_for(session, actor, partnership_id):
            return words
    return "an administrator" if is_administrator(actor) else None


def can_cancel(session: Session, actor: User, exchange: Exchange) -> bool:
    """Whether ``actor`` may cancel the exchange now (its state allows it)."""
    return exchange.state in CANCELLABLE_STATES and (
        cancelling_party(session, actor, exchange) is not None
    )


def cancel_exchange(
    session: Session,
    actor: User,
    exchange_id: int,
    *,
    reason: str,
    now: datetime,
    notifier: ExchangeNotifier,
) -> Exchange:
    """Cancel the exchange for one of its parties (``cancelling_party``; anyone else gets
    ``AccessDeniedError``) while its closing report is not validated
    (``ExchangeConflictError`` after), with a reason (``InvalidInputError`` when blank or
    longer than 8,000 characters). Stores when, by whom and why; the contacts of the visitor
    and the host and both partnerships' members are mailed, the visitor told it may take
    part again."""
    exchange = load_exchange(session, exchange_id)
    party = cancelling_party(session, actor, exchange)
    if party is None:
        raise AccessDeniedError("Only the exchange's participants and partnerships cancel it.")
    if exchange.state not in CANCELLABLE_STATES:
        raise ExchangeConflictError(
            f"The exchange is {exchange.state}: it can be cancelled only before its closing "
            "report is validated."
        )
    text = reason.strip()
    if not text or len(text) > MAX_TEXT:
        why = "is required" if not text else too_long_reason(MAX_TEXT, len(text))
        raise InvalidInputError(
            "The exchange cannot be cancelled.", [InputIssue("", "reason", why)]
        )
    exchange.state = ExchangeState.CANCELLED
    exchange.cancelled_at = now
    exchange.cancelled_by_id = actor.id
    exchange.cancelled_by_party = party
    exchange.cancel_reason = text
    session.flush()
    _tell_cancelled(session, notifier, exchange)
    return exchange


def _tell_cancelled(session: Session, notifier: ExchangeNotifier, exchange: Exchange) -> None:
    visitor, host = exchange.visitor.organisation.name, exchange.host.organisation.name
    tell_everyone(
        session,
        notifier,
        exchange,
        subject=f"Exchange cancelled: {visitor} visits {host}",
        body=(
            f"The exchange of {visitor} at {host} from {day_text(exchange.start_date)} to "
            f"{day_text(exchange.end_date)} was cancelled by {exchange.cancelled_by_party}.\n\n"
            f"Reason: {exchange.cancel_reason}\n\n"
            f"It counts for no indicator and no lump sum is due. {visitor} may take part in "
            f"another exchange. {notifier.exchange_link(exchange)}"
        ),
    )
