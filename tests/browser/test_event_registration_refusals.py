"""An event's registration refused, and a participant's page opened by someone who takes no
part, in a real browser on a phone (390 px) and a laptop (1280 px): the summary at the top
links the organisation's problem to the field, as every other field's, and the refused page
leads to the registration form."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.session import Database
from tests.browser.conftest import LiveServer
from tests.browser.helpers import ON_EACH_SCREEN, assert_fits, open_signed_in, sign_in
from tests.factories.events import make_person, make_rules_world

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]


@pytest.fixture
def world(live_database: Database) -> dict[str, Any]:
    """An open event run by Olga, Wanda and Bob validated; Sam (a member of Sam SA only) and
    Nadia (of no organisation) take no part in it."""
    with live_database.unit_of_work() as session:
        ids = dict(make_rules_world(session))
        make_person(session, email="nadia@example.org", name="Nadia")
        return ids


@ON_EACH_SCREEN
def test_an_organisation_one_may_not_register_is_linked_from_the_summary(
    page: Page, live_server: LiveServer, world: dict[str, Any], screen: dict
) -> None:
    open_signed_in(page, live_server.url, "sam@example.org", f"/events/{world['event']}",
                   screen=screen)  # fmt: skip
    # Typing searches (htmx): one answer, the choice then ticked stays ticked.
    page.get_by_test_id("organisation-query").fill("bob gmbh")
    expect(page.get_by_test_id("organisation-choice")).to_have_count(1)
    page.get_by_test_id("organisation-choice").check()

    page.get_by_test_id("register").click()

    summary = page.get_by_test_id("refused-summary")
    expect(summary).to_be_focused()
    problem = (
        f"Your organisation: You are not a member of Bob GmbH (organisation {world['bob_org']}): "
        "register for an organisation you belong to, or claim this one in the registry first"
    )
    expect(summary.get_by_role("listitem")).to_have_text([problem])
    assert_fits(page)
    summary.get_by_role("link", name=problem).click()
    # The choice sent (checked), where the keyboard enters the group, not the first one.
    chosen = page.get_by_test_id("chosen-organisation")
    expect(chosen).to_be_focused()
    expect(chosen).to_be_checked()
    expect(chosen).to_have_accessible_description(problem.removeprefix("Your organisation: "))


@ON_EACH_SCREEN
def test_no_organisation_to_choose_links_to_the_registry_search(
    page: Page, live_server: LiveServer, world: dict[str, Any], screen: dict
) -> None:
    open_signed_in(page, live_server.url, "nadia@example.org", f"/events/{world['event']}",
                   screen=screen)  # fmt: skip
    page.get_by_test_id("offers").fill("x" * 2001)

    page.get_by_test_id("register").click()

    summary = page.get_by_test_id("refused-summary")
    expect(summary).to_be_focused()
    missing = "choose your organisation: search the registry for it above"
    expect(summary.get_by_role("listitem")).to_have_text(
        [
            f"Your organisation: {missing}",
            "What you offer: must be at most 2,000 characters, not 2,001",
        ]
    )
    assert_fits(page)
    summary.get_by_role("link", name=f"Your organisation: {missing}").click()
    expect(page.get_by_test_id("organisation-query")).to_be_focused()
    expect(page.get_by_test_id("organisation-query")).to_have_accessible_description(missing)
    summary.get_by_role(
        "link", name="What you offer: must be at most 2,000 characters, not 2,001"
    ).click()
    expect(page.get_by_label("What you offer")).to_be_focused()


@ON_EACH_SCREEN
def test_my_requests_lead_one_who_is_not_registered_to_the_registration_form(
    page: Page, live_server: LiveServer, world: dict[str, Any], screen: dict
) -> None:
    page.set_viewport_size(screen)
    sign_in(page, live_server.url, "sam@example.org")
    event = f"{live_server.url}/events/{world['event']}"

    response = page.goto(f"{event}/meetings")

    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("Register for this event first.")
    assert_fits(page)
    page.get_by_role("link", name="Go to the registration form").click()
    expect(page).to_have_url(f"{event}#registration")
    expect(page.get_by_role("button", name="Register", exact=True)).to_be_in_viewport()
