"""Issue 19's outcome ledger in a real browser, on a phone (390 px) and a desktop (1280 px):
four weeks after Alice (Alpha Tools) met Bob at an event, the follow-up mail's one-click link
opens without signing in with her answer chosen; she names the consortium it led to and
confirms; the link is then used up, and the outcome shows on Alpha Tools' outcomes page. No
page may scroll sideways."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from clusterbridge.db.models import ConsortiumPartner
from clusterbridge.domain.enums import OrgType
from clusterbridge.services.mail import FileMailer
from clusterbridge.services.monitoring import FollowUpMail, send_follow_ups
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.conftest import NOW
from tests.factories.consortia import make_consortium
from tests.factories.events import add_meeting, add_participant, make_event
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.mailbox import read_mail

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]


@pytest.fixture
def story(live_server: LiveServer) -> int:
    """The meeting four weeks before the tests' clock, its week-2 follow-ups mailed."""
    with live_server.database.unit_of_work() as session:  # its mail goes after the commit
        alice = make_user(session, email="alice@alpha.example", name="Alice")
        bob = make_user(session, email="bob@beta.example", name="Bob")
        alpha = make_organisation(session, name="Alpha Tools", type=OrgType.SME)
        beta = make_organisation(session, name="Beta Bits", type=OrgType.SME)
        add_member(session, alpha, alice)
        add_member(session, beta, bob)
        consortium = make_consortium(session, owner=alice, name="Smart Looms Eurocluster")
        session.add(ConsortiumPartner(consortium=consortium, organisation=alpha, position=1))
        event = make_event(session, organiser=bob, name="Textile meets Tech")
        a = add_participant(session, event, user=alice, organisation=alpha)
        b = add_participant(session, event, user=bob, organisation=beta)
        add_meeting(session, event, requester=a, recipient=b, starts_at=NOW - timedelta(weeks=4))
        mail = FollowUpMail(
            FileMailer(live_server.mail_dir, "noreply@example.org"), live_server.url, (2, 6),
            timedelta(days=60),
        )  # fmt: skip
        send_follow_ups(session, mail, now=NOW, today=NOW.date())
        return alpha.id


@pytest.fixture(
    params=[{"width": 390, "height": 844}, {"width": 1280, "height": 900}], ids=["390px", "1280px"]
)
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport=request.param)
    yield context.new_page()
    context.close()


def test_a_follow_up_is_answered_by_its_link(
    live_server: LiveServer, story: int, page: Page
) -> None:
    [mail] = [m for m in read_mail(live_server.mail_dir) if m.to == ("alice@alpha.example",)]
    link = re.search(r"(\S+/followups/\S+\?answer=technical_cooperation)", mail.body)
    assert link is not None
    page.goto(link.group(1))
    expect(page.get_by_role("heading", name="What came of it?")).to_be_visible()
    expect(page.get_by_label("A technical cooperation")).to_be_checked()
    assert_fits(page)
    page.get_by_label("The consortium it led to (optional)").select_option(
        label="Smart Looms Eurocluster"
    )
    page.get_by_label("A note (optional)").fill("A pilot with their looms.")
    page.get_by_test_id("confirm-outcome").click()
    expect(page.get_by_test_id("outcome-recorded")).to_be_visible()
    assert_fits(page)

    page.goto(link.group(1))
    expect(page.get_by_role("heading", name="What came of it?")).to_have_count(0)

    sign_in(page, live_server.url, "alice@alpha.example")
    page.goto(f"{live_server.url}/organisations/{story}")
    page.get_by_test_id("outcomes-link").click()
    outcomes = page.get_by_test_id("outcomes")
    expect(outcomes).to_contain_text("A technical cooperation")
    expect(outcomes).to_contain_text("Consortium: Smart Looms Eurocluster")
    expect(outcomes).to_contain_text("A pilot with their looms.")
    expect(outcomes).to_contain_text("Your meeting with Beta Bits at Textile meets Tech")
    assert_fits(page)
