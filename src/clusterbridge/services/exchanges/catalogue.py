"""The catalogue of validated participants with matching suggestions: for a validated visitor,
the validated hosts of any partnership in another country; for a host, the validated visitors
without an exchange; ranked by the overlap of their registry profiles and enrolments, each
with its reasons (``engines.exchanges.catalogue``)."""

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from clusterbridge.db.models import ExchangeParticipant, User
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.enums import ExchangeRole, TechnologyDirection, ValidationState
from clusterbridge.domain.errors import AccessDeniedError
from clusterbridge.engines.exchanges import CatalogueProfile, Topic, rank_catalogue
from clusterbridge.reference import UnknownEcosystemError, get_ecosystem
from clusterbridge.services.exchanges.access import (
    ExchangeConflictError,
    ExchangeNotFoundError,
    acts_for,
)
from clusterbridge.services.registry.keys import name_key


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    """A participant of the other side, its score and why it is suggested."""

    participant: ExchangeParticipant
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The participant the catalogue is for and the other side, best suggestion first."""

    participant: ExchangeParticipant
    items: list[CatalogueItem]


def participant_catalogue(session: Session, actor: User, participant_id: int) -> Catalogue:
    """The other side for a validated participant (its contact, its partnership's members
    and administrators): hosts with room (capacity above 0) for a visitor, visitors who have
    no exchange yet for a host, in another country, ranked with reasons. Reads only."""
    me = visible_participant(session, actor, participant_id)
    if me.state is not ValidationState.VALIDATED:
        raise ExchangeConflictError("The catalogue opens once the partnership validates you.")
    others = _other_side(session, me)
    profiles = _profiles(session, [me, *others])
    by_id = {p.id: p for p in others}
    ranked = rank_catalogue(profiles[me.id], [profiles[p.id] for p in others])
    items = [CatalogueItem(by_id[s.id], s.score, s.reasons) for s in ranked]
    return Catalogue(me, items)


def visible_participant(session: Session, actor: User, participant_id: int) -> ExchangeParticipant:
    """The participant (organisation, partnership and contact loaded) for its contact, its
    partnership's members and administrators; ``AccessDeniedError`` for anyone else."""
    participant = repository.get_participant(session, participant_id)
    if participant is None:
        raise ExchangeNotFoundError(f"No participant {participant_id}.")
    if participant.contact_id != actor.id and not acts_for(
        session, actor, participant.partnership_id
    ):
        raise AccessDeniedError("Only the participant or its partnership sees this profile.")
    return participant


def _other_side(session: Session, me: ExchangeParticipant) -> list[ExchangeParticipant]:
    if me.role is ExchangeRole.VISITOR:
        hosts = repository.list_participants(
            session, state=ValidationState.VALIDATED, role=ExchangeRole.HOST
        )
        return [host for host in hosts if host.capacity > 0]
    taken = repository.visitors_with_exchange(session)
    visitors = repository.list_participants(
        session, state=ValidationState.VALIDATED, role=ExchangeRole.VISITOR
    )
    return [visitor for visitor in visitors if visitor.id not in taken]


def _profiles(
    session: Session, participants: list[ExchangeParticipant]
) -> dict[int, CatalogueProfile]:
    organisations = sorted({p.organisation_id for p in participants})
    topics: defaultdict[tuple[int, str], list[Topic]] = defaultdict(list)
    for number, direction, label, code in repository.technologies_of(session, organisations):
        topics[number, str(direction)].append(Topic(code or name_key(label), label))
    ecosystems: defaultdict[int, list[str]] = defaultdict(list)
    for number, ecosystem in repository.ecosystems_of(session, organisations):
        ecosystems[number].append(_ecosystem_name(ecosystem))
    return {
        p.id: CatalogueProfile(
            id=p.id,
            name=p.organisation.name,
            country=p.country,
            offered=tuple(topics[p.organisation_id, TechnologyDirection.OFFERED.value]),
            needed=tuple(topics[p.organisation_id, TechnologyDirection.NEEDED.value]),
            ecosystems=tuple(ecosystems[p.organisation_id]),
            sectors=tuple(p.preferred_sectors),
            preferred_countries=tuple(p.preferred_countries),
            activity_types=tuple(a.replace("_", " ") for a in p.activity_types),
        )
        for p in participants
    }


def _ecosystem_name(slug: str) -> str:
    try:
        return get_ecosystem(slug).name
    except UnknownEcosystemError:
        return slug
