"""Issue 18's evaluation in a real browser, on a phone (390 px) and a desktop (1280 px): Olga,
the programme officer, builds the pool and assigns the experts (Kim works for a member of
ALPHA's consortium: the conflict is shown and respected); Lea, Max and Kim write their
reports; Olga chooses the rapporteurs, who write the consensus; Olga ranks and selects,
downloads the ranked list (XLSX) and an evaluation summary report (PDF), and publishes; Alice
sees her proposal's outcome. No page may scroll sideways.
"""

import io
from collections.abc import Iterator

import openpyxl
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from clusterbridge.db.session import Database
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.factories.evaluation import POOL, SmallEvaluation, make_small_evaluation
from tests.mailbox import read_mail

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PEOPLE = ("olga", "lea", "max", "kim", "alice")
#: Each expert's scores (relevance, impact) per proposal.
REPORTS = {
    "lea": {"ALPHA": ("25", "55")},
    "max": {"ALPHA": ("24", "50"), "BETA": ("21", "60")},
    "kim": {"BETA": ("22", "58")},
}


@pytest.fixture
def story(live_database: Database) -> SmallEvaluation:
    with live_database.unit_of_work() as session:
        return make_small_evaluation(session)


@pytest.fixture(
    params=[{"width": 390, "height": 844}, {"width": 1280, "height": 900}], ids=["390px", "1280px"]
)
def screens(browser: Browser, request: pytest.FixtureRequest) -> Iterator[dict[str, Page]]:
    contexts: list[BrowserContext] = [browser.new_context(viewport=request.param) for _ in PEOPLE]
    yield {name: context.new_page() for name, context in zip(PEOPLE, contexts, strict=True)}
    for context in contexts:
        context.close()


def build_pool(olga: Page, url: str) -> None:
    olga.goto(f"{url}/evaluation")
    olga.get_by_test_id("pool-link").click()
    expect(olga.get_by_role("heading", name="Pool of experts")).to_be_visible()
    for name, pic, expertise in POOL:
        olga.get_by_label("E-mail address of their account").fill(f"{name}@example.org")
        olga.get_by_label("PIC of the organisation they work for").fill(pic)
        olga.get_by_label("Expertise").fill(expertise)
        olga.get_by_test_id("add-expert").click()
        expect(olga.get_by_test_id("expert-row").filter(has_text=name.title())).to_have_count(1)
    assert_fits(olga)


def write_report(page: Page, url: str, acronym: str, scores: tuple[str, str]) -> None:
    page.goto(f"{url}/evaluation")
    page.get_by_test_id("assignment-link").filter(has_text=acronym).click()
    expect(page.get_by_role("heading", name=acronym)).to_be_visible()
    for criterion, score in zip(("relevance", "impact"), scores, strict=True):
        page.get_by_test_id(f"report-score-{criterion}").fill(score)
        page.get_by_test_id(f"report-comment-{criterion}").fill(f"{criterion} is convincing")
    page.get_by_test_id("save-report").click()
    expect(page.get_by_test_id("saved")).to_have_text("Your report is saved.")
    assert_fits(page)


def write_consensus(page: Page, url: str, proposal: int, scores: tuple[str, str]) -> None:
    page.goto(f"{url}/evaluation/proposals/{proposal}")
    expect(page.get_by_test_id("report-row")).to_have_count(2)
    for criterion, score in zip(("relevance", "impact"), scores, strict=True):
        page.get_by_test_id(f"consensus-score-{criterion}").fill(score)
        page.get_by_test_id(f"consensus-comment-{criterion}").fill("The experts agree.")
    assert_fits(page)
    page.get_by_test_id("save-consensus").click()
    expect(page.get_by_test_id("saved")).to_have_text("The consensus is submitted.")


def test_evaluation_from_pool_to_published_selection(
    live_server: LiveServer, story: SmallEvaluation, screens: dict[str, Page]
) -> None:
    url = live_server.url
    for name, page in screens.items():
        sign_in(page, url, f"{name}@example.org")
    olga, alice = screens["olga"], screens["alice"]
    alpha, beta = story.proposals["ALPHA"], story.proposals["BETA"]

    build_pool(olga, url)
    olga.goto(f"{url}/evaluation")
    olga.get_by_test_id("panel-link").click()
    expect(olga.get_by_test_id("conflicts")).to_have_text(
        "Kim: works for Acme GmbH, a member of the consortium"
    )
    olga.get_by_label("Experts per proposal").fill("2")
    olga.get_by_label("Most proposals per expert").fill("2")
    olga.get_by_test_id("assign").click()
    expect(olga.get_by_test_id("assigned")).to_have_count(2)
    expect(olga.locator(f"#proposal-{alpha}")).not_to_contain_text("Kim,")
    assert_fits(olga)

    for name, reports in REPORTS.items():
        for acronym, scores in reports.items():
            write_report(screens[name], url, acronym, scores)

    panel = olga.url
    for proposal, rapporteur in ((alpha, "Lea"), (beta, "Max")):
        olga.goto(panel)
        card = olga.locator(f"#proposal-{proposal}")
        card.get_by_label("Rapporteur").select_option(label=rapporteur)
        card.get_by_test_id("choose-rapporteur").click()
        expect(olga.locator(f"#proposal-{proposal}")).to_contain_text(f"{rapporteur}, fit")
        expect(olga.locator(f"#proposal-{proposal}").locator("strong", has_text="rapporteur"))\
            .to_have_count(1)  # fmt: skip
    write_consensus(screens["lea"], url, alpha, ("25", "53"))
    write_consensus(screens["max"], url, beta, ("21", "58"))

    olga.goto(panel)
    olga.get_by_test_id("ranking-link").click()
    olga.get_by_test_id("rank").click()
    expect(olga.get_by_test_id("decision-reason")).to_have_text(
        ["taken in rank order", "taken for the Strand 1 minimum"]
    )
    assert_fits(olga)
    with olga.expect_download() as download:
        olga.get_by_test_id("download-xlsx").click()
    assert download.value.suggested_filename == f"selection-{story.call_id}.xlsx"
    content = io.BytesIO(download.value.path().read_bytes())
    rows = list(openpyxl.load_workbook(content).active.values)  # type: ignore[union-attr]
    assert [row[1] for row in rows] == ["Acronym", "BETA", "ALPHA"]
    summary = olga.get_by_test_id("summary-pdf").first.get_attribute("href")
    pdf = olga.request.get(f"{url}{summary}")
    assert (pdf.status, pdf.body()[:5]) == (200, b"%PDF-")
    olga.get_by_test_id("publish").click()
    expect(olga.get_by_test_id("published")).to_be_visible()
    letters = read_mail(live_server.mail_dir)
    assert [(m.to, m.subject) for m in letters] == [
        (("alice@example.org",), "EVAL-2026: the outcome of ALPHA"),
        (("bob@example.org",), "EVAL-2026: the outcome of BETA"),
    ]

    alice.goto(f"{url}/evaluation")
    expect(alice.get_by_test_id("outcome")).to_have_text("Selected: taken for the Strand 1 minimum")
    assert_fits(alice)
    own = alice.get_by_test_id("summary-link").get_attribute("href")
    assert own == f"/evaluation/proposals/{alpha}/summary.pdf"
    assert alice.request.get(f"{url}{own}").body()[:5] == b"%PDF-"
    # The first row of the ranking is BETA, Bob's: not Alice's to read.
    assert alice.request.get(f"{url}{summary}").status == 404
