"""The queries behind the computed indicators (ADR 0029): what a project's linked events,
exchange partnerships and cascade calls did between two days, both included. Every count here
is of distinct rows; the SMEs are returned as id sets so that the service unites them and
counts each SME once."""

from collections import Counter
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    CascadePayment,
    Event,
    EventParticipant,
    EventSession,
    Exchange,
    ExchangeParticipant,
    Meeting,
    Organisation,
    OrganisationEcosystem,
    Outcome,
    ProjectCall,
    ProjectEvent,
    ProjectPartnership,
    Proposal,
)
from clusterbridge.domain.enums import (
    EventStatus,
    ExchangeState,
    MeetingStatus,
    OrgType,
    OutcomeType,
    ParticipantStatus,
)

#: Exchanges that took place: the report is in (ADR 0017: a cancelled one never counts).
COMPLETED_EXCHANGES = (ExchangeState.REPORTED, ExchangeState.VALIDATED, ExchangeState.PAID)
UNKNOWN = "unknown"


def is_sme() -> sa.ColumnElement[bool]:
    """An SME of the registry: ``is_sme`` true, or unknown with the type SME (ADR 0029)."""
    return sa.or_(
        Organisation.is_sme.is_(True),
        sa.and_(Organisation.is_sme.is_(None), Organisation.type == OrgType.SME),
    )


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time(), UTC), datetime.combine(
        end + timedelta(days=1), time(), UTC
    )


def counted_events(project_id: int, start: date, end: date) -> sa.Select[int]:
    """The ids of the project's events, not drafts, whose first session starts in the window."""
    low, high = _bounds(start, end)
    first = (
        sa.select(EventSession.event_id, sa.func.min(EventSession.starts_at).label("first"))
        .group_by(EventSession.event_id)
        .subquery()
    )
    return (
        sa.select(Event.id)
        .join(ProjectEvent, ProjectEvent.event_id == Event.id)
        .join(first, first.c.event_id == Event.id)
        .where(
            ProjectEvent.project_id == project_id,
            Event.status != EventStatus.DRAFT,
            first.c.first >= low,
            first.c.first < high,
        )
    )


def events_held(session: Session, project_id: int, start: date, end: date) -> int:
    """How many of the project's events were held in the window."""
    statement = sa.select(sa.func.count()).select_from(
        counted_events(project_id, start, end).subquery()
    )
    return session.scalar(statement) or 0


def participants(session: Session, project_id: int, start: date, end: date) -> int:
    """The validated participants of the events held in the window (a person at two events
    is two participations)."""
    statement = sa.select(sa.func.count(EventParticipant.id)).where(
        EventParticipant.event_id.in_(counted_events(project_id, start, end)),
        EventParticipant.status == ParticipantStatus.VALIDATED,
    )
    return session.scalar(statement) or 0


def meetings_held(session: Session, project_id: int, start: date, end: date) -> int:
    """The accepted meetings of the events held in the window."""
    statement = sa.select(sa.func.count(Meeting.id)).where(
        Meeting.event_id.in_(counted_events(project_id, start, end)),
        Meeting.status == MeetingStatus.ACCEPTED,
    )
    return session.scalar(statement) or 0


def _linked_partnerships(project_id: int) -> sa.Select[int]:
    return sa.select(ProjectPartnership.partnership_id).where(
        ProjectPartnership.project_id == project_id
    )


def _completed_exchanges(project_id: int, start: date, end: date) -> sa.Select[int]:
    return sa.select(Exchange.id).where(
        Exchange.credited_partnership_id.in_(_linked_partnerships(project_id)),
        Exchange.state.in_(COMPLETED_EXCHANGES),
        Exchange.end_date >= start,
        Exchange.end_date <= end,
    )


def exchanges_completed(session: Session, project_id: int, start: date, end: date) -> int:
    """The exchanges credited to the project's partnerships that ended in the window with
    their report in (reported, validated or paid)."""
    statement = sa.select(sa.func.count()).select_from(
        _completed_exchanges(project_id, start, end).subquery()
    )
    return session.scalar(statement) or 0


def outcome_counts(
    session: Session, project_id: int, start: date, end: date
) -> dict[OutcomeType, int]:
    """For each outcome type, the meetings (of the project's events) and exchanges (credited
    to its partnerships) that led to it, counted once per activity and type, in the period of
    its first report; activities called off since are left out (ADR 0019)."""
    low, high = _bounds(start, end)
    linked_events = sa.select(ProjectEvent.event_id).where(ProjectEvent.project_id == project_id)
    meetings = sa.select(Meeting.id).where(
        Meeting.event_id.in_(linked_events), Meeting.status == MeetingStatus.ACCEPTED
    )
    exchanges = sa.select(Exchange.id).where(
        Exchange.credited_partnership_id.in_(_linked_partnerships(project_id)),
        Exchange.state.in_(COMPLETED_EXCHANGES),
    )
    first = sa.func.min(Outcome.recorded_at)
    statement = (
        sa.select(Outcome.type)
        .where(sa.or_(Outcome.meeting_id.in_(meetings), Outcome.exchange_id.in_(exchanges)))
        .group_by(Outcome.type, Outcome.meeting_id, Outcome.exchange_id)
        .having(first >= low, first < high)
    )
    counted = Counter(session.scalars(statement))
    return {kind: counted.get(kind, 0) for kind in OutcomeType}


