"""The registration form's organisation search in a real browser: an answer that arrives late,
after a newer search, never replaces the newer answer nor the choice ticked in it."""

import contextlib
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Error, Page, Route, expect

from clusterbridge.db.session import Database
from tests.browser.conftest import LiveServer
from tests.browser.helpers import sign_in
from tests.factories.events import make_rules_world

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]


@pytest.fixture
def world(live_database: Database) -> dict[str, Any]:
    """An open event; Sam (a member of Sam SA only) takes no part in it."""
    with live_database.unit_of_work() as session:
        return dict(make_rules_world(session))


#: Records the choices each search answer shows (window.swapped: their labels, by answer).
SWAPS = """() => {
  window.swapped = [];
  document.addEventListener("htmx:afterSettle", () => window.swapped.push(
    [...document.querySelectorAll("#organisation-choices label")].map((l) => l.textContent.trim()),
  ));
}"""


def _query(route: Route) -> str:
    return parse_qs(urlsplit(route.request.url).query).get("q", [""])[0]


def test_a_newer_search_drops_the_older_one_on_its_way_and_keeps_the_ticked_choice(
    page: Page, live_server: LiveServer, world: dict[str, Any]
) -> None:
    # The search for "bob gmbh" waited for the older one for "sam", whose answer came first and
    # could be ticked in before the newer replaced it.
    held: list[Route] = []

    def hold_the_first_search(route: Route) -> None:
        if _query(route) == "sam":
            held.append(route)
        else:
            route.continue_()

    sign_in(page, live_server.url, "sam@example.org")
    page.goto(f"{live_server.url}/events/{world['event']}")
    page.route("**/events/*/organisations?*", hold_the_first_search)
    with page.expect_request(lambda request: request.url.endswith("q=sam")):
        page.get_by_test_id("organisation-query").fill("sam")
    page.get_by_test_id("organisation-query").fill("bob gmbh")
    choice = page.get_by_test_id("organisation-choice")
    expect(choice).to_have_count(1)
    choice.check()
    page.evaluate(SWAPS)

    with contextlib.suppress(Error):  # the browser may have given up the older request
        held[0].continue_()
    page.wait_for_timeout(1000)

    expect(page.get_by_test_id("organisation-choice")).to_have_count(1)
    expect(page.get_by_test_id("organisation-choice")).to_be_checked()
    expect(page.locator("#organisation-choices label")).to_have_text(["Bob GmbH DE · SME"])
    # No list was shown in between with Sam SA, the older search's answer.
    assert all(labels == ["Bob GmbH DE · SME"] for labels in page.evaluate("window.swapped"))


def test_a_new_search_keeps_the_ticked_choice_first(
    page: Page, live_server: LiveServer, world: dict[str, Any]
) -> None:
    sign_in(page, live_server.url, "sam@example.org")
    page.goto(f"{live_server.url}/events/{world['event']}")
    page.get_by_test_id("organisation-query").fill("bob gmbh")
    expect(page.get_by_test_id("organisation-choice")).to_have_count(1)
    page.get_by_test_id("organisation-choice").check()

    page.get_by_test_id("organisation-query").fill("nothing like it")

    expect(page.locator("#organisation-choices")).to_contain_text("No organisation matches")
    choice = page.get_by_test_id("organisation-choice")
    expect(choice).to_have_count(1)
    expect(choice).to_be_checked()
    expect(page.locator("#organisation-choices label")).to_have_text(["Bob GmbH DE · SME"])
