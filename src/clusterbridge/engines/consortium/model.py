"""The CP-SAT model of a ``BuildProblem``: the only module of the builder importing OR-Tools.

One Boolean per party says it is in the proposal (members are fixed in BUILD mode). Each
encoded rule is a constraint family: blocking rules must *possibly* pass (no rule can fail),
and a Boolean per rule says it passes *for certain* (enforced by the same constraint over the
certain parts). The objective is lexicographic through its weights: in BUILD mode first the
blocking rules proven, then the score; in COMPLETE mode first the fewest changes. ``check``
computes the same objective independently.
"""

import time
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from ortools.sat.python import cp_model

from clusterbridge.engines.consortium.problem import (
    BuildProblem,
    Mode,
    Party,
    RuleKind,
    RuleModel,
    scaled,
)
from clusterbridge.engines.consortium.result import Selection, SolveResult, SolveStatus

_STATUS = {
    cp_model.OPTIMAL: SolveStatus.OPTIMAL,
    cp_model.FEASIBLE: SolveStatus.FEASIBLE,
    cp_model.INFEASIBLE: SolveStatus.INFEASIBLE,
}


def tier_weights(problem: BuildProblem) -> tuple[int, int]:
    """(weight of a proven blocking rule, weight of a change): each larger than everything
    below it can add up to, so the objective is lexicographic."""
    positive = sum(max(0, scaled(problem.weights.relevance * p.relevance)) for p in problem.parties)
    negative = sum(
        max(0, -scaled(problem.weights.relevance * p.relevance)) for p in problem.parties
    )
    keys = {key for party in problem.parties for key in party.keys}
    positive += sum(max(0, scaled(problem.weights.key_weight(key))) for key in keys)
    positive += scaled(problem.weights.soft_rule) * sum(not r.blocking for r in problem.rules)
    negative += scaled(problem.weights.warning) * sum(
        part.warning for party in problem.parties for part in party.parts
    )
    proven = positive + negative + 1
    blocking = sum(rule.blocking for rule in problem.rules)
    return proven, proven * (blocking + 1)


