"""Repair a schedule during the event: after a cancellation or a newly accepted meeting.

Meetings in slots up to and including ``current_slot`` have started or are over and never move.
A new meeting first tries every free later slot without moving anyone (the one adding the
fewest breaks wins), then ejection chains with 1, 2, ... moves (`eject.py`: the meetings in its
way move to other later slots, pushing others in turn); only when those fail does CP-SAT
re-plan the later meetings of the participants near the change (and their meeting partners),
minimising the meetings left out, then the meetings moved, then the breaks. Everything else
stays where it was.

With a fairness bound ``d``, the first two steps prefer, among placements with the fewest moves,
those that keep the spread of the participants' break counts within ``d`` (or within the spread
the schedule already had, when that was wider), then the fewest added breaks. Fairness never
keeps a meeting out: when every placement widens the spread, the least widening one is taken.
The model step re-plans a neighbourhood and does not see everyone's breaks, so it minimises
breaks alone.
"""

import time

from clusterbridge.domain.enums import SolveStatus
from clusterbridge.domain.scheduling.breaks import (
    BreakSpread,
    count_runs,
    participant_breaks,
    seat,
)
from clusterbridge.domain.scheduling.problem import ProblemIndex, SchedulingProblem
from clusterbridge.domain.scheduling.schedule import Schedule, SolveResult
from clusterbridge.engines.scheduling.eject import Ejection
from clusterbridge.engines.scheduling.model import ModelOptions, SchedulingModel

#: How far from the changed meetings' participants the re-planned neighbourhood reaches, in
#: meetings; a problem this small or smaller is re-planned whole.
NEIGHBOURHOOD_DEPTH = 1
WHOLE_PROBLEM_CELLS = 6_000
#: Seconds kept back from the time limit for building the model and reading its answer.
_MODEL_MARGIN = 0.25
#: The share of the time limit the ejection chains may use before the model takes over.
_EJECTION_SHARE = 0.4


def repair(
    problem: SchedulingProblem,
    schedule: Schedule,
    *,
    current_slot: int,
    time_limit: float = 1.0,
    fairness: int | None = None,
) -> SolveResult:
    """Fit ``schedule`` (numbered as the meetings of ``problem``, the changed meeting set) to
    ``problem`` without touching slots ``1..current_slot``.

    Meetings of ``problem`` that ``schedule`` does not place are the new ones; entries of
    meetings that no longer exist must be dropped first (`carry_over` does it by participant
    pair). Returns the repaired schedule, with ``moved`` listing the meetings whose slot
    changed and ``unplaced`` those that still do not fit. ``fairness`` is a preference of the
    placements made without a model, never a reason to leave a meeting out (see the module
    docstring). No side effects.
    """
    started = time.monotonic()
    index = problem.index
    kept = {a.meeting - 1: a.slot - 1 for a in schedule.assignments}
    rooms = {a.meeting - 1: a.room for a in schedule.assignments}
    missing = [m for m in range(len(problem.meetings)) if m not in kept]
    spread = BreakSpread(participant_breaks(index, kept), fairness)
    slots = _insert_without_moves(index, dict(kept), missing, current_slot, spread)
    # Without moves, the best slot of a single new meeting is optimal; of several, a good guess.
    status = SolveStatus.OPTIMAL if len(missing) <= 1 else SolveStatus.FEASIBLE
    if len(slots) < len(problem.meetings):
        slots = _insert_with_moves(
            index,
            slots,
            missing,
            current_slot,
            deadline=started + time_limit * _EJECTION_SHARE,
            fairness=fairness,
        )
        moves = sum(1 for m in kept if slots.get(m) != kept[m])
        # Every placement with one move is tried, so one move (fewest breaks among them) is
        # optimal; two or more are the fewest moves, but chains are not all compared on breaks.
        status = SolveStatus.OPTIMAL if len(missing) <= 1 and moves <= 1 else SolveStatus.FEASIBLE
    if len(slots) < len(problem.meetings):
        left = time_limit - (time.monotonic() - started) - _MODEL_MARGIN
        found = _replan(index, kept, missing, current_slot=current_slot, time_limit=left)
        if found is not None:
            slots, status = found
    moved = tuple(m + 1 for m in sorted(kept) if slots.get(m) != kept[m])
    unplaced = tuple(m + 1 for m in range(len(problem.meetings)) if m not in slots)
    breaks = sum(participant_breaks(index, slots))
    return SolveResult(
        status=status,
        schedule=seat(slots, keep=rooms),
        breaks=breaks,
        bound=None,
        seconds=time.monotonic() - started,
        unplaced=unplaced,
        moved=moved,
    )


def _insert_without_moves(
    index: ProblemIndex,
    slots: dict[int, int],
    missing: list[int],
    current_slot: int,
    spread: BreakSpread,
) -> dict[int, int]:
    """Place each new meeting in the free later slot that widens the break spread least (with a
    fairness bound), then adds the fewest breaks."""
    busy = [[False] * index.n_slots for _ in range(index.n_participants)]
    load = [0] * index.n_slots
    for m, t in slots.items():
        load[t] += 1
        for p in index.pairs[m]:
            busy[p][t] = True
    for m in missing:
        a, b = index.pairs[m]
        best: tuple[int, int, int] | None = None
        for t in index.allowed[m]:
            if t < current_slot or busy[a][t] or busy[b][t]:
                continue
            if index.rooms is not None and load[t] >= index.rooms:
                continue
            if not _precedences_hold(index, slots, m, t):
                continue
            added = _added_breaks(busy[a], t), _added_breaks(busy[b], t)
            excess = spread.excess({a: spread.breaks[a] + added[0], b: spread.breaks[b] + added[1]})
            best = min(best or (excess, sum(added), t), (excess, sum(added), t))
        if best is not None:
            t = best[2]
            spread.update(
                {
                    a: spread.breaks[a] + _added_breaks(busy[a], t),
                    b: spread.breaks[b] + _added_breaks(busy[b], t),
                }
            )
            slots[m] = t
            load[t] += 1
            busy[a][t] = busy[b][t] = True
    return slots


