"""The assignment with the most exchanges, by CP-SAT (the only module here importing OR-Tools).

One Boolean per mutually acceptable pair; each visitor at most once, each host at most its
capacity. The objective is the number of exchanges first and, among assignments with as many,
the smallest sum of both sides' ranks, so that the answer is as close to the preferences as the
count allows. Stability is not a constraint: the checker counts the blocking pairs it leaves.
"""

from ortools.sat.python import cp_model

from clusterbridge.engines.exchanges.problem import AssignmentProblem
from clusterbridge.engines.exchanges.result import SolveStatus

_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
}


class MostExchangesModel:
    """The CP-SAT model of one problem."""

    def __init__(self, problem: AssignmentProblem) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.pairs: dict[tuple[int, int], cp_model.IntVar] = {}
        self._add_variables()
        self._add_visitor_once()
        self._add_capacities()
        self._add_objective()

    def solve(
        self, *, time_limit: float, seed: int, workers: int
    ) -> tuple[SolveStatus, list[int | None]]:
        """Solve; per visitor index, its host index or None (all None without a solution)."""
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit
        solver.parameters.random_seed = seed
        solver.parameters.num_workers = workers
        status = _STATUS.get(solver.solve(self.model), SolveStatus.UNKNOWN)
        assigned: list[int | None] = [None] * len(self.problem.visitors)
        if status is not SolveStatus.UNKNOWN:
            for (visitor, host), var in self.pairs.items():
                if solver.boolean_value(var):
                    assigned[visitor] = host
        return status, assigned

    def _add_variables(self) -> None:
        for visitor, hosts in enumerate(self.problem.visitor_lists):
            for host in hosts:
                if self.problem.hosts[host].capacity > 0:
                    self.pairs[visitor, host] = self.model.new_bool_var(f"x_{visitor}_{host}")

    def _add_visitor_once(self) -> None:
        by_visitor: dict[int, list[cp_model.IntVar]] = {}
        for (visitor, _), var in self.pairs.items():
            by_visitor.setdefault(visitor, []).append(var)
        for variables in by_visitor.values():
            self.model.add_at_most_one(variables)

    def _add_capacities(self) -> None:
        by_host: dict[int, list[cp_model.IntVar]] = {}
        for (_, host), var in self.pairs.items():
            by_host.setdefault(host, []).append(var)
        for host, variables in by_host.items():
            capacity = self.problem.hosts[host].capacity
            if len(variables) > capacity:
                self.model.add(sum(variables) <= capacity)

    def _add_objective(self) -> None:
        lists, ranks = self.problem.visitor_lists, self.problem.host_ranks
        costs = {(v, h): lists[v].index(h) + ranks[h][v] for (v, h) in self.pairs}
        # One more exchange must outweigh any saving in ranks.
        weight = 1 + sum(costs.values())
        self.model.maximize(
            cp_model.LinearExpr.weighted_sum(
                list(self.pairs.values()), [weight - costs[pair] for pair in self.pairs]
            )
        )
