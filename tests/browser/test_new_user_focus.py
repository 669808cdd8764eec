"""A form sent by htmx whose answer replaces the button pressed leaves the focus somewhere a
keyboard user can go on from: on the field the answer refuses (found walking the site as a new
SME owner, whose refused request to manage a record left the focus on the page's body)."""

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_refused_request_to_manage_a_record_puts_the_focus_on_its_summary(
    page: Page, live_server: LiveServer, live_database: Database, screen: dict[str, int]
) -> None:
    with live_database.unit_of_work() as session:
        make_user(session, email="marta@samco.example", name="Marta Rossi")
        samco = make_organisation(session, name="Samco Ltd", country="IE", type=OrgType.SME)
        samco_id = samco.id
    page.set_viewport_size(screen)
    sign_in(page, live_server.url, "marta@samco.example")
    page.goto(f"{live_server.url}/organisations/{samco_id}")
    message = page.get_by_label("Who are you, and how do you belong to the organisation?")
    message.fill("   ")

    # The keyboard: Tab from the message to the button, Enter sends the form.
    message.press("Tab")
    expect(page.get_by_role("button", name="Ask to manage this organisation")).to_be_focused()
    page.keyboard.press("Enter")

    refused = page.get_by_test_id("claim-message-error")
    expect(refused).to_have_text(
        "is required: say who you are and how you belong to the organisation"
    )
    # The summary (as on every refused form) takes the focus; its link leads to the message.
    summary = page.get_by_test_id("refused-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("listitem")).to_have_text(
        ["Your request: is required: say who you are and how you belong to the organisation"]
    )
    summary.get_by_role("link").click()
    message = page.get_by_label("Who are you, and how do you belong to the organisation?")
    expect(message).to_be_focused()
    expect(message).to_have_attribute("aria-invalid", "true")
    assert_fits(page)
