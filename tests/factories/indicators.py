"""A monitored project with linked activities whose indicators have known values (ADR 0029).

Project "IND" runs 2026 in two half-year periods. Organisations: Alpha (SME, DE, less
developed, digital and agri-food), Beta (type SME with size unknown: an SME; FR, transition,
digital), Big (type SME but ``is_sme`` false: not an SME), Delta (SME, IT, no region, no
ecosystem), Xeno (an SME only at an event not linked).

Linked: event E1 (2026-03-10: Alpha, Beta, Big validated, Delta pending; Alpha–Beta and
Alpha–Big accepted, Beta–Big declined), event E2 (2026-09-15: Alpha, Big; Alpha–Big accepted),
draft event E4 (2026-03-11, Alpha–Beta accepted: not held), exchange partnership (Alpha visits
Beta, reported, ends 2026-05-15; Delta–Alpha cancelled), cascade call (Delta paid 10,000.00 on
2026-02-01 and 5,000.50 on 2026-08-01; Alpha paid 2,000 on 2026-03-01). Not linked: event E3
(2026-03-10, Xeno–Alpha accepted) and its outcome.

Outcomes: Alpha and Beta both report a commercial agreement of Alpha–Beta (April, May: one
agreement in P1), Alpha a research cooperation of the exchange (June), Alpha a technical
cooperation of Alpha–Big at E1 (July: P2), Beta "no follow-up" of Alpha–Beta, Xeno a commercial
agreement at E3 (not linked).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    CascadePayment,
    Event,
    EventParticipant,
    Exchange,
    ExchangePartnership,
    Meeting,
    MonitoredProject,
    MonitoredProjectMember,
    Organisation,
    OrganisationEcosystem,
    OrganisationMember,
    Outcome,
    ProgrammeCall,
    ProjectCall,
    ProjectEvent,
    ProjectPartnership,
    Proposal,
    User,
)
from clusterbridge.domain.enums import (
    ActivityType,
    CallKind,
    EventStatus,
    ExchangeRole,
    ExchangeState,
    MeetingStatus,
    OrgType,
    OutcomeType,
    ParticipantStatus,
    ProposalState,
)
from clusterbridge.domain.monitoring import ProjectKind, ProjectRole
from clusterbridge.reference import RegionCategory
from tests.factories.events import add_meeting, add_participant, make_event, make_person
from tests.factories.exchanges import make_participant
from tests.factories.organisations import make_organisation

HOUR = timedelta(hours=1)


@dataclass
class IndicatorWorld:
    """The project, its manager (a member of its coordinator) and the organisations."""

    project: MonitoredProject
    manager: User
    orgs: dict[str, Organisation]
    people: dict[str, User]
    events: dict[str, Event]


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC)


def _organisations(session: Session) -> tuple[dict[str, Organisation], dict[str, User]]:
    facts = {
        "Alpha": (OrgType.SME, True, "DE", RegionCategory.LESS_DEVELOPED, ("digital", "agri-food")),
        "Beta": (OrgType.SME, None, "FR", RegionCategory.TRANSITION, ("digital",)),
        "Big": (OrgType.SME, False, "DE", RegionCategory.MORE_DEVELOPED, ("digital",)),
        "Delta": (OrgType.SME, True, "IT", None, ()),
        "Xeno": (OrgType.SME, True, "ES", None, ()),
    }
    orgs, people = {}, {}
    for name, (kind, sme, country, category, ecosystems) in facts.items():
        org = make_organisation(session, name=f"{name} Ltd", type=kind, country=country, nuts=None)
        org.is_sme, org.category_2021_2027 = sme, category
        session.add_all(
            OrganisationEcosystem(organisation_id=org.id, ecosystem=e) for e in ecosystems
        )
        person = make_person(session, email=f"{name.lower()}@ind.example.org", name=name)
        session.add(OrganisationMember(organisation_id=org.id, user_id=person.id))
        orgs[name], people[name] = org, person
    session.flush()
    return orgs, people


def _event(
    session: Session,
    world: IndicatorWorld,
    name: str,
    day: date,
    *,
    status: EventStatus = EventStatus.OPEN,
) -> Event:
    organiser = world.people["organiser"]
    event = make_event(
        session,
        organiser=organiser,
        name=name,
        status=status,
        sessions=((_at(day), _at(day) + HOUR),),
    )
    world.events[name] = event
    return event


def _participants(
    session: Session, world: IndicatorWorld, event: Event, names: str
) -> dict[str, EventParticipant]:
    found = {}
    for word in names.split():
        pending, name = word.endswith("?"), word.rstrip("?")
        status = ParticipantStatus.PENDING if pending else ParticipantStatus.VALIDATED
        found[name] = add_participant(
            session, event, user=world.people[name], organisation=world.orgs[name], status=status
        )
    return found


def _events(session: Session, world: IndicatorWorld) -> dict[tuple[str, str, str], Meeting]:
    meetings = {}
    for name, day, names, pairs, status in (
        (
            "E1",
            date(2026, 3, 10),
            "Alpha Beta Big Delta?",
            (
                ("Alpha", "Beta", MeetingStatus.ACCEPTED),
                ("Alpha", "Big", MeetingStatus.ACCEPTED),
                ("Beta", "Big", MeetingStatus.DECLINED),
            ),
            EventStatus.OPEN,
        ),
        (
            "E2",
            date(2026, 9, 15),
            "Alpha Big",
            (("Alpha", "Big", MeetingStatus.ACCEPTED),),
            EventStatus.PUBLISHED,
        ),
        (
            "E3",
            date(2026, 3, 10),
            "Xeno Alpha",
            (("Xeno", "Alpha", MeetingStatus.ACCEPTED),),
            EventStatus.OPEN,
        ),
        (
            "E4",
            date(2026, 3, 11),
            "Alpha Beta",
            (("Alpha", "Beta", MeetingStatus.ACCEPTED),),
            EventStatus.DRAFT,
        ),
    ):
        event = _event(session, world, name, day, status=status)
        parts = _participants(session, world, event, names)
        for a, b, meeting_status in pairs:
            meetings[(name, a, b)] = add_meeting(
                session, event, requester=parts[a], recipient=parts[b], status=meeting_status
            )
        if name != "E3":
            session.add(ProjectEvent(project_id=world.project.id, event_id=event.id))
    session.flush()
    return meetings


def _exchange(
    session: Session,
    world: IndicatorWorld,
    partnership: ExchangePartnership,
    visitor: str,
    host: str,
    state: ExchangeState,
) -> Exchange:
    sides = [
        make_participant(
            session,
            partnership=partnership,
            organisation=world.orgs[name],
            contact=world.people[name],
            role=role,
        )
        for name, role in ((visitor, ExchangeRole.VISITOR), (host, ExchangeRole.HOST))
    ]
    cancelled = state is ExchangeState.CANCELLED
    reported = datetime(2026, 5, 20, tzinfo=UTC) if state is ExchangeState.REPORTED else None
    exchange = Exchange(
        visitor_id=sides[0].id,
        host_id=sides[1].id,
        credited_partnership_id=partnership.id,
        state=state,
        start_date=date(2026, 5, 11),
        end_date=date(2026, 5, 15),
        activity_type=ActivityType.NETWORKING,
        working_days=5,
        distance_km=Decimal(500),
        threshold_eur=Decimal(1000),
        lump_sum_eur=Decimal(1000),
        halved=False,
        goals="g",
        objectives="o",
        agenda="a",
        report="done" if reported else "",
        report_submitted_at=reported,
        cancelled_at=datetime(2026, 5, 1, tzinfo=UTC) if cancelled else None,
        cancel_reason="ill" if cancelled else "",
    )
    session.add(exchange)
    session.flush()
    return exchange


def _payments(session: Session, world: IndicatorWorld) -> None:
    # The project's own open call: its manager runs it, so may count it (ADR 0040).
    call = ProgrammeCall(identifier="IND-OPEN", title="Open call", kind=CallKind.CASCADE,
                         call_file="", selection={}, created_by=world.manager)  # fmt: skip
    session.add(call)
    session.flush()
    session.add(ProjectCall(project_id=world.project.id, call_id=call.id))
    for name, payments in (
        ("Delta", (("10000.00", date(2026, 2, 1)), ("5000.50", date(2026, 8, 1)))),
        ("Alpha", (("2000", date(2026, 3, 1)),)),
    ):
        proposal = Proposal(
            call=call,
            organisation=world.orgs[name],
            acronym=name.upper(),
            title="Pilot",
            summary="",
            requested_grant=Decimal(20000),
            state=ProposalState.SUBMITTED,
            submitted_at=datetime(2026, 1, 10, tzinfo=UTC),
        )
        session.add(proposal)
        session.flush()
        for n, (amount, day) in enumerate(payments, start=1):
            session.add(
                CascadePayment(
                    proposal_id=proposal.id,
                    call_id=proposal.call_id,
                    amount=Decimal(amount),
                    paid_on=day,
                    reference=f"{name}-{n}",
                )
            )
    session.flush()


def _outcome(
    session: Session,
    org: Organisation,
    kind: OutcomeType,
    day: date,
    *,
    meeting_id: int | None = None,
    exchange_id: int | None = None,
) -> None:
    session.add(
        Outcome(
            organisation_id=org.id,
            meeting_id=meeting_id,
            exchange_id=exchange_id,
            type=kind,
            recorded_at=_at(day),
        )
    )


def make_indicator_world(session: Session) -> IndicatorWorld:
    """The world of the module docstring, flushed."""
    orgs, people = _organisations(session)
    coordinator = make_organisation(session, name="Ind Cluster")
    manager = make_person(session, email="manager@ind.example.org", name="Mona")
    session.add(OrganisationMember(organisation_id=coordinator.id, user_id=manager.id))
    project = MonitoredProject(
        name="Indicator test project",
        acronym="IND",
        kind=ProjectKind.EUROCLUSTER,
        description="",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        period_months=6,
        members=[
            MonitoredProjectMember(organisation_id=coordinator.id, role=ProjectRole.COORDINATOR)
        ],
    )
    session.add(project)
    session.flush()
    people["organiser"] = make_person(session, email="organiser@ind.example.org", name="Olga")
    world = IndicatorWorld(project, manager, orgs, people, {})
    meetings = _events(session, world)
    partnership = ExchangePartnership(name="IND partnership", country="DE")
    session.add(partnership)
    session.flush()
    session.add(ProjectPartnership(project_id=project.id, partnership_id=partnership.id))
    exchange = _exchange(session, world, partnership, "Alpha", "Beta", ExchangeState.REPORTED)
    _exchange(session, world, partnership, "Delta", "Alpha", ExchangeState.CANCELLED)
    _payments(session, world)
    ab, abig = meetings[("E1", "Alpha", "Beta")], meetings[("E1", "Alpha", "Big")]
    _outcome(
        session, orgs["Alpha"], OutcomeType.COMMERCIAL_AGREEMENT, date(2026, 4, 1), meeting_id=ab.id
    )
    _outcome(
        session, orgs["Beta"], OutcomeType.COMMERCIAL_AGREEMENT, date(2026, 5, 1), meeting_id=ab.id
    )
    _outcome(session, orgs["Beta"], OutcomeType.NO_FOLLOW_UP, date(2026, 5, 2), meeting_id=ab.id)
    _outcome(
        session,
        orgs["Alpha"],
        OutcomeType.RESEARCH_COOPERATION,
        date(2026, 6, 1),
        exchange_id=exchange.id,
    )
    _outcome(
        session,
        orgs["Alpha"],
        OutcomeType.TECHNICAL_COOPERATION,
        date(2026, 7, 20),
        meeting_id=abig.id,
    )
    xeno = meetings[("E3", "Xeno", "Alpha")]
    _outcome(
        session,
        orgs["Xeno"],
        OutcomeType.COMMERCIAL_AGREEMENT,
        date(2026, 4, 1),
        meeting_id=xeno.id,
    )
    session.flush()
    return world
