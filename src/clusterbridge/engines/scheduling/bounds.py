"""Necessary conditions for placing every meeting, by bipartite matching (Hall's condition).

A participant's meetings need distinct slots, and a slot holds at most ``rooms`` meetings: both
are matchings of meetings to slots. When one of them cannot place every meeting, neither can any
schedule. CDCL solvers cannot see this (it is a pigeonhole argument, exponential for
resolution): on `forum-14.forb0007` one participant has 22 meetings and 21 usable slots, and
CaDiCaL ran past 60 s without an answer, where the matching answers in milliseconds.
"""

from collections.abc import Iterable, Sequence

from clusterbridge.domain.scheduling.problem import ProblemIndex


def participant_capacity(index: ProblemIndex) -> dict[int, int]:
    """Participant → the most of its meetings that can take distinct allowed slots, for the
    participants who cannot have all of them."""
    short = {}
    for p, meetings in enumerate(index.of):
        most = max_matching(index.allowed, meetings, capacity=1)
        if most < len(meetings):
            short[p] = most
    return short


def surely_infeasible(index: ProblemIndex) -> bool:
    """Whether no schedule can place every meeting: some participant's meetings cannot take
    distinct slots, or the rooms cannot hold every meeting in its allowed slots."""
    if participant_capacity(index):
        return True
    if index.rooms is None:
        return False
    everyone = range(len(index.pairs))
    return max_matching(index.allowed, everyone, capacity=index.rooms) < len(index.pairs)


def missing_floor(index: ProblemIndex) -> int:
    """A lower bound on the (priority-weighted) meetings any schedule leaves out: the rooms
    hold at most a matching's worth of meetings, and each participant at most a matching's
    worth of its own, and the cheapest meetings are the ones left out. Proving that a schedule
    leaving out this many is the best is a pigeonhole argument CDCL cannot make; the matching
    makes it in milliseconds."""
    floors = [0]
    for p, held in participant_capacity(index).items():
        weights = sorted(index.weights[m] for m in index.of[p])
        floors.append(sum(weights[: len(weights) - held]))
    if index.rooms is not None:
        everyone = range(len(index.pairs))
        held = max_matching(index.allowed, everyone, capacity=index.rooms)
        weights = sorted(index.weights)
        floors.append(sum(weights[: len(weights) - held]))
    return max(floors)


def max_matching(
    allowed: Sequence[Sequence[int]], meetings: Iterable[int], *, capacity: int
) -> int:
    """How many of ``meetings`` can take one of their ``allowed`` slots each, at most
    ``capacity`` meetings to a slot (augmenting paths)."""
    holders: dict[int, list[int]] = {}

    def augment(m: int, seen: set[int]) -> bool:
        for t in allowed[m]:
            if t in seen:
                continue
            seen.add(t)
            held = holders.setdefault(t, [])
            if len(held) < capacity:
                held.append(m)
                return True
            for i, other in enumerate(held):
                if augment(other, seen):
                    held[i] = m
                    return True
        return False

    return sum(1 for m in meetings if augment(m, set()))
