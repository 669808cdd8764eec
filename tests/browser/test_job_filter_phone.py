"""The job list's filter on a 390 px phone: an administrator picks "Send an e-mail" and
"Failed" and submits the form (no script needed): the page fits and lists the failed mail. On
a wide screen the fields sit side by side, on a phone one under the other."""

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.session import Database
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.factories.job_lists import ADMIN, make_job_list

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 800}


def _bottoms(page: Page) -> list[float]:
    """The bottom edge of the kind and state fields and of the button, in pixels."""
    boxes = [
        page.get_by_label("Kind").bounding_box(),
        page.get_by_label("State").bounding_box(),
        page.get_by_role("button", name="Show").bounding_box(),
    ]
    return [box["y"] + box["height"] for box in boxes if box is not None]


def test_an_administrator_filters_the_jobs_on_a_phone(
    page: Page, live_server: LiveServer, live_database: Database
) -> None:
    with live_database.unit_of_work() as session:
        made = make_job_list(session)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, ADMIN)

    page.goto(f"{live_server.url}/jobs")
    page.get_by_label("Kind").select_option(label="Send an e-mail")
    page.get_by_label("State").select_option("failed")
    page.get_by_role("button", name="Show").click()

    expect(page).to_have_url(f"{live_server.url}/jobs?kind=mail.send&state=failed")
    expect(page.get_by_test_id("job-row")).to_have_count(2)
    rows = page.get_by_test_id("job-row").locator("a").all_inner_texts()
    assert rows == [str(made.olga_mail_failed), str(made.system_mail_failed)]
    assert_fits(page)
    kind, state, _ = _bottoms(page)
    assert kind < state

    page.set_viewport_size(WIDE)
    kind, state, button = _bottoms(page)
    assert kind == state == button
    assert_fits(page)
