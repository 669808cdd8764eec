"""Exact solving by SAT on CaDiCaL: two ascending searches on the two cores.

Both ask "at most k breaks?" for k = 0, 1, ... on a totalizer over the break literals of
`BreakEncoding`: every UNSAT answer is a proven bound, the first SAT answer an optimum.
* **First** starts with an unbounded call: a schedule early (polished by a short local search),
  the proof that no schedule exists, and, without ``require_all``, the schedule that places the
  most (weighted) meetings, then the fewest breaks (a descent on "at most best - 1").
* **Up** goes straight to the bounds. The two differ in CaDiCaL's saved phases (the first model
  or none), and the times of single SAT calls here are heavy-tailed, so the pair finishes
  sooner than either alone; the bounds of both count. (Until November 2026 the first search
  descended from its schedule, which never finished before the up search on the slow
  instances: ADR 0010.)

CaDiCaL cannot be interrupted through python-sat, so each search runs in a forked child process
that reports through a pipe; the parent stops both when an answer is proven (a search finishes,
or the bound meets the best schedule) or at the time limit, keeping the best it was told.
"""

import multiprocessing
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait

from pysat.card import ITotalizer
from pysat.solvers import Solver

from clusterbridge.domain.scheduling.breaks import participant_breaks
from clusterbridge.domain.scheduling.problem import ProblemIndex
from clusterbridge.engines.scheduling.bounds import surely_infeasible
from clusterbridge.engines.scheduling.encoding import BreakEncoding
from clusterbridge.engines.scheduling.local import improve_breaks

#: CaDiCaL 1.9.5: ten times faster than Glucose 3 on the published instances (ADR 0010).
SAT_SOLVER = "cadical195"
#: Seconds of local search on the first schedule, so that a run stopped before any proof
#: still shows a good schedule (forum-13crafc: 77 breaks → 5-13 within a second or two).
POLISH_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class Progress:
    """What the search knows: the best slots (0-based) and their breaks, the proven bound, and
    whether the search finished (an optimum, or infeasibility when ``slots`` is ``None``)."""

    slots: dict[int, int] | None
    breaks: int | None
    bound: int
    done: bool
    unplaced: int = 0


def solve_exact(
    index: ProblemIndex,
    *,
    fairness: int | None,
    time_limit: float,
    require_all: bool,
    first_only: bool = False,
) -> Progress:
    """The best the two searches find within ``time_limit`` seconds (see the module docstring).

    ``first_only`` stops at the first schedule that places every meeting (the warm start of
    large events), without the up search. Starts and stops one or two child processes.
    """
    context = multiprocessing.get_context("fork")
    targets = [_search_first] if first_only else [_search_first, _search_up]
    pipes, workers = [], []
    for target in targets:
        parent, child = context.Pipe(duplex=False)
        worker = context.Process(
            target=target, args=(index, fairness, require_all, not first_only, child), daemon=True
        )
        worker.start()
        child.close()
        pipes.append(parent)
        workers.append(worker)
    try:
        return _collect(pipes, time.monotonic() + time_limit, first_only=first_only)
    finally:
        for worker in workers:
            worker.kill()
            worker.join()
        for pipe in pipes:
            pipe.close()


def _collect(pipes: list[Connection], deadline: float, *, first_only: bool) -> Progress:
    best = Progress(None, None, 0, done=False)
    bound = 0
    open_pipes = list(pipes)
    while open_pipes and not best.done:
        ready = wait(open_pipes, timeout=max(deadline - time.monotonic(), 0))
        if not ready:
            break
        for pipe in pipes:
            if pipe not in ready:
                continue
            try:
                news: Progress = pipe.recv()
            except EOFError:
                open_pipes.remove(pipe)
                continue
            best, bound = _merge(best, bound, news)
            if first_only and best.slots is not None:
                return best
    return best


def _merge(best: Progress, bound: int, news: Progress) -> tuple[Progress, int]:
    """Keep the better schedule and the higher bound; bounds hold only for schedules that
    place every meeting, so a partial schedule's bound is not merged."""
    if news.unplaced == 0:
        bound = max(bound, news.bound)
    if news.slots is None and news.done:
        return news, bound
    if news.slots is not None and (
        best.slots is None or (news.unplaced, news.breaks or 0) <= (best.unplaced, best.breaks or 0)
    ):
        best = news
    if best.slots is not None and best.unplaced == 0:
        bound = max(bound, best.bound)
        done = best.done or (best.breaks is not None and bound >= best.breaks)
        best = replace(best, bound=min(bound, best.breaks or 0), done=done)
    return best, bound


def _search_first(
    index: ProblemIndex, fairness: int | None, require_all: bool, implied: bool, out: Connection
) -> None:
    if surely_infeasible(index):
        # Every meeting cannot fit (a matching says so): CDCL would refute a pigeonhole.
        if not require_all:
            for progress in _partial(index, fairness):
                out.send(progress)
        out.close()
        return
    enc = BreakEncoding(index, fairness, implied=implied).build()
    with Solver(name=SAT_SOLVER, bootstrap_with=enc.hard) as solver:
        if solver.solve():
            for progress in _ascend(index, enc, solver, fairness):
                out.send(progress)
        elif require_all:
            out.send(Progress(None, None, 0, done=True))
        else:
            for progress in _partial(index, fairness):
                out.send(progress)
    out.close()


