"""Selection from the ranking: strand minimums first, then the remaining places in rank order.

1. For each strand with a minimum m, its m best-ranked proposals are taken first, in rank
   order, while the budget allows (the first that does not fit ends this phase). The reason
   names the minimum only for those rank order alone would not have taken; the others were
   selected on their rank.
2. The remaining places (``max_projects``) are filled in overall rank order. A proposal whose
   requested grant no longer fits the remaining budget is skipped (``Overflow.SKIP``) or ends
   the selection (``Overflow.STOP``).
3. The proposals that pass but are not selected form the reserve list, in rank order.

Every proposal's outcome carries a plain reason. How a strand minimum is applied is not in
the retrieved call texts (research/programme-rules.md §1.3, "[unverified]"); this is the
reading issue 18 item 5 states, recorded in docs/adr/0018-ranking-selection-and-assignment.md.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from clusterbridge.domain.money import format_euros
from clusterbridge.engines.selection.problem import Overflow, Proposal, SelectionProblem
from clusterbridge.engines.selection.rank import Ranking, rank


class Outcome(StrEnum):
    """What became of a proposal."""

    SELECTED = "selected"
    RESERVE = "reserve"
    OUT = "out"


@dataclass(frozen=True, slots=True)
class Decision:
    """One proposal's outcome and why; ``rank`` is its place (1 = best) when it passes."""

    id: str
    outcome: Outcome
    reason: str
    rank: int | None = None


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A strand whose minimum was not met: how many were taken, and how many passed."""

    strand: str
    minimum: int
    taken: int
    passing: int

    def __str__(self) -> str:
        why = (
            f"only {self.passing} of its proposals pass"
            if self.passing < self.minimum
            else "the budget did not allow more"
        )
        return (
            f"Strand {self.strand}: {self.taken} selected of the minimum of {self.minimum} ({why})"
        )


@dataclass(frozen=True, slots=True)
class SelectionResult:
    """The ranking, the selection in the order taken, the reserve list, the proposals out,
    the ties left for the panel, the budget used, every proposal's decision (in the order of
    the problem) and the strand minimums not met."""

    ranking: tuple[str, ...]
    selected: tuple[str, ...]
    reserve: tuple[str, ...]
    out: tuple[tuple[str, str], ...]
    ties_left: tuple[tuple[str, ...], ...]
    budget_used: Decimal
    decisions: tuple[Decision, ...]
    shortfalls: tuple[Shortfall, ...] = ()


@dataclass(slots=True)
class _State:
    remaining: Decimal
    places: int | None
    taken: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)


def select(problem: SelectionProblem) -> SelectionResult:
    """Rank the proposals, then select them (see the module). Pure: the same problem always
    gives the same result."""
    ranking = rank(problem)
    state = _State(remaining=problem.budget, places=problem.max_projects)
    _take_minimums(problem, ranking.ranked, state)
    _fill(problem, ranking.ranked, state)
    _credit_merit(problem, ranking.ranked, state)
    return _result(problem, ranking, state)


def _take_minimums(problem: SelectionProblem, ranked: Sequence[Proposal], state: _State) -> None:
    wanted = dict(problem.strand_minimum)
    for proposal in ranked:
        if wanted.get(proposal.strand, 0) <= 0:
            continue
        wanted[proposal.strand] -= 1
        if proposal.requested > state.remaining:
            return
        _take(state, proposal, f"{MINIMUM_REASON} Strand {proposal.strand} minimum")


#: The start of the reason of a proposal taken because of its strand's minimum.
MINIMUM_REASON = "taken for the"
#: The reason of a proposal taken on its rank.
RANK_REASON = "taken in rank order"


def _credit_merit(problem: SelectionProblem, ranked: Sequence[Proposal], state: _State) -> None:
    """A proposal taken in the minimums' phase that rank order alone (no minimums) would
    also have taken was selected on its rank, and its reason says so; the minimum's reason
    stays for those taken only because of it."""
    merit = _State(remaining=problem.budget, places=problem.max_projects)
    _fill(problem, ranked, merit)
    on_rank = set(merit.taken)
    for key, reason in state.reasons.items():
        if key in on_rank and key in state.taken and reason.startswith(MINIMUM_REASON):
            state.reasons[key] = RANK_REASON


def _fill(problem: SelectionProblem, ranked: Sequence[Proposal], state: _State) -> None:
    stopped_at: str | None = None
    chosen = set(state.taken)
    for proposal in ranked:
        if proposal.id in chosen:
            continue
        if stopped_at is not None:
            state.reasons[proposal.id] = f"ranked below {stopped_at}, where the selection stopped"
        elif state.places is not None and len(state.taken) >= state.places:
            state.reasons[proposal.id] = (
                f"all {state.places} places are taken"
                if state.places > 1
                else "the only place is taken"
            )
        elif proposal.requested > state.remaining:
            over = f"over the remaining budget of {format_euros(state.remaining)}"
            if problem.on_overflow is Overflow.STOP:
                stopped_at = proposal.id
                over += "; the selection stops here"
            state.reasons[proposal.id] = over
        else:
            _take(state, proposal, RANK_REASON)


def _take(state: _State, proposal: Proposal, reason: str) -> None:
    state.taken.append(proposal.id)
    state.reasons[proposal.id] = reason
    state.remaining -= proposal.requested


def _result(problem: SelectionProblem, ranking: Ranking, state: _State) -> SelectionResult:
    chosen = set(state.taken)
    places = {p.id: number for number, p in enumerate(ranking.ranked, start=1)}
    out = {s.id: s.reason for s in ranking.out}
    decisions = tuple(
        Decision(p.id, Outcome.OUT, out[p.id])
        if p.id in out
        else Decision(
            p.id,
            Outcome.SELECTED if p.id in chosen else Outcome.RESERVE,
            state.reasons[p.id],
            places[p.id],
        )
        for p in problem.proposals
    )
    return SelectionResult(
        ranking=tuple(p.id for p in ranking.ranked),
        selected=tuple(state.taken),
        reserve=tuple(p.id for p in ranking.ranked if p.id not in chosen),
        out=tuple((s.id, s.reason) for s in ranking.out),
        ties_left=ranking.ties_left,
        budget_used=problem.budget - state.remaining,
        decisions=decisions,
        shortfalls=_shortfalls(problem, ranking.ranked, chosen),
    )


def _shortfalls(
    problem: SelectionProblem, ranked: Sequence[Proposal], chosen: set[str]
) -> tuple[Shortfall, ...]:
    found = []
    for strand, minimum in problem.strand_minimum.items():
        passing = sum(p.strand == strand for p in ranked)
        taken = sum(p.strand == strand and p.id in chosen for p in ranked)
        if taken < minimum:
            found.append(Shortfall(strand, minimum, taken, passing))
    return tuple(found)
