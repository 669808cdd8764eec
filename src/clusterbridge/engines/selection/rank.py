"""Screening and ranking: which proposals pass, and in which order.

A proposal is out when it is not eligible, below any criterion's threshold, or below the
overall threshold (a threshold is a minimum pass score: equal passes). The rest are ranked by
total score. Each group of equal totals is ordered by the call's tie-break keys in turn:
``uncovered_strand`` puts first the proposals whose strand no proposal ranked above the group
covers; a criterion id puts first the higher score on it. Proposals still equal on every key
are a tie left for the panel, ordered by proposal id (as text) meanwhile.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from clusterbridge.domain.money import format_number
from clusterbridge.engines.selection.problem import (
    UNCOVERED_STRAND,
    Proposal,
    SelectionProblem,
)


@dataclass(frozen=True, slots=True)
class Screened:
    """A proposal that is out, and why."""

    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Ranking:
    """The passing proposals in rank order, the proposals out, and the ties left."""

    ranked: tuple[Proposal, ...]
    out: tuple[Screened, ...]
    ties_left: tuple[tuple[str, ...], ...]


def rank(problem: SelectionProblem) -> Ranking:
    """Screen the proposals and rank those that pass (see the module). ``out`` keeps the
    order of the proposals in the problem; each tie left lists its ids in rank order."""
    passing: list[Proposal] = []
    out: list[Screened] = []
    for proposal in problem.proposals:
        reason = screen(problem, proposal)
        if reason is None:
            passing.append(proposal)
        else:
            out.append(Screened(proposal.id, reason))
    ranked, ties = _order(problem, passing)
    return Ranking(tuple(ranked), tuple(out), tuple(ties))


def screen(problem: SelectionProblem, proposal: Proposal) -> str | None:
    """Why ``proposal`` is out (every threshold it fails), or ``None`` when it passes."""
    if not proposal.eligible:
        return "not eligible"
    failures = [
        f"{criterion.id} {format_number(proposal.scores[criterion.id])} is below its threshold of "
        f"{format_number(criterion.threshold)}"
        for criterion in problem.criteria
        if criterion.threshold is not None and proposal.scores[criterion.id] < criterion.threshold
    ]
    overall = problem.overall_threshold
    if overall is not None and proposal.total < overall:
        failures.append(
            f"the total {format_number(proposal.total)} is below the overall threshold of "
            f"{format_number(overall)}"
        )
    return "; ".join(failures) or None


def _order(
    problem: SelectionProblem, passing: Sequence[Proposal]
) -> tuple[list[Proposal], list[tuple[str, ...]]]:
    by_total = sorted(passing, key=lambda p: p.total, reverse=True)
    ranked: list[Proposal] = []
    ties: list[tuple[str, ...]] = []
    covered: set[str] = set()
    for _, group in groupby(by_total, key=lambda p: p.total):
        members = list(group)
        keyed = sorted(
            ((_keys(problem.tie_break, p, covered), p) for p in members),
            key=lambda pair: (pair[0], pair[1].id),
        )
        ranked.extend(p for _, p in keyed)
        ties.extend(_runs(keyed))
        covered.update(p.strand for p in members)
    return ranked, ties


def _keys(tie_break: Sequence[str], proposal: Proposal, covered: set[str]) -> tuple[Decimal, ...]:
    """Smaller first: 0 for an uncovered strand (1 covered), minus the score of a criterion."""
    return tuple(
        Decimal(proposal.strand in covered) if key == UNCOVERED_STRAND else -proposal.scores[key]
        for key in tie_break
    )


def _runs(keyed: Iterable[tuple[tuple[Decimal, ...], Proposal]]) -> list[tuple[str, ...]]:
    runs = (tuple(p.id for _, p in run) for _, run in groupby(keyed, key=lambda pair: pair[0]))
    return [run for run in runs if len(run) > 1]
