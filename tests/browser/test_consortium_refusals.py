"""The consortium forms a cluster manager fills in first refuse an empty field in the app's own
words, with the reason focused, as every other form does: creating a consortium without a
name, typing in a partner without name and country, uploading without a file, inviting
without an address. The browser's own check stopped these forms with a bubble instead (they
had no ``novalidate``), and only the one field it found: the summary, its other problems and
the focus never came. No page scrolls sideways."""

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.session import Database
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.factories.consortia import make_consortium
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENS = pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["390", "1280"])
EMAIL = "maria@cluster.example"


def _consortium(database: Database) -> int:
    with database.unit_of_work() as session:
        return make_consortium(session, owner=make_user(session, email=EMAIL)).id


def _focused_testid(page: Page) -> str | None:
    testid: str | None = page.evaluate("document.activeElement?.dataset.testid ?? null")
    return testid


@SCREENS
def test_a_consortium_without_a_name_is_refused_with_every_problem_focused(
    page: Page, live_server: LiveServer, live_database: Database, screen: dict[str, int]
) -> None:
    with live_database.unit_of_work() as session:
        make_user(session, email=EMAIL)
    page.set_viewport_size(screen)
    sign_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/consortia")
    page.get_by_test_id("consortium-duration").fill("three years")

    page.get_by_test_id("create-consortium").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("listitem")).to_have_text(
        ["Name: is required", 'Duration (months): "three years" is not a whole number']
    )
    assert_fits(page)


@SCREENS
def test_a_typed_partner_without_name_and_country_names_both(
    page: Page, live_server: LiveServer, live_database: Database, screen: dict[str, int]
) -> None:
    consortium = _consortium(live_database)
    page.set_viewport_size(screen)
    sign_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/consortia/{consortium}")

    page.get_by_test_id("typed-add").click()

    expect(page.get_by_test_id("partners-error")).to_be_focused()
    expect(page.get_by_test_id("partners-error")).to_have_text(
        "The partner has 2 problems: see the fields marked above"
    )
    expect(page.get_by_test_id("typed-name-error")).to_have_text("is required")
    expect(page.get_by_test_id("typed-country-error")).to_have_text("is required")
    expect(page.get_by_test_id("no-partners")).to_be_visible()
    assert_fits(page)


def test_an_upload_without_a_file_says_to_choose_one(
    page: Page, live_server: LiveServer, live_database: Database
) -> None:
    consortium = _consortium(live_database)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/consortia/{consortium}")

    page.get_by_test_id("upload-submit").click()

    refusal = page.get_by_test_id("partners-error")
    expect(refusal).to_be_focused()
    expect(refusal.get_by_role("listitem")).to_have_text(
        ["File: choose a CSV, Excel (.xlsx) or JSON file"]
    )
    expect(page.get_by_test_id("no-partners")).to_be_visible()
    assert_fits(page)


def test_an_invitation_without_an_address_is_refused_beside_the_field(
    page: Page, live_server: LiveServer, live_database: Database
) -> None:
    consortium = _consortium(live_database)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/consortia/{consortium}")

    page.get_by_test_id("add-member").click()

    expect(page.locator("[data-error-summary]")).to_be_focused()
    expect(page.locator("#member-email-error")).to_have_text("is required")
    expect(page.get_by_test_id("invitations")).to_have_count(0)
    assert_fits(page)
