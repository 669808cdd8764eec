"""Issue 13's claim in a real browser, on a phone-sized screen: Rita finds her company by its
PIC, asks to manage its record, and Mia, its member, approves; Rita can then edit it.

Two people act in two browser contexts, 390 px wide. After every htmx action the test waits
for the state the server rendered (a ``data-*`` attribute); no page may scroll sideways.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

RITA = "rita.requester-with-a-long-address@tiny-robots-engineering.example"
MIA = "mia@robots.example"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def story(live_database: Database) -> int:
    """Tiny Robots GmbH (PIC 999000002) with Mia as its member, another company with a PIC
    alike, and Rita's account."""
    with live_database.unit_of_work() as session:
        mia = make_user(session, email=MIA, name="Mia Member")
        make_user(session, email=RITA, name="Rita Requester")
        robots = make_organisation(
            session, name="Tiny Robots GmbH", pic="999000002", type=OrgType.SME
        )
        make_organisation(session, name="Tiny Robotics SRL", pic="999000020", country="IT")
        add_member(session, robots, mia)
        return robots.id


@pytest.fixture
def people(browser: Browser) -> Iterator[dict[str, Page]]:
    contexts: list[BrowserContext] = [browser.new_context(viewport=PHONE) for _ in range(2)]
    yield {
        name: context.new_page() for name, context in zip(("rita", "mia"), contexts, strict=True)
    }
    for context in contexts:
        context.close()


def test_find_by_pic_ask_to_manage_and_a_member_approves(
    live_server: LiveServer, story: int, people: dict[str, Page]
) -> None:
    url = live_server.url
    rita, mia = people["rita"], people["mia"]
    for page, email in ((rita, RITA), (mia, MIA)):
        sign_in(page, url, email)

    # Rita finds her company by its PIC: it alone, although another PIC begins alike.
    rita.goto(f"{url}/organisations")
    rita.get_by_label("Search").fill(" 999000002 ")
    expect(rita.locator(".result-count")).to_have_text("1 organisation for “ 999000002 ”")
    assert_fits(rita)
    rita.get_by_role("link", name="Tiny Robots GmbH").click()

    # She cannot edit it, so she asks to manage it.
    expect(rita.get_by_role("heading", name="Tiny Robots GmbH", level=1)).to_be_visible()
    expect(rita.get_by_role("link", name="Edit")).to_have_count(0)
    assert_fits(rita)
    rita.get_by_label("Who are you, and how do you belong to the organisation?").fill(
        "Rita, managing director of Tiny Robots since 2019."
    )
    rita.get_by_role("button", name="Ask to manage this organisation").click()
    expect(rita.locator('[data-testid="claim-state"][data-status="pending"]')).to_be_visible()
    assert_fits(rita)

    # Mia, its member, sees the request and approves it.
    mia.goto(f"{url}/organisations/{story}")
    claim = mia.locator('[data-testid="pending-claim"][data-requester="Rita Requester"]')
    expect(claim).to_contain_text("Rita, managing director of Tiny Robots since 2019.")
    expect(claim).to_contain_text(RITA)
    assert_fits(mia)
    claim.get_by_role("button", name="Approve").click()
    expect(mia.get_by_test_id("no-pending-claims")).to_be_visible()

    # Rita can now edit the record.
    rita.reload()
    rita.locator("p.actions").get_by_role("link", name="Edit").click()
    expect(rita.get_by_label("Name (required)")).to_have_value("Tiny Robots GmbH")
    assert_fits(rita)
    rita.get_by_label("City").fill("München")
    rita.get_by_role("button", name="Save").click()
    expect(rita.get_by_role("heading", level=1)).to_have_text("Tiny Robots GmbH")
    expect(rita.locator(".facts dt:text-is('Region') + dd")).to_have_text(
        "DE212 München, Kreisfreie Stadt"
    )
    expect(rita.locator(".facts dt:text-is('City') + dd")).to_have_text("München")


def test_a_refusal_with_its_reason(
    live_server: LiveServer, story: int, people: dict[str, Page]
) -> None:
    url = live_server.url
    rita, mia = people["rita"], people["mia"]
    for page, email in ((rita, RITA), (mia, MIA)):
        sign_in(page, url, email)
    rita.goto(f"{url}/organisations/{story}")
    rita.get_by_test_id("claim-message").fill("Rita from Tiny Robots.")
    rita.get_by_test_id("ask-to-manage").click()
    expect(rita.locator('[data-testid="claim-state"][data-status="pending"]')).to_be_visible()

    mia.goto(f"{url}/organisations/{story}")
    mia.get_by_test_id("claim-reason").fill("Nobody here knows you; call us first.")
    mia.get_by_test_id("refuse-claim").click()
    expect(mia.get_by_test_id("no-pending-claims")).to_be_visible()

    rita.reload()
    expect(rita.locator('[data-testid="claim-state"][data-status="refused"]')).to_contain_text(
        "“Nobody here knows you; call us first.” You may ask again."
    )
    expect(rita.get_by_test_id("ask-to-manage")).to_be_visible()
    assert_fits(rita)
