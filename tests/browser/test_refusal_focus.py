"""A page that refuses a form as a whole shows the reason in the shared refusal box
(templates/_form_errors.html), which takes the focus as the summary of a form's fields does, so
a keyboard or screen-reader user starts at the reason: the event's manage page, an exchange's
page and the evaluation panel. The registry's results, swapped while the visitor types, show
their refusal without taking the focus from the search box. No page scrolls sideways."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import (
    ActivityType,
    CommitmentParty,
    EventStatus,
    ExchangeRole,
    UserRole,
)
from clusterbridge.engines.exchanges import load_programme
from clusterbridge.services.exchanges import (
    ExchangeNotifier,
    Proposal,
    approve_commitment,
    create_partnership,
    propose_exchange,
)
from clusterbridge.services.mail import FileMailer
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.browser.test_pages import serious_violations
from tests.conftest import NOW, Clock
from tests.factories.calls import call_draft, make_call
from tests.factories.evaluation import add_pool, make_small_evaluation
from tests.factories.events import make_event, make_person
from tests.factories.exchanges import make_participant
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENS = pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["390", "1280"])
#: After the evaluation call's deadline (``CLOSES_AT``): its experts may be assigned.
CLOSED = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)


def _focused_testid(page: Page) -> str | None:
    testid: str | None = page.evaluate("document.activeElement?.dataset.testid ?? null")
    return testid


def _fits_and_passes_axe(page: Page, axe_source: str) -> None:
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []


@SCREENS
def test_a_refused_session_on_the_manage_page_focuses_the_refusal(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str, screen: dict
) -> None:
    with live_database.unit_of_work() as session:
        olga = make_person(
            session, email="olga@events.example", name="Olga", role=UserRole.EVENT_ORGANISER
        )
        event = make_event(session, organiser=olga, status=EventStatus.DRAFT).id
    page.set_viewport_size(screen)
    sign_in(page, live_server.url, "olga@events.example")
    page.goto(f"{live_server.url}/events/{event}/manage")
    page.get_by_test_id("session-name").fill("Short")
    page.get_by_test_id("session-date").fill("2025-03-11")
    page.get_by_test_id("session-start").fill("09:00")
    page.get_by_test_id("session-end").fill("09:10")

    page.get_by_test_id("add-session").click()

    refusal = page.get_by_test_id("page-error")
    expect(refusal).to_be_focused()
    assert _focused_testid(page) == "page-error"
    expect(refusal.get_by_role("listitem")).to_have_text(
        [
            "To: the session is 10 minutes long, shorter than one 20-minute meeting: "
            "end it later or shorten the slots"
        ]
    )
    _fits_and_passes_axe(page, axe_source)


def _exchange(database: Database, mail_dir: Path) -> int:
    """A confirmed exchange of Berlin Cluster (Vera's, a visitor validated by Alpine CXC,
    Paula's) to Braga Cluster (Hugo's, a host of Atlantic CXC, Pedro's) from 13 to 17 January
    2025, set up on the tests' day (1 December 2024)."""
    notifier = ExchangeNotifier(FileMailer(mail_dir, "x@example.org"), "http://x")
    with database.unit_of_work() as session:
        ada = make_user(session, email="ada@example.org", name="Ada", role=UserRole.ADMINISTRATOR)
        people = {
            name: make_user(session, email=f"{name}@example.org", name=name.title())
            for name in ("vera", "hugo", "paula", "pedro")
        }
        berlin = make_organisation(session, name="Berlin Cluster", country="DE")
        braga = make_organisation(session, name="Braga Cluster", country="PT", nuts=None)
        add_member(session, berlin, people["vera"])
        add_member(session, braga, people["hugo"])
        alpine = create_partnership(
            session, ada, name="Alpine CXC", country="AT", members=[people["paula"]]
        )
        atlantic = create_partnership(
            session, ada, name="Atlantic CXC", country="PT", members=[people["pedro"]]
        )
        visitor = make_participant(
            session,
            partnership=alpine,
            organisation=berlin,
            contact=people["vera"],
            role=ExchangeRole.VISITOR,
        )
        host = make_participant(
            session,
            partnership=atlantic,
            organisation=braga,
            contact=people["hugo"],
            role=ExchangeRole.HOST,
        )
        stay = Proposal(
            visitor.id,
            host.id,
            date(2025, 1, 13),
            date(2025, 1, 17),
            ActivityType.NETWORKING,
            "Goals.",
            "Outcomes.",
            "Activities.",
        )
        exchange = propose_exchange(
            session, ada, stay, programme=load_programme(), today=NOW.date(), notifier=notifier
        ).id
        for party in CommitmentParty:
            approve_commitment(session, ada, exchange, party=party, now=NOW, notifier=notifier)
        return exchange


@SCREENS
def test_a_report_sent_before_the_stay_is_over_focuses_the_refusal(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str, screen: dict
) -> None:
    exchange = _exchange(live_database, live_server.mail_dir)
    page.set_viewport_size(screen)
    sign_in(page, live_server.url, "vera@example.org")
    page.goto(f"{live_server.url}/exchanges/{exchange}")
    page.get_by_label("What the exchange achieved").fill("Two project ideas.")

    page.get_by_test_id("send-report").click()

    refusal = page.get_by_test_id("page-error")
    expect(refusal).to_be_focused()
    assert _focused_testid(page) == "page-error"
    expect(refusal.get_by_test_id("error-form")).to_have_text(
        "The closing report can be sent after 17 January 2025."
    )
    expect(page.get_by_label("What the exchange achieved")).to_have_value("Two project ideas.")
    _fits_and_passes_axe(page, axe_source)


@SCREENS
def test_cancelling_an_exchange_cancelled_meanwhile_focuses_the_refusal(
    page: Page,
    browser: Browser,
    live_server: LiveServer,
    live_database: Database,
    axe_source: str,
    screen: dict,
) -> None:
    exchange_url = f"{live_server.url}/exchanges/{_exchange(live_database, live_server.mail_dir)}"
    page.set_viewport_size(screen)
    sign_in(page, live_server.url, "paula@example.org")
    page.goto(exchange_url)
    hugo = browser.new_context()
    host_page = hugo.new_page()
    sign_in(host_page, live_server.url, "hugo@example.org")
    host_page.goto(exchange_url)
    host_page.get_by_label("Why it is cancelled").fill("Our lab is closed.")
    host_page.get_by_test_id("cancel-exchange").click()
    expect(host_page.get_by_test_id("cancelled")).to_be_visible()
    hugo.close()
    page.get_by_label("Why it is cancelled").fill("Twice.")

    page.get_by_test_id("cancel-exchange").click()

    refusal = page.get_by_test_id("page-error")
    expect(refusal).to_be_focused()
    expect(refusal.get_by_test_id("problem")).to_have_text(
        "The exchange is cancelled: it can be cancelled only before its closing report is "
        "validated."
    )
    _fits_and_passes_axe(page, axe_source)


@SCREENS
def test_an_assignment_the_experts_cannot_give_focuses_the_refusal(
    page: Page,
    live_server: LiveServer,
    live_database: Database,
    axe_source: str,
    screen: dict,
    clock: Clock,
) -> None:
    clock.now = CLOSED
    with live_database.unit_of_work() as session:
        small = make_small_evaluation(session)
        add_pool(session, small)
    page.set_viewport_size(screen)
    sign_in(page, live_server.url, "olga@example.org")
    page.goto(f"{live_server.url}/evaluation/calls/{small.call_id}")
    page.get_by_label("Experts per proposal").fill("3")
    page.get_by_label("Most proposals per expert").fill("2")

    page.get_by_test_id("assign").click()

    refusal = page.get_by_test_id("page-error")
    expect(refusal).to_be_focused()
    assert _focused_testid(page) == "page-error"
    expect(refusal).to_contain_text("ALPHA: 3 evaluations are needed")
    _fits_and_passes_axe(page, axe_source)


@SCREENS
def test_a_refused_number_on_the_evaluation_panel_focuses_the_summary_then_the_field(
    page: Page,
    live_server: LiveServer,
    live_database: Database,
    axe_source: str,
    screen: dict,
    clock: Clock,
) -> None:
    clock.now = CLOSED
    with live_database.unit_of_work() as session:
        small = make_small_evaluation(session)
        add_pool(session, small)
    page.set_viewport_size(screen)
    sign_in(page, live_server.url, "olga@example.org")
    page.goto(f"{live_server.url}/evaluation/calls/{small.call_id}")
    page.get_by_label("Experts per proposal").fill("0")

    page.get_by_test_id("assign").click()

    summary = page.get_by_test_id("refused-summary")
    expect(summary).to_be_focused()
    field = page.get_by_label("Experts per proposal")
    expect(field).to_have_attribute("aria-invalid", "true")
    _fits_and_passes_axe(page, axe_source)
    summary.get_by_role("link").click()
    expect(field).to_be_focused()


@SCREENS
def test_the_registry_results_refusal_leaves_the_focus_in_the_search_box(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str, screen: dict
) -> None:
    with live_database.unit_of_work() as session:
        make_organisation(session, name="Robot Works", country="DE")
    page.set_viewport_size(screen)
    page.goto(f"{live_server.url}/organisations")
    # A filter value the registry does not know goes with the search (as an old bookmark's
    # would): the results that arrive while the visitor types are the refusal.
    page.evaluate(
        """() => {
            const stale = Object.assign(document.createElement("input"),
                {type: "hidden", name: "country", value: "XX"});
            document.querySelector("form[role=search]").prepend(stale);
        }"""
    )
    search_box = page.get_by_role("searchbox", name="Search")
    search_box.press_sequentially("robot")

    refusal = page.get_by_test_id("page-error")
    expect(refusal).to_contain_text("The search is not valid.")
    expect(search_box).to_be_focused()
    search_box.press_sequentially("s")
    expect(page).to_have_url(re.compile(r"q=robots"))
    expect(page.locator("#search.htmx-request")).to_have_count(0)
    expect(search_box).to_have_value("robots")
    expect(search_box).to_be_focused()
    _fits_and_passes_axe(page, axe_source)


def test_the_registry_refusal_on_its_own_page_leaves_the_focus_where_it_starts(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/organisations?q=robot&country=XX")

    expect(page.get_by_test_id("page-error")).to_contain_text("The search is not valid.")
    assert page.evaluate("document.activeElement === document.body")


@SCREENS
def test_refused_call_rules_focus_their_summary_then_the_field(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str, screen: dict
) -> None:
    with live_database.unit_of_work() as session:
        officer = make_user(
            session, email="olga@example.org", name="Olga", role=UserRole.PROGRAMME_OFFICER
        )
        make_call(session, officer=officer, draft=call_draft(identifier="RULES-2025"))
    page.set_viewport_size(screen)
    sign_in(page, live_server.url, "olga@example.org")
    page.goto(f"{live_server.url}/calls/RULES-2025/rules")
    page.locator("#rule-1-id").fill("Not An Id")

    page.get_by_test_id("save-rules").click()

    summary = page.get_by_test_id("rule-errors")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(
        "The rules are not saved: please correct the fields marked below."
    )
    expect(page.locator("#rule-1-id")).to_have_attribute("aria-invalid", "true")
    _fits_and_passes_axe(page, axe_source)
    summary.get_by_role("link").first.click()
    expect(page.locator("#rule-1-id")).to_be_focused()
