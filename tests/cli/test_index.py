"""``clusterbridge index build`` and ``status``: the shared partner-matching index."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from clusterbridge.config import get_settings
from clusterbridge.db.session import Database
from tests.cli.conftest import Invoke
from tests.factories.matching import make_matching_registry

pytestmark = [pytest.mark.e2e, pytest.mark.db]


@pytest.fixture
def registry(cli_database: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The matching registry in the CLI's configured database."""
    monkeypatch.setenv("CLUSTERBRIDGE_MATCHING_EMBEDDINGS", "false")
    get_settings.cache_clear()
    with cli_database.unit_of_work() as session:
        make_matching_registry(session)
    yield cli_database
    get_settings.cache_clear()


def test_index_build_builds_then_finds_it_up_to_date(
    invoke: Invoke, registry: Database, data_dir: Path
) -> None:
    before = invoke("index", "status")
    first = invoke("index", "build", "--format", "json")
    second = invoke("index", "build")
    status = invoke("index", "status", "--format", "json")

    built = json.loads(first.stdout)
    shown = json.loads(status.stdout)
    assert before.stdout == (
        "No partner-matching index has been built yet (run: clusterbridge index build).\n"
    )
    assert (built["action"], built["organisations"]) == ("built", 4)
    assert second.stdout.startswith(
        f"Partner-matching index is up to date: 4 organisations, version {built['version']} ("
    )
    assert (shown["version"], shown["organisations"], shown["building"]) == (
        built["version"],
        4,
        False,
    )
    assert sorted(p.name for p in (data_dir / "cache" / "match-index").iterdir()) == [
        "current.json",
        built["version"],
    ]


def test_index_build_no_wait_queues_one_job_at_a_time(invoke: Invoke, registry: Database) -> None:
    first = invoke("index", "build", "--no-wait")
    second = invoke("index", "build", "--no-wait")
    listed = invoke("jobs", "list")

    job_id = first.stdout.split()[1]
    assert (first.exit_code, first.stdout) == (
        0,
        f"Job {job_id} queued: clusterbridge jobs wait {job_id}\n",
    )
    assert second.stdout == "An index build is already queued or running; nothing queued.\n"
    assert listed.stdout == f"{job_id}\tqueued\tindex.build\t0/3\n"
