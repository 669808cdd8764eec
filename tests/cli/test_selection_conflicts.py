"""``clusterbridge selection conflicts`` against the configured registry."""

import json
from datetime import date
from pathlib import Path

import pytest

from clusterbridge.db.models import Participation, Project
from clusterbridge.db.session import Database
from tests.cli.conftest import Invoke
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.e2e, pytest.mark.db]


@pytest.fixture
def registry(cli_database: Database) -> Database:
    """Acme (PIC 900000001) and Delta (900000004), partners in HYDRA until 2023-06-30."""
    with cli_database.unit_of_work() as session:
        acme = make_organisation(session, name="Acme GmbH", pic="900000001")
        delta = make_organisation(session, name="Delta BV", pic="900000004")
        project = Project(
            grant_id="101", acronym="HYDRA", title="Hydra", start_date=date(2020, 1, 1),
            end_date=date(2023, 6, 30), participations=[],
        )  # fmt: skip
        session.add(project)
        session.flush()
        session.add_all(
            Participation(project=project, organisation=o, role="participant")
            for o in (acme, delta)
        )
    return cli_database


def write(tmp_path: Path) -> Path:
    path = tmp_path / "pool.json"
    document = {
        "experts": [{"id": "ana", "organisation": "900000004"}, {"id": "ben", "organisation": "900000001"}],
        "proposals": [{"id": "P1", "members": ["900000001"]}],
    }  # fmt: skip
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_conflicts_prints_each_with_its_reason(
    invoke: Invoke, registry: Database, tmp_path: Path
) -> None:
    result = invoke("selection", "conflicts", str(write(tmp_path)), "--on", "2025-02-05")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "ana / P1: their organisation worked with Acme GmbH, a member of the consortium, in the "
        "project HYDRA (2020-01-01 to 2023-06-30)",
        "ben / P1: works for Acme GmbH, a member of the consortium",
        "2 conflicts of interest.",
    ]


def test_conflicts_json_after_the_window(
    invoke: Invoke, registry: Database, tmp_path: Path
) -> None:
    result = invoke(
        "selection", "conflicts", str(write(tmp_path)), "--on", "2026-07-01", "--format", "json"
    )

    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "conflicts": [
            {
                "expert": "ben", "proposal": "P1", "kind": "same_organisation",
                "reason": "works for Acme GmbH, a member of the consortium",
            }
        ]
    }  # fmt: skip


def test_conflicts_refuses_a_bad_date(invoke: Invoke, registry: Database, tmp_path: Path) -> None:
    result = invoke("selection", "conflicts", str(write(tmp_path)), "--on", "5 Feb")

    assert result.exit_code == 2
    assert result.stderr.splitlines() == ['Error: --on: "5 Feb" is not a date (YYYY-MM-DD).']
