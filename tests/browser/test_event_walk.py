"""What the walk of the event flow of 2026-12-07 found, in a real browser on a phone (390 px) and
a laptop (1280 px): an action sent in place leaves the focus on the line saying what it did,
not on the page's body; the report's charts show their labels whole."""

from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.repositories.events import get_event
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import MeetingStatus
from tests.browser.conftest import LiveServer
from tests.browser.helpers import ON_EACH_SCREEN, assert_fits, open_signed_in, sign_in
from tests.factories.events import RULES_ORGANISER, add_meeting, make_participants, make_rules_world

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]


@pytest.fixture
def world(live_database: Database) -> dict[str, Any]:
    """Wanda and Bob validated and meeting; Carl asked Wanda for a meeting."""
    with live_database.unit_of_work() as session:
        ids: dict[str, Any] = dict(make_rules_world(session))
        event = get_event(session, ids["event"])
        assert event is not None
        event.meetings[0].responded_at = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
        wanda = next(p for p in event.participants if p.id == ids["wanda"])
        (carl,) = make_participants(session, event, "Carl")
        add_meeting(session, event, requester=carl, recipient=wanda, status=MeetingStatus.REQUESTED)
        return ids


@ON_EACH_SCREEN
def test_accepting_a_request_by_keyboard_leaves_the_focus_on_what_was_done(
    page: Page, live_server: LiveServer, world: dict[str, Any], screen: dict
) -> None:
    open_signed_in(page, live_server.url, "wanda@example.org",
                   f"/events/{world['event']}/meetings", screen=screen)  # fmt: skip
    accept = page.get_by_role("button", name="Accept the request of Carl GmbH")
    accept.focus()

    page.keyboard.press("Enter")

    done = page.get_by_test_id("meetings-done")
    expect(done).to_have_text("You accepted the request of Carl GmbH.")
    expect(done).to_be_focused()
    expect(page.locator('[data-testid="accepted-meeting"][data-with="Carl GmbH"]')).to_have_count(1)
    assert_fits(page)


@ON_EACH_SCREEN
def test_requesting_a_meeting_leaves_the_focus_on_the_cards_new_state(
    page: Page, live_server: LiveServer, world: dict[str, Any], screen: dict
) -> None:
    open_signed_in(page, live_server.url, "bob@example.org",
                   f"/events/{world['event']}/participants", screen=screen)  # fmt: skip
    page.get_by_label("Message to Carl GmbH").fill("Sensors for your looms?")

    page.get_by_role("button", name="Request a meeting with Carl GmbH").click()

    card = page.locator('[data-testid="participant-card"][data-participant="Carl GmbH"]')
    expect(card.get_by_test_id("request-state")).to_be_focused()
    expect(card.get_by_test_id("request-state")).to_have_text("Request pending — see my requests")
    assert_fits(page)


@ON_EACH_SCREEN
def test_the_reports_chart_labels_are_whole(
    page: Page, live_server: LiveServer, world: dict[str, Any], screen: dict
) -> None:
    # The walk: "Held, nothing further" read "eld, nothing further", cut at the chart's edge.
    page.set_viewport_size(screen)
    sign_in(page, live_server.url, RULES_ORGANISER)

    page.goto(f"{live_server.url}/events/{world['event']}/report")

    cut = page.evaluate(
        """() => [...document.querySelectorAll("svg.chart text[text-anchor='end']")]
            .filter((label) => label.getBBox().x < 0).map((label) => label.textContent)"""
    )
    assert cut == []
    expect(page.locator("svg.chart g[data-label='Held, nothing further']")).to_have_count(1)
    assert_fits(page)


@ON_EACH_SCREEN
def test_a_refused_new_events_problems_link_to_their_fields(
    page: Page, live_server: LiveServer, world: dict[str, Any], screen: dict
) -> None:
    open_signed_in(page, live_server.url, RULES_ORGANISER, "/events", screen=screen)
    page.get_by_test_id("event-name").fill("")
    page.get_by_test_id("session-date").fill("")

    page.get_by_test_id("create-event").click()

    box = page.get_by_test_id("page-error")
    expect(box).to_be_focused()
    assert_fits(page)
    box.get_by_role("link", name="Name: is required").click()
    expect(page.get_by_test_id("event-name")).to_be_focused()
    box.get_by_role("link", name="Date: enter a date such as 2025-03-10").click()
    expect(page.get_by_test_id("session-date")).to_be_focused()
