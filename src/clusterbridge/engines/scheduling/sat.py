"""Exact solving by SAT: lower bound up, one CaDiCaL call per candidate number of breaks.

The search runs in a child process because CaDiCaL (through python-sat) cannot be interrupted:
the child reports every schedule and every proven bound through a pipe, and the parent stops it
at the time limit, keeping the best it was told. With the break literals of `BreakEncoding` the
answer to "at most k breaks?" is UNSAT for k below the optimum and SAT at it, so the first SAT
answer is optimal, and each UNSAT answer raises the proven bound.
"""

import multiprocessing
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection

from pysat.card import ITotalizer
from pysat.solvers import Solver

from clusterbridge.domain.scheduling.breaks import participant_breaks
from clusterbridge.domain.scheduling.problem import ProblemIndex
from clusterbridge.engines.scheduling.encoding import BreakEncoding

#: CaDiCaL 1.9.5: ten times faster than Glucose 3 on the published instances (ADR 0010).
SAT_SOLVER = "cadical195"


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
    """The best the SAT search finds within ``time_limit`` seconds (see the module docstring).

    With ``require_all`` false and not every meeting placeable, it first minimises the weight
    of the meetings left out, then the breaks. ``first_only`` stops at the first schedule that
    places every meeting (the warm start of large events). Starts and stops one child process.
    """
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    worker = context.Process(
        target=_search, args=(index, fairness, require_all, first_only, child), daemon=True
    )
    worker.start()
    child.close()
    best = Progress(None, None, 0, done=False)
    deadline = time.monotonic() + time_limit
    try:
        while not best.done and parent.poll(max(deadline - time.monotonic(), 0)):
            best = parent.recv()
            if first_only:
                break
    except EOFError:
        pass
    finally:
        worker.kill()
        worker.join()
        parent.close()
    return best


def _search(
    index: ProblemIndex,
    fairness: int | None,
    require_all: bool,
    first_only: bool,
    out: Connection,
) -> None:
    for progress in _ascend(index, fairness, place_all=True, implied=not first_only):
        if progress.done and progress.slots is None and not require_all:
            for partial in _partial(index, fairness):
                out.send(partial)
        else:
            out.send(progress)
    out.close()


def _ascend(
    index: ProblemIndex, fairness: int | None, *, place_all: bool, implied: bool = True
) -> Iterator[Progress]:
    enc = BreakEncoding(index, fairness, place_all=place_all, implied=implied).build()
    with Solver(name=SAT_SOLVER, bootstrap_with=enc.hard) as solver:
        if not solver.solve():
            yield Progress(None, None, 0, done=True)
            return
        yield from _ascend_breaks(index, enc, solver, [])


def _ascend_breaks(
    index: ProblemIndex, enc: BreakEncoding, solver: Solver, fixed: list[int], unplaced: int = 0
) -> Iterator[Progress]:
    slots = enc.slots_of(solver.get_model())
    upper = sum(participant_breaks(index, slots))
    yield Progress(slots, upper, 0, done=upper == 0, unplaced=unplaced)
    if upper == 0:
        return
    counter = ITotalizer(lits=enc.costs, ubound=upper, top_id=enc.pool.top)
    solver.append_formula(counter.cnf.clauses)
    for k in range(upper):
        if solver.solve(assumptions=[*fixed, -counter.rhs[k]]):
            slots = enc.slots_of(solver.get_model())
            yield Progress(slots, sum(participant_breaks(index, slots)), k, True, unplaced)
            return
        yield Progress(slots, upper, k + 1, done=False, unplaced=unplaced)
    yield Progress(slots, upper, upper, done=True, unplaced=unplaced)


def _partial(index: ProblemIndex, fairness: int | None) -> Iterator[Progress]:
    """Fewest (weighted) meetings left out, then fewest breaks."""
    enc = BreakEncoding(index, fairness, place_all=False).build()
    missing = [-enc.placed[m] for m in range(len(index.pairs)) for _ in range(index.weights[m])]
    total = len(missing)
    counter = ITotalizer(lits=missing, ubound=total, top_id=enc.pool.top)
    enc.pool.top = counter.top_id
    with Solver(name=SAT_SOLVER, bootstrap_with=enc.hard + counter.cnf.clauses) as solver:
        best = total
        while best > 0 and solver.solve(assumptions=[-counter.rhs[best - 1]]):
            model = solver.get_model()
            best = sum(1 for lit in missing if model[abs(lit) - 1] == lit)
        fixed = [-counter.rhs[best]] if best < total else []
        solver.solve(assumptions=fixed)
        yield from _ascend_breaks(index, enc, solver, fixed, unplaced=best)
