"""Exact solving by SAT on CaDiCaL: two ascending searches on the two cores.

Both ask "at most k breaks?" for k = 0, 1, ... on a totalizer over the break literals of
`BreakEncoding`: every UNSAT answer is a proven bound, the first SAT answer an optimum.
* **First** starts with an unbounded call: a schedule early (polished by a short local search),
  the proof that no schedule exists, and, without ``require_all``, the schedule that places the
  most (weighted) meetings, then the fewest breaks (a descent on "at most best - 1").
  Its CNF has the tightened windows too (`BreakEncoding.tight`), which speed up proofs.
* **Up** goes straight to the bounds, without them. The two differ in clauses and in
  CaDiCaL's saved phases (the first model or none), and the times of single SAT calls here are
  heavy-tailed, so the pair finishes sooner than either alone. Each skips the bounds the other
  has proven (a shared counter), and the bounds of both count. (Until November 2026 the first
  search descended from its schedule, which never finished before the up search on the slow
  instances: ADR 0010.)

The encoding is built once in the parent, before the fork.

CaDiCaL cannot be interrupted through python-sat, so each search runs in a forked child process
(which dies with its parent and closes what it inherited: `_run_child`) that reports through a
pipe; the parent stops both when an answer is proven (a search finishes,
or the bound meets the best schedule) or at the time limit, keeping the best it was told.
"""

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.sharedctypes import Synchronized

from pysat.card import ITotalizer
from pysat.solvers import Solver

from clusterbridge.domain.scheduling.breaks import participant_breaks
from clusterbridge.domain.scheduling.problem import ProblemIndex
from clusterbridge.engines.scheduling.bounds import missing_floor, surely_infeasible
from clusterbridge.engines.scheduling.encoding import BreakEncoding
from clusterbridge.engines.scheduling.local import improve_breaks

#: CaDiCaL 1.9.5: ten times faster than Glucose 3 on the published instances (ADR 0010).
SAT_SOLVER = "cadical195"
#: Seconds of local search on the first schedule, so that a run stopped before any proof
#: still shows a good schedule (forum-13crafc: 77 breaks → 5-13 within a second or two).
POLISH_SECONDS = 0.5
#: How often a search's watchdog checks that the process that started it is still alive.
WATCHDOG_SECONDS = 1.0
#: prctl(2): deliver a signal to this process when its parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1
#: Above every descriptor a child may have inherited.
_MAX_FD = os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65_536


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
    # Encoded once, before the fork: both children inherit it (0.1-0.4 s on the published
    # instances, a large share of the easy runs).
    enc = (
        None
        if surely_infeasible(index)
        else BreakEncoding(index, fairness, implied=not first_only).build()
    )
    task = _Task(index, enc, fairness, require_all, context.Value("i", 0))
    pipes, workers = [], []
    for target in targets:
        parent, child = context.Pipe(duplex=False)
        worker = context.Process(
            target=_run_child, args=(target, task, child, os.getpid()), daemon=True
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


def _run_child(
    target: "Callable[[_Task, Connection], None]", task: "_Task", out: Connection, parent: int
) -> None:
    """Run ``target`` in a forked child that dies with its parent and holds nothing of it.

    A server killed during a solve (``kill -9``) must not leave the search running at full
    CPU, holding the listening socket (a restart failed with "address already in use") and,
    on PostgreSQL, a connection with an open transaction. So the child closes every
    descriptor it inherited but standard I/O and its pipe, and asks the kernel for SIGKILL
    when the parent dies (Linux), checking once that the parent has not died already; a
    watchdog thread covers systems without that call. Forking keeps the encoding shared
    without pickling it ('spawn' would copy it, 0.1-0.4 s on the published instances)."""
    _die_with_parent(parent)
    keep = out.fileno()
    os.closerange(3, keep)
    os.closerange(keep + 1, _MAX_FD)
    target(task, out)


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCHDOG_SECONDS)
    os._exit(1)


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


@dataclass(frozen=True, slots=True)
class _Task:
    """What both searches share: the problem, its encoding (``None`` when a matching shows
    that not every meeting fits), and the highest bound either has proven."""

    index: ProblemIndex
    enc: BreakEncoding | None
    fairness: int | None
    require_all: bool
    shared: "Synchronized[int]"