def _insert_with_moves(
    index: ProblemIndex,
    slots: dict[int, int],
    missing: list[int],
    current_slot: int,
    *,
    deadline: float,
    fairness: int | None,
) -> dict[int, int]:
    """Place each new meeting still out by the fewest moves of later meetings (`eject.py`)."""
    for m in missing:
        if m in slots:
            continue
        ejection = Ejection(index, slots, current=current_slot, fairness=fairness)
        found = ejection.insert(m, deadline=deadline)
        if found is not None:
            slots = found
    return slots


def _added_breaks(day: list[bool], t: int) -> int:
    after = list(day)
    after[t] = True
    return count_runs(after) - count_runs(day)


def _precedences_hold(index: ProblemIndex, slots: dict[int, int], m: int, t: int) -> bool:
    return all(
        (before != m or slots.get(after, t + 1) > t) and (after != m or slots.get(before, -1) < t)
        for before, after in index.before
    )


def _replan(
    index: ProblemIndex,
    kept: dict[int, int],
    missing: list[int],
    *,
    current_slot: int,
    time_limit: float,
) -> tuple[dict[int, int], SolveStatus] | None:
    """Re-plan the neighbourhood's later meetings and the new ones in a model of them alone;
    everything else is fixed and enters as busy slots and taken rooms."""
    movable = _neighbourhood(index, missing, kept, current_slot)
    moving = sorted(movable | set(missing))
    fixed = {m: t for m, t in kept.items() if m not in movable}
    sub = _sub_index(index, moving, fixed, current_slot)
    busy: dict[int, set[int]] = {}
    for m, t in fixed.items():
        for p in index.pairs[m]:
            busy.setdefault(p, set()).add(t)
    options = ModelOptions(
        require_all=False,
        current={i: kept[m] for i, m in enumerate(moving) if m in movable},
        hint={i: kept[m] for i, m in enumerate(moving) if m in kept},
        fixed_busy={p: frozenset(slots) for p, slots in busy.items()},
        room_capacity=_free_rooms(index, fixed),
    )
    found = SchedulingModel(sub, options).solve(time_limit=time_limit, workers=1)
    if found.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return None
    later = {m for m, t in kept.items() if t >= current_slot}
    # An optimum over a neighbourhood is only a good schedule for the whole event.
    status = found.status if movable == later else SolveStatus.FEASIBLE
    return {**fixed, **{moving[i]: t for i, t in found.slots.items()}}, status


def _free_rooms(index: ProblemIndex, fixed: dict[int, int]) -> tuple[int, ...] | None:
    if index.rooms is None:
        return None
    load = [0] * index.n_slots
    for t in fixed.values():
        load[t] += 1
    return tuple(index.rooms - used for used in load)


def _sub_index(
    index: ProblemIndex, moving: list[int], fixed: dict[int, int], current_slot: int
) -> ProblemIndex:
    """The moving meetings alone, in later slots their participants have free, with the
    precedences to fixed meetings folded into their slots."""
    number = {m: i for i, m in enumerate(moving)}
    taken: dict[int, set[int]] = {}
    for m, t in fixed.items():
        for p in index.pairs[m]:
            taken.setdefault(p, set()).add(t)
    allowed = []
    for m in moving:
        a, b = index.pairs[m]
        low, high = _fixed_precedence_window(index, m, fixed)
        allowed.append(
            tuple(
                t
                for t in index.allowed[m]
                if current_slot <= t
                and low < t < high
                and t not in taken.get(a, ())
                and t not in taken.get(b, ())
            )
        )
    of: list[list[int]] = [[] for _ in range(index.n_participants)]
    for i, m in enumerate(moving):
        for p in index.pairs[m]:
            of[p].append(i)
    return ProblemIndex(
        n_participants=index.n_participants,
        n_slots=index.n_slots,
        pairs=tuple(index.pairs[m] for m in moving),
        allowed=tuple(allowed),
        of=tuple(tuple(ms) for ms in of),
        session_of=index.session_of,
        before=tuple(
            (number[x], number[y]) for x, y in index.before if x in number and y in number
        ),
        weights=tuple(index.weights[m] for m in moving),
        rooms=index.rooms,
    )


def _fixed_precedence_window(index: ProblemIndex, m: int, fixed: dict[int, int]) -> tuple[int, int]:
    low, high = -1, index.n_slots
    for before, after in index.before:
        if after == m and before in fixed:
            low = max(low, fixed[before])
        if before == m and after in fixed:
            high = min(high, fixed[after])
    return low, high


def _neighbourhood(
    index: ProblemIndex, missing: list[int], kept: dict[int, int], current_slot: int
) -> set[int]:
    """The later meetings that may move: all of them in a small problem, else those within
    `NEIGHBOURHOOD_DEPTH` meetings of the new meetings' participants."""
    later = {m for m, t in kept.items() if t >= current_slot}
    if sum(len(index.allowed[m]) for m in later) <= WHOLE_PROBLEM_CELLS:
        return later
    people = {p for m in missing for p in index.pairs[m]}
    for _ in range(NEIGHBOURHOOD_DEPTH):
        people |= {q for p in people for m in index.of[p] if m in later for q in index.pairs[m]}
    return {m for p in people for m in index.of[p] if m in later}
