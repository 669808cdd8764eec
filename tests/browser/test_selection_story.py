"""Issue 18 in a real browser, one story from a call's publication to the selection letters,
on a phone (390 px; the page tour checks every page at 390 and 1280 px):

Olga, a programme officer, writes a call (a mistake first) and publishes it; Anna opens it from
the catalogue, starts a proposal from her consortium (Lyon Cluster and Acme GmbH), uploads a
PDF, submits it and sees its status and the eligibility report frozen at submission; Bob's
BETA is submitted too. Olga sees both in the call's proposals, builds the pool and assigns the
experts (Kim works for Acme: the conflict is shown and respected); Lea, Max and Kim write their
reports; Olga chooses the rapporteurs, who write the consensus; Olga ranks and selects,
downloads the ranked list (XLSX) and an evaluation summary report (PDF), and publishes: the
letters go out. Anna sees her outcome and her summary, not Bob's. No page scrolls sideways.
"""

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from clusterbridge.db.models import ConsortiumPartner
from clusterbridge.db.repositories import selection as repository
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import Role, UserRole
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.conftest import Clock
from tests.factories.calls import RULES
from tests.factories.consortia import add_partner, make_consortium
from tests.factories.evaluation import POOL, make_proposal
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user
from tests.mailbox import read_mail

#: The clock once GREEN-2025 (deadline 3 March 2025) is closed and evaluated.
AFTER_DEADLINE = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PEOPLE = ("olga", "anna", "lea", "max", "kim")
SCREEN = {"width": 390, "height": 844}
#: Each expert's scores (relevance out of 30, impact out of 20) per proposal.
REPORTS = {
    "lea": {"GREENLINK": ("25", "15")},
    "max": {"GREENLINK": ("24", "14"), "BETA": ("27", "18")},
    "kim": {"BETA": ("28", "17")},
}


@pytest.fixture
def story(live_database: Database) -> None:
    with live_database.unit_of_work() as session:
        make_user(session, email="olga@example.org", name="Olga",
                  role=UserRole.PROGRAMME_OFFICER)  # fmt: skip
        anna = make_user(session, email="anna@example.org", name="Anna")
        for name in ("kim", "lea", "max"):
            make_user(session, email=f"{name}@example.org", name=name.title())
        acme = make_organisation(session, name="Acme GmbH", country="DE", pic="920000001")
        team = make_consortium(session, owner=anna, name="Green Link", call_id=None, strand=None)
        add_partner(session, team, name="Lyon Cluster", country="FR", role=Role.COORDINATOR)
        team.partners.append(ConsortiumPartner(position=2, name=acme.name, role=Role.BENEFICIARY,
                                               organisation=acme))  # fmt: skip


@pytest.fixture
def screens(browser: Browser) -> Iterator[dict[str, Page]]:
    contexts: list[BrowserContext] = [browser.new_context(viewport=SCREEN) for _ in PEOPLE]
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
        'Tie-break entry 2: "quality" is neither uncovered_strand nor a criterion'
    )
    expect(page.get_by_label("Identifier")).to_have_value("GREEN-2025")
    page.get_by_label("Tie-break order").fill("uncovered_strand, relevance")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("call-state")).to_contain_text("Draft")
    assert_fits(page)
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("call-status")).to_have_text("Open")
    assert_fits(page)


def submit_proposal(anna: Page, url: str, tmp_path: Path) -> int:
    """Anna's GREENLINK, from the catalogue to submitted; its id."""
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
    proposal = int(anna.url.rsplit("/", 1)[1])
    anna.get_by_role("link", name="My proposals").click()
    expect(anna.get_by_test_id("proposal-state")).to_have_text("Submitted")
    assert_fits(anna)
    return proposal


def _call_id(database: Database) -> int:
    with database.unit_of_work() as session:
        call = repository.find_call(session, "GREEN-2025")
        assert call is not None
        return call.id


def submit_beta(database: Database) -> int:
    """Bob's BETA (Strand 2, Beta SA's, about tourism data), submitted to GREEN-2025."""
    with database.unit_of_work() as session:
        call = repository.find_call(session, "GREEN-2025")
        assert call is not None
        bob = make_user(session, email="bob@example.org", name="Bob")
        beta = make_organisation(session, name="Beta SA", country="BE", pic="920000002")
        proposal = make_proposal(session, call=call, applicant=bob, acronym="BETA", strand="2",
                                 requested=400_000, members=(beta,), summary="tourism data")  # fmt: skip
        return proposal.id


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


def assign_experts(olga: Page, url: str, green: int) -> str:
    """Olga assigns two experts per proposal; the panel page's address."""
    olga.goto(f"{url}/evaluation")
    olga.get_by_test_id("panel-link").click()
    expect(olga.get_by_test_id("conflicts")).to_have_text(
        "Kim: works for Acme GmbH, a member of the consortium"
    )
    olga.get_by_label("Experts per proposal").fill("2")
    olga.get_by_label("Most proposals per expert").fill("2")
    olga.get_by_test_id("assign").click()
    expect(olga.get_by_test_id("assigned")).to_have_count(2)
    expect(olga.locator(f"#proposal-{green}")).not_to_contain_text("Kim,")
    assert_fits(olga)
    return olga.url


