"""``clusterbridge assessments``: the label expiry reminders, once per label, and the readiness
self-assessment written as CSV or XLSX for its members only."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from clusterbridge.config import get_settings
from clusterbridge.db.models import ClusterLabel
from clusterbridge.db.session import Database
from clusterbridge.domain.assessment import LabelLevel
from tests.cli.conftest import Invoke
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.mailbox import read_mail
from tests.readiness_world import EXPECTED_CSV, make_assessed_cluster

pytestmark = [pytest.mark.e2e, pytest.mark.db]


@pytest.fixture
def configured(cli_database: Database) -> int:
    """Munich Cluster with Maria; its Gold label expires in 30 days (of the site's calendar, as
    the command counts them: in Brussels, 23:30 UTC is already the next day)."""
    today = get_settings().today(datetime.now(UTC))
    with cli_database.unit_of_work() as session:
        cluster = make_organisation(session, name="Munich Cluster")
        add_member(session, cluster, make_user(session, email="maria@munich.example", name="Maria"))
        session.add(
            ClusterLabel(
                organisation_id=cluster.id, level=LabelLevel.GOLD,
                awarded=today - timedelta(days=700), expires=today + timedelta(days=30),
            )
        )  # fmt: skip
        cluster_id = cluster.id
    return cluster_id


def test_remind_labels_mails_once(invoke: Invoke, configured: int) -> None:
    first = invoke("assessments", "remind-labels")
    again = invoke("assessments", "remind-labels")

    expires = get_settings().today(datetime.now(UTC)) + timedelta(days=30)
    assert (first.exit_code, first.stdout) == (
        0,
        f"Organisation {configured}: gold label expires {expires}\nReminders sent for 1 label(s).\n",
    )
    assert again.stdout == "Reminders sent for 0 label(s).\n"
    [mail] = read_mail(get_settings().resolved_mail_dir())
    assert mail.to == ("maria@munich.example",)
    assert mail.subject == "Your gold cluster excellence label expires in 30 days"


def test_remind_labels_refuses_a_negative_window(invoke: Invoke) -> None:
    assert invoke("assessments", "remind-labels", "--days-before", "-1").exit_code == 2


@pytest.fixture
def assessed(cli_database: Database) -> int:
    with cli_database.unit_of_work() as session:
        return make_assessed_cluster(session)


def test_export_readiness_writes_the_pages_csv(invoke: Invoke, assessed: int) -> None:
    result = invoke(
        "assessments", "export-readiness", str(assessed), "--as", "maria@munich.example"
    )

    assert (result.exit_code, result.stdout_bytes.decode("utf-8")) == (0, EXPECTED_CSV)


def test_export_readiness_writes_an_xlsx_file(
    invoke: Invoke, assessed: int, tmp_path: Path
) -> None:
    target = tmp_path / "readiness.xlsx"
    args = ("export-readiness", str(assessed), "--as", "maria@munich.example", "--format", "xlsx")

    without = invoke("assessments", *args)
    written = invoke("assessments", *args, "--output", str(target))

    assert (without.exit_code, target.exists() or written.exit_code) == (2, True)
    assert "Error: --output: an XLSX file must be written to a file" in without.stderr
    rows = list(openpyxl.load_workbook(target)["Readiness"].iter_rows(values_only=True))
    assert (len(rows), rows[-1]) == (
        11,
        ("Overall", "Overall score", None, "2 of 3 answered", None, None, None, 83.3),
    )


def test_export_readiness_is_for_the_organisations_members_only(
    invoke: Invoke, assessed: int
) -> None:
    stranger = invoke("assessments", "export-readiness", str(assessed), "--as", "sam@example.org")
    unknown = invoke("assessments", "export-readiness", str(assessed), "--as", "nobody@example.org")

    assert (stranger.exit_code, stranger.stdout, stranger.stderr) == (
        2,
        "",
        "Error: No such organisation among yours.\n",
    )
    assert (unknown.exit_code, unknown.stderr) == (
        2,
        "Error: Unknown user.\n  - --as: there is no active account for nobody@example.org.\n",
    )
