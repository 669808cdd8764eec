"""The payment of an exchange's lump sum, recorded by the visitor's partnership once the
closing report is validated."""

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import Exchange, User
from clusterbridge.domain.calendar import DEFAULT_TIME_ZONE, day_text, local_today
from clusterbridge.domain.enums import ExchangeState
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.money import format_euros
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.exchanges.access import ExchangeConflictError, require_acts_for
from clusterbridge.services.exchanges.notifications import ExchangeNotifier, tell_everyone
from clusterbridge.services.exchanges.workflow import load_exchange

#: The longest payment reference, in characters.
MAX_REFERENCE = 100


def record_payment(
    session: Session,
    actor: User,
    exchange_id: int,
    *,
    paid_on: date,
    amount: Decimal,
    reference: str,
    notifier: ExchangeNotifier,
    today: date,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> Exchange:
    """Record the visitor's partnership's payment of the lump sum (the amount must be the
    lump sum; the day not before the validation's day in the site's ``time_zone`` nor after
    ``today``, the site's day; the reference at most 100 characters): InvalidInputError
    naming every bad field, nothing recorded then. The visitor is mailed."""
    exchange = _payable(session, actor, exchange_id)
    issues = _payment_issues(
        exchange,
        paid_on=paid_on,
        amount=amount,
        reference=reference,
        today=today,
        time_zone=time_zone,
    )
    if issues:
        raise InvalidInputError("The payment cannot be recorded.", issues)
    exchange.state = ExchangeState.PAID
    exchange.paid_on = paid_on
    exchange.paid_amount_eur = amount
    exchange.payment_reference = reference.strip()
    session.flush()
    tell_everyone(
        session,
        notifier,
        exchange,
        subject=f"Lump sum paid: {format_euros(amount)}",
        body=f"{format_euros(amount)} was paid on {day_text(paid_on)}: {notifier.exchange_link(exchange)}",
    )
    return exchange


def check_payment(
    session: Session,
    actor: User,
    exchange_id: int,
    *,
    paid_on: date | None,
    amount: Decimal | None,
    reference: str,
    today: date,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> list[InputIssue]:
    """The problems `record_payment` would find with this payment, for a form whose own
    fields are bad (a day or an amount it could not read, None, is not checked), so that one
    answer names every bad field; the same refusals of the actor and the exchange's state.
    Writes nothing."""
    exchange = _payable(session, actor, exchange_id)
    return _payment_issues(
        exchange,
        paid_on=paid_on,
        amount=amount,
        reference=reference,
        today=today,
        time_zone=time_zone,
    )


def _payable(session: Session, actor: User, exchange_id: int) -> Exchange:
    """The exchange, if ``actor`` records its payments and its report is validated."""
    exchange = load_exchange(session, exchange_id)
    require_acts_for(session, actor, exchange.visitor.partnership_id, doing="record payments")
    if exchange.state is not ExchangeState.VALIDATED or exchange.validated_at is None:
        raise ExchangeConflictError("A payment is recorded after the report's validation.")
    return exchange


def _payment_issues(
    exchange: Exchange,
    *,
    paid_on: date | None,
    amount: Decimal | None,
    reference: str,
    today: date,
    time_zone: str,
) -> list[InputIssue]:
    issues = []
    if amount is not None and amount != exchange.lump_sum_eur:
        lump_sum = format_euros(exchange.lump_sum_eur)
        issues.append(InputIssue("", "amount", f"must be the lump sum, {lump_sum}"))
    validated_at = exchange.validated_at
    validated_on = None if validated_at is None else local_today(validated_at, time_zone)
    if paid_on is not None and validated_on is not None and paid_on < validated_on:
        issues.append(InputIssue("", "paid_on", "is before the report was validated"))
    if paid_on is not None and paid_on > today:
        reason = f"is in the future (today is {day_text(today)}): record a payment once it is made"
        issues.append(InputIssue("", "paid_on", reason))
    if len(reference.strip()) > MAX_REFERENCE:
        issues.append(
            InputIssue("", "reference", too_long_reason(MAX_REFERENCE, len(reference.strip())))
        )
    return issues
