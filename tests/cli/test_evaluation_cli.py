"""``clusterbridge evaluation``: the officer's evaluation of a call written in the app, over the
configured database: assign, status, rank, report. Runs on SQLite and PostgreSQL."""

import json
import re
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest

from clusterbridge.db.repositories.organisations import get_by_pic
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.db.session import Database
from clusterbridge.services.selection import assignment, experts
from tests.cli.conftest import Invoke
from tests.factories.evaluation import add_pool, evaluate_small, make_call, make_small_evaluation
from tests.factories.organisations import add_member

pytestmark = [pytest.mark.e2e, pytest.mark.db]

OLGA = "olga@example.org"
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def small(cli_database: Database) -> dict[str, int]:
    """The CLI's database: call EVAL-2026 with ALPHA (Strand 1, Acme's) and BETA (Strand 2);
    officer olga; experts kim (of Acme: a conflict with ALPHA, "battery recycling data"), lea
    ("battery storage") and max ("tourism data")."""
    with cli_database.unit_of_work() as session:
        world = make_small_evaluation(session)
        add_pool(session, world)
    return {"call_id": world.call_id, **world.proposals}


def _evaluate(database: Database, call_id: int) -> None:
    with database.unit_of_work() as session:
        olga = get_user_by_email(session, OLGA)
        assert olga is not None
        evaluate_small(session, olga, call_id, now=NOW)


def test_assign_gives_each_proposal_its_best_expert_without_conflict(
    invoke: Invoke, small: dict[str, int]
) -> None:
    result = invoke(
        "evaluation", "assign", "--call", "EVAL-2026", "--as", OLGA,
        "--per-proposal", "1", "--max-load", "1", "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert [(a["proposal"], a["expert"]) for a in answer["assignments"]] == [
        ("ALPHA", "Lea"),
        ("BETA", "Max"),
    ]
    assert [a["words"] for a in answer["assignments"]] == [["battery"], ["tourism", "data"]]
    assert answer["total_fit"] == round(sum(a["fit"] for a in answer["assignments"]), 4) > 0


def test_assign_prints_each_proposal_with_its_experts(
    invoke: Invoke, small: dict[str, int]
) -> None:
    result = invoke(
        "evaluation", "assign", "--call", "eval-2026", "--as", OLGA, "--per-proposal", "2",
        "--max-load", "2",
    )  # fmt: skip

    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [
        (line.split(":")[0], sorted(re.findall(r"(\w+) \(fit 0\.\d\d\)", line)))
        for line in lines[:2]
    ] == [
        ("ALPHA", ["Lea", "Max"]),
        ("BETA", ["Kim", "Max"]),
    ]
    assert lines[2].startswith("4 evaluations, total fit ")
    assert lines[3:] == [
        "Not assigned, a conflict: ALPHA, Kim: works for Acme GmbH, a member of the consortium"
    ]


def test_assign_names_both_counts_below_1_at_once_and_writes_nothing(
    invoke: Invoke, small: dict[str, int], cli_database: Database
) -> None:
    result = invoke(
        "evaluation", "assign", "--call", "EVAL-2026", "--as", OLGA,
        "--per-proposal", "0", "--max-load", "-1",
    )  # fmt: skip

    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "Error: The experts cannot be assigned.",
        "  - --per-proposal: must be at least 1, not 0.",
        "  - --max-load: must be at least 1, not -1.",
    ]
    with cli_database.unit_of_work() as session:
        olga = get_user_by_email(session, OLGA)
        assert olga is not None
        panel = assignment.call_panel(session, olga, small["call_id"], today=NOW.date())
        assert panel.assignments == ()


def test_an_impossible_assignment_exits_1_naming_the_proposal(
    invoke: Invoke, small: dict[str, int]
) -> None:
    result = invoke(
        "evaluation", "assign", "--call", "EVAL-2026", "--as", OLGA, "--per-proposal", "3"
    )

    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "No assignment covers every proposal.",
        "  - ALPHA: 3 evaluations are needed, and the experts without a conflict (Lea, Max) can give at most 2.",
    ]


