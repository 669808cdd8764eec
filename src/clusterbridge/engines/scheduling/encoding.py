"""A CNF encoding of the B2B scheduling problem in which every break is a soft clause.

Variables: ``x[m, t]`` meeting ``m`` in slot ``t``; ``u[p, t]`` participant ``p`` busy in slot
``t`` (exactly the disjunction of its meetings' ``x``); ``post[p, t]`` ``p`` has a meeting in slot
``t`` or later; ``brk[p, t]`` a break of ``p`` starts at idle slot ``t`` (busy at ``t - 1``, idle
at ``t``, busy again later). ``brk`` is only forced true, which is all minimisation needs: an
optimal assignment sets no ``brk`` it does not have to.

Fairness ``d`` is "at most ``d`` breaks each" when some participant is sure to have none (one
meeting or fewer: every published instance has one). Otherwise it is "everyone's breaks within
``d`` of the fewest" (`BreakEncoding.relative`): ``brk`` and the counters are then exact in both
directions, and a floor literal per count says "everyone has at least that many".
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

from pysat.card import CardEnc, EncType, ITotalizer
from pysat.formula import IDPool

from clusterbridge.domain.scheduling.problem import ProblemIndex
from clusterbridge.engines.scheduling.bounds import participant_capacity

Clause = list[int]


@dataclass
class BreakEncoding:
    """The clauses of one problem, its soft break literals and the variable maps."""

    index: ProblemIndex
    fairness: int | None
    place_all: bool = True
    implied: bool = True
    pool: IDPool = field(default_factory=IDPool)
    hard: list[Clause] = field(default_factory=list)
    x: dict[tuple[int, int], int] = field(default_factory=dict)
    u: dict[tuple[int, int], int] = field(default_factory=dict)
    brk: dict[tuple[int, int], int] = field(default_factory=dict)
    placed: dict[int, int] = field(default_factory=dict)
    no_break: dict[int, int] = field(default_factory=dict)
    counts: dict[int, list[int]] = field(default_factory=dict)
    #: Participant → window start → the literal "its meetings fill that window".
    windows: dict[int, dict[int, int]] = field(default_factory=dict)
    #: Implied clauses that tighten the windows (`_tighten`): they speed up the proofs of
    #: bounds but slow down finding a schedule, so only the first search takes them (ADR 0010).
    tight: list[Clause] = field(default_factory=list)
    #: Soft literals: each true literal costs one break (``breaks(p) >= k`` for k = 1, 2, ...).
    costs: list[int] = field(default_factory=list)

    @cached_property
    def relative(self) -> bool:
        """Whether fairness needs a floor: no participant is sure to have no break."""
        return self.fairness is not None and all(len(of) > 1 for of in self.index.of)

    def build(self) -> "BreakEncoding":
        """Add every clause; returns ``self``."""
        self._meetings()
        for p in range(self.index.n_participants):
            self._participant(p)
        if self.relative:
            self._floor()
        self._tighten()
        self._rooms()
        self._precedences()
        if not self.place_all:
            self._capacity()
        return self

    def new_var(self) -> int:
        """A fresh variable."""
        return int(self.pool.id())

    def slots_of(self, assignment: Iterable[int]) -> dict[int, int]:
        """0-based meeting → slot of a model (a list of true/false literals)."""
        true = {lit for lit in assignment if lit > 0}
        return {m: t for (m, t), var in self.x.items() if var in true}

    def _meetings(self) -> None:
        for m, slots in enumerate(self.index.allowed):
            lits = [self._var(self.x, (m, t)) for t in slots]
            self.hard.extend([-a, -b] for a, b in combinations(lits, 2))
            if self.place_all:
                self.hard.append(lits)
            else:
                placed = self.new_var()
                self.placed[m] = placed
                self.hard.append([-placed, *lits])
                self.hard.extend([-lit, placed] for lit in lits)

    def _participant(self, p: int) -> None:
        n_slots = self.index.n_slots
        busy: list[int | None] = []
        for t in range(n_slots):
            lits = [self.x[m, t] for m in self.index.of[p] if (m, t) in self.x]
            busy.append(self._busy(p, t, lits) if lits else None)
        if sum(1 for b in busy if b) < 2 or len(self.index.of[p]) < 2:
            return
        post: list[int | None] = [None] * (n_slots + 1)
        for t in reversed(range(n_slots)):
            post[t] = self._or_of(busy[t], post[t + 1])
        mine = []
        for t in range(1, n_slots - 1):
            before, here, later = busy[t - 1], busy[t], post[t + 1]
            if before is None or later is None:
                continue
            lit = self._var(self.brk, (p, t))
            mine.append(lit)
            self.hard.append([-before, *([here] if here else []), -later, lit])
            if self.relative:
                self.hard.extend(
                    [[-lit, before], [-lit, later], *([[-lit, -here]] if here else [])]
                )
        if self.relative:
            self._exact_counter(p, mine)
        else:
            self._fairness(mine)
            self._counter(p, mine)
        if self.implied and self.place_all:
            self._implied_busy(p, [b for b in busy if b])
            self._windows(p, busy, mine)

    def _busy(self, p: int, t: int, lits: list[int]) -> int:
        var = self._var(self.u, (p, t))
        self.hard.append([-var, *lits])
        self.hard.extend([-lit, var] for lit in lits)
        if len(lits) > 1:
            self.hard.extend(self._card(lits, 1))
        return var

    def _or_of(self, a: int | None, b: int | None) -> int | None:
        if a is None or b is None:
            return a or b
        var = self.new_var()
        self.hard.extend([[-a, var], [-b, var], [-var, a, b]])
        return var

    def _fairness(self, lits: list[int]) -> None:
        if self.fairness is None:
            return
        if len(lits) > self.fairness:
            self.hard.extend(self._card(lits, self.fairness))

    def _counter(self, p: int, breaks: list[int]) -> None:
        """Unary count of ``p``'s breaks: ``at_least[k - 1]`` is true when it has ``k``."""
        if not breaks:
            return
        top = len(breaks) if self.fairness is None else min(len(breaks), self.fairness)
        tot = ITotalizer(lits=breaks, ubound=top, top_id=self.pool.top)
        self.pool.top = tot.top_id
        self.hard.extend(tot.cnf.clauses)
        at_least = list(tot.rhs[:top])
        self.counts[p] = at_least
        self.costs.extend(at_least)

    def _exact_counter(self, p: int, breaks: list[int]) -> None:
        """Unary count of ``p``'s breaks, true in both directions (a sequential counter with its
        reverse clauses): ``at_least[k - 1]`` exactly when it has ``k`` or more. Up to one
        fewer than its meetings, the most breaks it can have."""
        top = min(len(breaks), len(self.index.of[p]) - 1)
        if not breaks or top < 1:
            return
        prev: list[int] = []
        for i, lit in enumerate(breaks):
            cur = []
            for j in range(min(i + 1, top)):
                var = self.new_var()
                cur.append(var)
                same = [prev[j]] if j < len(prev) else []
                if same:
                    self.hard.append([-same[0], var])
                if j == 0:
                    self.hard.append([-lit, var])
                    self.hard.append([-var, lit, *same])
                else:
                    self.hard.append([-lit, -prev[j - 1], var])
                    self.hard.append([-var, lit, *same])
                    self.hard.append([-var, prev[j - 1], *same])
            prev = cur
        self.counts[p] = prev
        self.costs.extend(prev)

    def _floor(self) -> None:
        """Fairness when no participant is sure to be calm: ``floor[k - 1]`` says everyone has
        at least ``k`` breaks; a participant with ``k + d`` or more raises the floor to ``k``."""
        assert self.fairness is not None
        d = self.fairness
        floor = [self.new_var() for _ in range(max(map(len, self.counts.values()), default=0))]
        self.hard.extend([-floor[k], floor[k - 1]] for k in range(1, len(floor)))
        for p in range(self.index.n_participants):
            at_least = self.counts.get(p, [])
            for k, everyone in enumerate(floor):
                self.hard.append([-everyone, at_least[k]] if k < len(at_least) else [-everyone])
            for j in range(d, len(at_least)):
                # ``at_least[j]``: j + 1 breaks or more, so everyone has j + 1 - d or more.
                self.hard.append([-at_least[j], floor[j - d]])

    def _implied_busy(self, p: int, busy: list[int]) -> None:
        count = len(self.index.of[p])
        if count < len(busy):
            self.hard.extend(self._card(busy, count))

    def _windows(self, p: int, busy: list[int | None], breaks: list[int]) -> None:
        """A participant without breaks has its meetings in one window of consecutive slots:
        list the windows its meetings can fill (a matching of meetings to slots exists)."""
        width = len(self.index.of[p])
        calm = self.new_var()
        self.no_break[p] = calm
        self.hard.append([*breaks, calm])
        if self.counts.get(p):
            self.hard.append([self.counts[p][0], calm])
        self.windows[p] = {}
        for start in range(self.index.n_slots - width + 1):
            window = self._pattern(p, busy, range(start, start + width))
            if window:
                self.windows[p][start] = window
        self.hard.append([-calm, *self.windows[p].values()])
        if not self.windows[p]:
            self._two_blocks(p, busy)

    def _pattern(self, p: int, busy: list[int | None], slots: range | set[int]) -> int | None:
        """A literal "``p`` is busy in exactly ``slots``", or ``None`` when its meetings cannot
        fill them (a slot it cannot meet in, or no matching of meetings to slots)."""
        if not all(busy[t] for t in slots) or not _fills(self.index, self.index.of[p], slots):
            return None
        lit = self.new_var()
        for t, b in enumerate(busy):
            if b:
                self.hard.append([-lit, b] if t in slots else [-lit, -b])
        return lit

    def _two_blocks(self, p: int, busy: list[int | None]) -> None:
        """A participant that no window fits has a break; with exactly one, its meetings fill
        two blocks of consecutive slots: list the pairs of blocks its meetings can fill. Only for
        these participants: for every participant the patterns cost 2.7 times the clauses and
        slowed the search down; for the one participant of forum-13crafb.forb0003 (18 meetings
        in 22 slots, a forbidden slot in the middle) "at most 5 breaks" went from past 60 s
        to 5 s (ADR 0010)."""
        width, n_slots = len(self.index.of[p]), self.index.n_slots
        patterns = []
        for gap in range(1, n_slots - width + 1):
            for start in range(n_slots - width - gap + 1):
                for first in range(1, width):
                    slots = {
                        *range(start, start + first),
                        *range(start + first + gap, start + width + gap),
                    }
                    if pattern := self._pattern(p, busy, slots):
                        patterns.append(pattern)
        # At least two breaks (when the counter goes that far), or one of the patterns.
        self.hard.append([*self.counts.get(p, [])[1:2], *patterns])

    def _tighten(self) -> None:
        """Implied clauses on the windows of calm participants: a busy slot lies in the window
        (without it, busy at ``t`` and at ``t + width`` did not conflict before a break showed),
        and a window leaves each partner a window that shares an allowed slot of their meeting."""
        for p, windows in self.windows.items():
            width = len(self.index.of[p])
            for t in range(self.index.n_slots):
                if (p, t) in self.u:
                    inside = [w for start, w in windows.items() if start <= t < start + width]
                    self.tight.append([-self.no_break[p], -self.u[p, t], *inside])
        for m, (a, b) in enumerate(self.index.pairs):
            if a in self.windows and b in self.windows:
                self._link(m, a, b)
                self._link(m, b, a)

    def _link(self, m: int, a: int, b: int) -> None:
        allowed = set(self.index.allowed[m])
        for start, w in self.windows[a].items():
            slots = allowed.intersection(range(start, start + len(self.index.of[a])))
            width = len(self.index.of[b])
            fits = [
                v for s, v in self.windows[b].items() if slots.intersection(range(s, s + width))
            ]
            if len(fits) < len(self.windows[b]):
                self.tight.append([-w, -self.no_break[b], *fits])

    def _rooms(self) -> None:
        """At most ``rooms`` meetings per slot, counted by clusters (Bofill et al. 2022, §4.5.2):
        the meetings of one participant never share a slot, so one literal per cluster per slot
        stands for all of them: ``u[p, t]`` itself when the cluster is all of ``p``'s meetings.
        The count thus sees a participant busy before it knows which meeting: "at most 1 break"
        on forum-13crafc (12 rooms) went from 16 s to past 40 s down to 1-2 s (ADR 0010)."""
        rooms = self.index.rooms
        if rooms is None:
            return
        clusters = _clusters(self.index)
        for t in range(self.index.n_slots):
            if self.implied:
                # Implied: at most two busy participants per room. Propagates from the windows
                # at once; it takes the zero-break proof of tic-13crafc from minutes to 0.02 s.
                busy = [var for (_, s), var in self.u.items() if s == t]
                if len(busy) > 2 * rooms:
                    self.hard.extend(self._card(busy, 2 * rooms))
            lits = [lit for cluster in clusters if (lit := self._cluster(cluster, t))]
            if len(lits) > rooms:
                self.hard.extend(self._card(lits, rooms))

    def _cluster(self, cluster: tuple[int, tuple[int, ...]], t: int) -> int | None:
        """A literal true when a meeting of ``cluster`` (meetings of one participant) is in
        slot ``t``: ``None`` when none can be, that meeting's own literal when only one can."""
        p, meetings = cluster
        lits = [self.x[m, t] for m in meetings if (m, t) in self.x]
        if len(lits) < 2:
            return lits[0] if lits else None
        if len(meetings) == len(self.index.of[p]):
            return self.u[p, t]
        var = self.new_var()
        self.hard.extend([-lit, var] for lit in lits)
        return var

    def _capacity(self) -> None:
        """Implied: a participant whose meetings cannot all take distinct slots (Hall's
        condition fails) has at most as many placed as a matching gives; a pigeonhole that
        CDCL would otherwise have to refute clause by clause."""
        for p, most in participant_capacity(self.index).items():
            self.hard.extend(self._card([self.placed[m] for m in self.index.of[p]], most))

    def _precedences(self) -> None:
        for before, after in self.index.before:
            for t in self.index.allowed[after]:
                earlier = [self.x[before, s] for s in self.index.allowed[before] if s < t]
                guard = [-self.placed[before]] if before in self.placed else []
                self.hard.append([-self.x[after, t], *earlier, *guard])

    def _card(self, lits: list[int], bound: int) -> list[Clause]:
        """At most ``bound`` of ``lits``: the sequential counter, which beat the (k-modulo)
        totalizers and sorting networks by minutes on the tight-room instances (ADR 0010)."""
        enc = CardEnc.atmost(lits=lits, bound=bound, vpool=self.pool, encoding=EncType.seqcounter)
        clauses: list[Clause] = enc.clauses
        return clauses

    def _var(self, table: dict[tuple[int, int], int], key: tuple[int, int]) -> int:
        var = self.new_var()
        table[key] = var
        return var


def _clusters(index: ProblemIndex) -> list[tuple[int, tuple[int, ...]]]:
    """A partition of the meetings into groups that share a participant, greedily: the
    participant with the most meetings not yet grouped takes them."""
    left = [len(meetings) for meetings in index.of]
    grouped: set[int] = set()
    clusters = []
    while len(grouped) < len(index.pairs):
        p = max(range(index.n_participants), key=left.__getitem__)
        meetings = tuple(m for m in index.of[p] if m not in grouped)
        clusters.append((p, meetings))
        grouped.update(meetings)
        for m in meetings:
            for q in index.pairs[m]:
                left[q] -= 1
    return clusters


def _fills(index: ProblemIndex, meetings: tuple[int, ...], span: range | set[int]) -> bool:
    """Whether ``meetings`` can take the slots of ``span``, one each (a perfect matching)."""
    owner: dict[int, int] = {}

    def augment(m: int, seen: set[int]) -> bool:
        for t in index.allowed[m]:
            if t in span and t not in seen:
                seen.add(t)
                if t not in owner or augment(owner[t], seen):
                    owner[t] = m
                    return True
        return False

    return all(augment(m, set()) for m in meetings)
