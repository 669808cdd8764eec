"""Random small problems: the solver's optimum is the best of every selection, found by brute
force with the independent checker."""

from itertools import chain, combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterbridge.engines.consortium.check import evaluate_selection
from clusterbridge.engines.consortium.greedy import select_greedily
from clusterbridge.engines.consortium.problem import (
    BuildProblem,
    Mode,
    Part,
    Party,
    RuleKind,
    RuleModel,
)
from clusterbridge.engines.consortium.result import Selection, SolveStatus
from clusterbridge.engines.consortium.solve import solve

pytestmark = pytest.mark.unit

RULES = (
    RuleModel("each", "Each passes", RuleKind.EACH),
    RuleModel("count", "Two count", RuleKind.COUNT, minimum=2),
    RuleModel("countries", "Two countries", RuleKind.COUNTRIES, minimum=2),
    RuleModel("share", "Half are registered", RuleKind.SHARE, share=(1, 2)),
    RuleModel("soft", "One centre (warns only)", RuleKind.COUNT, minimum=1, blocking=False),
)
levels = st.sampled_from([(False, False), (False, True), (True, True)])
share_terms = st.sampled_from(
    [(1, 1, 1, 1), (0, 1, 0, 1), (0, 1, 1, 1), (0, 0, 1, 1), (0, 0, 0, 0)]
)


@st.composite
def parties(draw: st.DrawFn, number: int) -> Party:
    country = draw(st.sampled_from(["DE", "FR", "PL"]))
    each, count, countries, soft = (draw(levels) for _ in range(4))
    parts = (
        Part(certain=each[0], possible=each[1], warning=draw(st.booleans()) and each[0]),
        Part(certain=count[0], possible=count[1]),
        Part(certain=countries[0], possible=countries[1], country=country),
        Part(bounds=draw(share_terms)),
        Part(certain=soft[0], possible=soft[1]),
    )
    relevance = draw(st.integers(min_value=0, max_value=1000)) / 1000
    return Party(number, f"P{number}", country, relevance, parts, frozenset({f"country:{country}"}))


@st.composite
def problems(draw: st.DrawFn) -> BuildProblem:
    mode = draw(st.sampled_from(list(Mode)))
    members = tuple(draw(parties(-n)) for n in range(1, draw(st.integers(0, 2)) + 1))
    candidates = tuple(draw(parties(n)) for n in range(1, draw(st.integers(1, 6)) + 1))
    low = len(members) if mode is Mode.BUILD else 1
    size = draw(st.integers(max(low, 1), 5))
    return BuildProblem(RULES, members, candidates, size, mode=mode)


def subsets(ids: list[int]) -> list[tuple[int, ...]]:
    return list(chain.from_iterable(combinations(ids, k) for k in range(len(ids) + 1)))


def best_by_brute_force(problem: BuildProblem) -> int | None:
    removable = [p.id for p in problem.members] if problem.mode is Mode.COMPLETE else []
    objectives = [
        evaluation.objective
        for added in subsets([p.id for p in problem.candidates])
        for removed in subsets(removable)
        if (evaluation := evaluate_selection(problem, Selection(added, removed))).valid
    ]
    return max(objectives, default=None)


@settings(max_examples=60, deadline=None)
@given(problems())
def test_solve_matches_brute_force(problem: BuildProblem) -> None:
    [result] = solve(problem, proposals=1, time_limit=5.0, seed=1, workers=1)

    best = best_by_brute_force(problem)
    if best is None:
        assert result.status is SolveStatus.INFEASIBLE
    else:
        assert result.status is SolveStatus.OPTIMAL
        assert result.selection is not None
        assert evaluate_selection(problem, result.selection).valid
        assert result.objective == best


@settings(max_examples=30, deadline=None)
@given(problems())
def test_greedy_never_beats_the_solver(problem: BuildProblem) -> None:
    if problem.mode is Mode.COMPLETE:
        return
    greedy = evaluate_selection(problem, select_greedily(problem))

    [result] = solve(problem, proposals=1, time_limit=5.0, seed=1, workers=1)

    if greedy.valid:
        assert result.objective is not None
        assert greedy.objective <= result.objective
