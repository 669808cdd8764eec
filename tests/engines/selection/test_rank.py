"""Screening and ranking: a table of cases for each threshold and each tie-break key."""

from decimal import Decimal

import pytest

from clusterbridge.engines.selection.rank import rank, screen
from tests.engines.selection.helpers import problem, proposal

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("scores", "eligible", "expected"),
    [
        ((25, 25, 8), True, None),
        ((21, 27, 7), True, None),  # every threshold met exactly, total 55 = overall threshold
        ((25, 25, 8), False, "not eligible"),
        ((20, 30, 10), True, "relevance 20 is below its threshold of 21"),
        ((20.5, 30, 10), True, "relevance 20.5 is below its threshold of 21"),
        (
            (20, 30, 6),
            True,
            "relevance 20 is below its threshold of 21; impact 6 is below its threshold of 7",
        ),
        ((21, 21, 7), True, "the total 49 is below the overall threshold of 55"),
        (
            (21, 20, 7),
            True,
            "quality 20 is below its threshold of 21; the total 48 is below the overall "
            "threshold of 55",
        ),
    ],
)
def test_screen_names_every_threshold_failed(
    scores: tuple[float, float, float], eligible: bool, expected: str | None
) -> None:
    candidate = proposal("P1", *scores, eligible=eligible)

    reason = screen(problem(candidate), candidate)

    assert reason == expected


def test_screen_without_an_overall_threshold_passes_a_low_total() -> None:
    candidate = proposal("P1", 21, 21, 7)

    assert screen(problem(candidate, overall_threshold=None), candidate) is None


def test_rank_keeps_the_proposals_out_in_file_order() -> None:
    proposals = (
        proposal("Z", 20, 30, 10),
        proposal("A", 25, 25, 8),
        proposal("B", 25, 25, 8, eligible=False),
    )

    ranking = rank(problem(*proposals))

    assert [p.id for p in ranking.ranked] == ["A"]
    assert [(s.id, s.reason) for s in ranking.out] == [
        ("Z", "relevance 20 is below its threshold of 21"),
        ("B", "not eligible"),
    ]


# Each case: proposals (id, relevance, quality, impact, strand), tie-break keys, the expected
# ranking and the ties left.
TIE_CASES = {
    "by total": (
        [("A", 22, 30, 8, "1"), ("B", 28, 30, 10, "1")],
        (),
        ["B", "A"],
        [],
    ),
    "no keys: the tie stays, by id": (
        [("B", 25, 25, 10, "1"), ("A", 25, 25, 10, "2")],
        (),
        ["A", "B"],
        [["A", "B"]],
    ),
    "ids ordered as text": (
        [("P2", 25, 25, 10, "1"), ("P10", 25, 25, 10, "1")],
        ("relevance",),
        ["P10", "P2"],
        [["P10", "P2"]],
    ),
    "uncovered strand first": (
        [("C", 30, 30, 10, "1"), ("A", 25, 25, 10, "1"), ("B", 25, 25, 10, "2")],
        ("uncovered_strand",),
        ["C", "B", "A"],
        [],
    ),
    "uncovered strand: nobody above, both uncovered": (
        [("A", 25, 25, 10, "1"), ("B", 25, 25, 10, "2")],
        ("uncovered_strand",),
        ["A", "B"],
        [["A", "B"]],
    ),
    "uncovered strand: the tie group does not cover itself": (
        [
            ("C", 30, 30, 10, "2"),
            ("Z", 25, 25, 10, "2"),
            ("B", 25, 25, 10, "1"),
            ("A", 25, 25, 10, "1"),
        ],
        ("uncovered_strand",),
        ["C", "A", "B", "Z"],
        [["A", "B"]],
    ),
    "uncovered strand: a strand covered two groups above": (
        [
            ("C", 30, 30, 10, "1"),
            ("D", 28, 30, 10, "2"),
            ("A", 25, 25, 10, "2"),
            ("B", 25, 25, 10, "3"),
        ],
        ("uncovered_strand",),
        ["C", "D", "B", "A"],
        [],
    ),
    "relevance": (
        [("A", 25, 27, 8, "1"), ("B", 27, 25, 8, "1")],
        ("relevance",),
        ["B", "A"],
        [],
    ),
    "relevance equal, then impact": (
        [("B", 25, 28, 7, "1"), ("A", 25, 26, 9, "1")],
        ("relevance", "impact"),
        ["A", "B"],
        [],
    ),
    "relevance equal, impact not a key": (
        [("B", 25, 28, 7, "1"), ("A", 25, 26, 9, "1")],
        ("relevance",),
        ["A", "B"],
        [["A", "B"]],
    ),
    "criterion before strand": (
        [("C", 30, 30, 10, "1"), ("A", 26, 24, 10, "1"), ("B", 25, 25, 10, "2")],
        ("relevance", "uncovered_strand"),
        ["C", "A", "B"],
        [],
    ),
    "strand before criterion": (
        [("C", 30, 30, 10, "1"), ("A", 26, 24, 10, "1"), ("B", 25, 25, 10, "2")],
        ("uncovered_strand", "relevance"),
        ["C", "B", "A"],
        [],
    ),
    "a tie of three, one broken off": (
        [
            ("C", 25, 25, 10, "1"),
            ("B", 25, 25, 10, "1"),
            ("A", 24, 26, 10, "1"),
            ("D", 21, 21, 7, "1"),
        ],
        ("relevance",),
        ["B", "C", "A"],
        [["B", "C"]],
    ),
    "half points": (
        [("A", 25, 25.5, 9.5, "1"), ("B", 25.5, 25, 9.5, "1")],
        ("relevance",),
        ["B", "A"],
        [],
    ),
}


@pytest.mark.parametrize(
    ("rows", "tie_break", "expected", "ties"), TIE_CASES.values(), ids=TIE_CASES.keys()
)
def test_rank_breaks_ties_group_by_group(
    rows: list[tuple[str, float, float, float, str]],
    tie_break: tuple[str, ...],
    expected: list[str],
    ties: list[list[str]],
) -> None:
    proposals = [proposal(pid, r, q, i, strand=s) for pid, r, q, i, s in rows]

    ranking = rank(problem(*proposals, tie_break=tie_break))

    assert [p.id for p in ranking.ranked] == expected
    assert [list(t) for t in ranking.ties_left] == ties


def test_rank_totals_are_exact_decimals() -> None:
    # 0.1 + 0.2 is not 0.3 in floats; the scores are decimals, so the two totals are equal.
    first = proposal("A", 25.1, 25.2, 9.7)
    second = proposal("B", 25.2, 25.1, 9.7)

    ranking = rank(problem(first, second))

    assert first.total == second.total == Decimal("60.0")
    assert ranking.ties_left == (("A", "B"),)
