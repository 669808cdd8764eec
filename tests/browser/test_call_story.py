"""Issue 18's call and proposal in a real browser, on a phone (390 px) and a desktop (1280 px):
Olga, a programme officer, writes a call (a mistake first), publishes it; Anna opens it from
the catalogue, starts a proposal from her consortium, uploads a PDF, submits it and sees its
status and the eligibility report frozen at submission; Olga sees it in the call's proposals.
No page may scroll sideways.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import Role, UserRole
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.factories.calls import RULES
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PEOPLE = {"olga": "olga@programme.example", "anna": "anna@cluster.example"}


@pytest.fixture
def story(live_database: Database) -> None:
    with live_database.unit_of_work() as session:
        make_user(session, email=PEOPLE["olga"], name="Olga", role=UserRole.PROGRAMME_OFFICER)
        anna = make_user(session, email=PEOPLE["anna"], name="Anna")
        team = make_consortium(session, owner=anna, name="Green Link", call_id=None, strand=None)
        add_partner(session, team, name="Lyon Cluster", country="FR", role=Role.COORDINATOR)
        add_partner(session, team, name="Turin Cluster", country="IT")


@pytest.fixture(
    params=[{"width": 390, "height": 844}, {"width": 1280, "height": 900}], ids=["390px", "1280px"]
)
def screens(browser: Browser, request: pytest.FixtureRequest) -> Iterator[dict[str, Page]]:
    contexts: list[BrowserContext] = [browser.new_context(viewport=request.param) for _ in PEOPLE]
    yield {name: context.new_page() for name, context in zip(PEOPLE, contexts, strict=True)}
    for context in contexts:
        context.close()


def write_call(page: Page, url: str) -> None:
    page.goto(f"{url}/calls")
    page.get_by_test_id("new-call").click()
    page.get_by_label("Identifier", exact=False).fill("GREEN-2025")
    page.get_by_label("Title", exact=True).fill("Green partnerships between clusters")
    page.get_by_label("Summary").fill("Clusters of two countries working on the green transition.")
    page.get_by_label("Deadline").fill("2025-03-03T17:00")
    page.get_by_label("Strands").fill("1 | Green | 1\n2 | Digital")
    page.get_by_label("Budget, EUR").fill("1000000")
    page.get_by_label("Largest grant per proposal, EUR").fill("400000")
    page.get_by_label("Award criteria").fill("relevance | 30 | 15\nimpact | 20")
    page.get_by_label("Tie-break order").fill("uncovered_strand, quality")
    page.get_by_label("Rules, in the call-file format").fill(RULES)
    assert_fits(page)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("error-tie_break")).to_have_text(
        'tie_break[1]: "quality" is neither uncovered_strand nor a criterion'
    )
    expect(page.get_by_label("Identifier")).to_have_value("GREEN-2025")
    page.get_by_label("Tie-break order").fill("uncovered_strand, relevance")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("call-state")).to_contain_text("Draft")
    assert_fits(page)
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("call-status")).to_have_text("Open")
    assert_fits(page)


def test_a_call_from_writing_to_a_submitted_proposal(
    live_server: LiveServer, story: None, screens: dict[str, Page], tmp_path: Path
) -> None:
    url = live_server.url
    for name, page in screens.items():
        sign_in(page, url, PEOPLE[name])
    olga, anna = screens["olga"], screens["anna"]

    write_call(olga, url)

    anna.goto(f"{url}/calls")
    anna.get_by_role("link", name="Green partnerships between clusters").click()
    anna.get_by_test_id("submit-proposal").click()
    anna.get_by_label("Consortium").select_option(label="Green Link")
    anna.get_by_label("Acronym").fill("GREENLINK")
    anna.get_by_label("Title", exact=True).fill("Green links between Lyon and Turin")
    anna.get_by_label("Strand").select_option("1")
    anna.get_by_label("Grant requested, EUR").fill("300000")
    anna.get_by_label("Duration, months").fill("24")
    assert_fits(anna)
    anna.get_by_test_id("create-proposal").click()
    expect(anna.get_by_test_id("proposal-state")).to_have_text("Draft: not submitted yet")
    expect(anna.get_by_test_id("deadline")).to_contain_text(
        "03 March 2025, 17:00 (Europe/Brussels)"
    )

    annex = tmp_path / "annex.pdf"
    annex.write_bytes(b"%PDF-1.4\n% the technical annex\n")
    anna.get_by_label("Add files").set_input_files(str(annex))
    anna.get_by_test_id("upload").click()
    expect(anna.get_by_test_id("documents")).to_contain_text("annex.pdf")
    anna.get_by_test_id("submit").click()
    expect(anna.get_by_test_id("proposal-state")).to_have_text("Submitted")
    expect(anna.get_by_test_id("frozen-verdict")).to_have_text("Eligible")
    expect(anna.get_by_test_id("frozen-findings").locator("li")).to_have_count(2)
    assert_fits(anna)

    anna.get_by_role("link", name="My proposals").click()
    expect(anna.get_by_test_id("proposal-state")).to_have_text("Submitted")
    assert_fits(anna)

    olga.goto(f"{url}/calls/GREEN-2025")
    olga.get_by_test_id("call-proposals-link").click()
    expect(olga.get_by_test_id("call-proposals")).to_contain_text("GREENLINK")
    assert_fits(olga)
