"""Every page at a phone's width (390 px) and a laptop's (1280 px): no sideways scroll, no
serious or critical axe-core violation, no Content-Security-Policy violation in the console.

One server and one browser context per person and width serve the whole module, so the tour
costs a page load and an axe run per page.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.db import migrate
from clusterbridge.db.session import Database
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.web.app import create_app
from tests.browser.conftest import LiveServer
from tests.browser.tour import ANONYMOUS, ORGANISER, TourData, seed_tour, tour_pages
from tests.conftest import NOW
from tests.factories.users import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

WIDTHS = (390, 1280)
HEIGHT = 800
#: Swagger UI (on /api/docs) puts its copy-link button inside each operation's toggle button;
#: that markup is the package's, not ours. Every other rule applies there too.
THIRD_PARTY_RULES = {"api-docs": ["nested-interactive"]}
PAGES = tour_pages(
    TourData(
        organisation=1,
        consortium=1,
        open_event=1,
        published_event=2,
        meeting=1,
        partnership=1,
        participant=1,
        proposal=1,
        draft_proposal=2,
        evaluated_call=3,
        evaluated_proposal=3,
        exchange=1,
        sme=2,
        cascade_call=4,
        cascade_proposal=5,
        project=1,
        delivery=1,
        project_report=1,
        job=1,
        failed_job=2,
    )
)


@dataclass
class Tour:
    """The live server over the tour's data, and one signed-in page per person and width."""

    server: LiveServer
    browser: Browser
    data: TourData
    pages: dict[tuple[str, int], Page] = field(default_factory=dict)
    contexts: list[BrowserContext] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def page(self, who: str, width: int) -> Page:
        """The page of ``who`` (signed in unless ``ANONYMOUS``) at ``width``."""
        if (who, width) not in self.pages:
            context = self.browser.new_context(viewport={"width": width, "height": HEIGHT})
            self.contexts.append(context)
            page = context.new_page()
            page.on("console", self._log)
            if who != ANONYMOUS:
                page.goto(f"{self.server.url}/sign-in")
                page.get_by_label("E-mail address").fill(who)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                expect(
                    page.get_by_role("button", name="Sign out", include_hidden=True)
                ).to_be_attached()
            self.pages[(who, width)] = page
        return self.pages[(who, width)]

    def _log(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.console.append(message.text)


@pytest.fixture(scope="module")
def tour(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tour]:
    folder = tmp_path_factory.mktemp("tour")
    database = Database.connect(f"sqlite:///{folder / 'tour.sqlite3'}")
    migrate.upgrade(database.engine)
    data = seed_tour(database)
    settings = Settings(data_dir=folder / "data", secret_key="browser-secret-" + "y" * 32)
    state = AppState(settings, database, load_catalogue(), clock=lambda: NOW)
    with LiveServer(
        create_app(state), database=database, mail_dir=settings.resolved_mail_dir()
    ) as server:
        tour = Tour(server, browser, data)
        yield tour
        for context in tour.contexts:
            context.close()
    database.dispose()


def serious_violations(page: Page, axe_source: str, *, skip: list[str]) -> list[str]:
    """axe-core's serious and critical violations on ``page``: rule id and the first targets.
    (Evaluated through the DevTools protocol, which the page's CSP does not block.)"""
    page.evaluate(axe_source)
    found: list[dict[str, Any]] = page.evaluate(
        """async (skip) => {
            const rules = Object.fromEntries(skip.map((id) => [id, {enabled: false}]));
            const result = await axe.run(document, {resultTypes: ["violations"], rules});
            return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        }""",
        skip,
    )
    return [
        f"{v['id']}: {' | '.join(' '.join(n['target']) for n in v['nodes'][:3])}" for v in found
    ]


def test_the_tour_lists_every_page_of_the_seeded_data(tour: Tour) -> None:
    assert tour_pages(tour.data) == PAGES


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("visit", PAGES, ids=[visit.name for visit in PAGES])
def test_page_fits_the_screen_and_passes_axe(
    tour: Tour, axe_source: str, visit: Any, width: int
) -> None:
    page = tour.page(visit.who, width)
    tour.console.clear()

    response = page.goto(f"{tour.server.url}{visit.path}")
    page.wait_for_load_state("networkidle")

    assert response is not None
    assert response.status == 200
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{visit.path} is {widths[0]} px wide at {widths[1]} px"
    assert serious_violations(page, axe_source, skip=THIRD_PARTY_RULES.get(visit.name, [])) == []
    assert [text for text in tour.console if "Content Security Policy" in text] == []


def test_the_menu_folds_on_a_phone_and_opens_with_the_keyboard(tour: Tour) -> None:
    page = tour.page(ANONYMOUS, 390)
    page.goto(f"{tour.server.url}/calls")
    events = page.get_by_role("link", name="Events")
    expect(events).to_be_hidden()

    page.get_by_text("Menu", exact=True).focus()
    page.keyboard.press("Enter")

    expect(events).to_be_visible()


def test_escape_folds_the_phone_menu_and_returns_to_its_button(tour: Tour) -> None:
    # The walk of 2026-12-07: once unfolded, the menu could be closed only by its button.
    page = tour.page(ANONYMOUS, 390)
    page.goto(f"{tour.server.url}/calls")
    button = page.get_by_text("Menu", exact=True)
    events = page.get_by_role("link", name="Events")
    button.focus()
    page.keyboard.press("Enter")
    events.focus()

    page.keyboard.press("Escape")

    expect(events).to_be_hidden()
    expect(button).to_be_focused()


def test_the_menu_is_always_open_on_a_laptop(tour: Tour) -> None:
    page = tour.page(ANONYMOUS, 1280)

    page.goto(f"{tour.server.url}/calls")

    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(page.get_by_role("link", name="Events")).to_be_visible()


def test_the_skip_link_is_the_first_stop_of_the_keyboard(tour: Tour) -> None:
    page = tour.page(ANONYMOUS, 1280)
    page.goto(f"{tour.server.url}/calls")

    page.keyboard.press("Tab")

    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    expect(page.get_by_role("link", name="Skip to content")).to_be_in_viewport()


def test_registry_results_come_before_the_filters_on_a_phone(tour: Tour) -> None:
    page = tour.page(ANONYMOUS, 390)

    page.goto(f"{tour.server.url}/organisations?q=cluster")

    results = page.locator(".results").bounding_box()
    filters = page.get_by_role("group", name="Filters").bounding_box()
    assert results is not None
    assert filters is not None
    assert results["y"] < filters["y"]


def test_the_partners_as_submitted_show_on_a_phone(tour: Tour) -> None:
    page = tour.page(ORGANISER, 390)

    page.goto(f"{tour.server.url}/proposals/{tour.data.proposal}")

    items = page.get_by_test_id("submitted-partners").get_by_role("listitem")
    expect(items).to_have_text(
        [
            "Rzeszow Aviation Valley Cluster (PL) · Coordinator",
            "Barcelona Mobility Cluster (ES) · Beneficiary",
            "Tampere Sensors Association (FI)",
            "Munich Aerospace Cluster (DE) · Beneficiary",
        ]
    )
    expect(items.nth(3).get_by_role("link", name="Munich Aerospace Cluster")).to_be_visible()
    expect(page.get_by_text("Consortium now", exact=True)).to_be_visible()
    boxes = [items.nth(n).bounding_box() for n in range(4)]
    assert [box is not None and box["x"] + box["width"] <= 390 for box in boxes] == [True] * 4
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]


