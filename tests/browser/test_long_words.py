"""Long words on a 390 px phone and a 1280 px screen (the QA of the demo's CORDIS data,
2026-12-07): an organisation named in one long word ("TRESCIENTOSMILKILOMETROSPORSEGUNDOSL"),
a long website address and a long e-mail address wrap inside their column, so that no page
scrolls sideways, and no text is cut to make it fit."""

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import UserRole
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.browser.test_pages import serious_violations
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}
NAME = "TRESCIENTOSMILKILOMETROSPORSEGUNDOSL"
WEBSITE = "http://www.raa.se/cms/extern/en/about_us/our_mission/our_mission.html"
EMAIL = "forschungsfoerderung.kommunikation@lebensmittelversuchsanstalt.example"

#: The elements shown reaching past the right edge of the screen, and those that cut their
#: text (overflow hidden or clip, their content wider than they are): tag, class, text. Left
#: out: what is only for screen readers (a stacked table's header row, 1 px wide) and the
#: fields (a search box scrolls its long word).
LAYOUT = """() => {
    const name = (e) => `${e.tagName} ${e.className} ${e.textContent.trim().slice(0, 30)}`;
    const shown = Array.from(document.querySelectorAll("body *")).filter((e) => e.checkVisibility()
        && !e.matches(".visually-hidden, .visually-hidden *, .stack thead, .stack thead *"));
    const wide = shown.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5);
    const cut = shown.filter((e) => !e.matches("input, select, textarea")
        && ["hidden", "clip"].includes(getComputedStyle(e).overflowX)
        && e.scrollWidth > e.clientWidth + 1);
    return {wide: wide.map(name), cut: cut.map(name)};
}"""

SIZES = pytest.mark.parametrize("size", [PHONE, WIDE], ids=["390px", "1280px"])


def _assert_fits_uncut(page: Page) -> None:
    """The page is no wider than its screen, no element reaches past it, none cuts its text."""
    assert_fits(page)
    assert page.evaluate(LAYOUT) == {"wide": [], "cut": []}


def _organisation(database: Database) -> int:
    """An organisation named in one long word, with a long website address."""
    with database.unit_of_work() as session:
        organisation = make_organisation(session, name=NAME, country="ES", nuts="ES300")
        organisation.website = WEBSITE
        session.flush()
        return organisation.id


@SIZES
def test_a_long_name_and_website_wrap_on_the_organisation_page(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str,
    size: dict[str, int],
) -> None:  # fmt: skip
    organisation_id = _organisation(live_database)
    page.set_viewport_size(size)

    page.goto(f"{live_server.url}/organisations/{organisation_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.get_by_role("link", name=WEBSITE)).to_be_visible()
    expect(page.get_by_test_id("suggestions-loading")).to_be_hidden()

    _assert_fits_uncut(page)
    assert serious_violations(page, axe_source, skip=[]) == []


@SIZES
def test_a_long_name_wraps_in_the_registry_search(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str,
    size: dict[str, int],
) -> None:  # fmt: skip
    _organisation(live_database)
    page.set_viewport_size(size)

    page.goto(f"{live_server.url}/organisations?q={NAME}")
    expect(page.locator(".result-count")).to_have_text(f"1 organisation for “{NAME}”")

    _assert_fits_uncut(page)
    assert serious_violations(page, axe_source, skip=[]) == []


@SIZES
def test_a_long_e_mail_address_wraps_on_the_accounts_page(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str,
    size: dict[str, int],
) -> None:  # fmt: skip
    with live_database.unit_of_work() as session:
        make_user(session, email="ada@admin.example", role=UserRole.ADMINISTRATOR)
        make_user(session, email=EMAIL, name="LEBENSMITTELVERSUCHSANSTALT")
    page.set_viewport_size(size)
    sign_in(page, live_server.url, "ada@admin.example")

    page.goto(f"{live_server.url}/admin/users")
    accounts = page.get_by_test_id("accounts")
    expect(accounts.get_by_text(EMAIL)).to_be_visible()

    _assert_fits_uncut(page)
    # A list of cards: no bullets, no indent.
    assert accounts.evaluate(
        "(list) => [getComputedStyle(list).listStyleType, getComputedStyle(list).paddingLeft]"
    ) == ["none", "0px"]
    assert serious_violations(page, axe_source, skip=[]) == []
