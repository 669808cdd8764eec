"""The independent checker: every hard constraint, with its exact message."""

import pytest

from clusterbridge.domain.enums import ViolationKind
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.domain.scheduling import (
    Assignment,
    Meeting,
    Schedule,
    SchedulingProblem,
    check_schedule,
    count_breaks,
    first_fit,
    seat,
)

pytestmark = pytest.mark.unit


def problem() -> SchedulingProblem:
    """Four participants, six slots in two sessions of three, two rooms."""
    return SchedulingProblem(
        participants=4,
        slots=6,
        sessions=(3, 3),
        meetings=(
            Meeting(1, 2),
            Meeting(1, 3, session=1),
            Meeting(2, 3, pinned_slot=5),
            Meeting(3, 4),
            Meeting(1, 4),
        ),
        unavailable={4: [1]},
        precedences=((1, 4),),
        rooms=2,
    )


def schedule(*rows: tuple[int, int, int]) -> Schedule:
    return Schedule.of(Assignment(*row) for row in rows)


def test_check_schedule_valid_has_no_violation() -> None:
    valid = schedule((1, 1, 1), (2, 2, 1), (3, 5, 1), (4, 4, 1), (5, 3, 1))

    assert check_schedule(problem(), valid, fairness=1, require_all=True) == []


def test_check_schedule_explains_each_violation() -> None:
    bad = schedule((1, 2, 1), (2, 4, 1), (3, 5, 1), (4, 1, 1), (5, 2, 3), (7, 1, 1))

    found = check_schedule(problem(), bad)

    assert [(v.kind, v.message) for v in found] == [
        (ViolationKind.UNKNOWN_MEETING, "Meeting 7 does not exist: the problem has meetings 1..5."),
        (
            ViolationKind.DOUBLE_BOOKING,
            "Participant 1 has 2 meetings in slot 2: meetings 1, 5.",
        ),
        (ViolationKind.ROOM_OUT_OF_RANGE, "Meeting 5 is in room 3 in slot 2; rooms are 1..2."),
        (
            ViolationKind.WRONG_SESSION,
            "Meeting 2 must be in session 1 (slots 1..3) but is in slot 4.",
        ),
        (
            ViolationKind.UNAVAILABLE,
            "Meeting 4 is in slot 1, when participant 4 is unavailable.",
        ),
        (
            ViolationKind.PRECEDENCE,
            "Meeting 1 must come before meeting 4, but they are in slots 2 and 1.",
        ),
    ]


def test_check_schedule_rooms_pins_repeats_and_unplaced() -> None:
    bad = schedule((1, 1, 1), (1, 2, 1), (2, 1, 2), (3, 6, 1), (4, 1, 2), (5, 9, 1))

    found = check_schedule(problem(), bad, require_all=True)

    assert [v.message for v in found] == [
        "Meeting 1 is scheduled twice: in slot 1 and in slot 2.",
        "Meeting 5 is in slot 9, outside slots 1..6.",
        "Meeting 5 (participant 1 with participant 4) is not scheduled.",
        "Participant 1 has 2 meetings in slot 1: meetings 1, 2.",
        "Participant 3 has 2 meetings in slot 1: meetings 2, 4.",
        "Slot 1 holds 3 meetings but there are only 2 rooms.",
        "Meetings 2 and 4 share room 2 in slot 1.",
        "Meeting 3 is pinned to slot 5 but is in slot 6.",
        "Meeting 4 is in slot 1, when participant 4 is unavailable.",
        "Meeting 1 must come before meeting 4, but they are in slots 1 and 1.",
    ]


def test_check_schedule_fairness_names_both_participants() -> None:
    gaps = schedule((1, 1, 1), (2, 3, 1), (3, 5, 1), (4, 6, 1), (5, 2, 1))

    found = check_schedule(problem(), gaps, fairness=0)

    assert [v.message for v in found] == [
        "Participant 2 has 1 break and participant 1 has 0 breaks: the difference exceeds "
        "the allowed 0."
    ]


def test_count_breaks_counts_idle_runs_between_meetings() -> None:
    gaps = schedule((1, 1, 1), (2, 3, 1), (3, 5, 1), (4, 6, 1), (5, 2, 1))

    assert count_breaks(problem(), gaps) == 3


def test_first_fit_places_in_earliest_free_slot_and_passes_the_checker() -> None:
    slots = first_fit(problem())

    assert slots == {2: 4, 0: 0, 1: 1, 3: 2, 4: 3}
    assert check_schedule(problem(), seat(slots), require_all=True) == []


def test_problem_rejects_bad_references_all_at_once() -> None:
    with pytest.raises(InvalidInputError) as caught:
        SchedulingProblem(
            participants=3,
            slots=4,
            sessions=(2, 1),
            meetings=(Meeting(1, 1), Meeting(2, 9, session=3, pinned_slot=5)),
            unavailable={7: [0]},
            precedences=((1, 3),),
        )

    assert [str(issue) for issue in caught.value.issues] == [
        "problem, sessions: session lengths [2, 1] must be positive and add up to 4 slots"
    ]


def test_problem_rejects_unknown_participants_self_meetings_and_ranges() -> None:
    with pytest.raises(InvalidInputError) as caught:
        SchedulingProblem(
            participants=3,
            slots=4,
            meetings=(Meeting(1, 1), Meeting(2, 9, session=3, pinned_slot=5)),
            unavailable={7: [0]},
            precedences=((1, 3),),
        )

    assert [str(issue) for issue in caught.value.issues] == [
        "meeting 1, b: participant 1 cannot meet itself",
        "meeting 2, b: unknown participant 9",
        "meeting 2, session: session 3 is outside 1..1",
        "meeting 2, pinned_slot: slot 5 is outside 1..4",
        "unavailable[7], participant: unknown participant 7",
        "unavailable[7], slot: slot 0 is outside 1..4",
        "precedence 1, meeting: meeting 3 is outside 1..2",
    ]
