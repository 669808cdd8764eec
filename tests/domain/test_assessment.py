"""The scoring of both self-assessments, on a table of cases with exact expected scores."""

from datetime import date
from decimal import Decimal

import pytest

from clusterbridge.domain.assessment import (
    Answer,
    DmaDimension,
    ImprovementStatus,
    overdue_since,
    round_score,
    score_cluster,
    score_digital_maturity,
)

pytestmark = pytest.mark.unit
D = Decimal


@pytest.mark.parametrize(
    ("answers", "scores", "overall"),
    [
        ([], {}, None),
        ([Answer("structure", 4)], {"structure": D("100.0")}, D("100.0")),
        ([Answer("structure", 0), Answer("structure", 4)], {"structure": D("50.0")}, D("50.0")),
        # 3 of 4 in one question, weight 2 on a full answer: (2*4 + 1*3) / (3*4) = 91.666...
        ([Answer("services", 4, 2), Answer("services", 3)], {"services": D("91.7")}, D("91.7")),
        # Two dimensions: 1/4 and 3/4; overall (1 + 3) / 8 = 50.
        (
            [Answer("financing", 1), Answer("recognition", 3)],
            {"financing": D("25.0"), "recognition": D("75.0")},
            D("50.0"),
        ),
        # Overall pools points, not dimension scores: (4 + 0 + 0) / 12 = 33.3, not (100 + 0) / 2.
        (
            [Answer("governance", 4), Answer("cooperation", 0), Answer("cooperation", 0)],
            {"governance": D("100.0"), "cooperation": D("0.0")},
            D("33.3"),
        ),
    ],
)
def test_score_cluster(
    answers: list[Answer], scores: dict[str, Decimal], overall: Decimal | None
) -> None:
    assert score_cluster(answers) == (scores, overall)


def _all(level: int) -> dict[str, list[int]]:
    return {d: [level, level] for d in DmaDimension}


@pytest.mark.parametrize(
    ("answers", "scores", "overall"),
    [
        (_all(0), dict.fromkeys(DmaDimension, D("0.0")), D("0.0")),
        (_all(5), dict.fromkeys(DmaDimension, D("100.0")), D("100.0")),
        (_all(2), dict.fromkeys(DmaDimension, D("40.0")), D("40.0")),
        (
            {
                "strategy": [5, 4, 3],  # 12/15 = 80
                "readiness": [1, 2],  # 3/10 = 30
                "human_centric": [0, 1],  # 10
                "data": [2, 3],  # 50
                "automation_ai": [1, 0],  # 10
                "green": [3, 3],  # 60
            },
            {
                "strategy": D("80.0"), "readiness": D("30.0"), "human_centric": D("10.0"),
                "data": D("50.0"), "automation_ai": D("10.0"), "green": D("60.0"),
            },
            D("40.0"),  # (80 + 30 + 10 + 50 + 10 + 60) / 6
        ),
        (
            # Dimension scores 66.666.. and 5 x 20: overall (66.666.. + 100) / 6 = 27.777.. -> 27.8.
            {**{d: [1] for d in DmaDimension}, "strategy": [4, 3, 3]},
            {**dict.fromkeys(DmaDimension, D("20.0")), "strategy": D("66.7")},
            D("27.8"),
        ),
        (
            # The overall score averages the unrounded dimension scores: 3 x 6.666.. / 6 = 3.333
            # -> 3.3, where averaging the rounded 6.7 would give 3.35 -> 3.4.
            {**{d: [0] for d in DmaDimension}, "strategy": [1, 0, 0],
             "readiness": [1, 0, 0], "data": [1, 0, 0]},
            {**dict.fromkeys(DmaDimension, D("0.0")), "strategy": D("6.7"),
             "readiness": D("6.7"), "data": D("6.7")},
            D("3.3"),
        ),
    ],
)  # fmt: skip
def test_score_digital_maturity(
    answers: dict[str, list[int]], scores: dict[str, Decimal], overall: Decimal
) -> None:
    assert score_digital_maturity(answers) == (scores, overall)


def test_score_digital_maturity_needs_all_six_dimensions() -> None:
    answers = _all(3)
    del answers["green"]
    with pytest.raises(ValueError, match="green: no answers"):
        score_digital_maturity(answers)


def test_round_score_rounds_half_up() -> None:
    assert (round_score(D("62.45")), round_score(D("62.44"))) == (D("62.5"), D("62.4"))


@pytest.mark.parametrize(
    ("status", "due", "since"),
    [
        (ImprovementStatus.PLANNED, date(2024, 12, 5), date(2024, 12, 6)),
        (ImprovementStatus.IN_PROGRESS, date(2024, 11, 1), date(2024, 11, 2)),
        (ImprovementStatus.PLANNED, date(2024, 12, 6), None),
        (ImprovementStatus.PLANNED, date(2024, 12, 7), None),
        (ImprovementStatus.DONE, date(2024, 11, 1), None),
        (ImprovementStatus.PLANNED, None, None),
    ],
)
def test_overdue_since_the_day_after_the_due_date_unless_done(
    status: ImprovementStatus, due: date | None, since: date | None
) -> None:
    assert overdue_since(status, due, today=date(2024, 12, 6)) == since