def test_bad_input_exits_2_with_the_reason(invoke: Invoke, small: dict[str, int]) -> None:
    cases = [
        (("--call", "NOPE", "--as", OLGA), "Error: There is no call NOPE.\n"),
        (("--call", "EVAL-2026", "--as", "alice@example.org"),
         "Error: Only programme officers may run an evaluation.\n"),
        (("--call", "EVAL-2026", "--as", "nobody@example.org"),
         "Error: Unknown user.\n  - --as: there is no active account for nobody@example.org.\n"),
    ]  # fmt: skip

    results = [invoke("evaluation", "status", *args) for args, _message in cases]

    assert [(r.exit_code, r.stderr) for r in results] == [(2, m) for _args, m in cases]


def test_status_follows_the_reports_and_the_consensus(
    invoke: Invoke, small: dict[str, int], clean_database: Database
) -> None:
    before = invoke("evaluation", "status", "--call", "EVAL-2026", "--as", OLGA)
    _evaluate(clean_database, small["call_id"])

    after = invoke("evaluation", "status", "--call", "EVAL-2026", "--as", OLGA, "--format", "json")

    assert before.stdout.splitlines() == [
        "EVAL-2026 (times in Europe/Brussels): assigned -; ranked -; published -",
        "ALPHA: no experts yet; reports 0/0; rapporteur -; consensus not submitted",
        "BETA: no experts yet; reports 0/0; rapporteur -; consensus not submitted",
    ]
    answer = json.loads(after.stdout)
    assert (answer["assigned_at"], answer["ranked_at"]) == ("2026-05-04T09:00+00:00", None)
    assert [
        (p["proposal"], p["conflicts"], p["experts"], p["reports_in"], p["rapporteur"],
         p["consensus"], p["outcome"])
        for p in answer["proposals"]
    ] == [
        ("ALPHA", 1, ["Lea"], 1, "Lea", True, None),
        ("BETA", 0, ["Max"], 1, "Max", True, None),
    ]  # fmt: skip


def test_rank_before_the_consensus_exits_2(invoke: Invoke, small: dict[str, int]) -> None:
    result = invoke("evaluation", "rank", "--call", "EVAL-2026", "--as", OLGA)

    assert (result.exit_code, result.stderr) == (
        2,
        "Error: The consensus is not submitted yet for: ALPHA; BETA.\n",
    )


def test_rank_selects_with_every_reason(
    invoke: Invoke, small: dict[str, int], clean_database: Database
) -> None:
    _evaluate(clean_database, small["call_id"])

    result = invoke("evaluation", "rank", "--call", "EVAL-2026", "--as", OLGA, "--format", "json")
    text = invoke("evaluation", "rank", "--call", "EVAL-2026", "--as", OLGA)

    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "call": "EVAL-2026",
        "ranking": ["ALPHA", "BETA"],
        "selected": ["ALPHA", "BETA"],
        "reserve": [],
        "out": [],
        "ties_left": [],
        "budget_used": 4000000,
        "decisions": [
            {"id": "ALPHA", "rank": 1, "outcome": "selected", "total": 85,
             "grant": 2000000, "reason": "taken in rank order"},
            {"id": "BETA", "rank": 2, "outcome": "selected", "total": 72,
             "grant": 2000000, "reason": "taken in rank order"},
        ],
    }  # fmt: skip
    assert text.stdout.splitlines() == [
        "EVAL-2026: 2 selected, 0 on the reserve list, 0 out; budget used EUR 4,000,000.",
        "  1. ALPHA total 85: selected (grant EUR 2,000,000), taken in rank order",
        "  2. BETA total 72: selected (grant EUR 2,000,000), taken in rank order",
    ]


