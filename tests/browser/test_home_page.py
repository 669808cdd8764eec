"""The home page in a real browser, at a phone's width (390 px) and a laptop's (1280 px), for a
visitor, a member of SMEs, an event organiser and an administrator: every section it shows
them, no sideways scroll, no serious or critical axe-core violation."""

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.session import Database
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.browser.test_pages import serious_violations
from tests.conftest import Clock
from tests.factories.home import EVALUATING, make_officer_world, make_sme_world

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

WIDTHS = (390, 1280)
HEIGHT = 844
#: The headings (level 2) of the page's own part, before the calls, by who reads it.
VISITOR = [
    "Cluster managers", "SMEs", "Technology centres", "Match-making organisers",
    "Programme officers",
]  # fmt: skip
SME_MEMBER = [
    "Your organisations", "Your match-making events", "Your consortia",
    "Your projects and exchanges",
]  # fmt: skip
ORGANISER = ["Your organisations", "Your match-making events", "Events you run", "Your consortia"]
ADMINISTRATOR = ["Calls, claims and payments", "Events you run"]
CALLS = ["Calls open now", "Calls whose deadline is not stated"]


def _check(page: Page, axe_source: str, headings: list[str]) -> None:
    """The page shows ``headings`` then the calls, fits the screen and passes axe."""
    expect(page.locator("main h2")).to_have_text(headings + CALLS)
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_page_fits_and_passes_axe_for_visitors_smes_and_organisers(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str, width: int
) -> None:
    make_sme_world(live_database)
    page.set_viewport_size({"width": width, "height": HEIGHT})

    page.goto(f"{live_server.url}/")
    _check(page, axe_source, VISITOR)
    sign_in(page, live_server.url, "sara@example.org")
    page.goto(f"{live_server.url}/")
    _check(page, axe_source, SME_MEMBER)
    expect(page.get_by_test_id("home-requests")).to_have_text("2 meeting requests to answer")
    page.context.clear_cookies()
    sign_in(page, live_server.url, "olga@example.org")
    page.goto(f"{live_server.url}/")
    _check(page, axe_source, ORGANISER)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_page_fits_and_passes_axe_for_an_administrator(
    page: Page,
    live_server: LiveServer,
    live_database: Database,
    axe_source: str,
    clock: Clock,
    width: int,
) -> None:
    make_officer_world(live_database)
    clock.now = EVALUATING
    page.set_viewport_size({"width": width, "height": HEIGHT})

    sign_in(page, live_server.url, "ada@example.org")
    page.goto(f"{live_server.url}/")

    _check(page, axe_source, ADMINISTRATOR)
    expect(page.get_by_test_id("home-payments")).to_have_text(
        "SME-OPEN-2025: 2 selected applications not paid in full"
    )


def _card_rows(page: Page) -> list[list[tuple[int, int]]]:
    """The visitor's cards (the audiences) row by row: each card's left and right edge."""
    boxes = (
        page.get_by_test_id("audiences")
        .locator(":scope > li")
        .evaluate_all(
            "(cards) => cards.map((card) => card.getBoundingClientRect())"
            ".map((box) => [Math.round(box.top), Math.round(box.left), Math.round(box.right)])"
        )
    )
    rows: dict[int, list[tuple[int, int]]] = {}
    for top, left, right in boxes:
        rows.setdefault(top, []).append((left, right))
    return list(rows.values())


@pytest.mark.parametrize(
    ("width", "shape"), [(390, [1, 1, 1, 1, 1]), (800, [2, 2, 1]), (1280, [3, 2])]
)
def test_the_visitors_cards_fill_their_rows(
    page: Page, live_server: LiveServer, width: int, shape: list[int]
) -> None:
    # At 1280 px four cards stood in a row and the fifth alone under the first.
    page.set_viewport_size({"width": width, "height": HEIGHT})

    page.goto(f"{live_server.url}/")

    rows = _card_rows(page)
    assert [len(row) for row in rows] == shape
    # Every row starts and ends where the first does: no row is shorter than the others.
    assert {(row[0][0], row[-1][1]) for row in rows} == {(rows[0][0][0], rows[0][-1][1])}
    assert_fits(page)
