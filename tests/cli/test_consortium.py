"""``clusterbridge consortium build`` and ``complete`` on a small registry."""

import json
import re
from pathlib import Path

import pytest

from clusterbridge.db.session import Database
from tests.cli.conftest import Invoke
from tests.factories.builder import make_builder_registry

pytestmark = [pytest.mark.e2e, pytest.mark.db]


@pytest.fixture
def registry(cli_database: Database) -> Database:
    """The builder registry in the CLI's configured database."""
    with cli_database.unit_of_work() as session:
        make_builder_registry(session)
    return cli_database


def test_consortium_build_prints_proposals_as_json(
    invoke: Invoke, registry: Database, tmp_path: Path
) -> None:
    idea = tmp_path / "idea.txt"
    idea.write_text("hydrogen electrolysers\n", encoding="utf-8")

    result = invoke(
        "consortium", "build", "--call", "SMP-COSME-2024-CLUSTER", "--strand", "1",
        "--idea", str(idea), "--max-partners", "4", "--proposals", "1",
        "--duration-months", "24", "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    [proposal] = answer["proposals"]
    assert (answer["mode"], answer["stopped"], proposal["optimal"]) == ("build", "optimal", True)
    assert sorted(a["id"] for a in proposal["added"]) == [
        "200000001", "200000002", "200000003", "200000005",
    ]  # fmt: skip
    assert proposal["report"]["verdict"] == "eligible"


def test_consortium_build_prints_text(invoke: Invoke, registry: Database) -> None:
    result = invoke(
        "consortium", "build", "--call", "SMP-COSME-2024-CLUSTER", "--strand", "1",
        "--max-partners", "3", "--proposals", "1",
    )  # fmt: skip

    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    # The command runs on today's clock: the call closed on 5 February 2025.
    assert lines[:3] == [
        "Proposals for SMP-COSME-2024-CLUSTER, strand 1: shortlist of 5 of 7 organisations.",
        "Note: SMP-COSME-2024-CLUSTER closed on 05 February 2025 (its deadline passed): it takes "
        "no more proposals, so these are for practice.",
        "Note: No idea given: relevance is measured against the call's topic.",
    ]
    assert re.fullmatch(
        r"1\. incomplete: proven optimal over the shortlist in \d+\.\d\d s; partners' mean "
        r"match 18/100 \(weak\), they help 4 of the call's 9 rules",
        lines[4],
    )
    # Matched against the call's topic (no idea): (53 + 0 + 0) / 3.
    assert [line for line in lines if line.startswith("   + ")] == [
        "   + Podkarpackie Hydrogen Cluster (PL), PIC 200000001, match 53/100 (good), helps 4 rules",
        "   + Lyon Hydrogen Cluster (FR), PIC 200000003, match 0/100 (weak), helps 3 rules",
        "   + Lisbon Cork Cluster (PT), PIC 200000004, match 0/100 (weak), helps 2 rules",
    ]


def test_consortium_complete_swaps_a_partner(
    invoke: Invoke, registry: Database, tmp_path: Path
) -> None:
    team = tmp_path / "team.csv"
    team.write_text(
        "id,role\n200000002,coordinator\n200000003,beneficiary\n200000007,beneficiary\n",
        encoding="utf-8",
    )

    result = invoke(
        "consortium", "complete", str(team), "--call", "SMP-COSME-2024-CLUSTER", "--strand", "1",
        "--options", "1", "--format", "json",
    )  # fmt: skip

    assert (result.exit_code, result.stderr) == (0, "")
    [option] = json.loads(result.stdout)["proposals"]
    assert ([a["id"] for a in option["added"]], [r["id"] for r in option["removed"]]) == (
        ["200000001"], ["200000007"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--max-partners", "0"), "--max-partners: must be between 1 and 30, not 0"),
        (("--strand", "7"), 'strand: "7" is not a strand of SMP-COSME-2024-CLUSTER'),
        (
            ("--idea", "/nonexistent/idea.txt"),
            "Error: --idea: no such file: /nonexistent/idea.txt.",
        ),
    ],
)
def test_consortium_build_refuses_bad_input_with_status_2(
    invoke: Invoke, registry: Database, args: tuple[str, ...], message: str
) -> None:
    result = invoke("consortium", "build", "--call", "SMP-COSME-2024-CLUSTER", *args)

    assert result.exit_code == 2
    assert message in result.stderr


def test_consortium_build_no_wait_queues_a_job_and_prints_its_id(
    invoke: Invoke, registry: Database
) -> None:
    result = invoke(
        "consortium", "build", "--call", "SMP-COSME-2024-CLUSTER", "--strand", "1", "--no-wait"
    )
    job_id = result.stdout.split()[1]
    shown = invoke("jobs", "show", job_id, "--json")

    assert (result.exit_code, result.stdout) == (
        0,
        f"Job {job_id} queued: clusterbridge jobs wait {job_id}\n",
    )
    assert (shown.exit_code, json.loads(shown.stdout)["kind"]) == (3, "builder.build")
    assert json.loads(shown.stdout)["state"] == "queued"


def test_consortium_build_with_bad_input_queues_no_job(invoke: Invoke, registry: Database) -> None:
    result = invoke("consortium", "build", "--call", "NO-SUCH-CALL", "--no-wait")
    listed = invoke("jobs", "list")

    assert (result.exit_code, listed.stdout) == (2, "")