def test_report_writes_the_ranked_list_as_xlsx_and_pdf(
    invoke: Invoke, small: dict[str, int], clean_database: Database, tmp_path: Path
) -> None:
    _evaluate(clean_database, small["call_id"])
    invoke("evaluation", "rank", "--call", "EVAL-2026", "--as", OLGA)
    (tmp_path / "out").mkdir()
    xlsx, pdf = tmp_path / "out" / "selection.xlsx", tmp_path / "selection.pdf"

    written = invoke(
        "evaluation", "report", "--call", "EVAL-2026", "--as", OLGA, "--out", str(xlsx)
    )
    invoke("evaluation", "report", "--call", "EVAL-2026", "--as", OLGA, "--out", str(pdf))

    assert (written.exit_code, written.stdout) == (0, f"Wrote {xlsx}\n")
    sheet = openpyxl.load_workbook(BytesIO(xlsx.read_bytes())).active
    assert sheet is not None
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    columns = [rows[0].index(name) for name in ("Rank", "Acronym", "Outcome", "Selection order")]
    assert [tuple(row[i] for i in columns) for row in rows] == [
        ("Rank", "Acronym", "Outcome", "Selection order"),
        (1, "ALPHA", "Selected", 1),
        (2, "BETA", "Selected", 2),
    ]
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_report_before_the_ranking_exits_2(
    invoke: Invoke, small: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "selection.xlsx"

    result = invoke("evaluation", "report", "--call", "EVAL-2026", "--as", OLGA, "--out", str(out))

    assert (result.exit_code, result.stderr) == (
        2,
        "Error: Rank the proposals before writing the ranked list.\n",
    )
    assert not out.exists()


def test_report_to_a_path_the_system_refuses_exits_2(
    invoke: Invoke, small: dict[str, int], clean_database: Database
) -> None:
    _evaluate(clean_database, small["call_id"])
    invoke("evaluation", "rank", "--call", "EVAL-2026", "--as", OLGA)

    result = invoke(
        "evaluation", "report", "--call", "EVAL-2026", "--as", OLGA, "--out", "/proc/x.pdf"
    )

    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "Error: --out: cannot write /proc/x.pdf: No such file or directory.\n",
    )


