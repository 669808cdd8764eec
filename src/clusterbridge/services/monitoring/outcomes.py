"""The outcome ledger: an organisation's outcomes for its members, and the counts that never
count twice (ADR 0019, "The outcome ledger"): an SME is one SME however many meetings and
exchanges it had, and an outcome type counts once per activity however many sides or
follow-ups reported it."""

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Consortium,
    Event,
    EventParticipant,
    Exchange,
    ExchangeParticipant,
    FollowUp,
    Meeting,
    Organisation,
    Outcome,
    Project,
    Proposal,
    User,
)
from clusterbridge.domain.calendar import day_text, local_today
from clusterbridge.domain.enums import (
    RESULT_OUTCOMES,
    ExchangeState,
    MeetingStatus,
    OutcomeType,
)
from clusterbridge.services.monitoring.access import own_organisation

#: The exchanges that took place (reported, then validated and paid); a cancelled one did not
#: (ADR 0017), and neither did a meeting no longer accepted: their outcomes are not counted.
HELD_EXCHANGES = (ExchangeState.REPORTED, ExchangeState.VALIDATED, ExchangeState.PAID)

OUTCOME_LABELS: dict[OutcomeType, str] = {
    OutcomeType.COMMERCIAL_AGREEMENT: "A commercial agreement",
    OutcomeType.TECHNICAL_COOPERATION: "A technical cooperation",
    OutcomeType.RESEARCH_COOPERATION: "A research cooperation",
    OutcomeType.JOINT_APPLICATION: "A joint application for funding",
    OutcomeType.NO_FOLLOW_UP: "Nothing came of it",
}


@dataclass(frozen=True, slots=True)
class OutcomeEntry:
    """One outcome as its organisation's members see it."""

    id: int
    type: OutcomeType
    label: str
    activity: str
    recorded_at: datetime
    consortium: str | None
    proposal: str | None
    project: str | None
    note: str


def describe_activity(session: Session, item: FollowUp | Outcome) -> str:
    """The meeting or exchange a follow-up or an outcome is about, in words, as seen by its
    organisation ("your meeting with X at event Y on 04 March 2026", the meeting's day in the
    event's time zone; "your exchange with X from 11 May 2026 to 15 May 2026"). Reads only."""
    if item.meeting_id is not None:
        meeting = session.get(Meeting, item.meeting_id)
        assert meeting is not None
        other_id = _other_participant(session, meeting, item.organisation_id)
        other = session.scalar(
            sa.select(Organisation.name)
            .join(EventParticipant, EventParticipant.organisation_id == Organisation.id)
            .where(EventParticipant.id == other_id)
        )
        event = session.get(Event, meeting.event_id)
        assert event is not None
        # The meeting's day where the event takes place, as its agenda shows it.
        when = (
            day_text(local_today(meeting.starts_at, event.time_zone))
            if meeting.starts_at
            else "a date since cancelled"
        )
        return f"your meeting with {other} at {event.name} on {when}"
    exchange = session.get(Exchange, item.exchange_id)
    assert exchange is not None
    with_whom = _exchange_with(session, exchange, item.organisation_id)
    return (
        f"your exchange{with_whom} from {day_text(exchange.start_date)} to "
        f"{day_text(exchange.end_date)}"
    )


def _other_participant(session: Session, meeting: Meeting, organisation_id: int) -> int:
    requester_org = session.scalar(
        sa.select(EventParticipant.organisation_id).where(
            EventParticipant.id == meeting.requester_id
        )
    )
    return meeting.recipient_id if requester_org == organisation_id else meeting.requester_id


def _exchange_with(session: Session, exchange: Exchange, organisation_id: int) -> str:
    names = session.execute(
        sa.select(ExchangeParticipant.id, Organisation.id, Organisation.name)
        .join(Organisation, Organisation.id == ExchangeParticipant.organisation_id)
        .where(ExchangeParticipant.id.in_((exchange.visitor_id, exchange.host_id)))
    ).all()
    others = [name for _, org_id, name in names if org_id != organisation_id]
    return f" with {others[0]}" if others else ""


