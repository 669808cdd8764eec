"""Payment reminders: the visitor's partnership is told of each lump sum due soon or late."""

from datetime import date, timedelta

from sqlalchemy.orm import Session

from clusterbridge.db.models import Exchange
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.money import format_euros
from clusterbridge.services.exchanges.notifications import ExchangeNotifier, tell_partnership

#: Remind this many days before the due date, unless told otherwise.
DEFAULT_DAYS_BEFORE = 2


def remind_payments(
    session: Session,
    notifier: ExchangeNotifier,
    *,
    today: date,
    days_before: int = DEFAULT_DAYS_BEFORE,
) -> list[Exchange]:
    """Mail the visitor's partnership of every validated, unpaid exchange due within
    ``days_before`` days of ``today`` or already late; returns those exchanges, soonest due
    first. Each run mails again (run it once a day)."""
    if days_before < 0:
        raise ValueError("days_before must be at least 0")
    due = repository.unpaid_exchanges(session, due_by=today + timedelta(days=days_before))
    for exchange in due:
        assert exchange.payment_due is not None  # validated exchanges have a due date
        late = (today - exchange.payment_due).days
        when = (
            f"{late} day{'s' if late != 1 else ''} late"
            if late > 0
            else "due today"
            if late == 0
            else f"due in {-late} day{'s' if late != -1 else ''}"
        )
        tell_partnership(
            session,
            notifier,
            exchange.visitor.partnership_id,
            subject=f"Lump sum {when}: {exchange.visitor.organisation.name}",
            body=(
                f"The lump sum of {format_euros(exchange.lump_sum_eur)} for "
                f"{exchange.visitor.organisation.name} "
                f"was due by {day_text(exchange.payment_due)} ({when}). Record the payment here: "
                f"{notifier.exchange_link(exchange)}"
            ),
        )
    return due
