"""Hall's condition before the search: a pigeonhole answered by matching, not by CDCL."""

import pytest

from clusterbridge.domain.enums import SolveStatus
from clusterbridge.domain.scheduling import check_schedule
from clusterbridge.engines.scheduling import Meeting, SchedulingProblem, solve
from clusterbridge.engines.scheduling.bounds import (
    max_matching,
    missing_floor,
    participant_capacity,
    surely_infeasible,
)

pytestmark = pytest.mark.unit


def star(*, slots: int, unavailable: dict[int | str, set[int]] | None = None) -> SchedulingProblem:
    """Participant 1 meets 2, 3 and 4."""
    return SchedulingProblem(
        participants=4,
        slots=slots,
        meetings=(Meeting(1, 2), Meeting(1, 3), Meeting(1, 4)),
        unavailable=unavailable or {},
    )


def test_a_participant_with_more_meetings_than_usable_slots_is_short() -> None:
    problem = star(slots=4, unavailable={1: {2, 3}})

    assert participant_capacity(problem.index) == {0: 2}
    assert surely_infeasible(problem.index)


def test_enough_slots_pass_the_participant_and_room_matchings() -> None:
    problem = star(slots=3)

    assert participant_capacity(problem.index) == {}
    assert not surely_infeasible(problem.index)


def test_rooms_that_cannot_hold_every_meeting_in_its_session() -> None:
    problem = SchedulingProblem(
        participants=6,
        slots=2,
        sessions=(1, 1),
        meetings=(Meeting(1, 2, session=1), Meeting(3, 4, session=1), Meeting(5, 6)),
        rooms=1,
    )

    assert participant_capacity(problem.index) == {}
    assert max_matching(problem.index.allowed, range(3), capacity=1) == 2
    assert surely_infeasible(problem.index)


def test_solve_answers_infeasible_from_the_matching_and_partial_places_the_most() -> None:
    problem = star(slots=4, unavailable={1: {2, 3}})

    assert solve(problem, time_limit=10, require_all=True).status is SolveStatus.INFEASIBLE
    partial = solve(problem, time_limit=10)
    assert (partial.status, len(partial.unplaced), partial.breaks) == (SolveStatus.OPTIMAL, 1, 1)


def test_the_missing_floor_leaves_out_the_cheapest_meetings() -> None:
    weighted = SchedulingProblem(
        participants=6,
        slots=1,
        meetings=(Meeting(1, 2, priority=3), Meeting(3, 4, priority=1), Meeting(5, 6, priority=2)),
        rooms=2,
    )
    short = star(slots=4, unavailable={1: {2, 3}})

    assert missing_floor(weighted.index) == 1
    assert missing_floor(short.index) == 1
    assert missing_floor(star(slots=3).index) == 0


def test_more_meetings_than_room_slots_get_the_most_placed_within_the_time() -> None:
    pairs = [(a, b) for a in range(1, 9) for b in range(a + 1, 9)]  # 28 meetings
    problem = SchedulingProblem(
        participants=8, slots=9, meetings=tuple(Meeting(a, b) for a, b in pairs), rooms=3
    )

    result = solve(problem, time_limit=5, workers=1)

    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert len(result.unplaced) == 1
    assert check_schedule(problem, result.schedule) == []
