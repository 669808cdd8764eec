"""An independent check of a selection against a problem: every hard constraint, which
rules pass for certain, and the objective, computed without the solver.

Used on the solver's answers (tests compare the two objectives), on the greedy baseline, and
on any selection typed by hand.
"""

from collections.abc import Sequence

from clusterbridge.engines.consortium.model import tier_weights
from clusterbridge.engines.consortium.problem import (
    BuildProblem,
    Mode,
    Party,
    RuleKind,
    RuleModel,
    scaled,
)
from clusterbridge.engines.consortium.result import Evaluation, Selection


def chosen_parties(problem: BuildProblem, selection: Selection) -> list[Party]:
    """The members kept and the candidates added, in the problem's order. ValueError for an
    id that is not a candidate (added) or a member (removed)."""
    candidates = {p.id for p in problem.candidates}
    members = {p.id for p in problem.members}
    if not set(selection.added) <= candidates:
        raise ValueError(f"not candidates: {sorted(set(selection.added) - candidates)}")
    if not set(selection.removed) <= members:
        raise ValueError(f"not members: {sorted(set(selection.removed) - members)}")
    kept = [p for p in problem.members if p.id not in selection.removed]
    return kept + [p for p in problem.candidates if p.id in selection.added]


def rule_holds(rule: RuleModel, number: int, parties: Sequence[Party], *, certain: bool) -> bool:
    """Whether ``rule`` passes for certain (``certain``) or may pass, over ``parties``."""
    parts = [party.parts[number] for party in parties]
    if rule.kind is RuleKind.EACH:
        return all(p.certain if certain else p.possible for p in parts)
    if rule.kind is RuleKind.COUNT:
        return sum(p.certain if certain else p.possible for p in parts) >= rule.minimum
    if rule.kind is RuleKind.COUNTRIES:
        countries = {p.country for p in parts if (p.certain if certain else p.possible)}
        return len(countries) >= rule.minimum
    numerator, denominator = rule.share
    share_in = sum(p.bounds[0 if certain else 2] for p in parts)
    share_of = sum(p.bounds[1 if certain else 3] for p in parts)
    # A share of no partner is no share: the checker finds it unknown, so it is not proven
    # (it may still pass, once partners concerned are added).
    return denominator * share_in >= numerator * share_of and (share_of > 0 or not certain)


def evaluate_selection(problem: BuildProblem, selection: Selection) -> Evaluation:
    """Judge ``selection``: its violations in words, the rules proven, its score and the
    model's objective for it. Pure."""
    parties = chosen_parties(problem, selection)
    violations = []
    if len(parties) > problem.max_partners:
        violations.append(f"{len(parties)} partners, at most {problem.max_partners}")
    if problem.mode is Mode.BUILD and selection.removed:
        violations.append("members are kept when building")
    proven = []
    for number, rule in enumerate(problem.rules):
        if rule.blocking and not rule_holds(rule, number, parties, certain=False):
            violations.append(f"{rule.title}: cannot pass")
        if rule_holds(rule, number, parties, certain=True):
            proven.append(rule.id)
    score, objective = _score(problem, parties, proven, selection)
    return Evaluation(selection, tuple(violations), tuple(proven), score, objective)


def _score(
    problem: BuildProblem, parties: list[Party], proven: list[str], selection: Selection
) -> tuple[float, int]:
    weights = problem.weights
    proven_weight, change_weight = tier_weights(problem)
    score = units = 0.0
    for party in parties:
        warnings = sum(part.warning for part in party.parts)
        score += weights.relevance * party.relevance - warnings * weights.warning
        units += scaled(weights.relevance * party.relevance) - warnings * scaled(weights.warning)
    for key in sorted({key for party in parties for key in party.keys}):
        if scaled(weights.key_weight(key)) > 0:
            score += weights.key_weight(key)
            units += scaled(weights.key_weight(key))
    for rule in problem.rules:
        if rule.id in proven:
            score += 0.0 if rule.blocking else weights.soft_rule
            units += proven_weight if rule.blocking else scaled(weights.soft_rule)
    if problem.mode is Mode.COMPLETE:
        units -= change_weight * selection.changes
    return round(score, 6), int(units)
