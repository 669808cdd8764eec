"""The public entry point: pick the method for a problem, run it, and seat the meetings.

* Exact: the SAT search of `sat.py` (CaDiCaL, breaks as counted literals, implied windows).
* Large events (more than `LARGE_CELLS` meeting-slot pairs): one SAT call places every meeting,
  then Kempe-chain local search (`local.py`) removes breaks until the time limit.
* Large events with fairness, and large events where not every meeting fits: the CP-SAT model,
  warm-started from the SAT schedule or first fit. (Until November 2026 also fairness when no
  participant was sure to have zero breaks, which the SAT encoding now expresses with a floor.)
"""

import time

from clusterbridge.domain.enums import SolveStatus
from clusterbridge.domain.scheduling.breaks import first_fit, participant_breaks, seat
from clusterbridge.domain.scheduling.problem import ProblemIndex, SchedulingProblem
from clusterbridge.domain.scheduling.schedule import SolveResult
from clusterbridge.engines.scheduling.bounds import surely_infeasible
from clusterbridge.engines.scheduling.local import improve_breaks
from clusterbridge.engines.scheduling.model import ModelOptions, SchedulingModel
from clusterbridge.engines.scheduling.sat import Progress, solve_exact

#: Above this many (meeting, allowed slot) pairs the exact search gives way to CP-SAT's
#: neighbourhood search: the published instances have at most 6,700, the 1,000-participant
#: event about 96,000.
LARGE_CELLS = 20_000
DEFAULT_TIME_LIMIT = 60.0


def solve(
    problem: SchedulingProblem,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    fairness: int | None = None,
    require_all: bool = False,
    seed: int = 0,
    workers: int = 2,
) -> SolveResult:
    """Schedule ``problem``: place the most (priority-weighted) meetings, then fewest breaks.

    ``fairness`` bounds the difference between two participants' break counts. With
    ``require_all`` a problem whose meetings cannot all be placed is ``infeasible``; without it
    the meetings that do not fit are left out and listed in ``unplaced``. Stops after
    ``time_limit`` seconds with the best schedule found (status ``feasible``) or, with
    ``require_all``, none (``unknown``); without it, the first-fit baseline when the search found
    nothing in time. With ``require_all``, a matching argument (`bounds.surely_infeasible`)
    answers ``infeasible`` before any search when it can. ``seed`` and ``workers`` steer
    CP-SAT. Runs a child process for the exact search; no other side effect.
    """
    started = time.monotonic()
    index = problem.index
    if require_all and surely_infeasible(index):
        return _result(
            problem, None, SolveStatus.INFEASIBLE, None, None, seconds=time.monotonic() - started
        )
    if _is_large(index) and fairness is None:
        slots, status, breaks, bound = _solve_large(
            problem, require_all=require_all, time_limit=time_limit, seed=seed, workers=workers
        )
    elif _is_large(index):
        warm = _warm_start(problem, fairness, time_limit=time_limit / 4)
        slots, status, breaks, bound = _solve_cp(
            problem,
            ModelOptions(
                fairness=fairness, require_all=require_all, hint=warm or first_fit(problem)
            ),
            time_limit=time_limit - (time.monotonic() - started),
            seed=seed,
            workers=workers,
        )
    else:
        progress = solve_exact(
            index, fairness=fairness, time_limit=time_limit, require_all=require_all
        )
        slots, status, breaks, bound = _from_progress(progress)
    if slots is None and status is SolveStatus.UNKNOWN and not require_all:
        slots, status, breaks, bound = _baseline(problem, fairness)
    return _result(problem, slots, status, breaks, bound, seconds=time.monotonic() - started)


def _baseline(
    problem: SchedulingProblem, fairness: int | None
) -> tuple[dict[int, int] | None, SolveStatus, int | None, int | None]:
    """Never nothing when meetings may be left out: the first-fit baseline places what fits,
    if it keeps the fairness bound."""
    slots = first_fit(problem)
    counts = participant_breaks(problem.index, slots)
    if fairness is not None and counts and max(counts) - min(counts) > fairness:
        return None, SolveStatus.UNKNOWN, None, None
    return slots, SolveStatus.FEASIBLE, sum(counts), None


def _warm_start(
    problem: SchedulingProblem, fairness: int | None, *, time_limit: float
) -> dict[int, int] | None:
    """A schedule placing every meeting from one SAT call (CaDiCaL finds one for the
    1,000-participant event in about a second, where first fit leaves 3 % out), if any."""
    found = solve_exact(
        problem.index, fairness=fairness, time_limit=time_limit, require_all=True, first_only=True
    )
    return found.slots


def _solve_large(
    problem: SchedulingProblem, *, require_all: bool, time_limit: float, seed: int, workers: int
) -> tuple[dict[int, int] | None, SolveStatus, int | None, int | None]:
    """Every meeting placed by SAT, then Kempe-chain local search on the breaks (ADR 0008);
    CP-SAT when not every meeting fits."""
    started = time.monotonic()
    warm = _warm_start(problem, None, time_limit=time_limit / 2)
    left = time_limit - (time.monotonic() - started)
    if warm is None:
        options = ModelOptions(require_all=require_all, hint=first_fit(problem))
        return _solve_cp(problem, options, time_limit=left, seed=seed, workers=workers)
    slots = improve_breaks(problem.index, warm, time_limit=left, seed=seed)
    return slots, SolveStatus.FEASIBLE, sum(participant_breaks(problem.index, slots)), None


def _is_large(index: ProblemIndex) -> bool:
    return sum(len(slots) for slots in index.allowed) > LARGE_CELLS


def _from_progress(
    progress: Progress,
) -> tuple[dict[int, int] | None, SolveStatus, int | None, int | None]:
    if progress.slots is None:
        status = SolveStatus.INFEASIBLE if progress.done else SolveStatus.UNKNOWN
        return None, status, None, None
    status = SolveStatus.OPTIMAL if progress.done else SolveStatus.FEASIBLE
    return progress.slots, status, progress.breaks, progress.bound


def _solve_cp(
    problem: SchedulingProblem, options: ModelOptions, *, time_limit: float, seed: int, workers: int
) -> tuple[dict[int, int] | None, SolveStatus, int | None, int | None]:
    found = SchedulingModel(problem.index, options).solve(
        time_limit=time_limit, workers=workers, seed=seed
    )
    if found.status not in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE):
        return None, found.status, None, None
    return found.slots, found.status, found.breaks, found.bound


def _result(
    problem: SchedulingProblem,
    slots: dict[int, int] | None,
    status: SolveStatus,
    breaks: int | None,
    bound: int | None,
    *,
    seconds: float,
) -> SolveResult:
    if slots is None:
        return SolveResult(status, None, None, None, seconds)
    unplaced = tuple(m + 1 for m in range(len(problem.meetings)) if m not in slots)
    return SolveResult(status, seat(slots), breaks, bound, seconds, unplaced)
