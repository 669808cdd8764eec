"""Issue 19's "done when" in a real browser, at 1280 px: four weeks after Alice (Alpha Tools)
met Bob (Beta Bits) at an event linked to the LOOMS project, both answer their follow-up links
with a commercial agreement; Maria, of the coordinating cluster, opens the project's
indicators dashboard, which counts one meeting, one agreement (both sides reported it) and two
SMEs; the XLSX she downloads holds the page's figures."""

import io
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from clusterbridge.domain.enums import OrgType
from clusterbridge.domain.indicators import IndicatorSource
from clusterbridge.domain.monitoring import ProjectKind
from clusterbridge.services import monitoring
from clusterbridge.services.mail import FileMailer
from tests.browser.conftest import LiveServer
from tests.browser.helpers import sign_in
from tests.conftest import NOW
from tests.factories.events import add_meeting, add_participant, make_event
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.mailbox import read_mail

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

INDICATORS = (
    ("Meetings held", IndicatorSource.MEETINGS_HELD),
    ("Agreements and cooperations", IndicatorSource.OUTCOMES),
    ("SMEs supported", IndicatorSource.SMES_SUPPORTED),
)


@pytest.fixture
def project(live_server: LiveServer) -> int:
    """The meeting four weeks before the clock, its week-2 follow-ups mailed; the project
    (yearly periods from 2024-06-01) counts the event and has three computed indicators."""
    with live_server.database.unit_of_work() as session:  # its mail goes after the commit
        people = {
            n: make_user(session, email=f"{n}@example.org", name=n.title())
            for n in ("alice", "bob", "maria")
        }
        alpha = make_organisation(session, name="Alpha Tools", type=OrgType.SME)
        beta = make_organisation(session, name="Beta Bits", type=OrgType.SME)
        cluster = make_organisation(session, name="Loom Cluster")
        for org, who in ((alpha, "alice"), (beta, "bob"), (cluster, "maria")):
            add_member(session, org, people[who])
        held = NOW - timedelta(weeks=4)
        event = make_event(
            session, organiser=people["maria"], name="Textile meets Tech",
            sessions=((held - timedelta(hours=1), held + timedelta(hours=2)),),
        )  # fmt: skip
        a = add_participant(session, event, user=people["alice"], organisation=alpha)
        b = add_participant(session, event, user=people["bob"], organisation=beta)
        add_meeting(session, event, requester=a, recipient=b, starts_at=held)
        mail = monitoring.FollowUpMail(
            FileMailer(live_server.mail_dir, "noreply@example.org"),
            live_server.url,
            (2, 6),
            timedelta(days=60),
        )
        monitoring.send_follow_ups(session, mail, now=NOW, today=NOW.date())
        draft = monitoring.ProjectDraft(
            name="Smart looms alliance", acronym="LOOMS", kind=ProjectKind.STRATEGIC_ALLIANCE,
            start_date=date(2024, 6, 1), end_date=date(2026, 5, 31), period_months=12, coordinator_id=cluster.id,
        )  # fmt: skip
        project = monitoring.create_project(session, people["maria"], draft)
        monitoring.link_activity(
            session, people["maria"], project.id, monitoring.LinkKind.EVENT, event.id
        )
        for name, source in INDICATORS:
            monitoring.create_indicator(
                session, people["maria"], project.id,
                monitoring.IndicatorDraft(name=name, unit="count", source=source, target=Decimal(4)),
            )  # fmt: skip
        return project.id


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield context.new_page()
    context.close()


def _answer(page: Page, link: str) -> None:
    page.goto(link)
    expect(page.get_by_label("A commercial agreement")).to_be_checked()
    page.get_by_test_id("confirm-outcome").click()
    expect(page.get_by_test_id("outcome-recorded")).to_be_visible()


def test_answered_follow_ups_show_on_the_dashboard_and_in_the_xlsx(
    live_server: LiveServer, project: int, page: Page
) -> None:
    for mail in read_mail(live_server.mail_dir):
        link = re.search(r"(\S+/followups/\S+\?answer=commercial_agreement)", mail.body)
        assert link is not None
        _answer(page, link.group(1))

    sign_in(page, live_server.url, "maria@example.org")
    page.goto(f"{live_server.url}/projects/{project}")
    page.get_by_test_id("indicators-link").click()
    expect(page.get_by_role("heading", name="LOOMS: indicators")).to_be_visible()
    totals = [page.locator("[data-testid^=total-]").nth(n).inner_text() for n in range(3)]
    tables = page.locator("[data-testid^=values-]")
    shown = [
        [cell.inner_text() for cell in row.locator("td").all()]
        for n in range(3)
        for row in tables.nth(n).locator("tbody tr").all()
    ]
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))["Indicators"]
    rows = list(sheet.iter_rows(values_only=True))[1:]

    assert totals == ["1 of 4 (25.0 %)", "1 of 4 (25.0 %)", "2 of 4 (50.0 %)"]
    assert [(r[0], r[3], r[6], r[7], r[8]) for r in rows] == [
        ("Meetings held", "P1", None, None, 1),
        ("Meetings held", "To date", None, 4, 1),
        ("Agreements and cooperations", "P1", None, None, 1),
        ("Agreements and cooperations", "P1", "A commercial agreement", None, 1),
        ("Agreements and cooperations", "P1", "A joint application for funding", None, 0),
        ("Agreements and cooperations", "P1", "A research cooperation", None, 0),
        ("Agreements and cooperations", "P1", "A technical cooperation", None, 0),
        ("Agreements and cooperations", "To date", None, 4, 1),
        ("Agreements and cooperations", "To date", "A commercial agreement", None, 1),
        ("Agreements and cooperations", "To date", "A joint application for funding", None, 0),
        ("Agreements and cooperations", "To date", "A research cooperation", None, 0),
        ("Agreements and cooperations", "To date", "A technical cooperation", None, 0),
        ("SMEs supported", "P1", None, None, 2),
        ("SMEs supported", "To date", None, 4, 2),
    ]
    # The periods' days are dates in the file (the page writes them YYYY-MM-DD).
    assert all(isinstance(r[4], datetime) and isinstance(r[5], datetime) for r in rows)
    # The page's tables hold the figures of the file's rows without a group.
    main = [r for r in rows if r[6] is None]
    assert shown == [
        [r[3], f"{r[4]:%Y-%m-%d} – {r[5]:%Y-%m-%d}", "–" if r[7] is None else str(r[7]), str(r[8]),
         "–" if r[9] is None else f"{Decimal(r[9]):.1f} %"]
        for r in main
    ]  # fmt: skip
