"""The services-to-SMEs page's delivery filters at 1280 and 390 px: on a wide screen the five
filters and the button stand in one row, labels on one line and boxes on another; on a phone one
under the other, each as wide as the form. Neither scrolls sideways."""

from datetime import date

import pytest
from playwright.sync_api import Locator, Page

from clusterbridge.db.session import Database
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.factories.organisations import add_member, make_organisation
from tests.factories.sme_services import make_project
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

FILTERS = ("filter-service", "filter-kind", "filter-partner", "filter-start", "filter-end")


def _box(locator: Locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None
    return {key: round(value) for key, value in box.items()}


@pytest.fixture
def services_page(page: Page, live_server: LiveServer, live_database: Database) -> Page:
    with live_database.unit_of_work() as session:
        maria = make_user(session, email="maria@mobility.example", name="Maria")
        cluster = make_organisation(session, name="Mobility Cluster")
        add_member(session, cluster, maria)
        project = make_project(session, coordinator=cluster, start=date(2025, 1, 1))
    sign_in(page, live_server.url, "maria@mobility.example")
    page.goto(f"{live_server.url}/projects/{project.id}/services#deliveries")
    return page


def test_on_a_wide_screen_the_filters_and_the_button_stand_in_one_row(services_page: Page) -> None:
    # The date boxes stood taller than the lists and a few pixels higher, and the button fell
    # to a second row under them.
    page = services_page
    page.set_viewport_size({"width": 1280, "height": 900})
    form = page.locator("form.filter-bar")
    boxes = [_box(page.locator(f"#{name}")) for name in FILTERS]
    labels = [_box(form.locator(f'label[for="{name}"]')) for name in FILTERS]
    button = _box(form.get_by_role("button", name="Filter"))

    assert {box["y"] for box in boxes} == {boxes[0]["y"]}
    assert {box["height"] for box in boxes} == {boxes[0]["height"]}
    assert {label["y"] for label in labels} == {labels[0]["y"]}
    assert (button["y"], button["height"]) == (boxes[0]["y"], boxes[0]["height"])
    assert [box["x"] for box in boxes] == sorted(box["x"] for box in boxes)
    assert button["x"] > boxes[-1]["x"] + boxes[-1]["width"]
    assert_fits(page)


def test_on_a_phone_the_filters_stand_one_under_the_other_as_wide_as_the_form(
    services_page: Page,
) -> None:
    page = services_page
    page.set_viewport_size({"width": 390, "height": 844})
    form = _box(page.locator("form.filter-bar"))
    boxes = [_box(page.locator(f"#{name}")) for name in FILTERS]
    button = _box(page.locator("form.filter-bar").get_by_role("button", name="Filter"))

    assert [(box["x"], box["width"]) for box in boxes] == [(form["x"], form["width"])] * 5
    assert [box["y"] for box in boxes] == sorted({box["y"] for box in boxes})
    assert (button["x"], button["y"] > boxes[-1]["y"] + boxes[-1]["height"]) == (form["x"], True)
    assert_fits(page)
