"""An htmx action the server refuses (403, 404, 409) used to change nothing on the page: htmx
does not swap such answers, so the button seemed dead (the QA of 2026-12-07). The refusal is
now shown in an alert at the top of the page, in the server's words."""

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.session import Database
from tests.browser.conftest import LiveServer
from tests.browser.helpers import sign_in
from tests.factories.job_lists import ADMIN, make_job_list

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]


def test_a_refused_htmx_request_says_why_on_the_page(
    page: Page, live_server: LiveServer, live_database: Database
) -> None:
    with live_database.unit_of_work() as session:
        make_job_list(session)
    sign_in(page, live_server.url, ADMIN)
    page.goto(f"{live_server.url}/jobs")
    alert = page.get_by_test_id("htmx-error")
    expect(alert).to_have_count(0)

    # A real htmx request, as a panel's button makes it, for a job that does not exist.
    page.evaluate("htmx.ajax('GET', '/jobs/999999', {target: '#main', swap: 'innerHTML'})")

    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("999999")
    # The page itself is left as it was.
    expect(page.get_by_test_id("job-filter")).to_be_visible()