def organisation_outcomes(
    session: Session, user: User | None, organisation_id: int
) -> list[OutcomeEntry]:
    """The outcomes an organisation answered, newest first, for its members and the
    administrators (AssessmentNotFoundError for others). Reads only."""
    own_organisation(session, user, organisation_id)
    outcomes = session.scalars(
        sa.select(Outcome)
        .where(Outcome.organisation_id == organisation_id)
        .order_by(Outcome.recorded_at.desc(), Outcome.id.desc())
    ).all()
    return [outcome_entry(session, outcome) for outcome in outcomes]


def outcome_entry(session: Session, outcome: Outcome) -> OutcomeEntry:
    """An outcome as its organisation's members see it. Reads only."""
    consortium = session.get(Consortium, outcome.consortium_id) if outcome.consortium_id else None
    proposal = session.get(Proposal, outcome.proposal_id) if outcome.proposal_id else None
    project = session.get(Project, outcome.project_id) if outcome.project_id else None
    return OutcomeEntry(
        id=outcome.id,
        type=outcome.type,
        label=OUTCOME_LABELS[outcome.type],
        activity=describe_activity(session, outcome),
        recorded_at=outcome.recorded_at,
        consortium=consortium.name if consortium else None,
        proposal=f"{proposal.acronym}: {proposal.title}" if proposal else None,
        project=f"{project.acronym or project.grant_id}: {project.title}" if project else None,
        note=outcome.note,
    )


def distinct_smes_with_outcomes(
    session: Session,
    *,
    types: Collection[OutcomeType] = RESULT_OUTCOMES,
    event_id: int | None = None,
    partnership_id: int | None = None,
) -> int:
    """How many SMEs (organisations with ``is_sme`` true) answered at least one outcome of
    ``types`` (every type but "no follow-up" unless told), each SME once however many
    meetings, exchanges and follow-ups it had; outcomes of a meeting or an exchange called
    off since are not counted. ``event_id`` keeps the meetings of one event,
    ``partnership_id`` the exchanges credited to one partnership (both: either). Reads only."""
    statement = (
        sa.select(sa.func.count(sa.distinct(Outcome.organisation_id)))
        .join(Organisation, Organisation.id == Outcome.organisation_id)
        .where(Organisation.is_sme.is_(True), Outcome.type.in_(list(types)))
    )
    return session.scalar(statement.where(_scope(event_id, partnership_id))) or 0


def outcome_counts(
    session: Session, *, event_id: int | None = None, partnership_id: int | None = None
) -> dict[OutcomeType, int]:
    """For each outcome type, how many meetings and exchanges led to it: an activity counts
    once per type however many of its sides or follow-ups reported it. Scoped as
    ``distinct_smes_with_outcomes``. Reads only."""
    statement = sa.select(Outcome.type, Outcome.meeting_id, Outcome.exchange_id).distinct()
    rows = session.execute(statement.where(_scope(event_id, partnership_id))).all()
    counted = Counter(kind for kind, _, _ in rows)
    return {kind: counted.get(kind, 0) for kind in OutcomeType}


def held(item: type[Outcome] | type[FollowUp]) -> sa.ColumnElement[bool]:
    """Whether the meeting or exchange of an outcome or a follow-up took place: the meeting
    is still accepted, the exchange reported, validated or paid (not cancelled since)."""
    accepted = sa.select(Meeting.id).where(Meeting.status == MeetingStatus.ACCEPTED)
    reported = sa.select(Exchange.id).where(Exchange.state.in_(HELD_EXCHANGES))
    return sa.or_(item.meeting_id.in_(accepted), item.exchange_id.in_(reported))


def _scope(event_id: int | None, partnership_id: int | None) -> sa.ColumnElement[bool]:
    scopes = []
    if event_id is not None:
        scopes.append(
            Outcome.meeting_id.in_(sa.select(Meeting.id).where(Meeting.event_id == event_id))
        )
    if partnership_id is not None:
        credited = Exchange.credited_partnership_id == partnership_id
        scopes.append(Outcome.exchange_id.in_(sa.select(Exchange.id).where(credited)))
    return sa.and_(held(Outcome), sa.or_(*scopes)) if scopes else held(Outcome)
