"""`solve` and `repair` on hand-made problems with a known optimum; results pass the checker."""

import itertools

import pytest

from clusterbridge.domain.enums import SolveStatus
from clusterbridge.domain.scheduling import seat
from clusterbridge.engines.scheduling import (
    Assignment,
    Meeting,
    Schedule,
    SchedulingProblem,
    check_schedule,
    count_breaks,
    repair,
    solve,
)

pytestmark = pytest.mark.unit


def triangle(*, priorities: tuple[int, int, int] = (1, 1, 1)) -> SchedulingProblem:
    """Three participants who all meet each other in three slots: whoever sits out the middle
    slot has a break, so the optimum is one break."""
    pairs = ((1, 2), (1, 3), (2, 3))
    return SchedulingProblem(
        participants=3,
        slots=3,
        meetings=tuple(
            Meeting(a, b, priority=w) for (a, b), w in zip(pairs, priorities, strict=True)
        ),
    )


def test_solve_triangle_has_one_break_proven() -> None:
    result = solve(triangle(), time_limit=10)

    assert (result.status, result.breaks, result.bound, result.unplaced) == (
        SolveStatus.OPTIMAL,
        1,
        1,
        (),
    )
    assert result.schedule is not None
    assert check_schedule(triangle(), result.schedule, require_all=True) == []
    assert count_breaks(triangle(), result.schedule) == 1


def test_solve_triangle_with_zero_fairness_and_every_meeting_is_infeasible() -> None:
    result = solve(triangle(), time_limit=10, fairness=0, require_all=True)

    assert (result.status, result.schedule, result.breaks) == (SolveStatus.INFEASIBLE, None, None)


def test_solve_leaves_out_the_lowest_priority_meeting_when_not_all_fit() -> None:
    problem = triangle(priorities=(3, 2, 1))

    result = solve(problem, time_limit=10, fairness=0)

    assert (result.status, result.breaks, result.unplaced) == (SolveStatus.OPTIMAL, 0, (3,))
    assert result.schedule is not None
    assert check_schedule(problem, result.schedule, fairness=0) == []


def brute_force_optimum(problem: SchedulingProblem, fairness: int | None) -> int:
    """The fewest breaks over every assignment of slots that the checker accepts."""
    best = None
    for slots in itertools.product(range(1, problem.slots + 1), repeat=len(problem.meetings)):
        schedule = seat({m: t - 1 for m, t in enumerate(slots)})
        if not check_schedule(problem, schedule, fairness=fairness, require_all=True):
            breaks = count_breaks(problem, schedule)
            best = breaks if best is None else min(best, breaks)
    assert best is not None
    return best


def assert_optimal_as_brute_force(problem: SchedulingProblem, fairness: int | None) -> int:
    """`solve` proves the brute-force optimum with every meeting placed, and the checker
    accepts its schedule; returns the optimum."""
    result = solve(problem, time_limit=10, fairness=fairness, require_all=True)

    assert result.schedule is not None
    assert check_schedule(problem, result.schedule, fairness=fairness, require_all=True) == []
    optimum = brute_force_optimum(problem, fairness=fairness)
    assert (result.status, result.breaks, result.bound) == (SolveStatus.OPTIMAL, optimum, optimum)
    return optimum


def test_solve_respects_rooms_pins_sessions_and_precedences() -> None:
    problem = SchedulingProblem(
        participants=4,
        slots=5,
        sessions=(2, 3),
        meetings=(
            Meeting(1, 2, pinned_slot=3),
            Meeting(1, 3),
            Meeting(2, 4, session=1),
            Meeting(3, 4),
            Meeting(1, 4),
        ),
        unavailable={3: [4]},
        precedences=((4, 2),),
        rooms=1,
    )

    assert assert_optimal_as_brute_force(problem, fairness=1) == 2


