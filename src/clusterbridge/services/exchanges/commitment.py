"""The Commitment to Quality of an exchange as a PDF, for those who may see the exchange."""

from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import Exchange, ExchangeParticipant, User
from clusterbridge.domain.calendar import day_text
from clusterbridge.reports.commitment import Commitment, Side, render_commitment_pdf
from clusterbridge.services.exchanges.lump_sums import lump_sum_reasons
from clusterbridge.services.exchanges.workflow import get_exchange

_ACTIVITIES = {
    "capacity_building": "Capacity building",
    "knowledge_sharing": "Knowledge sharing",
    "project_development": "Project development",
    "market_research": "Market research",
    "networking": "Networking",
}


def commitment_pdf(session: Session, actor: User, exchange_id: int, *, now: datetime) -> bytes:
    """The Commitment to Quality (goals, objectives, agenda, the stay and its lump sum, the four
    approvals) as PDF; the exchange's participants, partnerships and administrators only."""
    exchange = get_exchange(session, actor, exchange_id)
    return render_commitment_pdf(commitment_of(exchange, now=now))


def commitment_of(exchange: Exchange, *, now: datetime) -> Commitment:
    """The report's snapshot of an exchange (participants loaded)."""
    visitor, host = exchange.visitor, exchange.host
    return Commitment(
        exchange_id=exchange.id,
        visitor=_side(visitor),
        host=_side(host),
        start=exchange.start_date,
        end=exchange.end_date,
        activity=_ACTIVITIES[str(exchange.activity_type)],
        working_days=exchange.working_days,
        distance_km=exchange.distance_km,
        lump_sum_eur=exchange.lump_sum_eur,
        reasons=tuple(lump_sum_reasons(exchange)),
        goals=exchange.goals,
        objectives=exchange.objectives,
        agenda=exchange.agenda,
        approvals=(
            (f"Visitor: {visitor.organisation.name}", exchange.visitor_approved_at),
            (f"Host: {host.organisation.name}", exchange.host_approved_at),
            (
                f"Visitor's partnership: {visitor.partnership.name}",
                exchange.visitor_partnership_approved_at,
            ),
            (f"Host's partnership: {host.partnership.name}", exchange.host_partnership_approved_at),
        ),
        printed_at=now,
        cancelled=_cancelled(exchange),
    )


def _cancelled(exchange: Exchange) -> str:
    if exchange.cancelled_at is None:
        return ""
    when = day_text(exchange.cancelled_at.date())
    return (
        f"Cancelled on {when} by {exchange.cancelled_by_party}: {exchange.cancel_reason} "
        "This exchange will not take place."
    )


def _side(participant: ExchangeParticipant) -> Side:
    return Side(
        organisation=participant.organisation.name,
        country=participant.country,
        place=participant.place,
        partnership=participant.partnership.name,
    )
