"""``clusterbridge schedule solve`` and ``check`` as a user runs them: JSON, exit codes, errors."""

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke

pytestmark = pytest.mark.e2e

EVENT = {
    "participants": ["acme", "globex", "initech"],
    "slots": 3,
    "rooms": 2,
    "meetings": [
        {"a": "acme", "b": "globex"},
        {"a": "acme", "b": "initech", "priority": 2},
        {"a": "globex", "b": "initech", "pinned_slot": 2},
    ],
}


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_schedule_solve_json_gives_an_optimal_checked_schedule(
    invoke: Invoke, tmp_path: Path
) -> None:
    event = write(tmp_path, "event.json", EVENT)

    result = invoke("schedule", "solve", str(event), "--format", "json", "--time-limit", "10")

    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert (data["status"], data["breaks"], data["bound"], data["unplaced"]) == (
        "optimal",
        1,
        1,
        [],
    )
    assert [a["slot"] for a in data["assignments"] if a["meeting"] == 3] == [2]
    checked = invoke("schedule", "check", str(event), str(write(tmp_path, "s.json", data)))
    assert (checked.exit_code, checked.stdout.splitlines()[0]) == (0, "Schedule: valid")


def test_schedule_check_explains_violations_with_exit_1(invoke: Invoke, tmp_path: Path) -> None:
    event = write(tmp_path, "event.json", EVENT)
    schedule = write(
        tmp_path,
        "schedule.json",
        {"assignments": [{"meeting": 1, "slot": 1, "room": 1}, {"meeting": 2, "slot": 1}]},
    )

    result = invoke("schedule", "check", str(event), str(schedule), "--require-all")

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "Schedule: 3 violation(s)",
        "Meetings placed: 2 of 3",
        "Breaks: 0",
        '  - Meeting 3 (participant "globex" with participant "initech") is not scheduled.',
        '  - Participant "acme" has 2 meetings in slot 1: meetings 1, 2.',
        "  - Meetings 1 and 2 share room 1 in slot 1.",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"meetings": [{"a": "acme", "b": "nobody"}]},
            "  - meeting 1, b: unknown participant 'nobody'.",
        ),
        (
            {"meetings": [{"a": "acme", "b": "acme"}]},
            "  - meeting 1, b: participant 'acme' cannot meet itself.",
        ),
        (
            {"meetings": [{"a": "acme", "b": "globex", "pinned_slot": 4}]},
            "  - meeting 1, pinned_slot: slot 4 is outside 1..3.",
        ),
        ({"slots": "three"}, "  - event.json, slots: must be a whole number."),
        (
            {"participants": 10**10},
            "  - event.json, participants: must be at most 10,000 participants.",
        ),
        ({"slots": 10**10}, "  - event.json, slots: must be at most 10,000."),
        ({"rooms": 10**10}, "  - event.json, rooms: must be at most 10,000."),
    ],
)
def test_schedule_solve_bad_input_exits_2_naming_field_and_reason(
    invoke: Invoke, tmp_path: Path, change: dict[str, object], message: str
) -> None:
    event = write(tmp_path, "event.json", {**EVENT, **change})

    result = invoke("schedule", "solve", str(event))

    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == message


def test_schedule_solve_malformed_dzn_exits_2_with_line(invoke: Invoke, tmp_path: Path) -> None:
    dzn = tmp_path / "bad.dzn"
    dzn.write_text("nBusiness = 3;\nnMeetings = two;\n", encoding="utf-8")

    result = invoke("schedule", "solve", str(dzn))

    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [
        "Error: bad.dzn is not a valid B2B .dzn file.",
        "  - bad.dzn, line 2, nMeetings: cannot read the value 'two'.",
    ]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("nBusiness", "  - huge.dzn, line 1, nBusiness: must be at most 10,000."),
        ("nTotalSlots", "  - huge.dzn, line 4, nTotalSlots: must be at most 10,000."),
    ],
)
def test_schedule_solve_refuses_huge_dzn_numbers_before_building_anything(
    invoke: Invoke, tmp_path: Path, field: str, message: str
) -> None:
    dzn = tmp_path / "huge.dzn"
    text = (
        "nBusiness = 3;\nnMeetings = 1;\nnTables = 1;\nnTotalSlots = 2;\nnMorningSlots = 2;\n"
        "requested = [|1, 2, 3|];\nmeetingsxBusiness = [{1,2},{1,2},{1}];\n"
        "nMeetingsBusiness = [1,1,0];\nforbidden = [{},{},{}];\nfixed = [0];\n"
        "precedences = [{}];\n"
    )
    dzn.write_text(
        "\n".join(
            f"{field} = 10000000000;" if line.startswith(f"{field} =") else line
            for line in text.splitlines()
        ),
        encoding="utf-8",
    )

    result = invoke("schedule", "solve", str(dzn))

    assert result.exit_code == 2
    assert result.stderr.splitlines()[1:] == [message]


def test_schedule_solve_refuses_deeply_nested_json(invoke: Invoke, tmp_path: Path) -> None:
    event = tmp_path / "deep.json"
    event.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")

    result = invoke("schedule", "solve", str(event))

    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == "  - deep.json: the document is nested too deeply."
