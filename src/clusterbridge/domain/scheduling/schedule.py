"""A schedule (meetings in slots and rooms) and what a solver returns."""

from collections.abc import Iterable
from dataclasses import dataclass

from clusterbridge.domain.enums import SolveStatus


@dataclass(frozen=True, slots=True, order=True)
class Assignment:
    """Meeting ``meeting`` takes place in slot ``slot`` at room (table) ``room``; all 1-based."""

    meeting: int
    slot: int
    room: int


@dataclass(frozen=True, slots=True)
class Schedule:
    """The assignments of a schedule, in meeting order. A meeting not listed is not placed."""

    assignments: tuple[Assignment, ...]

    @staticmethod
    def of(assignments: Iterable[Assignment]) -> "Schedule":
        """A schedule of ``assignments``, sorted by meeting number."""
        return Schedule(tuple(sorted(assignments)))

    def slot_of(self) -> dict[int, int]:
        """Meeting number → slot, for the meetings placed (the last one wins on a repeat)."""
        return {a.meeting: a.slot for a in self.assignments}


@dataclass(frozen=True, slots=True)
class SolveResult:
    """What `solve` or `repair` found.

    ``breaks`` is the total number of breaks of ``schedule`` (``None`` without one); ``bound``
    the proven lower bound on it (equal to ``breaks`` when ``status`` is optimal); ``unplaced``
    the meeting numbers the schedule leaves out; ``moved`` (repair only) the meetings whose slot
    changed.
    """

    status: SolveStatus
    schedule: Schedule | None
    breaks: int | None
    bound: int | None
    seconds: float
    unplaced: tuple[int, ...] = ()
    moved: tuple[int, ...] = ()


def carry_over(
    old_meetings: Iterable[tuple[object, object]],
    schedule: Schedule,
    new_meetings: Iterable[tuple[object, object]],
) -> Schedule:
    """Renumber ``schedule`` from one meeting list to another, matching meetings by their
    (unordered) pair of participants, repeats in order; cancelled meetings drop out and new
    ones stay unplaced. Meant for `repair` after the meeting set changed."""
    by_number = {a.meeting: a for a in schedule.assignments}
    queues: dict[frozenset[object], list[Assignment]] = {}
    for number, pair in enumerate(old_meetings, start=1):
        if number in by_number:
            queues.setdefault(frozenset(pair), []).append(by_number[number])
    carried = []
    for number, pair in enumerate(new_meetings, start=1):
        queue = queues.get(frozenset(pair))
        if queue:
            old = queue.pop(0)
            carried.append(Assignment(number, old.slot, old.room))
    return Schedule.of(carried)
