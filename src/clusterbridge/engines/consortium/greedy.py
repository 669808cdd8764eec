"""The baseline the benchmark compares the solver with: add partners one at a time.

While a blocking rule cannot pass yet, add the candidate that moves the most such rules
forward (the most relevant among equals); then fill the remaining places with the candidate
that adds the most score without making a rule impossible. BUILD mode only.
"""

from collections.abc import Sequence

from clusterbridge.engines.consortium.check import rule_holds
from clusterbridge.engines.consortium.problem import BuildProblem, Party, RuleKind, RuleModel
from clusterbridge.engines.consortium.result import Selection


def progress(rule: RuleModel, number: int, parties: Sequence[Party]) -> int:
    """How far ``parties`` get towards possibly passing ``rule`` (higher is closer)."""
    parts = [party.parts[number] for party in parties]
    if rule.kind is RuleKind.COUNT:
        return sum(p.possible for p in parts)
    if rule.kind is RuleKind.COUNTRIES:
        return len({p.country for p in parts if p.possible})
    if rule.kind is RuleKind.SHARE:
        numerator, denominator = rule.share
        return sum(denominator * p.bounds[2] - numerator * p.bounds[3] for p in parts)
    return int(all(p.possible for p in parts))


def select_greedily(problem: BuildProblem) -> Selection:
    """The greedy selection for ``problem`` (which it may leave with rules unmet)."""
    blocking = [(n, r) for n, r in enumerate(problem.rules) if r.blocking]
    chosen = list(problem.members)
    pool = [
        p
        for p in problem.candidates
        if all(p.parts[n].possible for n, r in blocking if r.kind is RuleKind.EACH)
    ]
    while len(chosen) < problem.max_partners and pool:
        unmet = [(n, r) for n, r in blocking if not rule_holds(r, n, chosen, certain=False)]
        best = _helping(unmet, chosen, pool) if unmet else _filling(problem, blocking, chosen, pool)
        if best is None:
            break
        chosen.append(best)
        pool.remove(best)
    members = {p.id for p in problem.members}
    return Selection(tuple(sorted(p.id for p in chosen if p.id not in members)))


def _helping(
    unmet: list[tuple[int, RuleModel]], chosen: list[Party], pool: list[Party]
) -> Party | None:
    def helped(party: Party) -> int:
        return sum(
            progress(rule, n, [*chosen, party]) > progress(rule, n, chosen) for n, rule in unmet
        )

    best = max(pool, key=lambda p: (helped(p), p.relevance, -p.id))
    return best if helped(best) else None


def _filling(
    problem: BuildProblem,
    blocking: list[tuple[int, RuleModel]],
    chosen: list[Party],
    pool: list[Party],
) -> Party | None:
    covered = {key for party in chosen for key in party.keys}
    weights = problem.weights

    def gain(party: Party) -> float:
        keys = sum(weights.key_weight(k) for k in party.keys - covered)
        warnings = sum(part.warning for part in party.parts) * weights.warning
        return weights.relevance * party.relevance + keys - warnings

    allowed = [
        p for p in pool if all(rule_holds(r, n, [*chosen, p], certain=False) for n, r in blocking)
    ]
    if not allowed:
        return None
    best = max(allowed, key=lambda p: (gain(p), -p.id))
    return best if gain(best) > 0 else None
