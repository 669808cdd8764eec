"""An administrator makes someone an event organiser; the organiser downloads a list. At a
phone's width and a desktop's, without sideways scrolling."""

import io

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import UserRole
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.factories.event_exports import make_exported_event
from tests.factories.events import make_person

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]


@pytest.mark.parametrize("width", [390, 1280])
def test_an_administrator_lets_a_member_organise_events(
    page: Page, live_server: LiveServer, live_database: Database, width: int
) -> None:
    with live_database.unit_of_work() as session:
        make_person(session, email="root@example.org", name="Root", role=UserRole.ADMINISTRATOR)
        make_person(session, email="ana@example.org", name="Ana")
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server.url, "root@example.org")

    page.goto(f"{live_server.url}/events")
    page.get_by_role("link", name="Choose who organises events").click()
    assert_fits(page)
    page.get_by_role("button", name="Let Ana organise events").click()

    ana = page.get_by_test_id("account").filter(has_text="ana@example.org")
    expect(ana.get_by_test_id("role")).to_have_text("Event organiser")
    expect(page.get_by_role("button", name="Stop Ana organising events")).to_be_visible()
    assert_fits(page)


@pytest.mark.parametrize("width", [390, 1280])
def test_the_organiser_downloads_the_participants_as_excel(
    page: Page, live_server: LiveServer, live_database: Database, width: int
) -> None:
    with live_database.unit_of_work() as session:
        organiser = make_person(
            session, email="olga@events.example", name="Olga", role=UserRole.EVENT_ORGANISER
        )
        event_id = make_exported_event(session, organiser=organiser).event.id
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server.url, "olga@events.example")
    page.goto(f"{live_server.url}/events/{event_id}/manage")
    section = page.locator("[data-testid=exports]")

    with page.expect_download() as download:
        section.get_by_test_id("export-participants-xlsx").click()

    assert download.value.suggested_filename == f"event-{event_id}-participants.xlsx"
    path = download.value.path()
    sheet = openpyxl.load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]
    assert [row[1].value for row in sheet.iter_rows()] == ["Name", "Ana", "Ben", "Cleo", "Dan"]
    assert section.evaluate("box => box.scrollWidth <= box.clientWidth") is True
