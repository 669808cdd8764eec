"""Refusals in a real browser at 390 and 1280 px: the services-to-SMEs page's forms, a request
to manage an organisation and a readiness question with the shared summary and fields marked
invalid (the forms carry ``novalidate``: the browser's bubble no longer stops them), and the
site's page for a form too large to send. Each fits its screen (no sideways scroll) and passes
axe."""

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.session import Database
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.browser.test_pages import serious_violations
from tests.factories.organisations import add_member, make_organisation
from tests.factories.sme_services import make_project
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

SIZES = [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]
#: Over the default limit of a body without files (5 MB).
TOO_MUCH = 6 * 1024 * 1024


@pytest.mark.parametrize("size", SIZES, ids=["390px", "1280px"])
def test_a_refused_service_and_refused_filters_are_summed_up_with_their_fields_marked(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str, size: Any
) -> None:
    with live_database.unit_of_work() as session:
        maria = make_user(session, email="maria@mobility.example", name="Maria")
        cluster = make_organisation(session, name="Mobility Cluster")
        add_member(session, cluster, maria)
        project = make_project(session, coordinator=cluster, start=date(2025, 1, 1))
    page.set_viewport_size(size)
    sign_in(page, live_server.url, "maria@mobility.example")
    page.goto(f"{live_server.url}/projects/{project.id}/services")

    form = page.get_by_test_id("service-form")
    form.get_by_label("Description").fill("d" * 5001)
    page.get_by_test_id("add-service").click()

    summary = page.get_by_test_id("refused-summary")
    expect(summary.get_by_role("listitem")).to_have_text(
        ["Name: is required", "Description: must be at most 5,000 characters, not 5,001"]
    )
    name = page.get_by_test_id("service-form").get_by_label("Name", exact=True)
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description("is required")
    assert page.locator('[role="alert"]').count() == 1
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []

    page.goto(f"{live_server.url}/projects/{project.id}/services?start=garbage&partner=x1")

    expect(page.get_by_test_id("refused-summary").get_by_role("listitem")).to_have_text(
        [
            "Deliveries by: “x1” is not a partner of the project",
            "Deliveries from: “garbage” is not a date (YYYY-MM-DD)",
        ]
    )
    expect(page.get_by_label("Delivered by")).to_have_accessible_description(
        "“x1” is not a partner of the project"
    )
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []


@pytest.mark.parametrize("size", SIZES, ids=["390px", "1280px"])
def test_an_empty_request_to_manage_and_a_weight_of_one_and_a_half_are_summed_up(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str, size: Any
) -> None:
    with live_database.unit_of_work() as session:
        maria = make_user(session, email="maria@mobility.example", name="Maria")
        make_user(session, email="rita@robots.example", name="Rita")
        cluster = make_organisation(session, name="Mobility Cluster")
        robots = make_organisation(session, name="Tiny Robots GmbH")
        add_member(session, cluster, maria)
    page.set_viewport_size(size)
    sign_in(page, live_server.url, "rita@robots.example")
    page.goto(f"{live_server.url}/organisations/{robots.id}")

    page.get_by_test_id("ask-to-manage").click()

    reason = "is required: say who you are and how you belong to the organisation"
    summary = page.get_by_test_id("refused-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("listitem")).to_have_text([f"Your request: {reason}"])
    expect(page.get_by_test_id("claim-message")).to_have_accessible_description(reason)
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []

    sign_in(page, live_server.url, "maria@mobility.example")
    page.goto(f"{live_server.url}/organisations/{cluster.id}/readiness")
    page.locator("#new-text").fill("Do we meet our members twice a year?")
    page.locator("#new-weight").fill("1.5")
    page.get_by_test_id("add-question").click()

    summary = page.get_by_test_id("refused-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("listitem")).to_have_text(
        ['Weight (1–5): "1.5" is not a whole number']
    )
    expect(page.locator("#new-text")).to_have_value("Do we meet our members twice a year?")
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []


@pytest.mark.parametrize("size", SIZES, ids=["390px", "1280px"])
def test_a_form_too_large_to_send_gets_the_sites_error_page(
    page: Page, live_server: LiveServer, axe_source: str, size: Any
) -> None:
    page.set_viewport_size(size)
    page.goto(f"{live_server.url}/sign-in")

    page.get_by_label("E-mail address").evaluate(
        "(field, size) => { field.form.noValidate = true; field.value = 'x'.repeat(size); }",
        TOO_MUCH,
    )
    page.get_by_label("Password").fill("secret")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title("Too much to send · clusterbridge")
    expect(page.get_by_role("heading", level=1)).to_have_text("Too much to send")
    expect(page.get_by_role("alert")).to_have_text(
        "The request is too large: at most 5 MB without files. "
        "Shorten what you typed, then send the form again."
    )
    back = page.get_by_role("link", name="Back to the page you came from")
    expect(back).to_have_attribute("href", "/sign-in")
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []
    back.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
