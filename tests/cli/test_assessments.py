"""``clusterbridge assessments remind-labels``: the expiry reminders, once per label."""

from datetime import UTC, datetime, timedelta

import pytest

from clusterbridge.config import get_settings
from clusterbridge.db.models import ClusterLabel
from clusterbridge.db.session import Database
from clusterbridge.domain.assessment import LabelLevel
from tests.cli.conftest import Invoke
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.mailbox import read_mail

pytestmark = [pytest.mark.e2e, pytest.mark.db]


@pytest.fixture
def configured(cli_database: Database) -> int:
    """Munich Cluster with Maria; its Gold label expires in 30 days."""
    today = datetime.now(UTC).date()
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

    expires = datetime.now(UTC).date() + timedelta(days=30)
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