def _search_up(
    index: ProblemIndex, fairness: int | None, require_all: bool, implied: bool, out: Connection
) -> None:
    del require_all, implied  # the up search only ever proves bounds on full schedules
    enc = BreakEncoding(index, fairness).build()
    counter = ITotalizer(lits=enc.costs, ubound=max(len(enc.costs), 1), top_id=enc.pool.top)
    with Solver(name=SAT_SOLVER, bootstrap_with=enc.hard + counter.cnf.clauses) as solver:
        # Straight to the bounds, without a first unbounded call (the first search makes one):
        # that call alone took 6.9 s on forum-14 and 3.5 s on ticf-13crafb, where "at most 0,
        # 1, 2 breaks" took 3.5 s in all.
        for k in range(len(enc.costs) + 1):
            if solver.solve(assumptions=[-counter.rhs[k]] if k < len(enc.costs) else []):
                slots = enc.slots_of(solver.get_model())
                out.send(Progress(slots, sum(participant_breaks(index, slots)), k, done=True))
                break
            out.send(Progress(None, None, k + 1, done=False))
    out.close()


def _ascend(
    index: ProblemIndex, enc: BreakEncoding, solver: Solver, fairness: int | None
) -> Iterator[Progress]:
    """From the solver's first model: that schedule, a better one from a short local search
    (for a schedule to show if no proof comes in time), then "at most k breaks?" for
    k = 0, 1, ... on the phases the first model left (the other search has none: the two
    differ, and each proves the bounds it reaches)."""
    slots = enc.slots_of(solver.get_model())
    upper = sum(participant_breaks(index, slots))
    yield Progress(slots, upper, 0, done=upper == 0)
    if upper == 0:
        return
    polished = improve_breaks(index, slots, time_limit=POLISH_SECONDS)
    counts = participant_breaks(index, polished)
    if sum(counts) < upper and (fairness is None or max(counts) <= fairness):
        slots, upper = polished, sum(counts)
        yield Progress(slots, upper, 0, done=False)
    counter = ITotalizer(lits=enc.costs, ubound=upper, top_id=enc.pool.top)
    solver.append_formula(counter.cnf.clauses)
    for k in range(upper):
        if solver.solve(assumptions=[-counter.rhs[k]]):
            found = enc.slots_of(solver.get_model())
            yield Progress(found, sum(participant_breaks(index, found)), k, done=True)
            return
        yield Progress(None, None, k + 1, done=False)
    yield Progress(slots, upper, upper, done=True)


def _descend(
    index: ProblemIndex, enc: BreakEncoding, solver: Solver, fixed: list[int], unplaced: int = 0
) -> Iterator[Progress]:
    """From the solver's current model, ask for one break fewer until UNSAT."""
    slots = enc.slots_of(solver.get_model())
    best = sum(participant_breaks(index, slots))
    yield Progress(slots, best, 0, done=best == 0, unplaced=unplaced)
    if best == 0:
        return
    counter = ITotalizer(lits=enc.costs, ubound=best, top_id=enc.pool.top)
    solver.append_formula(counter.cnf.clauses)
    while best > 0 and solver.solve(assumptions=[*fixed, -counter.rhs[best - 1]]):
        slots = enc.slots_of(solver.get_model())
        best = sum(participant_breaks(index, slots))
        yield Progress(slots, best, 0, done=best == 0, unplaced=unplaced)
    yield Progress(slots, best, best, done=True, unplaced=unplaced)


def _partial(index: ProblemIndex, fairness: int | None) -> Iterator[Progress]:
    """Fewest (weighted) meetings left out, then fewest breaks."""
    enc = BreakEncoding(index, fairness, place_all=False).build()
    missing = [-enc.placed[m] for m in range(len(index.pairs)) for _ in range(index.weights[m])]
    total = len(missing)
    counter = ITotalizer(lits=missing, ubound=total, top_id=enc.pool.top)
    enc.pool.top = counter.top_id
    with Solver(name=SAT_SOLVER, bootstrap_with=enc.hard + counter.cnf.clauses) as solver:
        # Placed phases: without them the descent went one meeting at a time from almost none
        # placed (50 calls on forum-14.forb0007 instead of 15).
        solver.set_phases(list(enc.placed.values()))
        best = total
        while best > 0 and solver.solve(assumptions=[-counter.rhs[best - 1]]):
            best = _missing(solver.get_model(), missing)
        fixed = [-counter.rhs[best]] if best < total else []
        solver.solve(assumptions=fixed)
        yield from _descend(index, enc, solver, fixed, unplaced=best)


def _missing(model: list[int], missing: list[int]) -> int:
    return sum(1 for lit in missing if model[abs(lit) - 1] == lit)