def choose_rapporteurs(olga: Page, panel: str, chosen: dict[int, str]) -> None:
    for proposal, rapporteur in chosen.items():
        olga.goto(panel)
        card = olga.locator(f"#proposal-{proposal}")
        card.get_by_label("Rapporteur").select_option(label=rapporteur)
        card.get_by_test_id("choose-rapporteur").click()
        expect(olga.locator(f"#proposal-{proposal}")).to_contain_text(f"{rapporteur}, fit")
        expect(olga.locator(f"#proposal-{proposal}").locator("strong", has_text="rapporteur"))\
            .to_have_count(1)  # fmt: skip


def rank_and_download(olga: Page, url: str, panel: str) -> str:
    """Olga ranks, checks the XLSX and a summary PDF, and publishes; the summary's address."""
    olga.goto(panel)
    olga.get_by_test_id("ranking-link").click()
    olga.get_by_test_id("rank").click()
    expect(olga.get_by_test_id("decision-reason")).to_have_text(
        ["taken in rank order", "taken in rank order"]
    )
    assert_fits(olga)
    call_id = olga.url.split("/calls/", 1)[1].split("/", 1)[0]
    with olga.expect_download() as download:
        olga.get_by_test_id("download-xlsx").click()
    assert download.value.suggested_filename == f"selection-{call_id}.xlsx"
    content = io.BytesIO(download.value.path().read_bytes())
    rows = list(openpyxl.load_workbook(content).active.values)  # type: ignore[union-attr]
    assert [row[1] for row in rows] == ["Acronym", "BETA", "GREENLINK"]
    summary = olga.get_by_test_id("summary-pdf").first.get_attribute("href")
    pdf = olga.request.get(f"{url}{summary}")
    assert (pdf.status, pdf.body()[:5]) == (200, b"%PDF-")
    olga.get_by_test_id("publish").click()
    expect(olga.get_by_test_id("confirm-step")).to_contain_text("Publishing cannot be undone.")
    olga.get_by_test_id("confirm-publish").click()
    expect(olga.get_by_test_id("published")).to_be_visible()
    return str(summary)


def test_a_call_from_publication_to_the_selection_letters(
    live_server: LiveServer, live_database: Database, story: None, screens: dict[str, Page],
    tmp_path: Path, clock: Clock,
) -> None:  # fmt: skip
    url = live_server.url
    for name, page in screens.items():
        sign_in(page, url, f"{name}@example.org")
    olga, anna = screens["olga"], screens["anna"]

    write_call(olga, url)
    green = submit_proposal(anna, url, tmp_path)
    beta = submit_beta(live_database)
    olga.goto(f"{url}/evaluation/calls/{_call_id(live_database)}")
    expect(olga.get_by_test_id("assign")).to_have_count(0)
    expect(olga.get_by_test_id("assign-refusal")).to_contain_text(
        "takes proposals until its deadline, 03 March 2025 17:00 (Europe/Brussels): experts "
        "are assigned after it"
    )
    clock.now = AFTER_DEADLINE  # the sessions of three months ago have expired
    for name, page in screens.items():
        sign_in(page, url, f"{name}@example.org")
    olga.goto(f"{url}/calls/GREEN-2025")
    olga.get_by_test_id("call-proposals-link").click()
    expect(olga.get_by_test_id("call-proposals")).to_contain_text("GREENLINK")
    assert_fits(olga)

    build_pool(olga, url)
    panel = assign_experts(olga, url, green)
    for name, reports in REPORTS.items():
        for acronym, scores in reports.items():
            write_report(screens[name], url, acronym, scores)
    choose_rapporteurs(olga, panel, {green: "Lea", beta: "Max"})
    write_consensus(screens["lea"], url, green, ("25", "15"))
    write_consensus(screens["max"], url, beta, ("27", "18"))
    summary = rank_and_download(olga, url, panel)

    letters = read_mail(live_server.mail_dir)
    assert [(m.to, m.subject) for m in letters] == [
        (("anna@example.org",), "GREEN-2025: GREENLINK is submitted"),
        (("anna@example.org",), "GREEN-2025: the outcome of GREENLINK"),
        (("bob@example.org",), "GREEN-2025: the outcome of BETA"),
    ]
    anna.goto(f"{url}/evaluation")
    expect(anna.get_by_test_id("outcome")).to_have_text("Selected: taken in rank order")
    assert_fits(anna)
    own = anna.get_by_test_id("summary-link").get_attribute("href")
    assert own == f"/evaluation/proposals/{green}/summary.pdf"
    assert anna.request.get(f"{url}{own}").body()[:5] == b"%PDF-"
    # The first row of the ranking is BETA, Bob's: not Anna's to read.
    assert anna.request.get(f"{url}{summary}").status == 404