def test_solve_gives_a_participant_that_no_window_fits_its_one_break() -> None:
    # Participant 1 meets 2, 3 and 4 in four slots but cannot meet in slot 2: no three
    # consecutive slots are free, so it has a break; with fairness 1, exactly one (its meetings
    # fill two blocks, slot 1 and slots 3-4).
    problem = SchedulingProblem(
        participants=4,
        slots=4,
        meetings=(Meeting(1, 2), Meeting(1, 3), Meeting(1, 4)),
        unavailable={1: [2]},
        rooms=1,
    )

    result = solve(problem, time_limit=10, fairness=1, require_all=True)

    assert (result.status, result.breaks, result.bound) == (SolveStatus.OPTIMAL, 1, 1)
    assert result.schedule is not None
    assert sorted(a.slot for a in result.schedule.assignments) == [1, 3, 4]


@pytest.mark.parametrize("fairness", [None, 1, 2])
def test_solve_with_a_participant_that_no_window_fits_matches_brute_force(
    fairness: int | None,
) -> None:
    # Participant 1 (three meetings) cannot meet in slots 3 and 5 of 6, so every window of
    # three consecutive slots is closed to it; one room for six meetings (participant 2's
    # meetings with 3 and 4 count for the room as one group, participant 1's as another).
    problem = SchedulingProblem(
        participants=5,
        slots=6,
        meetings=(
            Meeting(1, 2),
            Meeting(1, 3),
            Meeting(1, 4),
            Meeting(2, 3),
            Meeting(2, 4),
            Meeting(4, 5),
        ),
        unavailable={1: [3, 5], 2: [1]},
        rooms=1,
    )

    assert_optimal_as_brute_force(problem, fairness)


def test_solve_with_zero_fairness_when_everyone_must_break_gives_everyone_one() -> None:
    # A cycle of four meetings; nobody can meet in slot 2, so each participant meets in slots 1
    # and 3: one break each, equal, hence fair with d = 0.
    problem = SchedulingProblem(
        participants=4,
        slots=3,
        meetings=(Meeting(1, 2), Meeting(2, 3), Meeting(3, 4), Meeting(4, 1)),
        unavailable={p: [2] for p in range(1, 5)},
    )

    result = solve(problem, time_limit=10, fairness=0, require_all=True)

    assert (result.status, result.breaks, result.bound) == (SolveStatus.OPTIMAL, 4, 4)
    assert result.schedule is not None
    assert check_schedule(problem, result.schedule, fairness=0, require_all=True) == []


@pytest.mark.parametrize("fairness", [0, 1])
def test_solve_fairness_without_a_calm_participant_matches_brute_force(fairness: int) -> None:
    # Everyone has three meetings, so nobody is sure to have no break: fairness bounds the
    # difference to the fewest breaks, not each participant's breaks.
    problem = SchedulingProblem(
        participants=4,
        slots=5,
        meetings=tuple(Meeting(a, b) for a, b in itertools.combinations(range(1, 5), 2)),
        unavailable={1: [2], 2: [4], 4: [3]},
    )

    assert_optimal_as_brute_force(problem, fairness)


def test_repair_places_a_new_meeting_without_moving_anyone() -> None:
    problem = SchedulingProblem(
        participants=3, slots=4, meetings=(Meeting(1, 2), Meeting(2, 3), Meeting(1, 3))
    )
    before = Schedule.of([Assignment(1, 1, 1), Assignment(2, 2, 1)])

    result = repair(problem, before, current_slot=1)

    assert result.schedule is not None
    assert result.schedule.assignments == (
        Assignment(1, 1, 1),
        Assignment(2, 2, 1),
        Assignment(3, 3, 1),
    )
    assert (result.status, result.moved, result.unplaced, result.breaks) == (
        SolveStatus.OPTIMAL,
        (),
        (),
        1,
    )


def test_repair_moves_the_fewest_later_meetings_and_never_started_ones() -> None:
    problem = SchedulingProblem(
        participants=4,
        slots=3,
        meetings=(Meeting(1, 2), Meeting(3, 4), Meeting(1, 3), Meeting(2, 4)),
        rooms=2,
    )
    # Slot 1 has started; meetings 1 and 2 are there. Meeting 3 sits in slot 2 and meeting 4,
    # newly accepted, needs participants 2 and 4, who are free in slots 2 and 3 alike.
    before = Schedule.of([Assignment(1, 1, 1), Assignment(2, 1, 2), Assignment(3, 3, 1)])

    result = repair(problem, before, current_slot=1)

    assert result.schedule is not None
    assert check_schedule(problem, result.schedule, require_all=True) == []
    slots = {a.meeting: a.slot for a in result.schedule.assignments}
    assert (slots[1], slots[2]) == (1, 1)
    assert (result.moved, result.unplaced) == ((), ())


