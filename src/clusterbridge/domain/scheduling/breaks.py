"""Breaks of a schedule, room numbers, and the first-fit baseline."""

from collections import Counter
from collections.abc import Mapping, Sequence

from clusterbridge.domain.scheduling.problem import ProblemIndex, SchedulingProblem
from clusterbridge.domain.scheduling.schedule import Assignment, Schedule


def count_runs(busy: Sequence[bool]) -> int:
    """The breaks of one participant's day: maximal idle runs between two busy slots."""
    runs = sum(1 for t, b in enumerate(busy) if b and (t == 0 or not busy[t - 1]))
    return max(runs - 1, 0)


class BreakSpread:
    """How far a change widens the spread of the break counts (most minus fewest) beyond the
    fairness bound, or beyond the schedule's own spread when that is already wider. Counts the
    participants by break count, so a change of a few participants costs little to judge."""

    def __init__(self, breaks: list[int], fairness: int | None) -> None:
        self.breaks = breaks
        self.fairness = fairness
        self.counts = Counter(breaks)
        self.allowed = max(fairness or 0, max(breaks, default=0) - min(breaks, default=0))

    def excess(self, changed: Mapping[int, int]) -> int:
        """The widening beyond the allowed spread if the participants of ``changed`` had the
        given break counts; 0 without a fairness bound."""
        if self.fairness is None or not changed:
            return 0
        counts = self.counts.copy()
        for p, breaks in changed.items():
            counts[self.breaks[p]] -= 1
            counts[breaks] += 1
        present = [value for value, count in counts.items() if count > 0]
        return max(max(present) - min(present) - self.allowed, 0)

    def update(self, changed: Mapping[int, int]) -> None:
        """Take ``changed`` as the participants' new break counts (the allowed spread stays)."""
        for p, breaks in changed.items():
            self.counts[self.breaks[p]] -= 1
            self.counts[breaks] += 1
            self.breaks[p] = breaks


def participant_breaks(index: ProblemIndex, slots: Mapping[int, int]) -> list[int]:
    """Breaks per participant (0-based), given 0-based ``slots`` of the placed meetings."""
    busy = [[False] * index.n_slots for _ in range(index.n_participants)]
    for m, t in slots.items():
        for p in index.pairs[m]:
            busy[p][t] = True
    return [count_runs(day) for day in busy]


def schedule_slots(problem: SchedulingProblem, schedule: Schedule) -> dict[int, int]:
    """0-based meeting → 0-based slot of a schedule, ignoring entries out of range."""
    count = len(problem.meetings)
    return {
        a.meeting - 1: a.slot - 1
        for a in schedule.assignments
        if 1 <= a.meeting <= count and 1 <= a.slot <= problem.slots
    }


def count_breaks(problem: SchedulingProblem, schedule: Schedule) -> int:
    """The total number of breaks of ``schedule`` (entries out of range are ignored)."""
    return sum(participant_breaks(problem.index, schedule_slots(problem, schedule)))


def seat(slots: Mapping[int, int], *, keep: Mapping[int, int] | None = None) -> Schedule:
    """A schedule of 0-based ``slots`` with rooms numbered from 1 in each slot.

    A meeting keeps its room from ``keep`` (0-based meeting → room) when that room is still free
    in its slot, so that a repaired schedule moves as few people as possible between tables.
    """
    keep = keep or {}
    taken: dict[int, set[int]] = {}
    rooms: dict[int, int] = {}
    for m in sorted(slots, key=lambda m: (m not in keep, m)):
        used = taken.setdefault(slots[m], set())
        room = keep.get(m, 1)
        if room in used:
            room = 1
            while room in used:
                room += 1
        used.add(room)
        rooms[m] = room
    return Schedule.of(Assignment(m + 1, slots[m] + 1, rooms[m]) for m in slots)


def first_fit(problem: SchedulingProblem) -> dict[int, int]:
    """The naive baseline: meetings in order, each in the earliest slot that still fits.

    Returns 0-based meeting → 0-based slot; a meeting with no room left stays out. Precedences
    are met when the earlier meeting comes first in the list or is placed before.
    """
    index = problem.index
    busy = [set[int]() for _ in range(index.n_participants)]
    load = [0] * index.n_slots
    slots: dict[int, int] = {}
    earliest = _precedence_floors(index)
    for m in _pins_first(problem):
        a, b = index.pairs[m]
        floor = max((slots.get(x, -1) for x in earliest[m]), default=-1)
        for t in index.allowed[m]:
            if t > floor and t not in busy[a] and t not in busy[b] and _has_room(index, load, t):
                slots[m] = t
                busy[a].add(t)
                busy[b].add(t)
                load[t] += 1
                break
    return slots


def _pins_first(problem: SchedulingProblem) -> list[int]:
    return sorted(
        range(len(problem.meetings)), key=lambda m: problem.meetings[m].pinned_slot is None
    )


def _precedence_floors(index: ProblemIndex) -> list[list[int]]:
    floors: list[list[int]] = [[] for _ in index.pairs]
    for before, after in index.before:
        floors[after].append(before)
    return floors


def _has_room(index: ProblemIndex, load: list[int], t: int) -> bool:
    return index.rooms is None or load[t] < index.rooms
