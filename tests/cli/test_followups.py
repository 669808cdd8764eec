"""``clusterbridge followups send``: the due follow-ups, once each, at ``--now`` or now."""

from datetime import UTC, datetime

import pytest

from clusterbridge.config import get_settings
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType
from tests.cli.conftest import Invoke
from tests.factories.events import add_meeting, add_participant, make_event
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user
from tests.mailbox import read_mail

pytestmark = [pytest.mark.e2e, pytest.mark.db]
MET = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def configured(cli_database: Database) -> tuple[int, int]:
    """Alice (Alpha Tools, an SME) met Bob (Beta Bits, a large company) on 2026-03-10."""
    with cli_database.unit_of_work() as session:
        alice = make_user(session, email="alice@alpha.example", name="Alice")
        bob = make_user(session, email="bob@beta.example", name="Bob")
        alpha = make_organisation(session, name="Alpha Tools", type=OrgType.SME)
        beta = make_organisation(session, name="Beta Bits", type=None)
        beta.is_sme = False
        event = make_event(session, organiser=bob)
        a = add_participant(session, event, user=alice, organisation=alpha)
        b = add_participant(session, event, user=bob, organisation=beta)
        meeting = add_meeting(session, event, requester=a, recipient=b, starts_at=MET)
        ids = (meeting.id, alpha.id)
    return ids


def test_send_mails_each_due_follow_up_once(invoke: Invoke, configured: tuple[int, int]) -> None:
    meeting, alpha = configured
    early = invoke("followups", "send", "--now", "2026-03-23T09:00")
    first = invoke("followups", "send", "--now", "2026-03-24T09:00")
    again = invoke("followups", "send", "--now", "2026-03-30T09:00")
    later = invoke("followups", "send", "--now", "2026-04-21T09:00")

    assert (early.exit_code, early.stdout) == (0, "Follow-ups sent: 0.\n")
    assert (first.exit_code, first.stdout) == (
        0,
        f"Week 2 follow-up of meeting {meeting}: organisation {alpha}\nFollow-ups sent: 1.\n",
    )
    assert again.stdout == "Follow-ups sent: 0.\n"
    assert later.stdout == (
        f"Week 6 follow-up of meeting {meeting}: organisation {alpha}\nFollow-ups sent: 1.\n"
    )
    mails = read_mail(get_settings().resolved_mail_dir())
    assert [(m.to, m.subject) for m in mails] == [
        (("alice@alpha.example",), "What came of it?")
    ] * 2


def test_send_refuses_a_bad_time(invoke: Invoke) -> None:
    assert invoke("followups", "send", "--now", "soon").exit_code == 2


def test_the_weeks_setting_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTERBRIDGE_FOLLOWUP_WEEKS", "[6, 2]")
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="different weeks in increasing order"):
        get_settings()
    get_settings.cache_clear()
