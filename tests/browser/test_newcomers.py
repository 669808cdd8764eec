"""Organisations registered without projects in a real browser: under the suggested partners of
an organisation's page and of a consortium's, a section of their own, at 390 and 1280 px,
without serious axe violations."""

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.models import ConsortiumPartner
from clusterbridge.db.session import Database
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.browser.test_pages import serious_violations
from tests.factories.consortia import make_consortium
from tests.factories.matching import make_newcomers_registry
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
EMAIL = "olga@cluster.example"
DECLARED = "declares Machine vision, which Steel Works needs (no projects yet)"


@pytest.fixture
def registry(live_database: Database) -> dict[str, int]:
    """The newcomers registry, a user, and her consortium with Steel Works (no call)."""
    with live_database.unit_of_work() as session:
        made = make_newcomers_registry(session)
        owner = make_user(session, email=EMAIL, name="Olga Owner")
        consortium = make_consortium(
            session, owner=owner, name="Steel Vision", call_id=None, strand=None
        )
        consortium.partners.append(ConsortiumPartner(position=1, organisation=made["steel"]))
        session.flush()
        return {
            "steel": made["steel"].id,
            "vision": made["vision"].id,
            "consortium": consortium.id,
        }


def _check_section(page: Page, axe_source: str, vision: int) -> None:
    suggestions = page.get_by_test_id("suggestions")
    expect(suggestions.get_by_test_id("suggestion")).to_have_count(8)
    section = suggestions.get_by_test_id("newcomers")
    expect(section.get_by_role("heading", name="Registered here, no projects yet")).to_be_visible()
    item = section.get_by_test_id("newcomer")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-organisation-id", str(vision))
    expect(item).to_contain_text("Vision AI")
    expect(item).to_contain_text(DECLARED)
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []


def test_an_organisation_s_page_lists_newcomers_under_its_suggestions(
    page: Page, live_server: LiveServer, registry: dict[str, int], axe_source: str
) -> None:
    sign_in(page, live_server.url, EMAIL)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/organisations/{registry['steel']}")
        _check_section(page, axe_source, registry["vision"])
        # Asked for universities, there are none: no section either.
        page.get_by_test_id("suggestion-kind").select_option("university")
        expect(page.get_by_test_id("no-suggestions")).to_be_visible()
        expect(page.get_by_test_id("newcomers")).to_have_count(0)
        page.goto(f"{live_server.url}/organisations/{registry['steel']}/suggestions")
        _check_section(page, axe_source, registry["vision"])


def test_a_consortium_s_page_lists_newcomers_and_adds_one(
    page: Page, live_server: LiveServer, registry: dict[str, int], axe_source: str
) -> None:
    sign_in(page, live_server.url, EMAIL)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/consortia/{registry['consortium']}/suggestions")
        _check_section(page, axe_source, registry["vision"])
        page.goto(f"{live_server.url}/consortia/{registry['consortium']}")
        _check_section(page, axe_source, registry["vision"])

    page.get_by_test_id("newcomer").get_by_role("button", name="Add Vision AI").click()

    expect(
        page.locator('[data-testid="partner-row"][data-partner-name="Vision AI"]')
    ).to_be_visible()
    # A member is never suggested: the panel loaded again without it, and without the section.
    expect(page.get_by_test_id("suggestion").first).to_be_visible()
    expect(page.get_by_test_id("newcomers")).to_have_count(0)
