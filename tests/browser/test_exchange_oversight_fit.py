"""The pages this work touched, in Chromium on a 390 px phone and a 1280 px screen: a programme
officer opens All exchanges from the Exchanges page, filters it and opens an exchange (read
only); a partnership's member sees its board and an exchange with its forms; a cluster's member
downloads the readiness CSV from its page. No page scrolls sideways."""

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import ExchangeState
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.exchange_world import add_enrolments, add_exchange, make_world
from tests.readiness_world import EXPECTED_CSV, make_assessed_cluster

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

SCREENS = {"phone": {"width": 390, "height": 844}, "wide": {"width": 1280, "height": 800}}
#: Names as long as the registry's, which a narrow card must wrap.
LONG = "Fraunhofer-Gesellschaft zur Förderung der angewandten Forschung Cluster Energietechnik"


@pytest.mark.parametrize("screen", SCREENS)
def test_an_officer_finds_filters_and_reads_the_exchanges(
    page: Page, live_server: LiveServer, live_database: Database, screen: str
) -> None:
    world = make_world(live_database)
    add_exchange(
        live_database,
        visitor=LONG,
        host="Braga",
        visitors_partnership=world.alpine,
        hosts_partnership=world.atlantic,
        state=ExchangeState.PAID,
    )
    add_exchange(
        live_database,
        visitor="Aarhus",
        host="Porto",
        visitors_partnership=world.nordic,
        hosts_partnership=world.atlantic,
        state=ExchangeState.CANCELLED,
    )
    page.set_viewport_size(SCREENS[screen])
    sign_in(page, live_server.url, "olga@commission.example")

    page.goto(f"{live_server.url}/exchanges")
    assert_fits(page)
    page.get_by_test_id("all-exchanges-link").click()
    expect(page.get_by_test_id("exchange")).to_have_count(2)
    assert_fits(page)
    page.get_by_label("Partnership").select_option(label="Nordic CXC")
    page.get_by_label("State").select_option(label="Cancelled")
    page.get_by_role("button", name="Show").click()

    expect(page.get_by_test_id("exchange")).to_have_count(1)
    expect(page.get_by_test_id("total")).to_have_text("1 exchange")
    assert_fits(page)
    page.get_by_role("link", name="Aarhus visits Porto").click()
    expect(page.get_by_test_id("reads-only")).to_be_visible()
    expect(page.locator("form[action^='/exchanges/']")).to_have_count(0)
    assert_fits(page)
    page.goto(f"{live_server.url}/exchanges/all")
    page.get_by_role("link", name=f"{LONG} visits Braga").click()
    expect(page.get_by_test_id("paid")).to_contain_text("on 20 November 2024")
    assert_fits(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_partnership_member_sees_its_board_and_exchange_with_dates_in_words(
    page: Page, live_server: LiveServer, live_database: Database, screen: str
) -> None:
    world = make_world(live_database)
    exchange = add_exchange(
        live_database,
        visitor=LONG,
        host="Braga",
        visitors_partnership=world.alpine,
        hosts_partnership=world.atlantic,
        state=ExchangeState.VALIDATED,
    )
    page.set_viewport_size(SCREENS[screen])
    sign_in(page, live_server.url, "paula@alpine.example")

    page.goto(f"{live_server.url}/exchanges/partnerships/{world.alpine}")
    assert_fits(page)
    page.goto(f"{live_server.url}/exchanges/{exchange}")

    expect(page.get_by_test_id("due")).to_have_text("Due by 25 November 2024.")
    expect(page.get_by_label("Paid on")).to_have_attribute("type", "date")
    assert_fits(page)
    page.goto(f"{live_server.url}/exchanges")
    assert_fits(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_a_member_downloads_the_readiness_csv_from_its_page(
    page: Page, live_server: LiveServer, live_database: Database, screen: str
) -> None:
    with live_database.unit_of_work() as session:
        cluster = make_assessed_cluster(session)
    page.set_viewport_size(SCREENS[screen])
    sign_in(page, live_server.url, "maria@munich.example")
    page.goto(f"{live_server.url}/organisations/{cluster}/readiness")
    assert_fits(page)

    with page.expect_download() as download:
        page.get_by_test_id("export-csv").click()

    path = download.value.path()
    assert path.read_bytes().decode("utf-8") == EXPECTED_CSV
    assert download.value.suggested_filename == f"readiness-{cluster}-2024-12-01.csv"


@pytest.mark.parametrize("screen", SCREENS)
def test_an_officer_reads_a_partnerships_page_and_a_participant(
    page: Page, live_server: LiveServer, live_database: Database, screen: str
) -> None:
    world = make_world(live_database)
    add_enrolments(live_database, world)
    page.set_viewport_size(SCREENS[screen])
    sign_in(page, live_server.url, "olga@commission.example")

    page.goto(f"{live_server.url}/exchanges/all")
    page.get_by_role("link", name="Alpine CXC").click()
    expect(page.get_by_test_id("reads-only")).to_be_visible()
    expect(page.get_by_test_id("pending")).to_have_count(1)
    expect(page.locator("form[action^='/exchanges/']")).to_have_count(0)
    assert_fits(page)
    page.get_by_role("link", name="Salzburg").click()

    expect(page.get_by_test_id("participant-state")).to_have_text(
        "Waiting for the partnership's validation"
    )
    expect(page.get_by_test_id("reads-only")).to_be_visible()
    expect(page.locator("form[action^='/exchanges/']")).to_have_count(0)
    assert_fits(page)
