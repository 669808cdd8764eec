"""The solver on hand-made problems with a known optimum, and against brute force."""

import pytest

from clusterbridge.engines.consortium.check import evaluate_selection
from clusterbridge.engines.consortium.model import tier_weights
from clusterbridge.engines.consortium.problem import (
    BuildProblem,
    Part,
    Party,
    RuleKind,
    RuleModel,
    Weights,
)
from clusterbridge.engines.consortium.result import Selection, SolveStatus
from clusterbridge.engines.consortium.solve import solve
from tests.engines.consortium.problems import build_problem, complete_problem, party

pytestmark = pytest.mark.unit

SOLVER = {"time_limit": 5.0, "seed": 1, "workers": 1}


def test_solve_build_finds_the_known_optimum() -> None:
    problem = build_problem()

    [result] = solve(problem, proposals=1, **SOLVER)

    proven_weight, _ = tier_weights(problem)
    assert proven_weight == 3051  # 0.9 + 0.5 + 0.4 + 0.3 + 0.95 in thousandths, plus one
    assert result.status is SolveStatus.OPTIMAL
    assert result.selection == Selection(added=(1, 2, 3))
    assert result.objective == 3 * 3051 + 1800
    assert result.bound == result.objective


def test_solve_next_proposals_replace_two_partners_until_none_is_left() -> None:
    problem = build_problem(min_difference=2)

    results = solve(problem, proposals=3, **SOLVER)

    assert [(r.status, r.selection, r.objective) for r in results] == [
        (SolveStatus.OPTIMAL, Selection(added=(1, 2, 3)), 3 * 3051 + 1800),
        (SolveStatus.OPTIMAL, Selection(added=(2, 4)), 3 * 3051 + 800),
        (SolveStatus.INFEASIBLE, None, None),
    ]


def test_solve_build_is_infeasible_when_too_few_partners_are_allowed() -> None:
    problem = build_problem(max_partners=1)

    [result] = solve(problem, proposals=2, **SOLVER)

    assert (result.status, result.selection) == (SolveStatus.INFEASIBLE, None)


def test_solve_complete_swaps_the_failing_member_for_the_most_relevant_cluster() -> None:
    problem = complete_problem()

    results = solve(problem, proposals=3, **SOLVER)

    assert [(r.status, r.selection) for r in results] == [
        (SolveStatus.OPTIMAL, Selection(added=(2,), removed=(-2,))),
        (SolveStatus.OPTIMAL, Selection(added=(4,), removed=(-2,))),
        # Any other change that lets every rule pass contains one of these two.
        (SolveStatus.INFEASIBLE, None),
    ]


def test_solve_objective_is_the_checkers() -> None:
    problem = build_problem()

    results = solve(problem, proposals=2, **SOLVER)

    for result in results:
        assert result.selection is not None
        evaluation = evaluate_selection(problem, result.selection)
        assert (evaluation.valid, evaluation.objective) == (True, result.objective)


def test_solve_refuses_a_bad_number_of_proposals() -> None:
    with pytest.raises(ValueError, match="proposals must be between 1 and 10, not 0"):
        solve(build_problem(), proposals=0)


def test_later_proposals_prefer_partners_no_earlier_proposal_added() -> None:
    # Three partners of 0.5 and three of 0.45: replacing one partner would be enough
    # (min_difference 1), but the first three count half their relevance once proposed.
    strong = [party(n, 0.5, c, cluster=True) for n, c in ((1, "DE"), (2, "FR"), (3, "PL"))]
    weaker = [party(n, 0.45, c, cluster=True) for n, c in ((4, "DE"), (5, "FR"), (6, "PL"))]
    problem = build_problem(candidates=(*strong, *weaker), max_partners=3, min_difference=1)

    results = solve(problem, proposals=2, **SOLVER)

    assert [r.selection for r in results] == [
        Selection(added=(1, 2, 3)),
        Selection(added=(4, 5, 6)),
    ]
    # The relevance of the two (in thousandths), the rules proven alike.
    first, second = (r.objective or 0 for r in results)
    assert first - second == 150
    for result in results:
        assert result.selection is not None
        evaluation = evaluate_selection(problem, result.selection)
        assert result.objective == evaluation.objective


def test_without_the_reuse_penalty_the_next_proposal_replaces_only_one_partner() -> None:
    strong = [party(n, 0.5, c, cluster=True) for n, c in ((1, "DE"), (2, "FR"), (3, "PL"))]
    weaker = [party(n, 0.45, c, cluster=True) for n, c in ((4, "DE"), (5, "FR"), (6, "PL"))]
    problem = build_problem(
        candidates=(*strong, *weaker), max_partners=3, min_difference=1,
        weights=Weights(keys=(), reused=0.0),
    )  # fmt: skip

    results = solve(problem, proposals=2, **SOLVER)

    first, second = (set(r.selection.added) if r.selection else set() for r in results)
    assert first == {1, 2, 3}
    assert len(first & second) == 2


def test_a_share_of_no_partner_concerned_is_not_proven() -> None:
    # "Half the applicants are registered" over partners none of whom is an applicant: the
    # eligibility checker finds the rule unknown, so neither the checker of selections nor the
    # solver may count it as proven; a partner concerned for sure proves it.
    share = RuleModel("share", "Half are registered", RuleKind.SHARE, share=(1, 2))
    unconcerned = Party(1, "P1", "DE", 0.5, (Part(bounds=(0, 0, 0, 0)),), frozenset())
    registered = Party(2, "P2", "FR", 0.1, (Part(bounds=(1, 1, 1, 1)),), frozenset())
    alone = BuildProblem((share,), (), (unconcerned,), 1)
    both = BuildProblem((share,), (), (unconcerned, registered), 2)

    [unproven] = solve(alone, proposals=1, **SOLVER)
    [proven] = solve(both, proposals=1, **SOLVER)

    assert evaluate_selection(alone, Selection(added=(1,))).proven == ()
    assert (unproven.selection, unproven.objective) == (
        Selection(added=(1,)),
        evaluate_selection(alone, Selection(added=(1,))).objective,
    )
    assert evaluate_selection(both, Selection(added=(1, 2))).proven == ("share",)
    assert proven.selection == Selection(added=(1, 2))
    assert proven.objective == evaluate_selection(both, Selection(added=(1, 2))).objective
