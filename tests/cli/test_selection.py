"""``clusterbridge selection rank`` and ``assign`` on files, as a user runs them."""

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import Invoke

pytestmark = pytest.mark.e2e

CRITERIA = [
    {"id": "relevance", "max": 30, "threshold": 21},
    {"id": "quality", "max": 30, "threshold": 21},
    {"id": "impact", "max": 40, "threshold": 28},
]


def scored(
    pid: str, strand: str, relevance: float, quality: float, impact: float
) -> dict[str, Any]:
    return {
        "id": pid, "strand": strand, "requested": 2_600_000, "eligible": True,
        "scores": {"relevance": relevance, "quality": quality, "impact": impact},
    }  # fmt: skip


CALL: dict[str, Any] = {
    "budget": 7_800_000, "max_projects": 3, "strand_minimum": {"1": 1}, "on_overflow": "skip",
    "criteria": CRITERIA, "overall_threshold": 70,
    "tie_break": ["uncovered_strand", "relevance", "impact"],
    "proposals": [
        scored("P1", "2", 28, 27, 35),
        scored("P2", "2", 27, 27, 34),
        scored("P3", "1", 25, 25, 30),
        scored("P4", "2", 25, 25, 30),
        scored("P5", "1", 20, 27, 35),
        {"id": "P6", "strand": "1", "requested": 2_600_000, "eligible": False},
        scored("P7", "2", 24, 25, 30),
        scored("P8", "2", 24, 25, 30),
    ],
}  # fmt: skip


def write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


def test_rank_prints_the_issue_json(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke(
        "selection", "rank", str(write(tmp_path, "call.json", CALL)), "--format", "json"
    )

    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "ranking": ["P1", "P2", "P3", "P4", "P7", "P8"],
        "selected": ["P3", "P1", "P2"],
        "reserve": ["P4", "P7", "P8"],
        "out": [
            {"id": "P5", "reason": "relevance 20 is below its threshold of 21"},
            {"id": "P6", "reason": "not eligible"},
        ],
        "ties_left": [["P7", "P8"]],
        "budget_used": 7_800_000,
    }


def test_rank_prints_every_outcome_as_text(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("selection", "rank", str(write(tmp_path, "call.json", CALL)))

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "6 proposals pass, 2 are out; 3 selected for EUR 7,800,000 of EUR 7,800,000.",
        "   1. P1  strand 2  total 90  EUR 2,600,000  selected: taken in rank order",
        "   2. P2  strand 2  total 88  EUR 2,600,000  selected: taken in rank order",
        "   3. P3  strand 1  total 80  EUR 2,600,000  selected: taken in rank order",
        "   4. P4  strand 2  total 80  EUR 2,600,000  reserve: all 3 places are taken",
        "   5. P7  strand 2  total 79  EUR 2,600,000  reserve: all 3 places are taken",
        "   6. P8  strand 2  total 79  EUR 2,600,000  reserve: all 3 places are taken",
        "   out P5: relevance 20 is below its threshold of 21",
        "   out P6: not eligible",
        "Tie left for the panel: P7 = P8",
    ]


def test_rank_counts_one_proposal_in_the_singular(invoke: Invoke, tmp_path: Path) -> None:
    one = {
        "budget": 100,
        "max_projects": 2,
        "criteria": [{"id": "relevance", "max": 10, "threshold": 5}],
        "overall_threshold": 5,
        "tie_break": ["uncovered_strand"],
        "proposals": [
            {
                "id": "P1",
                "strand": "1",
                "requested": 50,
                "eligible": True,
                "scores": {"relevance": 8},
            },
            {
                "id": "P2",
                "strand": "1",
                "requested": 50,
                "eligible": False,
                "scores": {"relevance": 9},
            },
        ],
    }

    result = invoke("selection", "rank", str(write(tmp_path, "one.json", one)))

    assert result.stdout.splitlines()[0] == (
        "1 proposal passes, 1 is out; 1 selected for EUR 50 of EUR 100."
    )


