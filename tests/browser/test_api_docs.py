"""The API's page (/api/docs, Swagger UI): an operation tried out has a named field for each
of its parameters, on a phone and on a wide screen."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

#: Each field of the operation's open block with what a screen reader names it by.
NAMES = """block => [...block.querySelectorAll(
    ".parameters input, .parameters select, .parameters textarea")]
  .filter(field => field.type !== "hidden" && field.type !== "file")
  .map(field => [field.getAttribute("placeholder"), field.getAttribute("aria-label")
    || (field.labels && field.labels.length ? field.labels[0].textContent : null)])"""


@pytest.mark.parametrize("width", [390, 1280])
def test_a_tried_out_operation_names_its_parameter_fields(
    page: Page, live_server: LiveServer, width: int
) -> None:
    # The walk of 2026-12-07: after "Try it out" the exchange's number was a field with a
    # placeholder alone, which a screen reader does not take for its name.
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/api/docs#/exchanges/read_exchange_exchanges__exchange_id__get")
    block = page.locator(".opblock.is-open")
    expect(block).to_have_count(1, timeout=20_000)

    block.get_by_role("button", name="Try it out").click()
    expect(block.locator("input[placeholder='exchange_id']")).to_be_visible()

    assert block.evaluate(NAMES) == [["exchange_id", "exchange_id (path)"]]
    assert_fits(page)
