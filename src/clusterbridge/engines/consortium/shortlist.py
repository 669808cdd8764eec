"""Which registry rows the solver sees: the most relevant, and the best for each rule.

The proposal is proven optimal over the shortlist, so the shortlist must hold what the rules
need even when it is not among the most relevant: for each rule that counts partners, the
most relevant rows that count for it (for certain, and a few that may); for a rule on
distinct countries, the most relevant few of each country. Rows that cannot be in any
proposal (a blocking per-partner rule fails for them) are never listed.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from clusterbridge.engines.consortium.problem import Part, RuleKind, RuleModel


@dataclass(frozen=True, slots=True)
class ShortlistSizes:
    """How many rows to take: by relevance alone, per rule (for certain; may count), and per
    country for rules on distinct countries (for certain; may count)."""

    relevant: int = 40
    per_rule: int = 15
    per_rule_possible: int = 5
    per_country: int = 3
    per_country_possible: int = 1


DEFAULT_SIZES = ShortlistSizes()


def admissible(rules: Sequence[RuleModel], parts: tuple[Part, ...]) -> bool:
    """Whether a row with these parts may be in a proposal: no blocking per-partner rule
    fails for it."""
    return all(
        part.possible for rule, part in zip(rules, parts, strict=True)
        if rule.blocking and rule.kind is RuleKind.EACH
    )  # fmt: skip


def select_shortlist(
    scores: np.ndarray,
    parts: Sequence[tuple[Part, ...]],
    rules: Sequence[RuleModel],
    *,
    blocked: np.ndarray,
    sizes: ShortlistSizes = DEFAULT_SIZES,
) -> list[int]:
    """The rows of the shortlist, most relevant first (ties by row). ``scores`` and ``parts``
    have one entry per row; ``blocked`` rows (members, excluded) are never taken. Pure."""
    order = [
        int(row) for row in np.lexsort((np.arange(len(scores)), -scores))
        if not blocked[row] and admissible(rules, parts[row])
    ]  # fmt: skip
    taken: dict[int, None] = dict.fromkeys(order[: sizes.relevant])
    for number, rule in enumerate(rules):
        if rule.kind is RuleKind.EACH:
            continue
        certain = [row for row in order if _counts(parts[row][number], rule, certain=True)]
        maybe = [row for row in order if _counts(parts[row][number], rule, certain=False)]
        if rule.kind is RuleKind.COUNTRIES:
            taken.update(dict.fromkeys(_per_country(certain, parts, number, sizes.per_country)))
            taken.update(
                dict.fromkeys(_per_country(maybe, parts, number, sizes.per_country_possible))
            )
        else:
            taken.update(dict.fromkeys(certain[: sizes.per_rule]))
            taken.update(dict.fromkeys(maybe[: sizes.per_rule_possible]))
    rank = {row: position for position, row in enumerate(order)}
    return sorted(taken, key=rank.__getitem__)


def _counts(part: Part, rule: RuleModel, *, certain: bool) -> bool:
    """Whether the part helps the rule: for certain, or only possibly."""
    if rule.kind is RuleKind.SHARE:
        low_in, _, high_in, _ = part.bounds
        return low_in > 0 if certain else high_in > 0 and low_in == 0
    return part.certain if certain else part.possible and not part.certain


def _per_country(
    rows: list[int], parts: Sequence[tuple[Part, ...]], number: int, each: int
) -> list[int]:
    seen: dict[str, int] = {}
    kept = []
    for row in rows:
        country = parts[row][number].country
        if seen.get(country, 0) < each:
            seen[country] = seen.get(country, 0) + 1
            kept.append(row)
    return kept