def test_rank_refuses_a_bad_file_with_every_place(invoke: Invoke, tmp_path: Path) -> None:
    bad = {
        **CALL,
        "on_overflow": "wait",
        "tie_break": ["relevance", "novelty"],
        "proposals": [
            {**scored("P1", "1", 25, 25, 30), "scores": {"relevance": 35, "quality": "high", "impact": 30}},
            {"id": "P2", "strand": "1", "requested": -1, "eligible": "yes"},
        ],
    }  # fmt: skip

    result = invoke("selection", "rank", str(write(tmp_path, "bad.json", bad)))

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: bad.json is not a valid selection file.",
        "  - proposals[0].scores.quality: must be a number.",
        "  - proposals[1].eligible: must be true or false.",
        '  - on_overflow: must be "skip" or "stop".',
        '  - tie_break[1]: "novelty" is neither uncovered_strand nor a criterion.',
        "  - proposals[0].scores.relevance: 35 is not between 0 and 30.",
        "  - proposals[1].requested: must be more than 0.",
    ]


def _criterion(number: int, **fields: object) -> dict[str, Any]:
    criteria = [dict(c) for c in CRITERIA]
    criteria[number].update(fields)
    return {**CALL, "criteria": criteria}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_criterion(0, max="30"), "criteria[0].max: must be a number"),
        (_criterion(0, max=-5), "criteria[0].max: must be more than 0"),
        (_criterion(0, max=0), "criteria[0].max: must be more than 0"),
        (_criterion(0, id=5), 'criteria[0].id: must be text in quotes, e.g. "1"'),
        (_criterion(0, id=""), "criteria[0].id: must not be empty"),
        (_criterion(0, id="uncovered_strand"), "criteria[0].id: uncovered_strand is the name of a tie-break key"),
        ({**CALL, "max_projects": 0}, "max_projects: must be at least 1"),
    ],
)  # fmt: skip
def test_rank_names_a_refused_value_once(
    invoke: Invoke, tmp_path: Path, content: dict[str, Any], message: str
) -> None:
    """The scores, tie-breaks and minimums that depend on the refused value are not checked
    against its stand-in: each bad cell is named once."""
    path = write(tmp_path, "call.json", content)

    result = invoke("selection", "rank", str(path))

    assert (result.exit_code, result.stdout, result.stderr.splitlines()) == (
        2,
        "",
        ["Error: call.json is not a valid selection file.", f"  - {message}."],
    )


def test_rank_names_every_bad_score_once_beside_a_refused_maximum(
    invoke: Invoke, tmp_path: Path
) -> None:
    content = _criterion(1, max="thirty")
    content["proposals"] = [
        {**scored("P1", "1", 35, 25, 30), "scores": {"relevance": 35, "quality": 25, "impact": "x"}},
        scored("P2", "1", 25, 99, 30),
    ]  # fmt: skip

    result = invoke("selection", "rank", str(write(tmp_path, "call.json", content)))

    assert (result.exit_code, result.stderr.splitlines()) == (
        2,
        [
            "Error: call.json is not a valid selection file.",
            "  - criteria[1].max: must be a number.",
            "  - proposals[0].scores.impact: must be a number.",
            "  - proposals[0].scores.relevance: 35 is not between 0 and 30.",
        ],
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", ["Error: f.json is not valid JSON.", "  - f.json, line 1, column 2: Expecting property name enclosed in double quotes."]),
        ("[]", ["Error: f.json is not a valid selection file.", "  - the file: must be a JSON object."]),
        (
            '{"budget": 1e-400, "criteria": [], "proposals": []}',
            ["Error: f.json cannot be read.", '  - f.json, line 1, column 12: "1e-400" is too small to store: write 0 or a number with fewer decimals.'],
        ),
        (
            '{"budget": 5, "criteria": [], "proposals": [], "extra": 1}',
            [
                "Error: f.json is not a valid selection file.",
                "  - extra: is not a known field.",
                "  - criteria: must name at least one criterion.",
            ],
        ),
    ],
)  # fmt: skip
def test_rank_names_the_place_of_a_broken_file(
    invoke: Invoke, tmp_path: Path, content: str, message: list[str]
) -> None:
    path = tmp_path / "f.json"
    path.write_text(content, encoding="utf-8")

    result = invoke("selection", "rank", str(path))

    assert (result.exit_code, result.stderr.splitlines()) == (2, message)


