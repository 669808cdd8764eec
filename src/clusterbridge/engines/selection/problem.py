"""What ranking and selection work on: the call's settings and the evaluated proposals.

Every amount and score is a `Decimal`, so totals and budgets add up exactly. A problem is
validated once, here: every mistake is reported at once with its place in the file's terms
(``proposals[3].scores.relevance``), as an `InvalidInputError`.

Sources of the rules (docs/adr/0018-ranking-selection-and-assignment.md):
- a proposal must pass each criterion's threshold and the overall threshold; a threshold is a
  minimum *pass* score ("Relevance (30 points) – Minimum Pass Score: 21 points … Overall
  Threshold: … at least 70 out of 100", the F&T call-document template quoted in
  research/programme-rules.md §1.2, https://app.grants8.com/grants/details/e1d794fb-554d-475f-b254-8bd049f76164);
- ties are broken by an ordered list of keys: first a topic "not otherwise covered by more
  highly-ranked proposals", then the scores of named criteria (H2020 General Annexes, §1.3);
- strand minimums: "16 (with at least 8 projects for Strand 1)" (seed 004).
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from clusterbridge.domain.errors import InputIssue, InvalidInputError

#: The tie-break key that favours a proposal whose strand no higher-ranked proposal covers.
UNCOVERED_STRAND = "uncovered_strand"
#: The most points a criterion may have (more is a typing mistake).
MAX_POINTS = Decimal(10**6)


class Overflow(StrEnum):
    """What the fill phase does with a proposal whose grant no longer fits the budget."""

    SKIP = "skip"
    STOP = "stop"


@dataclass(frozen=True, slots=True)
class Criterion:
    """An award criterion: its id, maximum points and minimum pass score (``None``: none)."""

    id: str
    max: Decimal
    threshold: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Proposal:
    """An evaluated proposal: its strand, the grant it requests, whether it is eligible, and
    its (consensus) score per criterion. An ineligible proposal needs no scores."""

    id: str
    strand: str
    requested: Decimal
    eligible: bool
    scores: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        """The sum of the scores."""
        return sum(self.scores.values(), Decimal(0))


@dataclass(frozen=True, slots=True)
class SelectionProblem:
    """A call's selection settings and its proposals.

    ``max_projects`` ``None`` means no maximum; ``overall_threshold`` ``None`` none;
    ``strand_minimum`` maps a strand to the number of its proposals to take first.
    """

    budget: Decimal
    criteria: tuple[Criterion, ...]
    proposals: tuple[Proposal, ...]
    max_projects: int | None = None
    strand_minimum: Mapping[str, int] = field(default_factory=dict)
    on_overflow: Overflow = Overflow.SKIP
    overall_threshold: Decimal | None = None
    tie_break: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        issues = [InputIssue(place, "", reason) for place, reason in self._problems()]
        if issues:
            raise InvalidInputError("The selection settings are not valid:", issues)

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id (KeyError when there is none)."""
        return next(c for c in self.criteria if c.id == criterion_id)

    def _problems(self) -> Iterator[tuple[str, str]]:
        if self.budget <= 0:
            yield "budget", "must be more than 0"
        if self.max_projects is not None and self.max_projects < 1:
            yield "max_projects", "must be at least 1"
        yield from _criteria_problems(self.criteria)
        yield from self._threshold_problems()
        yield from self._tie_break_problems()
        yield from self._minimum_problems()
        yield from _proposal_problems(self.proposals, self.criteria)

    def _threshold_problems(self) -> Iterator[tuple[str, str]]:
        most = sum((c.max for c in self.criteria), Decimal(0))
        threshold = self.overall_threshold
        if not all(_valid_max(c) for c in self.criteria):
            return  # the sum of the maxima would only repeat a maximum's mistake
        if threshold is not None and not 0 <= threshold <= most:
            yield "overall_threshold", f"must be between 0 and {most}, the sum of the maxima"

    def _tie_break_problems(self) -> Iterator[tuple[str, str]]:
        known = {UNCOVERED_STRAND, *(c.id for c in self.criteria)}
        named = _all_named(self.criteria)  # else a key may name the criterion refused
        for number, key in enumerate(self.tie_break):
            if key not in known and named:
                yield (
                    f"tie_break[{number}]",
                    f'"{key}" is neither {UNCOVERED_STRAND} nor a criterion',
                )
            elif key in self.tie_break[:number]:
                yield f"tie_break[{number}]", f'"{key}" is already in the list'

    def _minimum_problems(self) -> Iterator[tuple[str, str]]:
        for strand, minimum in self.strand_minimum.items():
            if minimum < 0:
                yield json_path("strand_minimum", strand), "must be 0 or more"
        total = sum(max(0, minimum) for minimum in self.strand_minimum.values())
        if self.max_projects is not None and 1 <= self.max_projects < total:
            yield (
                "strand_minimum",
                (f"the minimums add up to {total}, more than max_projects ({self.max_projects})"),
            )


