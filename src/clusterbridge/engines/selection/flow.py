"""The solvers of the expert assignment: the only module of the package importing OR-Tools.

``solve_assignment`` is exact: a min-cost flow (source → expert, capacity ``max_load``;
expert → proposal, capacity 1 and cost minus the scaled affinity, for every pair without a
conflict; proposal → sink, capacity k) whose flow of k per proposal is a b-matching of the
greatest total affinity. When no flow covers every proposal, ``explain_infeasible`` names the
proposals: first each one with fewer than k experts free of conflicts, otherwise the
source side of a minimum cut of the max flow, a set of proposals violating Hall's condition.
``solve_assignment_cp_sat`` states the same problem for CP-SAT: the benchmark's baseline.
"""

import time

import numpy as np
import numpy.typing as npt
from ortools.graph.python import max_flow, min_cost_flow
from ortools.sat.python import cp_model

from clusterbridge.engines.selection.assignment import (
    SCALE,
    AssignmentProblem,
    AssignmentResult,
    AssignStatus,
    Deficiency,
    Pair,
    scaled,
)

_Ints = npt.NDArray[np.int64]


def solve_assignment(problem: AssignmentProblem) -> AssignmentResult:
    """An assignment of the greatest total affinity, or the explanation why none exists."""
    started = time.perf_counter()
    tails, heads, costs = _pair_arcs(problem)
    experts, proposals = len(problem.experts), len(problem.proposals)
    source, sink = 0, experts + proposals + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    pair_arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails + 1, heads + experts + 1, np.ones_like(tails), costs
    )
    flow.add_arcs_with_capacity_and_unit_cost(
        np.zeros(experts, np.int64), np.arange(1, experts + 1, dtype=np.int64),
        np.full(experts, problem.max_load, np.int64), np.zeros(experts, np.int64),
    )  # fmt: skip
    flow.add_arcs_with_capacity_and_unit_cost(
        np.arange(experts + 1, sink, dtype=np.int64), np.full(proposals, sink, np.int64),
        np.full(proposals, problem.per_proposal, np.int64), np.zeros(proposals, np.int64),
    )  # fmt: skip
    demand = problem.per_proposal * proposals
    flow.set_node_supply(source, demand)
    flow.set_node_supply(sink, -demand)
    if flow.solve() != flow.OPTIMAL:
        return explain_infeasible(problem, seconds=time.perf_counter() - started)
    used = np.flatnonzero(flow.flows(pair_arcs))
    return _result(problem, tails[used], heads[used], time.perf_counter() - started)


def explain_infeasible(problem: AssignmentProblem, *, seconds: float = 0.0) -> AssignmentResult:
    """Why no assignment covers every proposal (an ``INFEASIBLE`` result with deficiencies;
    an ``OPTIMAL`` status is never returned here, even for a feasible problem: then the
    deficiencies are empty)."""
    singles = _single_deficiencies(problem)
    deficiencies = singles or _cut_deficiency(problem)
    return AssignmentResult(AssignStatus.INFEASIBLE, deficiencies=deficiencies, seconds=seconds)


def solve_assignment_cp_sat(
    problem: AssignmentProblem, *, time_limit: float = 60.0, workers: int = 1
) -> AssignmentResult:
    """The same problem with one Boolean per allowed pair, solved by CP-SAT (the baseline of
    the benchmark). Infeasibility is explained as by ``solve_assignment``."""
    started = time.perf_counter()
    tails, heads, costs = _pair_arcs(problem)
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"x{i}") for i in range(len(tails))]
    for expert in range(len(problem.experts)):
        model.add(sum(chosen[i] for i in np.flatnonzero(tails == expert)) <= problem.max_load)
    for proposal in range(len(problem.proposals)):
        arcs = np.flatnonzero(heads == proposal)
        model.add(sum(chosen[i] for i in arcs) == problem.per_proposal)
    model.minimize(sum(int(c) * x for c, x in zip(costs, chosen, strict=True) if c))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status != cp_model.OPTIMAL:
        return explain_infeasible(problem, seconds=time.perf_counter() - started)
    used = np.array([i for i, x in enumerate(chosen) if solver.boolean_value(x)], np.int64)
    return _result(problem, tails[used], heads[used], time.perf_counter() - started)


def _pair_arcs(problem: AssignmentProblem) -> tuple[_Ints, _Ints, _Ints]:
    """(expert index, proposal index, cost) of every pair without a conflict."""
    experts, proposals = len(problem.experts), len(problem.proposals)
    tails = np.repeat(np.arange(experts, dtype=np.int64), proposals)
    heads = np.tile(np.arange(proposals, dtype=np.int64), experts)
    costs = np.zeros(experts * proposals, np.int64)
    expert_at = {e: i for i, e in enumerate(problem.experts)}
    proposal_at = {p: i for i, p in enumerate(problem.proposals)}
    for (expert, proposal), value in problem.affinity.items():
        costs[expert_at[expert] * proposals + proposal_at[proposal]] = -scaled(value)
    keep = np.ones(experts * proposals, bool)
    for expert, proposal in problem.conflicts:
        keep[expert_at[expert] * proposals + proposal_at[proposal]] = False
    return tails[keep], heads[keep], costs[keep]


def _result(
    problem: AssignmentProblem, tails: _Ints, heads: _Ints, seconds: float
) -> AssignmentResult:
    order = np.lexsort((tails, heads))
    pairs = tuple(
        Pair(expert, proposal, problem.fit(expert, proposal))
        for expert, proposal in (
            (problem.experts[tails[i]], problem.proposals[heads[i]]) for i in order
        )
    )
    total = sum(scaled(p.affinity) for p in pairs) / SCALE
    return AssignmentResult(AssignStatus.OPTIMAL, pairs, round(total, 6), seconds=seconds)


def _single_deficiencies(problem: AssignmentProblem) -> tuple[Deficiency, ...]:
    found = []
    for proposal in problem.proposals:
        free = tuple(e for e in problem.experts if problem.allowed(e, proposal))
        if len(free) < problem.per_proposal:
            found.append(Deficiency((proposal,), problem.per_proposal, len(free), free))
    return tuple(found)


def _cut_deficiency(problem: AssignmentProblem) -> tuple[Deficiency, ...]:
    """The proposals on the source side of a minimum cut (source → proposal → expert →
    sink): together they need more evaluations than their experts can give."""
    tails, heads, _ = _pair_arcs(problem)
    experts, proposals = len(problem.experts), len(problem.proposals)
    source, sink = 0, experts + proposals + 1
    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(heads + 1, tails + proposals + 1, np.ones_like(tails))
    flow.add_arcs_with_capacity(
        np.zeros(proposals, np.int64), np.arange(1, proposals + 1, dtype=np.int64),
        np.full(proposals, problem.per_proposal, np.int64),
    )  # fmt: skip
    flow.add_arcs_with_capacity(
        np.arange(proposals + 1, sink, dtype=np.int64), np.full(experts, sink, np.int64),
        np.full(experts, problem.max_load, np.int64),
    )  # fmt: skip
    flow.solve(source, sink)
    if flow.optimal_flow() == problem.per_proposal * proposals:
        return ()
    side = {node - 1 for node in flow.get_source_side_min_cut() if 1 <= node <= proposals}
    degree = np.bincount(tails[np.isin(heads, list(side))], minlength=experts)
    free = tuple(problem.experts[e] for e in np.flatnonzero(degree))
    available = int(np.minimum(degree, problem.max_load).sum())
    group = tuple(p for i, p in enumerate(problem.proposals) if i in side)
    return (Deficiency(group, problem.per_proposal * len(group), available, free),)
