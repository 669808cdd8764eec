"""Issue 5 in a real browser: suggestions on organisation and consortium pages, and a
proposal of the builder turned into a consortium in one click."""

import contextlib
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Route, expect

from clusterbridge.db.session import Database
from tests.browser.conftest import LiveServer
from tests.browser.helpers import ask_builder, assert_fits
from tests.browser.test_consortium_story import register
from tests.factories.builder import make_builder_registry

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def registry(live_database: Database) -> dict[str, int]:
    with live_database.unit_of_work() as session:
        return {name: org.id for name, org in make_builder_registry(session).items()}


def test_a_proposal_becomes_a_consortium_in_one_click(
    page: Page, live_server: LiveServer, registry: dict[str, int]
) -> None:
    register(page, live_server.url)

    ask_builder(page, live_server.url, idea="hydrogen electrolysers", size=4)

    proposal = page.get_by_test_id("proposal").first
    expect(proposal.get_by_test_id("proposal-partner")).to_have_count(4)
    expect(proposal.get_by_test_id("proposal-proof")).to_contain_text("Proven optimal")
    expect(proposal.get_by_test_id("proposal-finding")).to_have_count(9)
    job_url = page.url
    proposal.get_by_test_id("create-from-proposal").click()

    expect(page.get_by_test_id("consortium-title")).to_have_text(
        "SMP-COSME-2024-CLUSTER proposal 1"
    )
    expect(page.get_by_test_id("partner-row")).to_have_count(4)
    # No duration yet: every rule on the partners passes, the duration is not known.
    expect(page.get_by_test_id("verdict")).to_have_text("incomplete")
    consortium_url = page.url

    # The job page now opens the consortium instead of offering to make it again.
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(job_url)
        proposal = page.get_by_test_id("proposal").first
        expect(proposal.get_by_test_id("create-from-proposal")).to_have_count(0)
        expect(proposal.get_by_test_id("proposal-made")).to_have_text(
            "This proposal is the consortium SMP-COSME-2024-CLUSTER proposal 1."
        )
        expect(proposal.get_by_role("link", name="Open consortium")).to_be_visible()
        assert_fits(page)
    page.get_by_role("link", name="Open consortium").click()
    expect(page).to_have_url(consortium_url)


def test_suggestions_load_on_organisation_and_consortium_pages(
    page: Page, live_server: LiveServer, registry: dict[str, int]
) -> None:
    register(page, live_server.url)

    page.goto(f"{live_server.url}/organisations/{registry['de']}")
    suggestions = page.get_by_test_id("suggestions")
    expect(suggestions.get_by_test_id("suggestion").first).to_be_visible()
    expect(suggestions.get_by_test_id("suggestions-loading")).to_have_count(0)
    expect(suggestions).to_contain_text("Hydrogen University")

    page.goto(f"{live_server.url}/consortia")
    page.get_by_test_id("consortium-name").fill("Hydrogen Eurocluster")
    page.get_by_test_id("consortium-call").select_option("SMP-COSME-2024-CLUSTER")
    expect(page.get_by_test_id("consortium-strand")).to_have_attribute(
        "data-call", "SMP-COSME-2024-CLUSTER"
    )
    page.get_by_test_id("consortium-strand").select_option("1")
    page.get_by_test_id("create-consortium").click()
    expect(page.get_by_test_id("consortium-title")).to_have_text("Hydrogen Eurocluster")

    polish = page.locator(f'[data-testid="suggestion"][data-organisation-id="{registry["pl"]}"]')
    expect(polish).to_contain_text(re.compile(r"less developed region \(2021-2027\): PL82"))
    polish.get_by_test_id("add-suggestion").click()
    expect(
        page.locator(
            '[data-testid="partner-row"][data-partner-name="Podkarpackie Hydrogen Cluster"]'
        )
    ).to_be_visible()
    expect(page.get_by_test_id("partner-row")).to_have_count(1)


def test_consortium_suggestions_refresh_when_a_partner_is_added_or_removed(
    page: Page, live_server: LiveServer, registry: dict[str, int]
) -> None:
    register(page, live_server.url)
    page.goto(f"{live_server.url}/consortia")
    page.get_by_test_id("consortium-name").fill("Hydrogen Eurocluster")
    page.get_by_test_id("consortium-call").select_option("SMP-COSME-2024-CLUSTER")
    expect(page.get_by_test_id("consortium-strand")).to_have_attribute(
        "data-call", "SMP-COSME-2024-CLUSTER"
    )
    page.get_by_test_id("consortium-strand").select_option("1")
    page.get_by_test_id("create-consortium").click()
    suggestions = page.get_by_test_id("suggestions")
    # By its id: once a member, its name is in the other suggestions' reasons.
    polish = suggestions.locator(
        f'[data-testid="suggestion"][data-organisation-id="{registry["pl"]}"]'
    )

    polish.get_by_test_id("add-suggestion").click()

    # A member is never suggested: the panel loaded again without it.
    expect(page.get_by_test_id("partner-row")).to_have_count(1)
    expect(polish).to_have_count(0)
    expect(suggestions.get_by_test_id("suggestion").first).to_be_visible()

    page.get_by_test_id("remove-partner").click()

    expect(page.get_by_test_id("partner-row")).to_have_count(0)
    expect(polish).to_have_count(1)


