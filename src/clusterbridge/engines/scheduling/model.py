"""The CP-SAT model: the only module that imports OR-Tools.

It serves what the SAT search does not: very large events (where a time-limited large-neighbour
search from a hint beats proving optimality), with fairness or when not every meeting fits, and
repairs (moves are part of the objective).

The objective is lexicographic through weights: the priority-weighted meetings left out, then
the meetings moved (repairs), then the breaks.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from clusterbridge.domain.enums import SolveStatus
from clusterbridge.domain.scheduling.problem import ProblemIndex

_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
}


@dataclass(frozen=True, slots=True)
class ModelOptions:
    """What the model must respect beyond the problem.

    ``require_all`` makes every meeting hard; ``frozen`` fixes meetings to slots (0-based);
    ``current`` is the schedule a repair starts from (a meeting whose slot changes is a move);
    ``hint`` a starting schedule; ``fairness`` the largest difference of two break counts.
    """

    fairness: int | None = None
    require_all: bool = True
    #: Slots (0-based) in which a participant is busy with a meeting outside the model.
    fixed_busy: Mapping[int, frozenset[int]] = field(default_factory=dict)
    #: Rooms per slot when they differ by slot (a repair's free rooms); else ``index.rooms``.
    room_capacity: tuple[int, ...] | None = None
    frozen: Mapping[int, int] = field(default_factory=dict)
    current: Mapping[int, int] = field(default_factory=dict)
    hint: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ModelResult:
    """The status, 0-based slots of the placed meetings, and the breaks and their bound."""

    status: SolveStatus
    slots: dict[int, int]
    breaks: int | None
    bound: int | None


class SchedulingModel:
    """Builds the CP-SAT model of one problem (variables, constraint families, objective)."""

    def __init__(self, index: ProblemIndex, options: ModelOptions) -> None:
        self.index = index
        self.options = options
        self.model = cp_model.CpModel()
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.placed: dict[int, cp_model.IntVar] = {}
        self.breaks: list[cp_model.LinearExprT] = []
        #: Some participant with a meeting can never have a break, so the fewest breaks is 0.
        self.calm_participant = False
        self._variables()
        self._participants()
        self._rooms()
        self._precedences()
        self._objective()

    def solve(self, *, time_limit: float, workers: int = 2, seed: int = 0) -> ModelResult:
        """Solve within ``time_limit`` seconds with ``workers`` threads and a fixed ``seed``."""
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(time_limit, 0.01)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        code = solver.solve(self.model)
        status = _STATUS.get(code, SolveStatus.UNKNOWN)
        if status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
            return ModelResult(status, {}, None, None)
        slots = {m: t for (m, t), var in self.x.items() if solver.boolean_value(var)}
        breaks = sum(int(solver.value(b)) for b in self.breaks)
        bound = breaks if status is SolveStatus.OPTIMAL else None
        return ModelResult(status, slots, breaks, bound)

    def _variables(self) -> None:
        for m, allowed in enumerate(self.index.allowed):
            frozen = self.options.frozen.get(m)
            slots = allowed if frozen is None else (frozen,)
            lits = [self._slot_var(m, t) for t in slots]
            if self.options.require_all or frozen is not None:
                self.model.add_exactly_one(lits)
            else:
                placed = self.model.new_bool_var(f"placed_{m}")
                self.model.add(sum(lits) == placed)
                self.placed[m] = placed

    def _slot_var(self, m: int, t: int) -> cp_model.IntVar:
        var = self.model.new_bool_var(f"x_{m}_{t}")
        self.x[m, t] = var
        hint = self.options.hint.get(m)
        if hint is not None:
            self.model.add_hint(var, hint == t)
        return var

    def _participants(self) -> None:
        for p, meetings in enumerate(self.index.of):
            if not meetings:
                self.calm_participant = True
                continue
            fixed = self.options.fixed_busy.get(p, frozenset())
            busy = []
            for t in range(self.index.n_slots):
                lits = [self.x[m, t] for m in meetings if (m, t) in self.x]
                busy.append(self._always() if t in fixed else self._busy(lits))
            self._count_breaks(busy)

    def _always(self) -> cp_model.IntVar:
        var = self.model.new_bool_var("")
        self.model.add(var == 1)
        return var

    def _busy(self, lits: list[cp_model.IntVar]) -> cp_model.IntVar | None:
        if not lits:
            return None
        if len(lits) == 1:
            return lits[0]
        var = self.model.new_bool_var("")
        self.model.add(sum(lits) == var)
        return var

    def _count_breaks(self, busy: list[cp_model.IntVar | None]) -> None:
        """Breaks = blocks of busy slots - 1 (0 for a participant with no meeting)."""
        if sum(1 for b in busy if b is not None) < 2:
            self.calm_participant = True
            return
        starts = []
        for t, here in enumerate(busy):
            if here is None:
                continue
            before = busy[t - 1] if t > 0 else None
            if before is None:
                starts.append(here)
                continue
            start = self.model.new_bool_var("")
            self.model.add_bool_and([here, ~before]).only_enforce_if(start)
            self.model.add_bool_or([~here, before, start])
            starts.append(start)
        some = self.model.new_bool_var("")
        self.model.add_max_equality(some, [b for b in busy if b is not None])
        self.breaks.append(sum(starts) - some)

    def _rooms(self) -> None:
        capacity = self.options.room_capacity
        if capacity is None:
            if self.index.rooms is None:
                return
            capacity = (self.index.rooms,) * self.index.n_slots
        for t in range(self.index.n_slots):
            lits = [var for (_, s), var in self.x.items() if s == t]
            if len(lits) > capacity[t]:
                self.model.add(sum(lits) <= capacity[t])

    def _precedences(self) -> None:
        of: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
        for (m, t), slot_var in self.x.items():
            of.setdefault(m, []).append((t, slot_var))
        for before, after in self.index.before:
            for t, later in of.get(after, []):
                earlier: list[cp_model.LiteralT] = [v for s, v in of.get(before, []) if s < t]
                if before in self.placed:
                    earlier.append(~self.placed[before])
                self.model.add_bool_or([*earlier, ~later])

    def _objective(self) -> None:
        self._fairness()
        move_weight = self.index.n_participants * self.index.n_slots + 1
        unplaced_weight = move_weight * (len(self.index.pairs) + 1)
        stays = [self.x[m, t] for m, t in self.options.current.items() if (m, t) in self.x]
        placed = [(self.placed[m], w) for m, w in self._weights()]
        self.model.minimize(
            cp_model.LinearExpr.sum(self.breaks)
            - move_weight * cp_model.LinearExpr.sum(stays)
            - unplaced_weight
            * cp_model.LinearExpr.weighted_sum([v for v, _ in placed], [w for _, w in placed])
        )

    def _weights(self) -> list[tuple[int, int]]:
        return [(m, self.index.weights[m]) for m in self.placed]

    def _fairness(self) -> None:
        d = self.options.fairness
        if d is None or not self.breaks:
            return
        top = self.index.n_slots
        low = self.model.new_int_var(0, top, "fewest_breaks")
        high = self.model.new_int_var(0, top, "most_breaks")
        if self.calm_participant:
            self.model.add(low == 0)
        for b in self.breaks:
            self.model.add(low <= b)
            self.model.add(b <= high)
        self.model.add(high - low <= d)
