"""Small selection problems written the way the tables read."""

from decimal import Decimal

from clusterbridge.engines.selection.problem import (
    Criterion,
    Overflow,
    Proposal,
    SelectionProblem,
)

#: Relevance 30 (threshold 21), quality 30 (21), impact 10 (7): the F&T template's split
#: without the second quality criterion.
CRITERIA = (
    Criterion("relevance", Decimal(30), Decimal(21)),
    Criterion("quality", Decimal(30), Decimal(21)),
    Criterion("impact", Decimal(10), Decimal(7)),
)


def proposal(
    pid: str,
    relevance: float,
    quality: float,
    impact: float,
    *,
    strand: str = "1",
    requested: int = 100,
    eligible: bool = True,
) -> Proposal:
    """A proposal with the three scores of `CRITERIA`."""
    scores = {"relevance": relevance, "quality": quality, "impact": impact}
    return Proposal(
        pid,
        strand,
        Decimal(requested),
        eligible,
        {k: Decimal(str(v)) for k, v in scores.items()},
    )


def problem(
    *proposals: Proposal,
    budget: int = 1000,
    max_projects: int | None = None,
    strand_minimum: dict[str, int] | None = None,
    on_overflow: Overflow = Overflow.SKIP,
    overall_threshold: int | None = 55,
    tie_break: tuple[str, ...] = (),
) -> SelectionProblem:
    """A problem over `CRITERIA`."""
    return SelectionProblem(
        budget=Decimal(budget),
        criteria=CRITERIA,
        proposals=proposals,
        max_projects=max_projects,
        strand_minimum=strand_minimum or {},
        on_overflow=on_overflow,
        overall_threshold=None if overall_threshold is None else Decimal(overall_threshold),
        tie_break=tie_break,
    )
