"""Ejection chains: the fewest moves, then the fewest added breaks; started meetings stay."""

import math

import pytest

from clusterbridge.engines.scheduling import Meeting, SchedulingProblem
from clusterbridge.engines.scheduling.eject import Ejection

pytestmark = pytest.mark.unit


def chain_problem() -> SchedulingProblem:
    """Meeting 3 (0-based; 1-2) fits only in slot 0 by moving meeting 0 to slot 1 and meeting
    1 on to slot 2 (see test_solve for the story)."""
    return SchedulingProblem(
        participants=5,
        slots=3,
        meetings=(Meeting(1, 3), Meeting(1, 4), Meeting(2, 5), Meeting(1, 2)),
        unavailable={2: [2], 3: [3], 5: [1, 2]},
    )


def test_insert_finds_the_two_move_chain() -> None:
    index = chain_problem().index

    found = Ejection(index, {0: 0, 1: 1, 2: 2}, current=0).insert(3, deadline=math.inf)

    assert found == {0: 1, 1: 2, 2: 2, 3: 0}


def test_insert_gives_up_when_the_chain_would_move_a_started_meeting() -> None:
    index = chain_problem().index

    found = Ejection(index, {0: 0, 1: 1, 2: 2}, current=1).insert(3, deadline=math.inf)

    assert found is None


def test_insert_prefers_the_move_adding_fewer_breaks() -> None:
    # 1-2 new; participant 1 meets 3 in slot 0 and 4 in slot 1 (pinned), 2 meets 5 in slot 2
    # and cannot meet in slots 3-4. One move is needed; of those, only "new in slot 2, 2-5 to
    # slot 1" leaves nobody a break (2-5 to slot 0, or 1-3 out of slot 0, add one).
    problem = SchedulingProblem(
        participants=5,
        slots=5,
        meetings=(Meeting(1, 3), Meeting(1, 4, pinned_slot=2), Meeting(2, 5), Meeting(1, 2)),
        unavailable={2: [4, 5]},
    )

    found = Ejection(problem.index, {0: 0, 1: 1, 2: 2}, current=0).insert(3, deadline=math.inf)

    assert found == {0: 0, 1: 1, 2: 1, 3: 2}
