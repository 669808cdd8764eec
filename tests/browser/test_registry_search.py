"""The registry search as a visitor uses it (the QA of 2026-12-07): a filter ticked right after
typing a search counts the first time, and Back and Forward show the search box and the filters
of the address the results are for."""

import pytest
from playwright.sync_api import Locator, Page, expect

from clusterbridge.db.session import Database
from tests.browser.conftest import LiveServer
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}


def _registry(database: Database) -> None:
    """Two robot makers, in Germany and in France, and a German steel mill."""
    with database.unit_of_work() as session:
        make_organisation(session, name="Robot Works", country="DE")
        make_organisation(session, name="Robot Labs", country="FR", nuts="FR101")
        make_organisation(session, name="Steel Mill", country="DE")


def _country(page: Page, code: str) -> Locator:
    return page.locator(f'input[name="country"][value="{code}"]')


def _search(page: Page, url: str, words: str) -> None:
    """Open the registry and type ``words`` key by key, as a visitor does, until the results
    for them show."""
    page.goto(f"{url}/organisations")
    page.get_by_role("searchbox", name="Search").press_sequentially(words)
    expect(page.locator(".result-count")).to_have_text(f"2 organisations for “{words}”")


@pytest.mark.parametrize("size", [PHONE, WIDE], ids=["390px", "1280px"])
def test_the_first_tick_after_typing_a_search_filters_the_results(
    page: Page, live_server: LiveServer, live_database: Database, size: dict[str, int]
) -> None:
    _registry(live_database)
    page.set_viewport_size(size)
    _search(page, live_server.url, "robot")

    _country(page, "DE").click()

    expect(page.locator(".result-count")).to_have_text("1 organisation for “robot”")
    expect(page.locator(".results tbody a")).to_have_text(["Robot Works"])
    expect(_country(page, "DE")).to_be_checked()
    expect(page).to_have_url(f"{live_server.url}/organisations?q=robot&country=DE")


def test_back_and_forward_show_the_search_of_the_address(
    page: Page, live_server: LiveServer, live_database: Database
) -> None:
    _registry(live_database)
    _search(page, live_server.url, "robot")
    _country(page, "DE").click()
    expect(page.locator(".result-count")).to_have_text("1 organisation for “robot”")
    search_box = page.get_by_role("searchbox", name="Search")

    page.go_back()

    expect(page).to_have_url(f"{live_server.url}/organisations?q=robot")
    expect(page.locator(".result-count")).to_have_text("2 organisations for “robot”")
    expect(search_box).to_have_value("robot")
    expect(_country(page, "DE")).not_to_be_checked()

    page.go_back()

    expect(page).to_have_url(f"{live_server.url}/organisations")
    expect(page.locator(".result-count")).to_have_text("3 organisations")
    expect(search_box).to_have_value("")

    page.go_forward()

    expect(page).to_have_url(f"{live_server.url}/organisations?q=robot")
    expect(search_box).to_have_value("robot")

    page.go_forward()

    expect(page).to_have_url(f"{live_server.url}/organisations?q=robot&country=DE")
    expect(page.locator(".result-count")).to_have_text("1 organisation for “robot”")
    expect(search_box).to_have_value("robot")
    expect(_country(page, "DE")).to_be_checked()