def _paid(project_id: int, start: date, end: date) -> sa.ColumnElement[bool]:
    linked = sa.select(ProjectCall.call_id).where(ProjectCall.project_id == project_id)
    return sa.and_(
        Proposal.call_id.in_(linked),
        CascadePayment.paid_on >= start,
        CascadePayment.paid_on <= end,
        CascadePayment.cancelled_at.is_(None),
    )


def payments_by_country(
    session: Session, project_id: int, start: date, end: date
) -> dict[str, Decimal]:
    """The cascade payments (not cancelled) of the project's calls paid in the window, summed
    by the paid organisation's country."""
    statement = (
        sa.select(Organisation.country, sa.func.sum(CascadePayment.amount))
        .join(Proposal, Proposal.id == CascadePayment.proposal_id)
        .join(Organisation, Organisation.id == Proposal.organisation_id)
        .where(_paid(project_id, start, end))
        .group_by(Organisation.country)
    )
    return {country: Decimal(total) for country, total in session.execute(statement)}


def smes_met(session: Session, project_id: int, start: date, end: date) -> set[int]:
    """The SMEs with an accepted meeting at an event of the project held in the window."""
    requesters = sa.select(Meeting.requester_id.label("side")).where(
        Meeting.event_id.in_(counted_events(project_id, start, end)),
        Meeting.status == MeetingStatus.ACCEPTED,
    )
    sides = requesters.union_all(
        sa.select(Meeting.recipient_id).where(
            Meeting.event_id.in_(counted_events(project_id, start, end)),
            Meeting.status == MeetingStatus.ACCEPTED,
        )
    )
    side_ids = sides.subquery()
    statement = (
        sa.select(Organisation.id)
        .join(EventParticipant, EventParticipant.organisation_id == Organisation.id)
        .where(EventParticipant.id.in_(sa.select(side_ids.c.side)), is_sme())
    )
    return set(session.scalars(statement))


def smes_exchanged(session: Session, project_id: int, start: date, end: date) -> set[int]:
    """The SMEs visiting or hosting an exchange completed in the window."""
    exchanges = _completed_exchanges(project_id, start, end).subquery()
    visitors = sa.select(Exchange.visitor_id).where(Exchange.id.in_(sa.select(exchanges.c.id)))
    sides = visitors.union_all(
        sa.select(Exchange.host_id).where(Exchange.id.in_(sa.select(exchanges.c.id)))
    )
    statement = (
        sa.select(Organisation.id)
        .join(ExchangeParticipant, ExchangeParticipant.organisation_id == Organisation.id)
        .where(ExchangeParticipant.id.in_(sides), is_sme())
    )
    return set(session.scalars(statement))


def smes_paid(session: Session, project_id: int, start: date, end: date) -> set[int]:
    """The SMEs paid by a cascade call of the project in the window (payments not
    cancelled)."""
    statement = (
        sa.select(Organisation.id)
        .join(Proposal, Proposal.organisation_id == Organisation.id)
        .join(CascadePayment, CascadePayment.proposal_id == Proposal.id)
        .where(_paid(project_id, start, end), is_sme())
    )
    return set(session.scalars(statement))


def sme_ids(session: Session, organisation_ids: Collection[int]) -> set[int]:
    """The SMEs among ``organisation_ids``."""
    if not organisation_ids:
        return set()
    statement = sa.select(Organisation.id).where(
        Organisation.id.in_(list(organisation_ids)), is_sme()
    )
    return set(session.scalars(statement))


def count_by_country(session: Session, organisation_ids: Collection[int]) -> dict[str, int]:
    """How many of the organisations are in each country."""
    statement = (
        sa.select(Organisation.country, sa.func.count())
        .where(Organisation.id.in_(list(organisation_ids)))
        .group_by(Organisation.country)
    )
    return dict(session.execute(statement).all())


def count_by_region_category(session: Session, organisation_ids: Collection[int]) -> dict[str, int]:
    """How many of the organisations are in each region category of 2021–2027 ("unknown"
    where the region is not known)."""
    statement = (
        sa.select(Organisation.category_2021_2027, sa.func.count())
        .where(Organisation.id.in_(list(organisation_ids)))
        .group_by(Organisation.category_2021_2027)
    )
    return {
        (str(category) if category else UNKNOWN): count
        for category, count in session.execute(statement)
    }


def count_by_ecosystem(session: Session, organisation_ids: Collection[int]) -> dict[str, int]:
    """How many of the organisations work in each ecosystem (one may count in several;
    "unknown" for those without one)."""
    statement = (
        sa.select(OrganisationEcosystem.ecosystem, sa.func.count())
        .where(OrganisationEcosystem.organisation_id.in_(list(organisation_ids)))
        .group_by(OrganisationEcosystem.ecosystem)
    )
    counts = dict(session.execute(statement).all())
    with_one = sa.select(OrganisationEcosystem.organisation_id).where(
        OrganisationEcosystem.organisation_id.in_(list(organisation_ids))
    )
    without = len(set(organisation_ids) - set(session.scalars(with_one.distinct())))
    if without:
        counts[UNKNOWN] = without
    return counts