def test_every_partner_value_and_the_remove_button_show_at_1280(tour: Tour) -> None:
    page = tour.page(ORGANISER, 1280)

    page.goto(f"{tour.server.url}/consortia/{tour.data.consortium}")

    row = page.get_by_test_id("partner-row").first
    card = page.locator("#partners").bounding_box()
    assert card is not None
    for testid in ("partner-legal-entity", "partner-type", "remove-partner"):
        box = row.get_by_test_id(testid).bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= card["x"] + card["width"], testid


def test_adding_a_partner_logs_no_csp_violation(tour: Tour) -> None:
    page = tour.page(ORGANISER, 1280)
    page.goto(f"{tour.server.url}/consortia/{tour.data.consortium}")
    tour.console.clear()

    page.get_by_test_id("typed-name").fill("Lisbon Cork Cluster")
    page.get_by_test_id("typed-country").fill("PT")
    page.get_by_test_id("typed-add").click()

    expect(page.locator('[data-partner-name="Lisbon Cork Cluster"]')).to_be_visible()
    assert [text for text in tour.console if "Content Security Policy" in text] == []


def test_an_upload_error_shows_next_to_the_upload_button(tour: Tour, tmp_path: Path) -> None:
    page = tour.page(ORGANISER, 1280)
    page.goto(f"{tour.server.url}/consortia/{tour.data.consortium}")
    bad = tmp_path / "partners.csv"
    bad.write_text("name,country\nNowhere Cluster,XX\n", encoding="utf-8")

    page.get_by_test_id("upload-file").set_input_files(bad)
    page.get_by_test_id("upload-submit").click()

    error = page.locator(".upload-partners").get_by_test_id("partners-error")
    expect(error).to_be_visible()
    expect(error).to_be_in_viewport()


