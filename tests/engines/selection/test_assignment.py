"""Expert assignment: exact optimum against brute force, the checker, and infeasibility
explained by the proposals that cannot be covered."""

from itertools import combinations, product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.engines.selection.assignment import (
    AssignmentProblem,
    AssignStatus,
    Deficiency,
    check_assignment,
    scaled,
)
from clusterbridge.engines.selection.flow import solve_assignment, solve_assignment_cp_sat

pytestmark = pytest.mark.unit


def brute_force(problem: AssignmentProblem) -> int | None:
    """The best total affinity (solver units) over every assignment, or None: none exists."""
    options = [
        [
            team
            for team in combinations(problem.experts, problem.per_proposal)
            if all(problem.allowed(e, p) for e in team)
        ]
        for p in problem.proposals
    ]
    best: int | None = None
    for teams in product(*options):
        loads = [e for team in teams for e in team]
        if any(loads.count(e) > problem.max_load for e in problem.experts):
            continue
        total = sum(
            scaled(problem.fit(e, p))
            for p, team in zip(problem.proposals, teams, strict=True)
            for e in team
        )
        best = total if best is None else max(best, total)
    return best


@st.composite
def small_problems(draw: st.DrawFn) -> AssignmentProblem:
    experts = tuple(f"E{i}" for i in range(draw(st.integers(1, 5))))
    proposals = tuple(f"P{i}" for i in range(draw(st.integers(1, 4))))
    pairs = [(e, p) for e in experts for p in proposals]
    values = st.integers(0, 1000).map(lambda v: v / 1000)
    affinity = draw(st.dictionaries(st.sampled_from(pairs), values, max_size=len(pairs)))
    conflicts = draw(st.frozensets(st.sampled_from(pairs), max_size=len(pairs) // 3))
    return AssignmentProblem(
        experts, proposals, draw(st.integers(1, 3)), draw(st.integers(1, 3)), affinity, conflicts
    )


@given(small_problems())
@settings(max_examples=200, deadline=None)
def test_min_cost_flow_matches_brute_force(problem: AssignmentProblem) -> None:
    best = brute_force(problem)

    result = solve_assignment(problem)

    if best is None:
        assert result.status is AssignStatus.INFEASIBLE
        assert result.deficiencies
        for deficiency in result.deficiencies:
            assert deficiency.available < deficiency.needed
            assert deficiency.available == sum(
                min(problem.max_load, sum(problem.allowed(e, p) for p in deficiency.proposals))
                for e in problem.experts
            )
    else:
        assert result.status is AssignStatus.OPTIMAL
        pairs = [(p.expert, p.proposal) for p in result.pairs]
        assert check_assignment(problem, pairs) == []
        assert sum(scaled(p.affinity) for p in result.pairs) == best
        assert result.total_affinity == round(best / 1_000_000, 6)


@given(small_problems())
@settings(max_examples=60, deadline=None)
def test_cp_sat_matches_brute_force(problem: AssignmentProblem) -> None:
    best = brute_force(problem)

    result = solve_assignment_cp_sat(problem, time_limit=10, workers=1)

    assert result.status is (AssignStatus.INFEASIBLE if best is None else AssignStatus.OPTIMAL)
    assert best is None or sum(scaled(p.affinity) for p in result.pairs) == best


def test_assignment_prefers_the_best_fit_without_conflicts() -> None:
    problem = AssignmentProblem(
        experts=("ana", "ben", "eva"),
        proposals=("P1", "P2"),
        per_proposal=1,
        max_load=1,
        affinity={("ana", "P1"): 0.9, ("ana", "P2"): 0.8, ("ben", "P1"): 0.7, ("eva", "P2"): 0.1},
        conflicts=frozenset({("ana", "P2")}),
    )

    result = solve_assignment(problem)

    assert [(p.expert, p.proposal, p.affinity) for p in result.pairs] == [
        ("ana", "P1", 0.9),
        ("eva", "P2", 0.1),
    ]
    assert result.total_affinity == 1.0


def test_assignment_gives_up_a_best_pair_for_the_total() -> None:
    # ana suits both; giving her P2 frees P1 for ben: 0.8 + 0.7 beats 0.9 + 0.1.
    problem = AssignmentProblem(
        experts=("ana", "ben", "eva"),
        proposals=("P1", "P2"),
        per_proposal=1,
        max_load=1,
        affinity={("ana", "P1"): 0.9, ("ana", "P2"): 0.8, ("ben", "P1"): 0.7, ("eva", "P2"): 0.1},
    )

    result = solve_assignment(problem)

    assert [(p.expert, p.proposal) for p in result.pairs] == [("ben", "P1"), ("ana", "P2")]
    assert result.total_affinity == 1.5


def test_infeasible_names_a_proposal_with_too_few_free_experts() -> None:
    problem = AssignmentProblem(
        ("a", "b", "c"), ("x", "y"), 2, 2, conflicts=frozenset({("b", "x"), ("c", "x")})
    )

    result = solve_assignment(problem)

    assert result.status is AssignStatus.INFEASIBLE
    assert result.deficiencies == (Deficiency(("x",), 2, 1, ("a",)),)
    assert str(result.deficiencies[0]) == (
        "proposal x cannot be covered: 2 evaluations are needed and the only expert without a "
        "conflict can give at most 1"
    )


@pytest.mark.parametrize(
    ("deficiency", "text"),
    [
        (Deficiency(("x",), 1, 0, ()), "proposal x cannot be covered: every expert has a conflict"),
        (
            Deficiency(("x", "y"), 4, 2, ("a", "b")),
            "proposals x, y cannot be covered: 4 evaluations are needed and the 2 experts "
            "without a conflict can give at most 2",
        ),
        (
            Deficiency(tuple(f"P{i}" for i in range(12)), 12, 11, ("a",)),
            "proposals P0, P1, P2, P3, P4, P5, P6, P7, P8, P9 and 2 more cannot be covered: 12 "
            "evaluations are needed and the only expert without a conflict can give at most 11",
        ),
    ],
)
def test_deficiency_says_why_in_words(deficiency: Deficiency, text: str) -> None:
    assert str(deficiency) == text


def test_infeasible_names_the_group_that_violates_halls_condition() -> None:
    # x and y may only have a and b, who take one proposal each; z is covered by c and d.
    conflicts = frozenset({("c", "x"), ("d", "x"), ("c", "y"), ("d", "y")})
    problem = AssignmentProblem(("a", "b", "c", "d"), ("x", "y", "z"), 2, 1, conflicts=conflicts)

    result = solve_assignment(problem)

    assert result.deficiencies == (Deficiency(("x", "y"), 4, 2, ("a", "b")),)


def test_infeasible_when_the_pool_is_too_small() -> None:
    problem = AssignmentProblem(("a", "b", "c"), ("x", "y", "z"), 2, 1)

    result = solve_assignment(problem)

    assert result.deficiencies == (Deficiency(("x", "y", "z"), 6, 3, ("a", "b", "c")),)


@pytest.mark.parametrize(
    ("pairs", "problems"),
    [
        ([("a", "x"), ("b", "y")], []),
        ([("a", "x"), ("a", "y")], ["a has 2 proposals, more than 1"]),
        ([("b", "x")], ["b on x: a conflict of interest", "y has 0 experts, not 1"]),
        (
            [("a", "x"), ("q", "y")],
            ["q on y: unknown expert or proposal", "y has 0 experts, not 1"],
        ),
        (
            [("a", "x"), ("a", "x"), ("b", "y")],
            ["a pair is listed twice"],
        ),
    ],
)
def test_check_assignment_names_each_broken_rule(
    pairs: list[tuple[str, str]], problems: list[str]
) -> None:
    problem = AssignmentProblem(("a", "b"), ("x", "y"), 1, 1, conflicts=frozenset({("b", "x")}))

    assert check_assignment(problem, pairs) == problems


def test_assignment_problem_reports_every_mistake_with_its_place() -> None:
    with pytest.raises(InvalidInputError) as caught:
        AssignmentProblem(
            ("a", "a", ""),
            ("x",),
            0,
            0,
            affinity={("a", "z"): 0.5, ("a", "x"): 5000.0, ("e 1", "x"): 0.1},
            conflicts=frozenset({("q", "x")}),
        )

    assert [str(issue) for issue in caught.value.issues] == [
        "per_proposal: must be at least 1",
        "max_load: must be at least 1",
        'experts[1]: "a" is listed twice',
        "experts[2]: must not be empty",
        "affinity.a.z: names an unknown expert or proposal",
        "affinity.a.x: must be a number between -1000 and 1000",
        'affinity["e 1"].x: names an unknown expert or proposal',
        'conflicts: ["q", "x"] names an unknown expert or proposal',
    ]