def test_report_into_a_missing_folder_exits_2_and_creates_no_folder(
    invoke: Invoke, small: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "nonexistent" / "dir" / "x.pdf"

    result = invoke("evaluation", "report", "--call", "EVAL-2026", "--as", OLGA, "--out", str(out))

    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: --out: cannot write {out}: the folder {out.parent} does not exist.\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_report_needs_xlsx_or_pdf(invoke: Invoke, small: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "selection.csv"

    result = invoke("evaluation", "report", "--call", "EVAL-2026", "--as", OLGA, "--out", str(out))

    assert (result.exit_code, result.stderr) == (
        2,
        "Error: The report cannot be written.\n"
        '  - --out: "selection.csv" must end in .xlsx or .pdf.\n',
    )
    assert not out.exists()


def test_evaluating_before_the_deadline_exits_2_naming_it(
    invoke: Invoke, small: dict[str, int], cli_database: Database
) -> None:
    with cli_database.unit_of_work() as session:
        make_call(
            session, identifier="OPEN-2099", closes_at=datetime(2099, 6, 1, 15, 0, tzinfo=UTC)
        )

    results = [
        invoke("evaluation", command, "--call", "OPEN-2099", "--as", OLGA)
        for command in ("assign", "rank")
    ]

    until = "Error: The call OPEN-2099 takes proposals until its deadline, 01 June 2099 17:00"
    assert [(r.exit_code, r.stderr) for r in results] == [
        (2, f"{until} (Europe/Brussels): experts are assigned after it.\n"),
        (2, f"{until} (Europe/Brussels): proposals are ranked after it.\n"),
    ]


def test_assigning_from_an_empty_pool_exits_2_saying_so(
    invoke: Invoke, cli_database: Database
) -> None:
    with cli_database.unit_of_work() as session:
        make_small_evaluation(session)

    result = invoke("evaluation", "assign", "--call", "EVAL-2026", "--as", OLGA)

    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "Error: There is nobody to assign: the pool of experts is empty; add experts first.\n",
    )  # fmt: skip


def test_status_says_an_expert_with_a_declared_conflict_is_replaced_once_assigned_again(
    invoke: Invoke, small: dict[str, int], clean_database: Database
) -> None:
    # The QA pass of 2026-12-07 (qa3): after the officer assigned again, the status still
    # said "off it: assign again to replace" while the web panel showed the replacement.
    with clean_database.unit_of_work() as session:
        olga = get_user_by_email(session, OLGA)
        lea = get_user_by_email(session, "lea@example.org")
        assert olga is not None
        assert lea is not None
        assignment.assign_experts(session, olga, small["call_id"], per_proposal=1, max_load=2,
                                  now=NOW, today=NOW.date())  # fmt: skip
        experts.declare_conflict(session, lea, small["ALPHA"], "I advised the coordinator")
        assignment.assign_experts(session, olga, small["call_id"], per_proposal=1, max_load=2,
                                  now=NOW, today=NOW.date())  # fmt: skip

    text = invoke("evaluation", "status", "--call", "EVAL-2026", "--as", OLGA)

    assert text.stdout.splitlines()[1] == (
        "ALPHA: Max; reports 0/1; rapporteur -; consensus not submitted; conflict declared by "
        "Lea (replaced)"
    )


def test_status_shows_a_declared_conflict_and_leaves_that_expert_out(
    invoke: Invoke, small: dict[str, int], clean_database: Database
) -> None:
    with clean_database.unit_of_work() as session:
        olga = get_user_by_email(session, OLGA)
        lea = get_user_by_email(session, "lea@example.org")
        assert olga is not None
        assert lea is not None
        assignment.assign_experts(session, olga, small["call_id"], per_proposal=1, max_load=2,
                                  now=NOW, today=NOW.date())  # fmt: skip
        experts.declare_conflict(session, lea, small["ALPHA"], "I advised the coordinator")

    text = invoke("evaluation", "status", "--call", "EVAL-2026", "--as", OLGA)
    answer = json.loads(
        invoke(
            "evaluation", "status", "--call", "EVAL-2026", "--as", OLGA, "--format", "json"
        ).stdout
    )

    assert text.stdout.splitlines()[1] == (
        "ALPHA: no experts yet; reports 0/0; rapporteur -; consensus not submitted; conflict "
        "declared by Lea (off it: assign again to replace)"
    )
    assert [
        (p["proposal"], p["experts"], p["declared_conflicts"]) for p in answer["proposals"]
    ] == [
        (
            "ALPHA",
            [],
            [{"expert": "Lea", "statement": "I advised the coordinator", "replaced": False}],
        ),
        ("BETA", ["Max"], []),
    ]


def test_status_shows_a_conflict_found_in_the_registry_and_leaves_that_expert_out(
    invoke: Invoke, small: dict[str, int], clean_database: Database
) -> None:
    with clean_database.unit_of_work() as session:
        olga = get_user_by_email(session, OLGA)
        lea = get_user_by_email(session, "lea@example.org")
        acme = get_by_pic(session, "920000001")
        assert olga is not None
        assert lea is not None
        assert acme is not None
        assignment.assign_experts(session, olga, small["call_id"], per_proposal=1, max_load=2,
                                  now=NOW, today=NOW.date())  # fmt: skip
        add_member(session, acme, lea)  # after the assignment: Lea is a user of ALPHA's partner

    text = invoke("evaluation", "status", "--call", "EVAL-2026", "--as", OLGA)
    answer = json.loads(
        invoke(
            "evaluation", "status", "--call", "EVAL-2026", "--as", OLGA, "--format", "json"
        ).stdout
    )

    assert text.stdout.splitlines()[1] == (
        "ALPHA: no experts yet; reports 0/0; rapporteur -; consensus not submitted; conflict "
        "found for Lea (is a user of Acme GmbH, a member of the consortium) (off it: assign "
        "again to replace)"
    )
    assert [
        (p["proposal"], p["experts"], p["conflicts_found"]) for p in answer["proposals"]
    ] == [
        ("ALPHA", [], [{"expert": "Lea",
                        "reason": "is a user of Acme GmbH, a member of the consortium"}]),
        ("BETA", ["Max"], []),
    ]  # fmt: skip


def test_status_prints_the_panel_dates_in_the_calls_time_zone_as_the_web_does(
    invoke: Invoke, small: dict[str, int], clean_database: Database
) -> None:
    # The QA pass of 2026-12-07: the text printed "2026-05-04T09:00+00:00" (UTC, ISO) while
    # the web wrote the call's own time, "04 May 2026, 11:00".
    _evaluate(clean_database, small["call_id"])

    text = invoke("evaluation", "status", "--call", "EVAL-2026", "--as", OLGA)
    answer = json.loads(
        invoke(
            "evaluation", "status", "--call", "EVAL-2026", "--as", OLGA, "--format", "json"
        ).stdout
    )

    assert text.stdout.splitlines()[0] == (
        "EVAL-2026 (times in Europe/Brussels): assigned 04 May 2026, 11:00; ranked -; published -"
    )
    assert answer["assigned_at"] == "2026-05-04T09:00+00:00"
