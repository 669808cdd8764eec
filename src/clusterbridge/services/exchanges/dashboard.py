"""A partnership's dashboard: exchanges by state, amounts committed and paid, countries and
activity types, late payments, and the exchanges its indicators count."""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import Exchange, User
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.enums import ExchangeState
from clusterbridge.services.exchanges.access import (
    ExchangeNotFoundError,
    require_reads_partnership,
)


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The figures of one partnership on ``today``.

    ``credited`` counts each exchange once, for the visitor's partnership (the one that
    pays); ``committed_eur`` is the lump sums of its credited exchanges, ``paid_eur`` what it
    paid; ``late`` the validated exchanges whose payment is past due. A cancelled exchange
    did not happen: it is in ``by_state`` (as ``cancelled``) and nowhere else.
    """

    partnership: str
    today: date
    by_state: dict[str, int]
    credited: int
    hosted: int
    committed_eur: Decimal
    paid_eur: Decimal
    host_countries: dict[str, int]
    activity_types: dict[str, int]
    late: tuple[Exchange, ...]


def partnership_dashboard(
    session: Session, actor: User, partnership_id: int, *, today: date
) -> Dashboard:
    """The dashboard of a partnership (its members and administrators; programme officers
    read it too). Reads only."""
    partnership = repository.get_partnership(session, partnership_id)
    if partnership is None:
        raise ExchangeNotFoundError(f"No partnership {partnership_id}.")
    require_reads_partnership(session, actor, partnership_id, doing="see the dashboard")
    listed = repository.list_partnership_exchanges(session, partnership_id)
    exchanges = [e for e in listed if e.state is not ExchangeState.CANCELLED]
    credited = [e for e in exchanges if e.credited_partnership_id == partnership_id]
    cancelled = [
        e
        for e in listed
        if e.state is ExchangeState.CANCELLED and e.credited_partnership_id == partnership_id
    ]
    late = tuple(
        e
        for e in credited
        if e.state is ExchangeState.VALIDATED
        and e.payment_due is not None
        and e.payment_due < today
    )
    return Dashboard(
        partnership=partnership.name,
        today=today,
        by_state=dict(Counter(str(e.state) for e in credited + cancelled)),
        credited=len(credited),
        hosted=sum(1 for e in exchanges if e.host.partnership_id == partnership_id),
        committed_eur=sum((e.lump_sum_eur for e in credited), Decimal(0)),
        paid_eur=sum((e.paid_amount_eur or Decimal(0) for e in credited), Decimal(0)),
        host_countries=dict(Counter(e.host.country for e in credited)),
        activity_types=dict(Counter(str(e.activity_type) for e in credited)),
        late=late,
    )