def test_the_kind_of_partner_sought_filters_the_suggestions(
    page: Page, live_server: LiveServer, registry: dict[str, int]
) -> None:
    register(page, live_server.url)
    page.goto(f"{live_server.url}/organisations/{registry['de']}")
    suggestions = page.get_by_test_id("suggestions")
    # An organisation's page asks for new partners from the start.
    expect(page.get_by_test_id("suggestion-new-only")).to_be_checked()
    expect(suggestions.locator('ol[data-kind=""][data-new-only="yes"]')).to_be_visible()
    expect(suggestions.get_by_test_id("suggestion-match").first).to_contain_text(
        re.compile(r"match \d+/100 \((strong|good|weak)\)")
    )
    page.get_by_test_id("suggestion-new-only").uncheck()
    expect(suggestions.locator('ol[data-kind=""][data-new-only="no"]')).to_be_visible()

    page.get_by_test_id("suggestion-kind").select_option("university")

    expect(suggestions.locator('ol[data-kind="university"]')).to_be_visible()
    expect(suggestions.get_by_test_id("suggestion")).to_have_count(1)
    expect(suggestions.get_by_test_id("suggestion")).to_contain_text("Hydrogen University")

    page.get_by_test_id("suggestion-kind").select_option("sme")

    expect(suggestions.locator('ol[data-kind="sme"]')).to_be_visible()
    expect(suggestions.get_by_test_id("suggestion")).to_have_count(1)
    expect(suggestions.get_by_test_id("suggestion")).to_contain_text("Bakery")

    # Nobody of this registry worked with anybody: new partners only keeps the Bakery.
    page.get_by_test_id("suggestion-new-only").check()

    expect(suggestions.locator('ol[data-kind="sme"][data-new-only="yes"]')).to_be_visible()
    expect(suggestions.get_by_test_id("suggestion")).to_have_count(1)
    expect(suggestions.get_by_test_id("suggestion")).to_contain_text("Bakery")


def test_the_consortium_panel_keeps_the_kind_sought_when_it_refreshes(
    page: Page, live_server: LiveServer, registry: dict[str, int]
) -> None:
    register(page, live_server.url)
    page.goto(f"{live_server.url}/consortia")
    page.get_by_test_id("consortium-name").fill("Hydrogen Eurocluster")
    page.get_by_test_id("consortium-call").select_option("SMP-COSME-2024-CLUSTER")
    expect(page.get_by_test_id("consortium-strand")).to_have_attribute(
        "data-call", "SMP-COSME-2024-CLUSTER"
    )
    page.get_by_test_id("consortium-strand").select_option("1")
    page.get_by_test_id("create-consortium").click()
    suggestions = page.get_by_test_id("suggestions")
    expect(suggestions.get_by_test_id("suggestion").first).to_be_visible()

    page.get_by_test_id("suggestion-kind").select_option("cluster_organisation")

    university = suggestions.locator(
        f'[data-testid="suggestion"][data-organisation-id="{registry["uni"]}"]'
    )
    # By its id: once a member, its name is in the other suggestions' reasons.
    polish = suggestions.locator(
        f'[data-testid="suggestion"][data-organisation-id="{registry["pl"]}"]'
    )
    expect(suggestions.locator('ol[data-kind="cluster_organisation"]')).to_be_visible()
    expect(university).to_have_count(0)
    polish.get_by_test_id("add-suggestion").click()

    # The panel loaded again for the new consortium, still for cluster organisations only.
    expect(page.get_by_test_id("partner-row")).to_have_count(1)
    expect(polish).to_have_count(0)
    expect(suggestions.get_by_test_id("suggestion").first).to_be_visible()
    expect(university).to_have_count(0)
    expect(page.get_by_test_id("suggestion-kind")).to_have_value("cluster_organisation")


def test_a_late_answer_to_an_earlier_question_never_replaces_the_panel(
    page: Page, live_server: LiveServer, registry: dict[str, int]
) -> None:
    """The first load of the panel (any kind) is held back until the user has chosen a kind
    and seen its answer; when it is let through, the panel still answers the kind chosen."""
    register(page, live_server.url)
    held: list[Route] = []

    def hold_the_first_load(route: Route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(re.compile(r"/organisations/\d+/suggestions"), hold_the_first_load)
    page.goto(f"{live_server.url}/organisations/{registry['de']}")
    suggestions = page.get_by_test_id("suggestions")
    expect(suggestions.get_by_test_id("suggestions-loading")).to_be_visible()
    for _ in range(150):  # the route handler runs while Playwright waits
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1

    page.get_by_test_id("suggestion-kind").select_option("university")
    expect(suggestions.locator('ol[data-kind="university"]')).to_be_visible()
    with contextlib.suppress(PlaywrightError):  # the browser may have aborted it already
        held[0].continue_()
    page.wait_for_load_state("networkidle")

    expect(suggestions.locator('ol[data-kind="university"]')).to_be_visible()
    expect(suggestions.get_by_test_id("suggestion")).to_have_count(1)
    expect(suggestions.get_by_test_id("suggestion")).to_contain_text("Hydrogen University")
