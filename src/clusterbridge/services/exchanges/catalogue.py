"""The catalogue of validated participants with matching suggestions: for a validated visitor,
the validated hosts of any partnership in another country; for a host, the validated visitors
without an exchange; ranked by the partner-matching engine's similarity of their registry
profiles (the light default: TF-IDF topics, past projects, technologies, ecosystems, SME
profiles; no sentence model) and what their enrolments share, each with its reasons
(``engines.exchanges.catalogue``)."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from clusterbridge.db.models import ExchangeParticipant, User
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.enums import ExchangeRole, ValidationState
from clusterbridge.domain.errors import AccessDeniedError
from clusterbridge.engines.exchanges import CatalogueProfile, Similarity, rank_catalogue
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.profile import MatchQuery
from clusterbridge.engines.matching.reasons import explain
from clusterbridge.engines.matching.score import (
    Scored,
    band_of,
    is_needs_question,
    score_rows,
    vectorise,
    weights_for,
)
from clusterbridge.services.exchanges.access import (
    ExchangeConflictError,
    ExchangeNotFoundError,
    reads_partnership,
)
from clusterbridge.services.matching.index import MatchIndexCache


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    """A participant of the other side, its match (0-100) and why it is suggested."""

    participant: ExchangeParticipant
    score: int
    reasons: tuple[str, ...]

    @property
    def band(self) -> str:
        """``strong``, ``good`` or ``weak``: the band of the match, as partner suggestions
        show it."""
        return band_of(self.score)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """The participant the catalogue is for and the other side, best suggestion first."""

    participant: ExchangeParticipant
    items: list[CatalogueItem]


def participant_catalogue(
    session: Session, actor: User, participant_id: int, *, cache: MatchIndexCache
) -> Catalogue:
    """The other side for a validated participant (its contact, its partnership's members
    and administrators; programme officers read it): hosts with room (capacity above 0) for a visitor, visitors who have
    no exchange yet (or only cancelled ones) for a host, in another country, ranked with
    reasons. The registry's matching index comes from ``cache`` (built when the registry
    changed). Reads only."""
    me = visible_participant(session, actor, participant_id)
    if me.state is not ValidationState.VALIDATED:
        raise ExchangeConflictError("The catalogue opens once the partnership validates you.")
    others = _other_side(session, me)
    similarity = registry_similarity(cache.get(session), me.organisation_id, others)
    by_id = {p.id: p for p in others}
    ranked = rank_catalogue(_profile(me), [_profile(p) for p in others], similarity)
    items = [CatalogueItem(by_id[s.id], s.score, s.reasons) for s in ranked]
    return Catalogue(me, items)


def registry_similarity(
    index: MatchIndex, organisation_id: int, others: list[ExchangeParticipant]
) -> dict[int, Similarity]:
    """The matching engine's weighted score and reasons for each of ``others`` (by
    participant id) as a partner of ``organisation_id``, with the light default weights
    (a needs question when the organisation needs technologies, as partner suggestions
    ask it). Organisations the index does not hold yet get nothing. Pure over ``index``."""
    if organisation_id not in index.rows:
        return {}
    query = MatchQuery(members=(organisation_id,))
    vectors = vectorise(index, query, dense=None)
    weights = weights_for(vectors, needs=is_needs_question(index, query))
    scores, signals = score_rows(index, vectors, query, weights)
    found = {}
    for other in others:
        row = index.rows.get(other.organisation_id)
        if row is None or other.organisation_id == organisation_id:
            continue
        values = {name: float(column[row]) for name, column in signals.items()}
        scored = Scored(row, float(scores[row]), values)
        found[other.id] = Similarity(scored.score, tuple(explain(index, query, vectors, scored)))
    return found


def visible_participant(session: Session, actor: User, participant_id: int) -> ExchangeParticipant:
    """The participant (organisation, partnership and contact loaded) for its contact, its
    partnership's members and administrators, and programme officers, who read it only;
    ``AccessDeniedError`` for anyone else."""
    participant = repository.get_participant(session, participant_id)
    if participant is None:
        raise ExchangeNotFoundError(f"No participant {participant_id}.")
    if participant.contact_id != actor.id and not reads_partnership(
        session, actor, participant.partnership_id
    ):
        raise AccessDeniedError(
            "Only the participant, its partnership and programme officers see this profile."
        )
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


def _profile(participant: ExchangeParticipant) -> CatalogueProfile:
    return CatalogueProfile(
        id=participant.id,
        name=participant.organisation.name,
        country=participant.country,
        sectors=tuple(participant.preferred_sectors),
        preferred_countries=tuple(participant.preferred_countries),
        activity_types=tuple(a.replace("_", " ") for a in participant.activity_types),
    )
