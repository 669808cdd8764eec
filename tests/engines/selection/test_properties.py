"""Properties of selection over generated calls: within the budget and the places, the
reserve list complete and in rank order, strand minimums honoured whenever they can be."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterbridge.engines.selection.problem import (
    UNCOVERED_STRAND,
    Overflow,
    Proposal,
    SelectionProblem,
)
from clusterbridge.engines.selection.select import select
from tests.engines.selection.helpers import CRITERIA

pytestmark = pytest.mark.unit

STRANDS = ("1", "2", "3")


@st.composite
def problems(draw: st.DrawFn) -> SelectionProblem:
    count = draw(st.integers(0, 12))
    proposals = tuple(
        Proposal(
            f"P{number}",
            draw(st.sampled_from(STRANDS)),
            Decimal(draw(st.integers(1, 500))),
            draw(st.booleans()),
            {
                c.id: Decimal(draw(st.integers(int(c.threshold or 0) - 2, int(c.max))))
                for c in CRITERIA
            },
        )
        for number in range(count)
    )
    max_projects = draw(st.none() | st.integers(1, 8))
    minimums = draw(st.dictionaries(st.sampled_from(STRANDS), st.integers(0, 3), max_size=3))
    if max_projects is not None and sum(minimums.values()) > max_projects:
        minimums = {}
    keys = draw(st.permutations([UNCOVERED_STRAND, *(c.id for c in CRITERIA)]))
    return SelectionProblem(
        budget=Decimal(draw(st.integers(1, 2000))),
        criteria=CRITERIA,
        proposals=proposals,
        max_projects=max_projects,
        strand_minimum=minimums,
        on_overflow=draw(st.sampled_from(list(Overflow))),
        overall_threshold=Decimal(draw(st.integers(40, 60))),
        tie_break=tuple(keys[: draw(st.integers(0, len(keys)))]),
    )


@given(problems())
@settings(max_examples=150, deadline=None)
def test_selection_stays_within_budget_and_places(problem: SelectionProblem) -> None:
    result = select(problem)

    requested = {p.id: p.requested for p in problem.proposals}
    assert result.budget_used == sum((requested[i] for i in result.selected), Decimal(0))
    assert result.budget_used <= problem.budget
    assert problem.max_projects is None or len(result.selected) <= problem.max_projects
    assert len(set(result.selected)) == len(result.selected)
    assert set(result.selected) <= set(result.ranking)
    assert list(result.reserve) == [i for i in result.ranking if i not in result.selected]
    assert sorted([*result.ranking, *(i for i, _ in result.out)]) == sorted(requested)


@given(problems())
@settings(max_examples=150, deadline=None)
def test_ranking_is_by_total_and_ties_are_adjacent(problem: SelectionProblem) -> None:
    result = select(problem)

    totals = {p.id: p.total for p in problem.proposals}
    ranked_totals = [totals[i] for i in result.ranking]
    assert ranked_totals == sorted(ranked_totals, reverse=True)
    for tie in result.ties_left:
        start = result.ranking.index(tie[0])
        assert result.ranking[start : start + len(tie)] == tie
        assert list(tie) == sorted(tie)
        assert len({totals[i] for i in tie}) == 1


@given(problems())
@settings(max_examples=150, deadline=None)
def test_minimums_are_met_when_their_proposals_fit(problem: SelectionProblem) -> None:
    result = select(problem)

    requested = {p.id: p.requested for p in problem.proposals}
    strand = {p.id: p.strand for p in problem.proposals}
    wanted = [
        i
        for s, m in problem.strand_minimum.items()
        for i in [j for j in result.ranking if strand[j] == s][:m]
    ]
    fits = sum((requested[i] for i in wanted), Decimal(0)) <= problem.budget
    for s, m in problem.strand_minimum.items():
        passing = sum(strand[i] == s for i in result.ranking)
        taken = sum(strand[i] == s for i in result.selected)
        if fits:
            assert taken >= min(m, passing)
        assert (taken < m) == any(f.strand == s for f in result.shortfalls)


@given(problems())
@settings(max_examples=150, deadline=None)
def test_skip_mode_leaves_in_reserve_only_what_no_longer_fits(problem: SelectionProblem) -> None:
    result = select(problem)

    remaining = problem.budget - result.budget_used
    requested = {p.id: p.requested for p in problem.proposals}
    full = problem.max_projects is not None and len(result.selected) == problem.max_projects
    if problem.on_overflow is Overflow.SKIP and not full:
        assert all(requested[i] > remaining for i in result.reserve)