def test_repair_moves_one_meeting_when_the_new_one_cannot_fit_otherwise() -> None:
    problem = SchedulingProblem(
        participants=4,
        slots=3,
        meetings=(Meeting(1, 2), Meeting(1, 3), Meeting(1, 4)),
        unavailable={4: [3]},
    )
    before = Schedule.of([Assignment(1, 1, 1), Assignment(2, 2, 1)])

    result = repair(problem, before, current_slot=1)

    assert result.schedule is not None
    assert check_schedule(problem, result.schedule, require_all=True) == []
    assert {a.meeting: a.slot for a in result.schedule.assignments} == {1: 1, 2: 3, 3: 2}
    assert (result.status, result.moved, result.unplaced, result.breaks) == (
        SolveStatus.OPTIMAL,
        (2,),
        (),
        0,
    )


def test_repair_moves_a_chain_of_two_when_no_single_move_makes_room() -> None:
    # New meeting 4 (1-2): participant 2 cannot meet in slot 2 and is held in slot 3 by
    # meeting 3 (participant 5 has only slot 3). In slot 1, meeting 1 must leave; participant 3
    # cannot take slot 3, so it takes slot 2 and pushes meeting 2 on to slot 3.
    problem = SchedulingProblem(
        participants=5,
        slots=3,
        meetings=(Meeting(1, 3), Meeting(1, 4), Meeting(2, 5), Meeting(1, 2)),
        unavailable={2: [2], 3: [3], 5: [1, 2]},
    )
    before = Schedule.of([Assignment(1, 1, 1), Assignment(2, 2, 1), Assignment(3, 3, 1)])

    result = repair(problem, before, current_slot=0)

    assert result.schedule is not None
    assert check_schedule(problem, result.schedule, require_all=True) == []
    assert result.schedule.slot_of() == {1: 2, 2: 3, 3: 3, 4: 1}
    assert (result.status, result.moved, result.unplaced, result.breaks) == (
        SolveStatus.FEASIBLE,
        (1, 2),
        (),
        1,
    )


def test_repair_never_moves_a_started_meeting_to_make_room() -> None:
    # The only way in would be to move meeting 1, which has started: the new one stays out.
    problem = SchedulingProblem(
        participants=3,
        slots=2,
        meetings=(Meeting(1, 3), Meeting(2, 3), Meeting(1, 2)),
    )
    before = Schedule.of([Assignment(1, 1, 1), Assignment(2, 2, 1)])

    result = repair(problem, before, current_slot=1)

    assert result.schedule is not None
    assert result.schedule.slot_of() == {1: 1, 2: 2}
    assert (result.moved, result.unplaced) == ((), (3,))


def test_repair_with_a_fairness_bound_prefers_the_placement_that_keeps_it() -> None:
    # New meeting 5 (3-4). Slot 3 and slot 4 both add two breaks, but slot 3 gives participant
    # 4 two breaks (slots 1, 3, 5) while participant 1 has none: a spread of 2. Slot 4 gives
    # participants 3 and 4 one break each.
    problem = SchedulingProblem(
        participants=5,
        slots=6,
        meetings=(Meeting(1, 2), Meeting(2, 4), Meeting(3, 5), Meeting(1, 4), Meeting(3, 4)),
    )
    before = Schedule.of(
        [Assignment(1, 4, 1), Assignment(2, 1, 1), Assignment(3, 2, 1), Assignment(4, 5, 1)]
    )

    free = repair(problem, before, current_slot=0)
    fair = repair(problem, before, current_slot=0, fairness=1)

    assert free.schedule is not None
    assert fair.schedule is not None
    assert (free.schedule.slot_of()[5], free.breaks) == (3, 3)
    assert (fair.schedule.slot_of()[5], fair.breaks, fair.moved) == (4, 3, ())
    assert [v.kind.value for v in check_schedule(problem, free.schedule, fairness=1)] == [
        "fairness"
    ]
    assert check_schedule(problem, fair.schedule, fairness=1, require_all=True) == []