def test_rank_of_a_missing_file_exits_2(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("selection", "rank", str(tmp_path / "none.json"))

    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: FILE: no such file: {tmp_path / 'none.json'}.\n",
    )


ASSIGN = {
    "per_proposal": 2,
    "max_load": 2,
    "affinity": {"ana": {"P1": 0.9, "P2": 0.8}, "ben": {"P1": 0.7}, "eva": {"P2": 0.6}},
    "conflicts": [["ben", "P2"]],
}


def test_assign_prints_the_issue_json(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke(
        "selection", "assign", str(write(tmp_path, "a.json", ASSIGN)), "--format", "json"
    )

    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "assignments": [
            {"expert": "ana", "proposal": "P1"},
            {"expert": "ben", "proposal": "P1"},
            {"expert": "ana", "proposal": "P2"},
            {"expert": "eva", "proposal": "P2"},
        ],
        "total_affinity": 3.0,
    }


def test_assign_prints_the_fit_of_each_pair(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("selection", "assign", str(write(tmp_path, "a.json", ASSIGN)))

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "P1: ana (0.9), ben (0.7)",
        "P2: ana (0.8), eva (0.6)",
        "Optimal: 4 evaluations, total affinity 3.",
    ]


def test_assign_infeasible_exits_1_naming_the_proposals(invoke: Invoke, tmp_path: Path) -> None:
    problem = {
        **ASSIGN,
        "experts": ["ana", "ben", "eva"],
        "conflicts": [["ben", "P2"], ["eva", "P2"]],
    }

    result = invoke(
        "selection", "assign", str(write(tmp_path, "a.json", problem)), "--format", "json"
    )

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "No assignment covers every proposal.",
        "  - proposal P2 cannot be covered: 2 evaluations are needed and the only expert without a conflict can give at most 1.",
    ]


def test_assign_refuses_a_bad_file_with_the_place(invoke: Invoke, tmp_path: Path) -> None:
    problem = {
        "per_proposal": 0, "max_load": 2.5, "affinity": {"ana": {"P1": "high"}, "ben": []},
        "conflicts": [["ana"]], "experts": ["ana"],
    }  # fmt: skip

    result = invoke("selection", "assign", str(write(tmp_path, "a.json", problem)))

    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: a.json is not a valid assignment file.",
        "  - max_load: must be a whole number.",
        "  - affinity.ana.P1: must be a number.",
        "  - affinity.ben: must be a JSON object.",
        '  - conflicts[0]: must be a pair ["expert", "proposal"].',
        "  - per_proposal: must be at least 1.",
    ]


EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_shipped_examples_are_those_of_the_docs(invoke: Invoke) -> None:
    call = EXAMPLES / "selection-call.json"
    experts = EXAMPLES / "expert-assignment.json"

    ranked = invoke("selection", "rank", str(call), "--format", "json")
    assigned = invoke("selection", "assign", str(experts), "--format", "json")

    assert json.loads(call.read_text(encoding="utf-8")) == CALL
    assert json.loads(experts.read_text(encoding="utf-8")) == ASSIGN
    assert (ranked.exit_code, json.loads(ranked.stdout)["selected"]) == (0, ["P3", "P1", "P2"])
    assert (assigned.exit_code, json.loads(assigned.stdout)["total_affinity"]) == (0, 3.0)
