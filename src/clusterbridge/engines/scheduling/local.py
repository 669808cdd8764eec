"""Local search for large events: Kempe-chain swaps between two slots, fewer breaks each time.

Meetings in two slots ``a`` and ``b`` form paths and cycles (a participant has at most one
meeting in each slot). Swapping ``a`` and ``b`` along one such chain keeps every participant
free of clashes, so the search only has to check sessions, unavailability, pins, rooms and
precedences of the chain. A swap is kept when it does not add breaks (sideways moves let the
search cross plateaus). Pure Python and seeded: the same seed gives the same schedule.
"""

import random
import time
from collections import deque

from clusterbridge.domain.scheduling.problem import ProblemIndex

#: Chains longer than this are skipped: they rarely help and cost time.
MAX_CHAIN = 40
#: Moves tried between two looks at the clock.
_BATCH = 1000


def improve_breaks(
    index: ProblemIndex,
    slots: dict[int, int],
    *,
    time_limit: float,
    seed: int = 0,
    moves: int | None = None,
) -> dict[int, int]:
    """A schedule with no more breaks than ``slots`` (0-based, every meeting placed), found
    by Kempe-chain swaps within ``time_limit`` seconds, or after ``moves`` tries when given
    (then the result depends on the seed alone). ``slots`` is not modified."""
    search = _Search(index, dict(slots), random.Random(seed))  # noqa: S311 -- seeded, no secret
    deadline = time.monotonic() + time_limit
    tried = 0
    while time.monotonic() < deadline and (moves is None or tried < moves):
        batch = _BATCH if moves is None else min(_BATCH, moves - tried)
        for _ in range(batch):
            search.try_move()
        tried += batch
    return search.slots


def _breaks(mask: int) -> int:
    runs = (mask & ~(mask << 1)).bit_count()
    return max(runs - 1, 0)


class _Search:
    def __init__(self, index: ProblemIndex, slots: dict[int, int], rng: random.Random) -> None:
        self.index = index
        self.slots = slots
        self.rng = rng
        self.at: list[dict[int, int]] = [{} for _ in range(index.n_participants)]
        self.mask = [0] * index.n_participants
        self.load = [0] * index.n_slots
        for m, t in slots.items():
            self.load[t] += 1
            for p in index.pairs[m]:
                self.at[p][t] = m
                self.mask[p] |= 1 << t
        self.allowed = [frozenset(a) for a in index.allowed]
        self.meetings = sorted(slots)
        self.bound_to: dict[int, list[tuple[int, int]]] = {}
        for before, after in index.before:
            self.bound_to.setdefault(before, []).append((before, after))
            self.bound_to.setdefault(after, []).append((before, after))

    def try_move(self) -> None:
        m = self.rng.choice(self.meetings)
        a = self.slots[m]
        choices = self.index.allowed[m]
        if len(choices) < 2:
            return
        b = self.rng.choice(choices)
        if b == a:
            return
        chain = self._chain(m, a, b)
        if chain is None or not self._feasible(chain, a, b):
            return
        people = {p for n in chain for p in self.index.pairs[n]}
        before = sum(_breaks(self.mask[p]) for p in people)
        self._swap(chain, a, b)
        after = sum(_breaks(self.mask[p]) for p in people)
        if after > before:
            self._swap(chain, a, b)

    def _chain(self, m: int, a: int, b: int) -> list[int] | None:
        chain, seen, queue = [], {m}, deque([m])
        while queue:
            n = queue.popleft()
            chain.append(n)
            if len(chain) > MAX_CHAIN:
                return None
            other = b if self.slots[n] == a else a
            for p in self.index.pairs[n]:
                k = self.at[p].get(other)
                if k is not None and k not in seen:
                    seen.add(k)
                    queue.append(k)
        return chain

    def _feasible(self, chain: list[int], a: int, b: int) -> bool:
        gain = 0
        for n in chain:
            target = b if self.slots[n] == a else a
            if target not in self.allowed[n]:
                return False
            gain += 1 if target == b else -1
        rooms = self.index.rooms
        if rooms is not None and (self.load[b] + gain > rooms or self.load[a] - gain > rooms):
            return False
        return not any(n in self.bound_to for n in chain) or self._precedences_hold(chain, a, b)

    def _precedences_hold(self, chain: list[int], a: int, b: int) -> bool:
        moved = {n: (b if self.slots[n] == a else a) for n in chain}
        for n in chain:
            for before, after in self.bound_to.get(n, ()):
                if moved.get(before, self.slots[before]) >= moved.get(after, self.slots[after]):
                    return False
        return True

    def _swap(self, chain: list[int], a: int, b: int) -> None:
        for n in chain:
            source = self.slots[n]
            for p in self.index.pairs[n]:
                if self.at[p].get(source) == n:
                    del self.at[p][source]
                    self.mask[p] &= ~(1 << source)
        for n in chain:
            target = b if self.slots[n] == a else a
            self.load[self.slots[n]] -= 1
            self.load[target] += 1
            self.slots[n] = target
            for p in self.index.pairs[n]:
                self.at[p][target] = n
                self.mask[p] |= 1 << target
