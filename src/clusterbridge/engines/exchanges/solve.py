"""One entry point for an assignment run: ``solve(problem, method=...)``."""

import time

from clusterbridge.engines.exchanges.check import check_assignment
from clusterbridge.engines.exchanges.deferred import assign_visitor_optimal
from clusterbridge.engines.exchanges.problem import AssignmentProblem
from clusterbridge.engines.exchanges.result import AssignmentResult, Match, Method, SolveStatus

#: Seconds CP-SAT may take for the most-exchanges assignment unless told otherwise.
DEFAULT_TIME_LIMIT = 10.0
DEFAULT_SEED = 1


def solve(
    problem: AssignmentProblem,
    *,
    method: Method = Method.STABLE,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = DEFAULT_SEED,
    workers: int = 1,
) -> AssignmentResult:
    """Assign visitors to hosts by ``method`` (default: the visitor-optimal stable assignment,
    by deferred acceptance; ``Method.MOST``: the most exchanges, by CP-SAT within
    ``time_limit`` seconds) and check the answer with the independent checker. Pure apart from
    the solver's threads; ValueError for a time limit that is not positive."""
    if time_limit <= 0:
        raise ValueError("the time limit must be positive")
    started = time.perf_counter()
    if method is Method.STABLE:
        status, assigned = SolveStatus.OPTIMAL, assign_visitor_optimal(problem)
    else:
        # OR-Tools is imported only when this method is asked for.
        from clusterbridge.engines.exchanges.model import MostExchangesModel  # noqa: PLC0415 -- slow import

        model = MostExchangesModel(problem)
        status, assigned = model.solve(time_limit=time_limit, seed=seed, workers=workers)
    matches = tuple(
        Match(problem.visitors[v].id, problem.hosts[h].id)
        for v, h in enumerate(assigned)
        if h is not None
    )
    unmatched = tuple(problem.visitors[v].id for v, h in enumerate(assigned) if h is None)
    report = check_assignment(problem, matches)
    seconds = time.perf_counter() - started
    return AssignmentResult(method, status, matches, unmatched, report, seconds)
