"""A refused form's summary takes the focus when the page shows it, so a keyboard or
screen-reader user starts at the list of problems; each problem's link moves the focus to its
field (the htmx case: tests/browser/test_event_story.py)."""

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.session import Database
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.browser.test_pages import serious_violations
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
WRONG = "E-mail address or password: The e-mail address or the password is not right."


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_refused_sign_in_focuses_its_summary_then_the_field(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str, screen: dict
) -> None:
    with live_database.unit_of_work() as session:
        make_user(session, email="maria@mobility.example", name="Maria")
    page.set_viewport_size(screen)
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("E-mail address").fill("maria@mobility.example")
    page.get_by_label("Password").fill("not her password")

    page.get_by_role("button", name="Sign in").click()

    summary = page.get_by_test_id("refused-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Please correct the fields marked below.")
    expect(summary.get_by_role("listitem")).to_have_text([WRONG])
    email = page.get_by_label("E-mail address")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_accessible_description("The e-mail address or the password is not right.")
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []
    summary.get_by_role("link", name=WRONG).click()
    expect(email).to_be_focused()


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_refused_organisation_focuses_its_summary_then_each_field(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str, screen: dict
) -> None:
    with live_database.unit_of_work() as session:
        make_user(session, email="maria@mobility.example", name="Maria")
    page.set_viewport_size(screen)
    sign_in(page, live_server.url, "maria@mobility.example")
    page.goto(f"{live_server.url}/organisations/new")
    page.get_by_label("PIC (9 digits)").fill("12")

    page.get_by_role("button", name="Save").click()

    summary = page.get_by_test_id("refused-summary")
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.dataset.testid") == "refused-summary"
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []
    summary.get_by_role("link", name='PIC: "12" is not a PIC: a PIC has exactly 9 digits').click()
    expect(page.get_by_label("PIC (9 digits)")).to_be_focused()
    summary.get_by_role("link", name="Country: is required").click()
    expect(page.get_by_label("Country (code or name, required)")).to_be_focused()


def test_a_refused_sign_in_links_its_problem_to_the_error_beside_the_field(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/sign-in")
    page.get_by_label("E-mail address").fill("nobody@example.org")
    page.get_by_label("Password").fill("whatever")

    page.get_by_role("button", name="Sign in").click()

    link = page.get_by_test_id("refused-summary").get_by_role("link")
    expect(link).to_have_attribute("href", "#email-error")
    expect(page.locator("#email-error")).to_have_text(
        "The e-mail address or the password is not right."
    )


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["390", "1280"])
def test_an_organisations_suggestions_start_with_new_partners_only_on_both_pages(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str, screen: dict
) -> None:
    with live_database.unit_of_work() as session:
        make_user(session, email="maria@mobility.example", name="Maria")
        munich = make_organisation(session, name="Munich Aerospace Cluster").id
    page.set_viewport_size(screen)
    sign_in(page, live_server.url, "maria@mobility.example")
    hint = (
        "Starts ticked: Munich Aerospace Cluster knows its past partners already. "
        "Untick it to see them too."
    )

    for url in (f"/organisations/{munich}", f"/organisations/{munich}/suggestions"):
        page.goto(f"{live_server.url}{url}")

        box = page.get_by_test_id("suggestion-new-only")
        expect(box).to_be_checked()
        expect(box).to_have_accessible_description(hint)
        assert_fits(page)
        assert serious_violations(page, axe_source, skip=[]) == []
