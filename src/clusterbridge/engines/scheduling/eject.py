"""Insert a meeting by moving the fewest others: ejection chains with a growing move budget.

The new meeting takes a later slot; the meetings in its way there (its participants' meetings
in that slot, and one other meeting when the rooms are full) move to other later slots, and
each of them may push the meetings in its own way, and so on. Budget 1, 2, ... moves: every
placement within the budget is tried, so the first budget that succeeds is the fewest moves
possible, and among those placements the one adding the fewest breaks wins (with a fairness
bound, first the one widening the spread of break counts least: `BreakSpread`). A meeting
moves at most once, and a meeting in a slot before ``current`` never moves.
"""

import time
from collections.abc import Iterator

from clusterbridge.domain.scheduling.breaks import BreakSpread
from clusterbridge.domain.scheduling.problem import ProblemIndex

#: The largest number of moves tried before the caller falls back to a model.
MAX_MOVES = 4


def _breaks(mask: int) -> int:
    runs = (mask & ~(mask << 1)).bit_count()
    return max(runs - 1, 0)


class Ejection:
    """A schedule being repaired: who is where, with undo by the search itself."""

    def __init__(
        self,
        index: ProblemIndex,
        slots: dict[int, int],
        *,
        current: int,
        fairness: int | None = None,
    ) -> None:
        self.index = index
        self.fairness = fairness
        self.slots = dict(slots)
        self.current = current
        self.at: list[dict[int, int]] = [{} for _ in range(index.n_participants)]
        self.mask = [0] * index.n_participants
        self.load = [0] * index.n_slots
        self.movable = {m for m, t in slots.items() if t >= current and len(index.allowed[m]) > 1}
        self.moved: set[int] = set()
        self.bound_to: dict[int, list[tuple[int, int]]] = {}
        for pair in index.before:
            for m in pair:
                self.bound_to.setdefault(m, []).append(pair)
        for m, t in slots.items():
            self._put(m, t)
        self.original_mask = list(self.mask)
        self.original_breaks = [_breaks(mask) for mask in self.mask]

    def insert(self, m: int, *, deadline: float) -> dict[int, int] | None:
        """The schedule with ``m`` placed by the fewest moves (then the least widening of the
        break spread beyond the fairness bound, then the fewest added breaks), or ``None`` when
        no budget up to `MAX_MOVES` does it before ``deadline``."""
        spread = BreakSpread(list(self.original_breaks), self.fairness)
        for budget in range(MAX_MOVES + 1):
            best: tuple[tuple[int, int], dict[int, int]] | None = None
            for _ in self._place(m, budget, deadline):
                cost = self._cost(spread)
                if best is None or cost < best[0]:
                    best = (cost, dict(self.slots))
            if best is not None:
                return best[1]
            if time.monotonic() > deadline:
                return None
        return None

    def _place(self, m: int, budget: int, deadline: float) -> Iterator[int]:
        """Put ``m`` in each later slot it may take, moving the meetings in its way within
        ``budget``; yields the budget left with the state changed and undoes it afterwards."""
        for t in self.index.allowed[m]:
            if t < self.current or time.monotonic() > deadline:
                continue
            for blockers in self._blockers(m, t, budget):
                if not self._precedences_hold(m, t, blockers):
                    continue
                for n in blockers:
                    self._take(n)
                    self.moved.add(n)
                self._put(m, t)
                yield from self._place_all(blockers, budget - len(blockers), deadline)
                self._take(m)
                for n in blockers:
                    self.moved.discard(n)
                    self._put(n, t)

    def _place_all(self, meetings: list[int], budget: int, deadline: float) -> Iterator[int]:
        if not meetings:
            yield budget
            return
        for left in self._place(meetings[0], budget, deadline):
            yield from self._place_all(meetings[1:], left, deadline)

    def _blockers(self, m: int, t: int, budget: int) -> Iterator[list[int]]:
        """The sets of meetings that must leave slot ``t`` for ``m``, each within budget and
        free to move."""
        ways = {self.at[p][t] for p in self.index.pairs[m] if t in self.at[p]}
        if len(ways) > budget or any(n not in self.movable or n in self.moved for n in ways):
            return
        rooms = self.index.rooms
        if rooms is None or self.load[t] - len(ways) < rooms:
            yield sorted(ways)
            return
        if len(ways) == budget:
            return
        others = {n for n, s in self.slots.items() if s == t} - ways
        for n in sorted(others):
            if n in self.movable and n not in self.moved:
                yield sorted(ways | {n})

    def _precedences_hold(self, m: int, t: int, leaving: list[int]) -> bool:
        for before, after in self.bound_to.get(m, ()):
            other = after if before == m else before
            if other in leaving or other not in self.slots:
                continue
            if (before == m and t >= self.slots[other]) or (after == m and t <= self.slots[other]):
                return False
        return True

    def _cost(self, spread: BreakSpread) -> tuple[int, int]:
        changed = {
            p: _breaks(mask)
            for p, (mask, old) in enumerate(zip(self.mask, self.original_mask, strict=True))
            if mask != old
        }
        added = sum(breaks - self.original_breaks[p] for p, breaks in changed.items())
        return spread.excess(changed), added

    def _put(self, m: int, t: int) -> None:
        self.slots[m] = t
        self.load[t] += 1
        for p in self.index.pairs[m]:
            self.at[p][t] = m
            self.mask[p] |= 1 << t

    def _take(self, m: int) -> None:
        t = self.slots.pop(m)
        self.load[t] -= 1
        for p in self.index.pairs[m]:
            del self.at[p][t]
            self.mask[p] &= ~(1 << t)
