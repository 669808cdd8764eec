"""The demo partnership: real registry organisations with coordinates enrolled as visitors and
hosts, one waiting for validation, and one exchange waiting for its approvals."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Exchange,
    ExchangeParticipant,
    ExchangePartnership,
    ExchangePartnershipMember,
    ExchangeRequest,
    Organisation,
    User,
)
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.enums import (
    ActivityType,
    ExchangeRole,
    OrganisationKind,
    OrgType,
    RequestState,
    ValidationState,
)
from clusterbridge.engines.exchanges import Programme
from clusterbridge.services.exchanges.workflow import Proposal, build_exchange

DEMO_PARTNERSHIP = "Demo ClusterXchange partnership"
#: Registry types taken as they are: the programme accepts them without cluster membership.
_KINDS = {
    OrgType.CLUSTER_ORGANISATION: OrganisationKind.CLUSTER_ORGANISATION,
    OrgType.CLUSTER_NETWORK: OrganisationKind.CLUSTER_ORGANISATION,
    OrgType.BUSINESS_NETWORK: OrganisationKind.BUSINESS_NETWORK,
}
_PARTICIPANTS = 6
#: The visitor and host (by enrolment order) of the demo's accepted request.
_REQUEST_PAIR = (2, 3)
_DAYS_AHEAD = 60


@dataclass(frozen=True, slots=True)
class DemoExchanges:
    """The demo partnership's id (None without organisations to enrol) and its counts."""

    partnership_id: int | None
    participants: int
    exchanges: int


def prepare_demo_exchanges(
    session: Session, manager: User, *, programme: Programme, now: datetime
) -> DemoExchanges:
    """Unless it exists, create the demo partnership with ``manager`` acting for it, enrol
    registry cluster organisations and business networks with coordinates from different
    programme countries (visitors and hosts, all validated but the last), and set up one
    exchange about two months ahead, and (with five participants or more) a request a host
    accepted. Writes; sends no mail."""
    existing = repository.find_partnership_by_name(session, DEMO_PARTNERSHIP)
    if existing is not None:
        return _counts(session, existing.id)
    organisations = _one_per_country(session, programme)
    if len(organisations) < 2:
        return DemoExchanges(None, 0, 0)
    partnership = ExchangePartnership(name=DEMO_PARTNERSHIP, country=organisations[0].country)
    partnership.members = [ExchangePartnershipMember(user=manager)]
    session.add(partnership)
    people = [
        _participant(partnership, manager, organisation, number, now=now)
        for number, organisation in enumerate(organisations)
    ]
    people[-1].state, people[-1].decided_at = ValidationState.PENDING, None
    session.add_all(people)
    session.flush()
    start = (now + timedelta(days=_DAYS_AHEAD)).date()
    start += timedelta(days=(7 - start.weekday()) % 7)  # the Monday on or after
    proposal = Proposal(
        visitor_id=people[0].id,
        host_id=people[1].id,
        start=start,
        end=start + timedelta(days=4),
        activity_type=ActivityType.KNOWLEDGE_SHARING,
        goals="Learn how the host cluster runs its services for SMEs.",
        objectives="Two services to try at home; one joint project idea.",
        agenda="Monday: introductions. Tuesday to Thursday: visits to members. Friday: wrap-up.",
    )
    build_exchange(session, programme, people[0], people[1], proposal, today=now.date())
    _accepted_request(session, people, now=now)
    return DemoExchanges(partnership.id, len(people), 1)


def _accepted_request(
    session: Session, people: list[ExchangeParticipant], *, now: datetime
) -> None:
    """The second visitor's request the second host accepted (when both are validated), for
    the partnership's page and its assignment."""
    if len(people) < _REQUEST_PAIR[1] + 2:
        return
    visitor, host = (people[number] for number in _REQUEST_PAIR)
    session.add(
        ExchangeRequest(
            visitor=visitor,
            host=host,
            message="We would like to see how your members share their test labs.",
            state=RequestState.ACCEPTED,
            is_open=None,
            answer="Welcome: the first week of a month suits us best.",
            answered_at=now,
        )
    )
    session.flush()


def _counts(session: Session, partnership_id: int) -> DemoExchanges:
    """The participants of the partnership and the exchanges of its visitors."""
    enrolled = sa.select(ExchangeParticipant.id).where(
        ExchangeParticipant.partnership_id == partnership_id
    )
    participants = session.scalar(sa.select(sa.func.count()).select_from(enrolled.subquery()))
    exchanges = session.scalar(
        sa.select(sa.func.count()).select_from(Exchange).where(Exchange.visitor_id.in_(enrolled))
    )
    return DemoExchanges(partnership_id, participants or 0, exchanges or 0)


def _one_per_country(session: Session, programme: Programme) -> list[Organisation]:
    candidates = repository.located_organisations(
        session,
        types=tuple(_KINDS),
        countries=frozenset(programme.lump_sum.thresholds) & programme.participants.countries,
        limit=500,
    )
    chosen: dict[str, Organisation] = {}
    for organisation in candidates:
        chosen.setdefault(organisation.country, organisation)
    return list(chosen.values())[:_PARTICIPANTS]


def _participant(
    partnership: ExchangePartnership,
    manager: User,
    organisation: Organisation,
    number: int,
    *,
    now: datetime,
) -> ExchangeParticipant:
    assert organisation.type is not None  # the query keeps typed organisations only
    assert organisation.latitude is not None
    assert organisation.longitude is not None
    role = ExchangeRole.VISITOR if number % 2 == 0 else ExchangeRole.HOST
    return ExchangeParticipant(
        partnership=partnership,
        organisation=organisation,
        contact=manager,
        role=role,
        kind=_KINDS[organisation.type],
        country=organisation.country,
        cluster_member=None,
        place=organisation.city or organisation.name,
        latitude=organisation.latitude,
        longitude=organisation.longitude,
        motivation=f"{organisation.name} takes part in the demo of the exchange scheme.",
        activity_types=[str(ActivityType.KNOWLEDGE_SHARING), str(ActivityType.NETWORKING)],
        capacity=2 if role is ExchangeRole.HOST else 1,
        state=ValidationState.VALIDATED,
        decided_at=now,
    )
