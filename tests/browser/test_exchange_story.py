"""Issue 17's exchange in a real browser, from enrolment to payment, on a phone (390 px) and a
desktop (1280 px): Vera enrols Munich Cluster as a visitor and Hugo Porto Cluster as a host;
Paula and Pedro validate them for their partnerships; Paula sets up the exchange; all four
approve the Commitment to Quality; Vera sends the closing report with a PDF; Paula validates it
and records the payment. A second story: Vera asks Porto from the catalogue, Hugo accepts, Paula
sees the accepted request on her partnership's page and sets the exchange up; Hugo cancels it
(a reason first missing), it shows as cancelled and counts for nothing, and Paula sets up
another one for Vera. No page may scroll sideways.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import UserRole
from clusterbridge.services.exchanges import create_partnership
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.conftest import NOW, Clock
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PEOPLE = {
    "vera": "vera@munich.example",
    "hugo": "hugo@porto.example",
    "paula": "paula@alpine.example",
    "pedro": "pedro@atlantic.example",
}


@pytest.fixture
def story(live_database: Database) -> dict[str, int]:
    with live_database.unit_of_work() as session:
        admin = make_user(session, email="ada@example.org", name="Ada", role=UserRole.ADMINISTRATOR)
        users = {
            key: make_user(session, email=email, name=key.title()) for key, email in PEOPLE.items()
        }
        munich = make_organisation(session, name="Munich Cluster", country="DE")
        porto = make_organisation(session, name="Porto Cluster", country="PT", nuts=None)
        add_member(session, munich, users["vera"])
        add_member(session, porto, users["hugo"])
        alpine = create_partnership(
            session, admin, name="Alpine CXC", country="AT", members=[users["paula"]]
        )
        atlantic = create_partnership(
            session, admin, name="Atlantic CXC", country="PT", members=[users["pedro"]]
        )
        return {"alpine": alpine.id, "atlantic": atlantic.id}


@pytest.fixture(
    params=[{"width": 390, "height": 844}, {"width": 1280, "height": 900}], ids=["390px", "1280px"]
)
def screens(browser: Browser, request: pytest.FixtureRequest) -> Iterator[dict[str, Page]]:
    contexts: list[BrowserContext] = [browser.new_context(viewport=request.param) for _ in PEOPLE]
    yield {name: context.new_page() for name, context in zip(PEOPLE, contexts, strict=True)}
    for context in contexts:
        context.close()


def enrol(
    page: Page, url: str, *, organisation: str, partnership: str, host: bool, place: str
) -> None:
    page.goto(f"{url}/exchanges")
    page.get_by_test_id("enrol-link").click()
    page.get_by_label("Organisation", exact=True).select_option(label=organisation)
    page.get_by_label("Partnership that will validate you").select_option(label=partnership)
    page.get_by_label(
        "Host (you receive visitors)" if host else "Visitor (you travel to the host, once)"
    ).check()
    page.get_by_label("Kind of organisation").select_option(
        "sme" if host else "cluster_organisation"
    )
    if host:
        page.get_by_label("Member of a cluster").select_option("yes")
    page.get_by_label("Place distances are measured from").fill(place)
    page.get_by_label("Motivation").fill("Meet the other cluster and its members.")
    page.get_by_label("Networking").check()
    assert_fits(page)
    page.get_by_test_id("enrol").click()
    expect(page.get_by_test_id("enrolment-state")).to_have_text(
        "Waiting for the partnership's validation"
    )
    assert_fits(page)


def validate_first(page: Page, url: str, partnership: int) -> None:
    page.goto(f"{url}/exchanges/partnerships/{partnership}")
    assert_fits(page)
    page.get_by_test_id("validate").first.click()
    expect(page.get_by_test_id("queue")).to_have_text("Nobody is waiting.")


def set_up_exchange(page: Page, url: str, partnership: int) -> None:
    page.goto(f"{url}/exchanges/partnerships/{partnership}")
    page.get_by_label("Visitor", exact=True).select_option(label="Munich Cluster (DE)")
    page.get_by_label("Host", exact=True).select_option(label="Porto Cluster (PT)")
    page.get_by_label("First day at the host").fill("2025-01-06")
    page.get_by_label("Last day at the host").fill("2025-01-10")
    page.get_by_label("What it is for").select_option("networking")
    for field in ("Goals", "Objectives", "Agenda"):
        page.get_by_label(field, exact=True).fill(f"{field} of the visit")
    page.get_by_test_id("propose").click()
    expect(page.get_by_test_id("lump-sum")).to_have_text("EUR 780")


def enrol_both(screens: dict[str, Page], url: str, story: dict[str, int]) -> None:
    for name, page in screens.items():
        sign_in(page, url, PEOPLE[name])
    enrol(
        screens["vera"],
        url,
        organisation="Munich Cluster (DE)",
        partnership="Alpine CXC",
        host=False,
        place="Munich, DE",
    )
    enrol(
        screens["hugo"],
        url,
        organisation="Porto Cluster (PT)",
        partnership="Atlantic CXC",
        host=True,
        place="Porto, PT",
    )
    validate_first(screens["paula"], url, story["alpine"])
    validate_first(screens["pedro"], url, story["atlantic"])


def test_a_request_accepted_then_the_exchange_cancelled_and_set_up_again(
    live_server: LiveServer, story: dict[str, int], screens: dict[str, Page]
) -> None:
    url = live_server.url
    enrol_both(screens, url, story)
    vera, hugo, paula = screens["vera"], screens["hugo"], screens["paula"]

    vera.goto(f"{url}/exchanges")
    vera.get_by_text("See the suggested hosts").click()
    expect(vera.get_by_test_id("suggestion")).to_have_attribute(
        "data-organisation", "Porto Cluster"
    )
    vera.get_by_label("Your message to Porto Cluster").fill("May we visit your pilot lines?")
    vera.get_by_test_id("ask").click()
    expect(vera.get_by_test_id("request-state")).to_have_text("Waiting for the host's answer")
    assert_fits(vera)
    hugo.goto(f"{url}/exchanges")
    hugo.get_by_test_id("enrolment-link").click()
    expect(hugo.get_by_test_id("request")).to_have_count(1)
    hugo.get_by_label("Answer").fill("Welcome in November")
    hugo.get_by_test_id("accept").click()
    expect(hugo.get_by_test_id("request-state")).to_have_text("Accepted: Welcome in November")

    paula.goto(f"{url}/exchanges/partnerships/{story['alpine']}")
    accepted = paula.get_by_test_id("accepted-request")
    expect(accepted).to_have_attribute("data-counted", "yes")
    expect(accepted).to_contain_text("Munich Cluster (DE) to Porto Cluster (PT, Atlantic CXC)")
    expect(accepted).to_contain_text("Counted in the assignment")
    assert_fits(paula)

    set_up_exchange(paula, url, story["alpine"])
    exchange_url = paula.url
    hugo.goto(exchange_url)
    hugo.get_by_test_id("cancel-exchange").click()
    expect(hugo.get_by_test_id("error-reason")).to_have_text("is required")
    hugo.get_by_label("Why it is cancelled").fill("Our pilot lines are closed that week.")
    hugo.get_by_test_id("cancel-exchange").click()
    expect(hugo.get_by_test_id("cancelled")).to_contain_text(
        "Cancelled by the host on 01 December 2024: Our pilot lines are closed that week."
    )
    expect(hugo.get_by_test_id("state")).to_have_text("Cancelled")
    expect(hugo.get_by_test_id("cancel-exchange")).to_have_count(0)
    assert_fits(hugo)

    paula.goto(f"{url}/exchanges/partnerships/{story['alpine']}")
    expect(paula.get_by_test_id("credited")).to_have_text("0")
    expect(paula.get_by_test_id("committed")).to_have_text("EUR 0")
    expect(paula.get_by_test_id("exchanges")).to_contain_text("Cancelled")
    expect(paula.get_by_test_id("accepted-request")).to_have_attribute("data-counted", "yes")
    set_up_exchange(paula, url, story["alpine"])
    expect(paula.get_by_test_id("state")).to_have_text("Waiting for approvals")
    assert paula.url != exchange_url
    assert_fits(paula)


def test_exchange_from_enrolment_to_payment(
    live_server: LiveServer,
    story: dict[str, int],
    screens: dict[str, Page],
    tmp_path: Path,
    clock: Clock,
) -> None:
    url = live_server.url
    for name, page in screens.items():
        sign_in(page, url, PEOPLE[name])
    vera, hugo, paula, pedro = (screens[n] for n in ("vera", "hugo", "paula", "pedro"))

    enrol(
        vera,
        url,
        organisation="Munich Cluster (DE)",
        partnership="Alpine CXC",
        host=False,
        place="Munich, DE",
    )
    enrol(
        hugo,
        url,
        organisation="Porto Cluster (PT)",
        partnership="Atlantic CXC",
        host=True,
        place="Porto, PT",
    )
    validate_first(paula, url, story["alpine"])
    validate_first(pedro, url, story["atlantic"])

    # Paula sets up the exchange a week before the stay: a mistake first (a two-day stay),
    # then the right dates. The rest happens after the stay.
    clock.now = datetime(2024, 10, 28, 9, 0, tzinfo=UTC)
    paula.reload()
    paula.get_by_label("Visitor", exact=True).select_option(label="Munich Cluster (DE)")
    paula.get_by_label("Host", exact=True).select_option(label="Porto Cluster (PT)")
    paula.get_by_label("First day at the host").fill("2024-11-04")
    paula.get_by_label("Last day at the host").fill("2024-11-05")
    paula.get_by_label("What it is for").select_option("networking")
    for field in ("Goals", "Objectives", "Agenda"):
        paula.get_by_label(field, exact=True).fill(f"{field} of the visit")
    paula.get_by_test_id("propose").click()
    expect(paula.get_by_test_id("error-end")).to_have_text(
        "the stay has 2 working days; the programme asks for at least 3"
    )
    expect(paula.get_by_label("Last day at the host")).to_have_attribute("aria-invalid", "true")
    expect(paula.get_by_label("Goals", exact=True)).to_have_value("Goals of the visit")
    paula.get_by_label("Last day at the host").fill("2024-11-08")
    paula.get_by_test_id("propose").click()
    expect(paula.get_by_test_id("lump-sum")).to_have_text("EUR 780")
    assert_fits(paula)
    exchange_url = paula.url
    clock.now = NOW

    for page, party in (
        (vera, "visitor"),
        (hugo, "host"),
        (paula, "visitor_partnership"),
        (pedro, "host_partnership"),
    ):
        page.goto(exchange_url)
        page.get_by_test_id(f"approve-{party}").click()
        expect(page.get_by_test_id(f"approve-{party}")).to_have_count(0)
    expect(pedro.get_by_test_id("state")).to_have_text("Confirmed")

    ticket = tmp_path / "boarding-pass.pdf"
    ticket.write_bytes(b"%PDF-1.4\n% a boarding pass\n")
    vera.goto(exchange_url)
    vera.get_by_label("What the exchange achieved").fill("Two project ideas with Porto's members.")
    vera.get_by_label("Evidence: tickets, invoices").set_input_files(str(ticket))
    vera.get_by_test_id("send-report").click()
    expect(vera.get_by_test_id("state")).to_have_text("Report sent")
    assert_fits(vera)

    paula.goto(exchange_url)
    paula.get_by_test_id("validate-report").click()
    expect(paula.get_by_test_id("due")).to_have_text("Due by 11 December 2024.")
    # A mistake first: an amount that is no number and a reference too long, named at once.
    paula.get_by_label("Paid on").fill("2024-12-01")
    paula.get_by_label("Amount (EUR)").fill("lots")
    paula.get_by_label("Reference").fill("SEPA " + "7" * 100)
    paula.get_by_test_id("record-payment").click()
    expect(paula.get_by_test_id("refused-summary").get_by_role("listitem")).to_have_text(
        [
            'Amount (EUR): "lots" is not an amount in euros, such as EUR 350,000',
            "Reference: must be at most 100 characters, not 105",
        ]
    )
    expect(paula.get_by_label("Reference")).to_have_attribute("aria-invalid", "true")
    expect(paula.get_by_label("Amount (EUR)")).to_have_value("lots")
    expect(paula.get_by_label("Paid on")).to_have_value("2024-12-01")
    assert_fits(paula)
    paula.get_by_label("Amount (EUR)").fill("780")
    paula.get_by_label("Reference").fill("SEPA 2024-17")
    paula.get_by_test_id("record-payment").click()
    expect(paula.get_by_test_id("paid")).to_have_text(
        "Paid EUR 780 on 01 December 2024 (SEPA 2024-17)."
    )
    assert_fits(paula)

    paula.goto(f"{url}/exchanges/partnerships/{story['alpine']}")
    expect(paula.get_by_test_id("paid")).to_have_text("EUR 780")
    assert_fits(paula)