def test_without_javascript_the_menu_is_open_in_the_page_flow(tour: Tour) -> None:
    context = tour.browser.new_context(
        viewport={"width": 390, "height": HEIGHT}, java_script_enabled=False
    )
    page = context.new_page()

    page.goto(f"{tour.server.url}/calls")

    expect(page.get_by_role("link", name="Events")).to_be_visible()
    heading = page.get_by_role("heading", name="Calls", level=1).bounding_box()
    events = page.get_by_role("link", name="Events").bounding_box()
    context.close()
    assert heading is not None
    assert events is not None
    assert events["y"] < heading["y"]


@pytest.mark.parametrize("width", WIDTHS)
def test_typed_partner_problems_show_next_to_their_fields(
    tour: Tour, axe_source: str, width: int
) -> None:
    page = tour.page(ORGANISER, width)
    page.goto(f"{tour.server.url}/consortia/{tour.data.consortium}")

    page.get_by_test_id("typed-name").fill("Nowhere Cluster")
    page.get_by_test_id("typed-country").fill("Lyonnesse")
    page.get_by_test_id("typed-pic").fill("12")
    page.get_by_test_id("typed-add").click()

    for name in ("country", "pic"):
        error = page.get_by_test_id(f"typed-{name}-error")
        expect(error).to_be_visible()
        below = error.bounding_box()
        above = page.get_by_test_id(f"typed-{name}").bounding_box()
        assert below is not None
        assert above is not None
        assert 0 <= below["y"] - (above["y"] + above["height"]) < 40, name
    expect(page.get_by_test_id("typed-country")).to_have_value("Lyonnesse")
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]
    assert serious_violations(page, axe_source, skip=[]) == []


#: Each choice of a select with the room it has: its text's width (in the select's font) and
#: the select's inner width less the room its arrow takes.
CHOICE_ROOM = """(selects) => selects.flatMap((select) => {
    const style = getComputedStyle(select);
    const context = document.createElement("canvas").getContext("2d");
    context.font = style.font;
    const room = select.clientWidth - parseFloat(style.paddingLeft)
        - parseFloat(style.paddingRight) - 20;
    return Array.from(select.options, (option) =>
        [option.text, context.measureText(option.text).width <= room]);
})"""


def test_every_role_choice_reads_whole_on_a_phone(tour: Tour) -> None:
    page = tour.page(ORGANISER, 390)

    page.goto(f"{tour.server.url}/consortia/{tour.data.consortium}")

    choices = page.get_by_test_id("partner-role").evaluate_all(CHOICE_ROOM)
    assert dict(choices) == {
        "choose a role": True,
        "Coordinator": True,
        "Beneficiary": True,
        "Affiliated entity": True,
        "Associated partner": True,
    }
