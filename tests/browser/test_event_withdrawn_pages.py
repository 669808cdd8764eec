"""The organiser's pages of an event where one participant withdrew and another was rejected,
on a phone (390 px) and a laptop (1280 px): each status reads as what happened, the withdrawn
registration offers no decision, and the pages fit the screen and pass axe."""

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType, ParticipantStatus, UserRole
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.browser.test_pages import serious_violations
from tests.factories.events import add_participant, make_event, make_person
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

ORGANISER = "olga@events.example"
WITHDREW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
#: Where to keep screenshots of the pages for a person to look at; unset: none are taken.
SCREENSHOTS = os.environ.get("CLUSTERBRIDGE_TEST_SCREENSHOTS")


@pytest.fixture
def event(live_database: Database) -> int:
    """An open event run by Olga: Ana validated, Ben withdrawn on 2025-03-01, Cleo rejected by
    the organiser (an organisation with a long name)."""
    with live_database.unit_of_work() as session:
        olga = make_person(
            session, email=ORGANISER, name="Olga Organiser", role=UserRole.EVENT_ORGANISER
        )
        row = make_event(session, organiser=olga)
        people = (
            ("Ana", "Ana Textiles GmbH", ParticipantStatus.VALIDATED),
            ("Ben", "Ben Sensors Oy", ParticipantStatus.WITHDRAWN),
            (
                "Cleo",
                "Cleo Advanced Manufacturing Technologies Cooperative",
                ParticipantStatus.REJECTED,
            ),
        )
        for name, organisation, status in people:
            user = make_person(session, email=f"{name.lower()}@example.org", name=name)
            org = make_organisation(session, name=organisation, type=OrgType.SME, nuts=None)
            participant = add_participant(session, row, user=user, organisation=org)
            participant.status = status
            participant.withdrawn_at = WITHDREW if status is ParticipantStatus.WITHDRAWN else None
        return row.id


@pytest.mark.parametrize("width", [390, 1280])
def test_the_organiser_reads_withdrawn_and_rejected_apart_on_the_event_pages(
    live_server: LiveServer, browser: Browser, axe_source: str, event: int, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, ORGANISER)

    page.goto(f"{live_server.url}/events/{event}/manage")
    assert_fits(page)
    rows = page.get_by_test_id("registration")
    ben = page.locator('[data-testid="registration"][data-organisation="Ben Sensors Oy"]')
    cleo = page.locator('[data-testid="registration"][data-status="rejected"]')

    expect(rows).to_have_count(3)
    expect(ben.locator(".badge")).to_have_text("Withdrawn")
    expect(ben.get_by_test_id("withdrawn-on")).to_have_text("on 2025-03-01")
    expect(ben.get_by_role("button")).to_have_count(0)
    expect(cleo.locator(".badge")).to_have_text("Rejected")
    expect(cleo.get_by_test_id("validate-participant")).to_be_visible()
    assert serious_violations(page, axe_source, skip=[]) == []
    _screenshot(page, f"manage-{width}")

    page.goto(f"{live_server.url}/events/{event}/participants")
    assert_fits(page)
    cards = page.get_by_test_id("participant-card")
    expect(cards.locator(".badge")).to_have_text(["Validated", "Withdrawn", "Rejected"])
    assert serious_violations(page, axe_source, skip=[]) == []
    _screenshot(page, f"participants-{width}")
    context.close()


def _screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"withdrawn-{name}.png"), full_page=True)
