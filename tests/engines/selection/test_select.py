"""Selection: strand minimums that bind and that do not, budget overflow in both modes, the
place limit, the reserve list and every proposal's reason."""

from decimal import Decimal

import pytest

from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.engines.selection.problem import (
    Criterion,
    Overflow,
    Proposal,
    SelectionProblem,
)
from clusterbridge.engines.selection.select import Outcome, Shortfall, select
from tests.engines.selection.helpers import CRITERIA, problem, proposal

pytestmark = pytest.mark.unit


def ranked(*rows: tuple[str, int, str, int]) -> list[Proposal]:
    """Proposals (id, total from 55 to 70, strand, requested): the points above the three
    thresholds (21, 21, 7) go to relevance first, then quality, then impact."""
    made = []
    for pid, total, strand, requested in rows:
        rest = total - 49
        relevance = min(rest, 9)
        quality = min(rest - relevance, 9)
        impact = rest - relevance - quality
        made.append(
            proposal(
                pid, 21 + relevance, 21 + quality, 7 + impact, strand=strand, requested=requested
            )
        )
    return made


FIVE = ranked(
    ("A", 70, "2", 100), ("B", 68, "2", 100), ("C", 60, "1", 100), ("D", 58, "1", 100),
    ("E", 57, "2", 100),
)  # fmt: skip

# Each case: proposals, settings, the selection (in the order taken), the reserve list and
# the reasons of the proposals named.
CASES = {
    "minimum binds": (
        FIVE,
        {"max_projects": 3, "strand_minimum": {"1": 2}},
        ["C", "D", "A"],
        ["B", "E"],
        {
            "C": "taken in rank order",  # rank order alone takes A, B and C
            "D": "taken for the Strand 1 minimum",
            "A": "taken in rank order",
            "B": "all 3 places are taken",
            "E": "all 3 places are taken",
        },
    ),
    "same without the minimum": (
        FIVE,
        {"max_projects": 3},
        ["A", "B", "C"],
        ["D", "E"],
        {"C": "taken in rank order", "D": "all 3 places are taken"},
    ),
    "minimum does not bind": (
        FIVE,
        {"max_projects": 3, "strand_minimum": {"2": 1}},
        ["A", "B", "C"],
        ["D", "E"],
        {"A": "taken in rank order", "B": "taken in rank order"},
    ),
    "minimum takes only the m best of the strand": (
        FIVE,
        {"max_projects": 4, "strand_minimum": {"1": 1}},
        ["C", "A", "B", "D"],
        ["E"],
        {"C": "taken in rank order", "D": "taken in rank order"},
    ),
    "two minimums, taken in rank order": (
        FIVE,
        {"max_projects": 3, "strand_minimum": {"1": 1, "2": 1}},
        ["A", "C", "B"],
        ["D", "E"],
        {"A": "taken in rank order", "C": "taken in rank order"},
    ),
    "overflow skip": (
        ranked(("A", 70, "1", 600), ("B", 65, "1", 500), ("C", 60, "1", 300)),
        {"budget": 1000},
        ["A", "C"],
        ["B"],
        {"B": "over the remaining budget of EUR 400", "C": "taken in rank order"},
    ),
    "overflow stop": (
        ranked(("A", 70, "1", 600), ("B", 65, "1", 500), ("C", 60, "1", 300)),
        {"budget": 1000, "on_overflow": Overflow.STOP},
        ["A"],
        ["B", "C"],
        {
            "B": "over the remaining budget of EUR 400; the selection stops here",
            "C": "ranked below B, where the selection stopped",
        },
    ),
    "minimum phase ends at the first that does not fit": (
        ranked(("A", 70, "1", 600), ("B", 65, "1", 500), ("C", 60, "1", 300)),
        {"budget": 1000, "strand_minimum": {"1": 3}},
        ["A", "C"],
        ["B"],
        {"A": "taken in rank order", "C": "taken in rank order"},
    ),
    "places before budget": (
        ranked(("A", 70, "1", 600), ("B", 65, "1", 500), ("C", 60, "1", 300)),
        {"budget": 1000, "max_projects": 1},
        ["A"],
        ["B", "C"],
        {"B": "the only place is taken", "C": "the only place is taken"},
    ),
    "exactly the remaining budget fits": (
        ranked(("A", 70, "1", 600), ("B", 65, "1", 400)),
        {"budget": 1000},
        ["A", "B"],
        [],
        {"B": "taken in rank order"},
    ),
    "reserve in rank order, amounts with thousands": (
        ranked(
            ("A", 70, "1", 2_600_000), ("B", 66, "2", 2_900_000), ("C", 62, "1", 2_000_000),
            ("D", 60, "2", 1_000_000),
        ),
        {"budget": 4_200_000},
        ["A", "D"],
        ["B", "C"],
        {
            "B": "over the remaining budget of EUR 1,600,000",
            "C": "over the remaining budget of EUR 1,600,000",
        },
    ),
}  # fmt: skip