def _search_first(task: _Task, out: Connection) -> None:
    index, enc, fairness = task.index, task.enc, task.fairness
    if enc is None:
        # Every meeting cannot fit (a matching says so): CDCL would refute a pigeonhole.
        if not task.require_all:
            for progress in _partial(index, fairness):
                out.send(progress)
        out.close()
        return
    with Solver(name=SAT_SOLVER, bootstrap_with=enc.hard) as solver:
        # The tightened windows speed up its proofs of bounds; the up search, without them,
        # finds the schedules at the optimum sooner (forum-13crafb: 15 s against 36-41 s).
        solver.append_formula(enc.tight)
        if solver.solve():
            for progress in _ascend(index, enc, solver, fairness, task.shared):
                out.send(progress)
        elif task.require_all:
            out.send(Progress(None, None, 0, done=True))
        else:
            for progress in _partial(index, fairness):
                out.send(progress)
    out.close()


def _search_up(task: _Task, out: Connection) -> None:
    # The up search only ever proves bounds on full schedules.
    index, enc, shared = task.index, task.enc, task.shared
    if enc is None:
        out.close()
        return
    counter = ITotalizer(lits=enc.costs, ubound=max(len(enc.costs), 1), top_id=enc.pool.top)
    with Solver(name=SAT_SOLVER, bootstrap_with=enc.hard) as solver:
        solver.append_formula(counter.cnf.clauses)
        # Straight to the bounds, without a first unbounded call (the first search makes one):
        # that call alone took 6.9 s on forum-14 and 3.5 s on ticf-13crafb, where "at most 0,
        # 1, 2 breaks" took 3.5 s in all.
        for k in _bounds(shared, len(enc.costs) + 1):
            if solver.solve(assumptions=[-counter.rhs[k]] if k < len(enc.costs) else []):
                slots = enc.slots_of(solver.get_model())
                out.send(Progress(slots, sum(participant_breaks(index, slots)), k, done=True))
                break
            _prove(shared, k + 1)
            out.send(Progress(None, None, k + 1, done=False))
    out.close()


def _bounds(shared: "Synchronized[int]", stop: int) -> Iterator[int]:
    """k = 0, 1, ... below ``stop``, skipping the bounds the other search has proven."""
    k = 0
    while (k := max(k, shared.value)) < stop:
        yield k
        k += 1


def _prove(shared: "Synchronized[int]", bound: int) -> None:
    with shared.get_lock():
        shared.value = max(shared.value, bound)


def _ascend(
    index: ProblemIndex,
    enc: BreakEncoding,
    solver: Solver,
    fairness: int | None,
    shared: "Synchronized[int]",
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
    if sum(counts) < upper and (fairness is None or max(counts) - min(counts) <= fairness):
        slots, upper = polished, sum(counts)
        yield Progress(slots, upper, 0, done=False)
    counter = ITotalizer(lits=enc.costs, ubound=upper, top_id=enc.pool.top)
    solver.append_formula(counter.cnf.clauses)
    for k in _bounds(shared, upper):
        if solver.solve(assumptions=[-counter.rhs[k]]):
            found = enc.slots_of(solver.get_model())
            yield Progress(found, sum(participant_breaks(index, found)), k, done=True)
            return
        _prove(shared, k + 1)
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
    """Fewest (weighted) meetings left out, then fewest breaks; every better schedule is
    reported as it is found, so a search stopped by the time limit still has one to show.

    The descent on the meetings left out stops at the floor of `missing_floor` (more meetings
    than room-slots, or than a participant's usable slots): reaching it proves the count
    optimal, where CaDiCaL would need a pigeonhole proof that never came in time (200 meetings
    in 196 room-slots: no answer in 60 s)."""
    enc = BreakEncoding(index, fairness, place_all=False).build()
    missing = [-enc.placed[m] for m in range(len(index.pairs)) for _ in range(index.weights[m])]
    total = len(missing)
    floor = missing_floor(index)
    counter = ITotalizer(lits=missing, ubound=total, top_id=enc.pool.top)
    enc.pool.top = counter.top_id
    with Solver(name=SAT_SOLVER, bootstrap_with=enc.hard + counter.cnf.clauses) as solver:
        # Placed phases: without them the descent went one meeting at a time from almost none
        # placed (50 calls on forum-14.forb0007 instead of 15).
        solver.set_phases(list(enc.placed.values()))
        best = total
        while best > floor and solver.solve(assumptions=[-counter.rhs[best - 1]]):
            best = _missing(solver.get_model(), missing)
            slots = enc.slots_of(solver.get_model())
            breaks = sum(participant_breaks(index, slots))
            yield Progress(slots, breaks, 0, done=False, unplaced=best)
        fixed = [-counter.rhs[best]] if best < total else []
        solver.solve(assumptions=fixed)
        yield from _descend(index, enc, solver, fixed, unplaced=best)


def _missing(model: list[int], missing: list[int]) -> int:
    return sum(1 for lit in missing if model[abs(lit) - 1] == lit)