class BuilderModel:
    """The model of one problem; ``solve`` may be called again after ``exclude``."""

    def __init__(self, problem: BuildProblem) -> None:
        self.problem = problem
        self.model = cp_model.CpModel()
        self.chosen: dict[int, cp_model.IntVar] = {}
        self.proven: dict[str, cp_model.IntVar] = {}
        #: Candidates added by an earlier proposal (BUILD mode), each worth less now.
        self.proposed: set[int] = set()
        self._variables()
        for rule_number, rule in enumerate(problem.rules):
            self._rule(rule_number, rule)
        self._size()
        self._covered = self._coverage()
        self._objective()

    # ------------------------------------------------------------------ variables

    def _variables(self) -> None:
        for party in self.problem.members:
            chosen = self.chosen[party.id] = self.model.new_bool_var(f"keep_{party.id}")
            if self.problem.mode is Mode.BUILD:
                self.model.add(chosen == 1)
        for party in self.problem.candidates:
            self.chosen[party.id] = self.model.new_bool_var(f"add_{party.id}")
        for rule in self.problem.rules:
            self.proven[rule.id] = self.model.new_bool_var(f"proven_{rule.id}")

    # ---------------------------------------------------------------- constraints

    def _rule(self, number: int, rule: RuleModel) -> None:
        parties = self.problem.parties
        if rule.kind is RuleKind.EACH:
            self._each(number, rule, parties)
        elif rule.kind is RuleKind.COUNT:
            self._count(number, rule, parties)
        elif rule.kind is RuleKind.COUNTRIES:
            self._countries(number, rule, parties)
        else:
            self._share(number, rule, parties)

    def _each(self, number: int, rule: RuleModel, parties: tuple[Party, ...]) -> None:
        proven = self.proven[rule.id]
        for party in parties:
            part, chosen = party.parts[number], self.chosen[party.id]
            if not part.possible and rule.blocking:
                self.model.add(chosen == 0)
            if not part.certain:
                self.model.add_bool_or([proven.negated(), chosen.negated()])

    def _count(self, number: int, rule: RuleModel, parties: tuple[Party, ...]) -> None:
        possible = [self.chosen[p.id] for p in parties if p.parts[number].possible]
        certain = [self.chosen[p.id] for p in parties if p.parts[number].certain]
        if rule.blocking:
            self.model.add(sum(possible) >= rule.minimum)
        self.model.add(sum(certain) >= rule.minimum).only_enforce_if(self.proven[rule.id])

    def _countries(self, number: int, rule: RuleModel, parties: tuple[Party, ...]) -> None:
        possible: defaultdict[str, list[cp_model.IntVar]] = defaultdict(list)
        certain: defaultdict[str, list[cp_model.IntVar]] = defaultdict(list)
        for party in parties:
            part = party.parts[number]
            if part.possible:
                possible[part.country].append(self.chosen[party.id])
            if part.certain:
                certain[part.country].append(self.chosen[party.id])
        reached = [self._any(f"{rule.id}_may_{c}", chosen) for c, chosen in possible.items()]
        proven = [self._any(f"{rule.id}_has_{c}", chosen) for c, chosen in certain.items()]
        if rule.blocking:
            self.model.add(sum(reached) >= rule.minimum)
        self.model.add(sum(proven) >= rule.minimum).only_enforce_if(self.proven[rule.id])

    def _any(self, name: str, chosen: list[cp_model.IntVar]) -> cp_model.IntVar:
        """A Boolean that may be true only when one of ``chosen`` is."""
        flag: cp_model.IntVar = self.model.new_bool_var(name)
        self.model.add_bool_or([flag.negated(), *chosen])
        return flag

    def _share(self, number: int, rule: RuleModel, parties: tuple[Party, ...]) -> None:
        numerator, denominator = rule.share
        chosen = [self.chosen[party.id] for party in parties]
        bounds = [party.parts[number].bounds for party in parties]
        low = cp_model.LinearExpr.weighted_sum(
            chosen, [denominator * b[0] - numerator * b[1] for b in bounds]
        )
        high = cp_model.LinearExpr.weighted_sum(
            chosen, [denominator * b[2] - numerator * b[3] for b in bounds]
        )
        if rule.blocking:
            self.model.add(high >= 0)
        proven = self.proven[rule.id]
        self.model.add(low >= 0).only_enforce_if(proven)
        # A share of no partner is no share (the checker: unknown): proven only with a partner
        # concerned for sure.
        concerned = cp_model.LinearExpr.weighted_sum(chosen, [b[1] for b in bounds])
        self.model.add(concerned >= 1).only_enforce_if(proven)

    def _size(self) -> None:
        self.model.add(sum(self.chosen.values()) <= self.problem.max_partners)

    # ------------------------------------------------------------------ objective

    def _objective(self) -> None:
        problem, weights = self.problem, self.problem.weights
        proven_weight, change_weight = tier_weights(problem)
        terms = []
        for rule in problem.rules:
            weight = proven_weight if rule.blocking else scaled(weights.soft_rule)
            terms.append(weight * self.proven[rule.id])
        for party in problem.parties:
            warnings = sum(part.warning for part in party.parts)
            value = scaled(weights.relevance * party.relevance) - warnings * scaled(weights.warning)
            terms.append((value - self.reuse_penalty(party)) * self.chosen[party.id])
        terms.extend(self._covered)
        if problem.mode is Mode.COMPLETE:
            terms.extend(-change_weight * (1 - self.chosen[p.id]) for p in problem.members)
            terms.extend(-change_weight * self.chosen[p.id] for p in problem.candidates)
        self.model.maximize(sum(terms))

    def reuse_penalty(self, party: Party) -> int:
        """What choosing ``party`` again costs: ``Weights.reused`` of its (positive) relevance
        when an earlier proposal added it, else 0."""
        if party.id not in self.proposed or party.relevance <= 0:
            return 0
        weights = self.problem.weights
        return scaled(weights.reused * weights.relevance * party.relevance)

    def _coverage(self) -> list[cp_model.LinearExpr]:
        holders: defaultdict[str, list[cp_model.IntVar]] = defaultdict(list)
        for party in self.problem.parties:
            for key in party.keys:
                holders[key].append(self.chosen[party.id])
        terms = []
        for key in sorted(holders):
            weight = scaled(self.problem.weights.key_weight(key))
            if weight > 0:
                terms.append(weight * self._any(f"covers_{key}", holders[key]))
        return terms

    # ----------------------------------------------------------------- solving

    def exclude(self, selection: Selection) -> None:
        """Ask the next solve for something else: in BUILD mode, at least ``min_difference``
        of the partners ``selection`` added are replaced (or, when it added none, one partner
        is added), and the partners it added lose ``Weights.reused`` of their relevance in the
        objective (``reuse_penalty``); in COMPLETE mode, not this change nor any change
        containing it."""
        added = [self.chosen[i] for i in selection.added]
        if self.problem.mode is Mode.BUILD:
            if not added:
                self.model.add(sum(self.chosen[p.id] for p in self.problem.candidates) >= 1)
                return
            keep = len(added) - min(self.problem.min_difference, len(added))
            self.model.add(sum(added) <= keep)
            self.proposed.update(selection.added)
            self._objective()
            return
        removed = [self.chosen[i].negated() for i in selection.removed]
        self.model.add_bool_or([literal.negated() for literal in (*added, *removed)])

    def solve(self, parameters: Mapping[str, Any]) -> SolveResult:
        """Solve as the model stands now, with these CP-SAT ``parameters`` (names of
        ``SatParameters`` fields)."""
        solver = cp_model.CpSolver()
        for name, value in parameters.items():
            setattr(solver.parameters, name, value)
        started = time.perf_counter()
        code = solver.solve(self.model)
        seconds = time.perf_counter() - started
        status = _STATUS.get(code, SolveStatus.UNKNOWN)
        if status not in {SolveStatus.OPTIMAL, SolveStatus.FEASIBLE}:
            return SolveResult(status, None, None, None, seconds)
        selection = Selection(
            added=tuple(
                sorted(p.id for p in self.problem.candidates if solver.value(self.chosen[p.id]))
            ),
            removed=tuple(
                sorted(p.id for p in self.problem.members if not solver.value(self.chosen[p.id]))
            ),
        )
        objective, bound = round(solver.objective_value), round(solver.best_objective_bound)
        # Reported without the penalties of re-used partners: the objective ``check`` computes
        # for the selection (the bound moves by as much).
        penalties = sum(self.reuse_penalty(self.problem.party(i)) for i in selection.added)
        return SolveResult(status, selection, objective + penalties, bound + penalties, seconds)
