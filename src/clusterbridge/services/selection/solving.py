"""Run the selection engine: the only way the adapters reach it."""

from clusterbridge.engines.selection.assignment import AssignmentProblem, AssignmentResult
from clusterbridge.engines.selection.flow import solve_assignment
from clusterbridge.engines.selection.problem import SelectionProblem
from clusterbridge.engines.selection.select import SelectionResult, select


def rank_and_select(problem: SelectionProblem) -> SelectionResult:
    """Screen, rank and select the proposals of ``problem`` (pure; see engines.selection)."""
    return select(problem)


def assign(problem: AssignmentProblem) -> AssignmentResult:
    """An optimal expert assignment, or the proposals that cannot be covered (pure)."""
    return solve_assignment(problem)
