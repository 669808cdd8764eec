"""Scheduling use cases: solve a problem file, check a schedule file against a problem file."""

from dataclasses import dataclass
from pathlib import Path

from clusterbridge.domain.errors import MissingDependencyError
from clusterbridge.domain.scheduling.breaks import count_breaks
from clusterbridge.domain.scheduling.check import Violation, check_schedule
from clusterbridge.domain.scheduling.problem import SchedulingProblem
from clusterbridge.domain.scheduling.schedule import SolveResult
from clusterbridge.services.scheduling.files import read_problem, read_schedule


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The violations of a schedule, its breaks, and how many meetings it places of how many."""

    violations: tuple[Violation, ...]
    breaks: int
    placed: int
    meetings: int


def solve_file(
    path: Path, *, time_limit: float, fairness: int | None, require_all: bool
) -> tuple[SchedulingProblem, SolveResult]:
    """Read a ``.dzn`` or event JSON file and solve it (see `solve`); reads only that file."""
    try:
        from clusterbridge.engines.scheduling.solve import solve  # noqa: PLC0415 -- optional dependency
    except ImportError as error:
        raise MissingDependencyError(
            f"Scheduling needs the solvers: pip install 'clusterbridge[scheduling]' ({error})"
        ) from None
    problem = read_problem(path)
    return problem, solve(
        problem, time_limit=time_limit, fairness=fairness, require_all=require_all
    )


def check_file(
    problem_path: Path, schedule_path: Path, *, fairness: int | None, require_all: bool
) -> CheckReport:
    """Check the schedule file against the problem file with the independent checker."""
    problem = read_problem(problem_path)
    schedule = read_schedule(schedule_path)
    violations = check_schedule(problem, schedule, fairness=fairness, require_all=require_all)
    placed = {a.meeting for a in schedule.assignments if 1 <= a.meeting <= len(problem.meetings)}
    return CheckReport(
        tuple(violations), count_breaks(problem, schedule), len(placed), len(problem.meetings)
    )
