"""Kempe-chain local search: never more breaks, never a broken constraint, same seed same result."""

import random

import pytest

from clusterbridge.domain.scheduling import Meeting, SchedulingProblem, check_schedule, seat
from clusterbridge.domain.scheduling.breaks import first_fit, participant_breaks
from clusterbridge.engines.scheduling.local import improve_breaks

pytestmark = pytest.mark.unit


def planted(seed: int) -> SchedulingProblem:
    """40 participants, 8 slots in two sessions, a random matching per slot; some meetings keep
    their planted session, one participant is unavailable in slot 1."""
    rng = random.Random(seed)
    meetings: dict[frozenset[int], Meeting] = {}
    people = list(range(1, 41))
    for t in range(8):
        rng.shuffle(people)
        for i in range(12):
            a, b = people[2 * i], people[2 * i + 1]
            session = (1 if t < 4 else 2) if rng.random() < 0.3 else None
            meetings.setdefault(frozenset((a, b)), Meeting(a, b, session=session))
    return SchedulingProblem(
        participants=40,
        slots=8,
        sessions=(4, 4),
        meetings=tuple(meetings.values()),
        unavailable={7: [1]},
        rooms=12,
    )


def test_improve_breaks_keeps_the_schedule_valid_and_never_adds_breaks() -> None:
    problem = planted(3)
    start = first_fit(problem)

    better = improve_breaks(problem.index, start, time_limit=0.3, seed=1)

    assert set(better) == set(start)
    assert check_schedule(problem, seat(better)) == []
    assert sum(participant_breaks(problem.index, better)) < sum(
        participant_breaks(problem.index, start)
    )


def test_improve_breaks_is_deterministic_for_a_seed_and_a_move_budget() -> None:
    problem = planted(4)
    start = first_fit(problem)

    first = improve_breaks(problem.index, start, time_limit=60, seed=5, moves=3000)
    again = improve_breaks(problem.index, start, time_limit=60, seed=5, moves=3000)

    assert first == again
    assert first != start
