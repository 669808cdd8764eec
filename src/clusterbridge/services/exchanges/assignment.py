"""Participants' ranked preferences and the partnership-run assignment: its validated visitors
without an exchange and every validated host, with the hosts' capacities, assigned by the
engine (stable and visitor-optimal, or the most exchanges with its blocking pairs)."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from clusterbridge.db.models import ExchangeParticipant, User
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.enums import ExchangeRole, ValidationState
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.engines.exchanges import (
    AssignmentProblem,
    AssignmentResult,
    Host,
    Method,
    Visitor,
    solve,
)
from clusterbridge.services.exchanges.access import (
    ExchangeNotFoundError,
    acts_for,
    require_acts_for,
)

#: The longest ranked list a participant may keep.
MAX_PREFERENCES = 200


@dataclass(frozen=True, slots=True)
class AssignmentRun:
    """An assignment of a partnership's visitors: the engine's result over participant ids
    (as text) and the participants by id, to name them."""

    result: AssignmentResult
    participants: dict[int, ExchangeParticipant]


def set_preferences(
    session: Session, actor: User, participant_id: int, ranked: list[int]
) -> list[int]:
    """Replace a participant's ranked list of the other side (its contact or its
    partnership's members). Every entry must be a validated participant of the other role,
    listed once (``InvalidInputError`` naming each bad entry)."""
    participant = repository.get_participant(session, participant_id)
    if participant is None:
        raise ExchangeNotFoundError(f"No participant {participant_id}.")
    if participant.contact_id != actor.id and not acts_for(
        session, actor, participant.partnership_id
    ):
        raise AccessDeniedError("Only the participant or its partnership ranks its choices.")
    other_role = (
        ExchangeRole.HOST if participant.role is ExchangeRole.VISITOR else ExchangeRole.VISITOR
    )
    others = {
        p.id
        for p in repository.list_participants(
            session, state=ValidationState.VALIDATED, role=other_role
        )
    }
    issues = []
    if len(ranked) > MAX_PREFERENCES:
        issues.append(InputIssue("", "preferences", f"must have at most {MAX_PREFERENCES} entries"))
    seen: set[int] = set()
    for number, other in enumerate(ranked[:MAX_PREFERENCES]):
        if other not in others:
            issues.append(
                InputIssue(f"preferences[{number}]", "", f"{other} is not a validated {other_role}")
            )
        elif other in seen:
            issues.append(InputIssue(f"preferences[{number}]", "", f"{other} is listed twice"))
        seen.add(other)
    if issues:
        raise InvalidInputError("The preferences cannot be saved.", issues)
    repository.replace_preferences(session, participant_id, ranked)
    return ranked


def run_assignment(
    session: Session,
    actor: User,
    partnership_id: int,
    *,
    method: Method = Method.STABLE,
    time_limit: float = 10.0,
) -> AssignmentRun:
    """Assign the partnership's validated visitors who have no exchange yet to validated
    hosts from both sides' ranked lists and the hosts' capacities; a pair whose request the
    host accepted counts as listed by both (after what each ranked). Writes nothing: the
    partnership then sets up each exchange it keeps, with its dates."""
    require_acts_for(session, actor, partnership_id, doing="run the assignment")
    taken = repository.visitors_with_exchange(session)
    visitors = [
        p
        for p in repository.list_participants(
            session,
            partnership_id=partnership_id,
            state=ValidationState.VALIDATED,
            role=ExchangeRole.VISITOR,
        )
        if p.id not in taken
    ]
    hosts = repository.list_participants(
        session, state=ValidationState.VALIDATED, role=ExchangeRole.HOST
    )
    ids = [p.id for p in visitors + hosts]
    lists = _with_accepted(
        repository.preferences_of(session, ids), repository.accepted_pairs(session, ids)
    )
    visitor_ids, host_ids = {p.id for p in visitors}, {p.id for p in hosts}
    problem = AssignmentProblem(
        visitors=tuple(
            Visitor(str(p.id), tuple(str(h) for h in lists.get(p.id, []) if h in host_ids))
            for p in visitors
        ),
        hosts=tuple(
            Host(
                str(p.id),
                p.capacity,
                tuple(str(v) for v in lists.get(p.id, []) if v in visitor_ids),
            )
            for p in hosts
        ),
    )
    result = solve(problem, method=method, time_limit=time_limit)
    return AssignmentRun(result, {p.id: p for p in visitors + hosts})


def _with_accepted(
    lists: dict[int, list[int]], accepted: list[tuple[int, int]]
) -> dict[int, list[int]]:
    """The ranked lists with each accepted request's other side added at the end of each
    side's list where it is missing."""
    merged = {participant: list(ranked) for participant, ranked in lists.items()}
    for visitor, host in accepted:
        for mine, other in ((visitor, host), (host, visitor)):
            ranked = merged.setdefault(mine, [])
            if other not in ranked:
                ranked.append(other)
    return merged
