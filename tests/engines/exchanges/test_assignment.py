"""The assignment: deferred acceptance against brute force (stability, visitor-optimality),
the checker against the textbook definition, the most-exchanges model against the brute-force
maximum, and file validation."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.engines.exchanges import (
    AssignmentProblem,
    Host,
    Match,
    Method,
    SolveStatus,
    Visitor,
    check_assignment,
    parse_problem,
    solve,
)
from tests.engines.exchanges.instances import (
    all_assignments,
    as_matches,
    blocking_pairs,
    random_problem,
)

pytestmark = pytest.mark.unit

SOLVER = {"time_limit": 10.0, "seed": 1, "workers": 1}


def _rank(problem: AssignmentProblem, visitor: str, host: str | None) -> int:
    prefs = next(v.preferences for v in problem.visitors if v.id == visitor)
    return len(prefs) if host is None else prefs.index(host)


def test_solve_hand_made_instance_gives_the_visitor_optimal_assignment() -> None:
    # h2 holds one place and prefers v3; v1 then falls back to h1; v2 lists only h2.
    problem = parse_problem(
        {
            "visitors": [
                {"id": "v1", "preferences": ["h2", "h1"]},
                {"id": "v2", "preferences": ["h2"]},
                {"id": "v3", "preferences": ["h2", "h1"]},
            ],
            "hosts": [
                {"id": "h1", "capacity": 2, "preferences": ["v1", "v3"]},
                {"id": "h2", "capacity": 1, "preferences": ["v3", "v2", "v1"]},
            ],
        }
    )

    result = solve(problem)

    assert result.status is SolveStatus.OPTIMAL
    assert result.matches == (Match("v1", "h1"), Match("v3", "h2"))
    assert result.unmatched == ("v2",)
    assert result.report.stable is True


def test_solve_pair_listed_by_one_side_only_is_never_formed() -> None:
    problem = AssignmentProblem(visitors=(Visitor("v1", ("h1",)),), hosts=(Host("h1", 3, ()),))

    result = solve(problem)

    assert result.matches == ()
    assert result.unmatched == ("v1",)


def test_solve_host_capacity_zero_takes_nobody() -> None:
    problem = AssignmentProblem(
        visitors=(Visitor("v1", ("h1", "h2")),),
        hosts=(Host("h1", 0, ("v1",)), Host("h2", 1, ("v1",))),
    )

    assert solve(problem).matches == (Match("v1", "h2"),)


def test_solve_capacity_fills_with_the_hosts_favourites() -> None:
    visitors = tuple(Visitor(f"v{i}", ("h1",)) for i in range(5))
    problem = AssignmentProblem(
        visitors=visitors, hosts=(Host("h1", 2, ("v4", "v0", "v3", "v1", "v2")),)
    )

    result = solve(problem)

    assert result.matches == (Match("v0", "h1"), Match("v4", "h1"))
    assert result.unmatched == ("v1", "v2", "v3")


@pytest.mark.parametrize("seed", range(60))
def test_solve_against_brute_force_is_stable_and_visitor_optimal(seed: int) -> None:
    rng = random.Random(seed)
    problem = random_problem(rng, visitors=rng.randint(1, 5), hosts=rng.randint(1, 3))
    stable = [a for a in all_assignments(problem) if not blocking_pairs(problem, a)]

    result = solve(problem)
    got = {v.id: None for v in problem.visitors} | {m.visitor: m.host for m in result.matches}

    assert got in stable
    for visitor in problem.visitors:
        best = min(_rank(problem, visitor.id, a[visitor.id]) for a in stable)
        assert _rank(problem, visitor.id, got[visitor.id]) == best


@pytest.mark.parametrize("seed", range(60))
def test_check_assignment_blocking_pairs_match_the_definition(seed: int) -> None:
    rng = random.Random(1000 + seed)
    problem = random_problem(rng, visitors=rng.randint(1, 4), hosts=rng.randint(1, 3))

    for assignment in all_assignments(problem):
        report = check_assignment(problem, as_matches(assignment))

        assert report.violations == ()
        found = {(pair.visitor, pair.host) for pair in report.blocking_pairs}
        assert found == blocking_pairs(problem, assignment)


@pytest.mark.parametrize("seed", range(25))
def test_solve_most_exchanges_reaches_the_brute_force_maximum(seed: int) -> None:
    rng = random.Random(2000 + seed)
    problem = random_problem(rng, visitors=rng.randint(1, 5), hosts=rng.randint(1, 3))
    most = max(sum(h is not None for h in a.values()) for a in all_assignments(problem))

    result = solve(problem, method=Method.MOST, **SOLVER)
    got = {v.id: None for v in problem.visitors} | {m.visitor: m.host for m in result.matches}

    assert result.status is SolveStatus.OPTIMAL
    assert len(result.matches) == most
    assert len(result.matches) >= len(solve(problem).matches)
    assert result.report.valid is True
    found = {(pair.visitor, pair.host) for pair in result.report.blocking_pairs}
    assert found == blocking_pairs(problem, got)


def test_solve_most_exchanges_may_leave_a_blocking_pair() -> None:
    # Stable: v1-h1 only (both first choices). Most: v1-h2 and v2-h1, which v1 and h1 block.
    problem = AssignmentProblem(
        visitors=(Visitor("v1", ("h1", "h2")), Visitor("v2", ("h1",))),
        hosts=(Host("h1", 1, ("v1", "v2")), Host("h2", 1, ("v1",))),
    )

    stable = solve(problem)
    most = solve(problem, method=Method.MOST, **SOLVER)

    assert stable.matches == (Match("v1", "h1"),)
    assert most.matches == (Match("v1", "h2"), Match("v2", "h1"))
    assert [(p.visitor, p.host, p.reason) for p in most.report.blocking_pairs] == [
        ("v1", "h1", "h1 prefers v1 to a visitor it got, and v1 prefers h1 to h2.")
    ]


def test_check_assignment_reports_every_violation() -> None:
    problem = AssignmentProblem(
        visitors=(Visitor("v1", ("h1",)), Visitor("v2", ("h1",)), Visitor("v3", ())),
        hosts=(Host("h1", 1, ("v1", "v2")),),
    )
    matches = [
        Match("v1", "h1"),
        Match("v2", "h1"),
        Match("v3", "h1"),
        Match("v9", "h1"),
        Match("v1", "h7"),
        Match("v1", "h1"),
    ]

    report = check_assignment(problem, matches)

    assert report.violations == (
        "v3 and h1 do not both list each other.",
        '"v9" is not a visitor of the problem.',
        '"h7" is not a host of the problem.',
        "v1 is assigned 3 times.",
        "h1 gets 5 visitors for a capacity of 1.",
    )
    assert report.stable is False


@st.composite
def problems(draw: st.DrawFn) -> AssignmentProblem:
    visitors = draw(st.integers(1, 12))
    hosts = draw(st.integers(1, 6))
    visitor_ids = [f"v{i}" for i in range(visitors)]
    host_ids = [f"h{j}" for j in range(hosts)]
    return AssignmentProblem(
        visitors=tuple(
            Visitor(v, tuple(draw(st.permutations(host_ids))[: draw(st.integers(0, hosts))]))
            for v in visitor_ids
        ),
        hosts=tuple(
            Host(
                h,
                draw(st.integers(0, 4)),
                tuple(draw(st.permutations(visitor_ids))[: draw(st.integers(0, visitors))]),
            )
            for h in host_ids
        ),
    )


@settings(max_examples=150, deadline=None)
@given(problems())
def test_solve_any_problem_passes_the_checker(problem: AssignmentProblem) -> None:
    result = solve(problem)

    assert result.report.stable is True
    assert len(result.matches) + len(result.unmatched) == len(problem.visitors)
    load: dict[str, int] = {}
    for match in result.matches:
        load[match.host] = load.get(match.host, 0) + 1
    assert all(load.get(h.id, 0) <= h.capacity for h in problem.hosts)


@pytest.mark.parametrize(
    ("data", "issues"),
    [
        ([], ["expected a JSON object"]),
        ({"visitors": []}, ["hosts: expected a list"]),
        (
            {"visitors": [{"id": "v1", "preferences": ["h9"]}], "hosts": []},
            ['visitors[0].preferences[0]: "h9" is not a known host'],
        ),
        (
            {
                "visitors": [{"id": "v1", "preferences": []}, {"id": "v1", "preferences": []}],
                "hosts": [{"id": "h1", "capacity": -1, "preferences": ["v1", "v1"]}],
            },
            [
                'visitors[1], id: "v1" is used twice',
                "hosts[0], capacity: -1 is below 0",
                'hosts[0].preferences[1]: "v1" is listed twice',
            ],
        ),
        (
            {
                "visitors": [{"id": "", "preferences": "h1", "colour": 1}],
                "hosts": [{"id": "h1", "capacity": "2", "preferences": []}],
                "extra": True,
            },
            [
                "extra: is not a known field",
                "visitors[0], colour: is not a known field",
                "visitors[0], id: expected a non-empty text",
                "visitors[0], preferences: expected a list of ids (texts)",
                "hosts[0], capacity: expected a whole number",
            ],
        ),
    ],
)
def test_parse_problem_reports_every_issue_with_its_place(data: object, issues: list[str]) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_problem(data)

    assert [str(issue) for issue in caught.value.issues] == issues
