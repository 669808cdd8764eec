"""``clusterbridge services import|export``: a project's deliveries from a CSV or XLSX file,
all or nothing (bad rows: exit 2 naming row, field and reason), and back out."""

from datetime import date
from pathlib import Path

import pytest

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType
from clusterbridge.domain.sme_services import ServiceKind, ServiceUnit
from clusterbridge.services.workbooks import read_xlsx_rows
from tests.cli.conftest import Invoke
from tests.factories.organisations import make_organisation
from tests.factories.sme_services import make_project, make_service

pytestmark = [pytest.mark.e2e, pytest.mark.db]

HEADER = "service,date,quantity,unit,organisation,delivered_by,person,follow_up,participants\n"


@pytest.fixture
def configured(cli_database: Database) -> tuple[int, int]:
    """Project EMA of Mobility Cluster, with an audit (hours) and a course (days); Tiny
    Tools is an SME."""
    with cli_database.unit_of_work() as session:
        cluster = make_organisation(session, name="Mobility Cluster")
        sme = make_organisation(session, name="Tiny Tools", type=OrgType.SME)
        project = make_project(session, coordinator=cluster, start=date(2025, 1, 1))
        make_service(session, project, name="Audit")
        make_service(
            session, project, name="Course", kind=ServiceKind.TRAINING, unit=ServiceUnit.DAYS
        )
        ids = (cluster.id, sme.id)
    return ids


def test_a_bad_file_writes_nothing_and_a_good_one_exports_back(
    invoke: Invoke, configured: tuple[int, int], tmp_path: Path
) -> None:
    cluster, sme = configured
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"{HEADER}Audit,2025-03-04,2,,{sme},{cluster},,,\nAudit,2025-03-05,two,,{sme},{cluster},,,\n"
    )
    good = tmp_path / "good.csv"
    good.write_text(
        f"{HEADER}Audit,2025-03-04,2,,{sme},{cluster},Eva,,\n"
        f'Course,2025-04-01,0.5,,,{cluster},,,"{sme}: 3; Rui"\n'
    )

    refused = invoke("services", "import", str(bad), "--project", "ema")
    empty = invoke("services", "export", "--project", "EMA")
    imported = invoke("services", "import", str(good), "--project", "ema")
    csv_out = invoke("services", "export", "--project", "EMA", "--format", "csv")
    xlsx_path = tmp_path / "deliveries.xlsx"
    xlsx_out = invoke(
        "services", "export", "--project", "EMA", "--format", "xlsx", "-o", str(xlsx_path)
    )
    unknown = invoke("services", "export", "--project", "NOPE")

    assert refused.exit_code == 2
    assert refused.stderr == (
        "Error: bad.csv has problems; nothing was imported.\n"
        '  - line 3, quantity: "two" is not a number.\n'
    )
    assert empty.stdout.splitlines()[1:] == []
    assert (imported.exit_code, imported.stdout) == (0, "2 deliveries recorded for EMA.\n")
    rows = csv_out.stdout.splitlines()[1:]
    assert [row.split(",")[:6] for row in rows] == [
        ["Audit", "2025-03-04", "2.00", "hours", str(sme), str(cluster)],
        ["Course", "2025-04-01", "0.50", "days", "", str(cluster)],
    ]
    assert xlsx_out.exit_code == 0
    assert [row[0] for row in read_xlsx_rows(xlsx_path, max_rows=5)] == [
        "service",
        "Audit",
        "Course",
    ]
    assert (unknown.exit_code, unknown.stderr) == (2, 'Error: No project has the acronym "NOPE".\n')


def test_an_xlsx_export_without_output_is_refused(
    invoke: Invoke, configured: tuple[int, int]
) -> None:
    result = invoke("services", "export", "--project", "EMA", "--format", "XLSX")

    assert (result.exit_code, result.stdout_bytes, result.stderr) == (
        2,
        b"",
        "Error: --output: an XLSX file must be written to a file; give --output FILE.\n",
    )