def _criteria_problems(criteria: tuple[Criterion, ...]) -> Iterator[tuple[str, str]]:
    if not criteria:
        yield "criteria", "must name at least one criterion"
    seen: set[str] = set()
    for number, criterion in enumerate(criteria):
        place = f"criteria[{number}]"
        if not criterion.id:
            yield f"{place}.id", "must not be empty"
        elif criterion.id == UNCOVERED_STRAND:
            yield f"{place}.id", f"{UNCOVERED_STRAND} is the name of a tie-break key"
        elif criterion.id in seen:
            yield f"{place}.id", f'"{criterion.id}" is already a criterion'
        seen.add(criterion.id)
        if criterion.max <= 0:
            yield f"{place}.max", "must be more than 0"
        elif criterion.max > MAX_POINTS:
            yield f"{place}.max", f"must be at most {MAX_POINTS:,}"
        threshold = criterion.threshold
        if threshold is not None and _valid_max(criterion) and not 0 <= threshold <= criterion.max:
            yield f"{place}.threshold", f"must be between 0 and the maximum ({criterion.max})"


def _valid_max(criterion: Criterion) -> bool:
    return 0 < criterion.max <= MAX_POINTS


def _valid_id(criterion: Criterion) -> bool:
    return bool(criterion.id) and criterion.id != UNCOVERED_STRAND


def _all_named(criteria: tuple[Criterion, ...]) -> bool:
    """Whether every criterion has a valid id (otherwise a name that matches none may be the
    one refused, and saying so would only repeat that mistake)."""
    return all(_valid_id(criterion) for criterion in criteria)


def _maxima(criteria: tuple[Criterion, ...]) -> dict[str, Decimal | None]:
    """Each criterion's maximum by its id (the first of a repeated id); None where the
    maximum is refused, so that no score is checked against it."""
    maxima: dict[str, Decimal | None] = {}
    for criterion in criteria:
        if _valid_id(criterion):
            maxima.setdefault(criterion.id, criterion.max if _valid_max(criterion) else None)
    return maxima


def _proposal_problems(
    proposals: tuple[Proposal, ...], criteria: tuple[Criterion, ...]
) -> Iterator[tuple[str, str]]:
    maxima = _maxima(criteria)
    named = _all_named(criteria)
    seen: set[str] = set()
    for number, proposal in enumerate(proposals):
        place = f"proposals[{number}]"
        if not proposal.id:
            yield f"{place}.id", "must not be empty"
        elif proposal.id in seen:
            yield f"{place}.id", f'"{proposal.id}" is already a proposal'
        seen.add(proposal.id)
        if not proposal.strand:
            yield f"{place}.strand", "must not be empty"
        if proposal.requested <= 0:
            yield f"{place}.requested", "must be more than 0"
        yield from _score_problems(f"{place}.scores", proposal, maxima, named=named)


def _score_problems(
    place: str, proposal: Proposal, maxima: Mapping[str, Decimal | None], *, named: bool
) -> Iterator[tuple[str, str]]:
    """The mistakes of the proposal's scores, one per score; none against a criterion whose
    id or maximum is refused (``maxima``, ``named``)."""
    for criterion, score in proposal.scores.items():
        most = maxima.get(criterion)
        if criterion not in maxima:
            if named:
                yield json_path(place, criterion), f'"{criterion}" is not a criterion of the call'
        elif most is not None and not 0 <= score <= most:
            yield json_path(place, criterion), f"{score} is not between 0 and {most}"
    missing = [c for c in maxima if c not in proposal.scores]
    if proposal.eligible and missing:
        yield place, f"an eligible proposal needs a score for {', '.join(missing)}"


def json_path(base: str, key: str) -> str:
    """``base.key``, or ``base["key"]`` when the key is not a plain name."""
    plain = key.replace("_", "a").replace("-", "a")
    if plain.isalnum() and key.isascii() and not key[0].isdigit():
        return f"{base}.{key}"
    escaped = key.replace("\\", "\\\\").replace('"', '\\"')
    return f'{base}["{escaped}"]'