@pytest.mark.parametrize(
    ("proposals", "settings", "selected", "reserve", "reasons"), CASES.values(), ids=CASES.keys()
)
def test_select_follows_the_procedure(
    proposals: list[Proposal],
    settings: dict[str, object],
    selected: list[str],
    reserve: list[str],
    reasons: dict[str, str],
) -> None:
    result = select(problem(*proposals, **settings))  # type: ignore[arg-type]

    assert list(result.selected) == selected
    assert list(result.reserve) == reserve
    got = {d.id: d.reason for d in result.decisions}
    assert {pid: got[pid] for pid in reasons} == reasons


def test_select_reports_every_outcome_and_the_budget_used() -> None:
    proposals = [*FIVE, proposal("X", 20, 30, 10, strand="1", requested=100)]

    result = select(problem(*proposals, budget=350, strand_minimum={"1": 1}))

    assert result.ranking == ("A", "B", "C", "D", "E")
    assert result.selected == ("C", "A", "B")
    assert result.budget_used == Decimal(300)
    assert result.out == (("X", "relevance 20 is below its threshold of 21"),)
    assert [(d.id, d.outcome, d.rank) for d in result.decisions] == [
        ("A", Outcome.SELECTED, 1), ("B", Outcome.SELECTED, 2), ("C", Outcome.SELECTED, 3),
        ("D", Outcome.RESERVE, 4), ("E", Outcome.RESERVE, 5), ("X", Outcome.OUT, None),
    ]  # fmt: skip
    assert result.shortfalls == ()


def test_select_reports_a_minimum_not_met() -> None:
    proposals = ranked(("A", 70, "1", 600), ("B", 65, "1", 500), ("C", 60, "2", 300))

    result = select(problem(*proposals, budget=1000, strand_minimum={"1": 2, "3": 1}))

    assert result.shortfalls == (Shortfall("1", 2, 1, 2), Shortfall("3", 1, 0, 0))
    assert [str(s) for s in result.shortfalls] == [
        "Strand 1: 1 selected of the minimum of 2 (the budget did not allow more)",
        "Strand 3: 0 selected of the minimum of 1 (only 0 of its proposals pass)",
    ]


def test_problem_reports_every_mistake_with_its_place() -> None:
    bad = (
        Proposal("P1", "1", Decimal(0), True, {"relevance": Decimal(31), "extra": Decimal(1)}),
        Proposal("P1", "", Decimal(5), True, {"relevance": Decimal(3)}),
        Proposal("P 3", "1", Decimal(5), False, {}),
    )

    with pytest.raises(InvalidInputError) as caught:
        SelectionProblem(
            budget=Decimal(0),
            criteria=(*CRITERIA, Criterion("relevance", Decimal(0), Decimal(1))),
            proposals=bad,
            max_projects=1,
            strand_minimum={"1": 1, "2": 1, "x y": -1},
            overall_threshold=Decimal(200),
            tie_break=("impact", "novelty", "impact"),
        )

    assert [str(issue) for issue in caught.value.issues] == [
        "budget: must be more than 0",
        'criteria[3].id: "relevance" is already a criterion',
        "criteria[3].max: must be more than 0",
        'tie_break[1]: "novelty" is neither uncovered_strand nor a criterion',
        'tie_break[2]: "impact" is already in the list',
        'strand_minimum["x y"]: must be 0 or more',
        "strand_minimum: the minimums add up to 2, more than max_projects (1)",
        "proposals[0].requested: must be more than 0",
        "proposals[0].scores.relevance: 31 is not between 0 and 30",
        'proposals[0].scores.extra: "extra" is not a criterion of the call',
        "proposals[0].scores: an eligible proposal needs a score for quality, impact",
        'proposals[1].id: "P1" is already a proposal',
        "proposals[1].strand: must not be empty",
        "proposals[1].scores: an eligible proposal needs a score for quality, impact",
    ]
