"""One catalogue everywhere (issue 18), on the command line: ``calls list``, ``calls show``,
``check --call`` and ``consortium build`` know the published calls written in the app (read from
the configured database), not the drafts. Runs on SQLite and PostgreSQL."""

import json
from pathlib import Path

import pytest

from clusterbridge.config import get_settings
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import UserRole
from tests.cli.conftest import Invoke
from tests.conftest import NOW
from tests.factories.builder import make_builder_registry
from tests.factories.calls import call_draft, make_call
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.db]

PUBLISHED = "TEST-OPEN-2025"
DRAFT = "TEST-DRAFT-2025"
FILES = [
    "SMP-COSME-2021-CLUSTER",
    "SMP-COSME-2024-CLUSTER",
    "cluster-excellence",
    "strategic-alliances-2020",
]
UNKNOWN_DRAFT = (
    f'Error: Unknown call "{DRAFT}". Known calls: SMP-COSME-2021-CLUSTER, '
    "SMP-COSME-2024-CLUSTER, TEST-OPEN-2025, cluster-excellence, strategic-alliances-2020.\n"
)


@pytest.fixture
def configured(cli_database: Database) -> Database:
    """The CLI's database: an officer's call TEST-OPEN-2025, published, without a deadline
    (two partners from two countries; strands 1 and 2), the draft TEST-DRAFT-2025, and the
    builder's small registry."""
    with cli_database.unit_of_work() as session:
        olga = make_user(
            session, email="olga@example.org", name="Olga", role=UserRole.PROGRAMME_OFFICER
        )
        make_call(session, officer=olga, draft=call_draft(deadline=None), published_at=NOW)
        make_call(session, officer=olga, draft=call_draft(identifier=DRAFT))
        make_builder_registry(session)
    return cli_database


def test_calls_list_has_the_published_call_not_the_draft(
    invoke: Invoke, configured: Database
) -> None:
    result = invoke("calls", "list", "--format", "json")

    assert result.exit_code == 0, result.stderr
    listed = {c["id"]: c["status"] for c in json.loads(result.stdout)}
    assert sorted(listed) == sorted([*FILES, PUBLISHED])
    assert listed[PUBLISHED] == "no_deadline"


def test_calls_show_shows_the_published_call(invoke: Invoke, configured: Database) -> None:
    result = invoke("calls", "show", "test-open-2025", "--format", "json")

    assert result.exit_code == 0, result.stderr
    shown = json.loads(result.stdout)
    assert (shown["id"], shown["title"]) == (PUBLISHED, "Open call for cluster partnerships")
    assert [(rule["id"], rule["title"]) for rule in shown["rules"]] == [
        ("two-partners", "At least two partners"),
        ("two-countries", "Partners from at least two countries"),
        ("stated-duration", "The project lasts 12–36 months"),
    ]


def test_calls_show_does_not_know_a_draft(invoke: Invoke, configured: Database) -> None:
    result = invoke("calls", "show", DRAFT)

    assert (result.exit_code, result.stderr) == (2, UNKNOWN_DRAFT)


def test_check_against_the_published_call(
    invoke: Invoke, configured: Database, template: Path
) -> None:
    result = invoke(
        "check", str(template), "--call", PUBLISHED, "--strand", "1",
        "--duration-months", "24", "--requested-grant", "300000", "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert (report["call"]["id"], report["verdict"]) == (PUBLISHED, "eligible")
    assert (report["findings"][-1]["rule"], report["findings"][-1]["status"]) == (
        "stated-duration",
        "pass",
    )


def test_check_does_not_know_a_draft(invoke: Invoke, configured: Database, template: Path) -> None:
    result = invoke("check", str(template), "--call", DRAFT)

    assert (result.exit_code, result.stderr) == (2, UNKNOWN_DRAFT)


def test_consortium_build_proposes_for_the_published_call(
    invoke: Invoke, configured: Database
) -> None:
    result = invoke(
        "consortium", "build", "--call", PUBLISHED, "--strand", "1", "--duration-months", "24",
        "--max-partners", "2", "--proposals", "1", "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    [proposal] = answer["proposals"]
    assert (answer["call_id"], proposal["report"]["verdict"]) == (PUBLISHED, "eligible")


def test_without_a_database_the_call_files_alone(
    invoke: Invoke, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CLUSTERBRIDGE_DATABASE_URL", raising=False)
    get_settings.cache_clear()

    result = invoke("calls", "list", "--format", "json")
    get_settings.cache_clear()

    assert [c["id"] for c in json.loads(result.stdout)] == FILES
    assert not data_dir.exists()
