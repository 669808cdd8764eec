"""Issue 18's cascade funding in a real browser, on a phone (390 px) and a desktop (1280 px):
Sara applies to a Eurocluster's open call to SMEs with her company (asking for more than the
maximum per SME first), uploads a PDF and submits; her application is selected (the
evaluation itself is the evaluation story's: here its decision is stored directly); Olga, the
programme officer, opens the published selection, goes to the payments, records a payment (a
missing day first) and Sara sees it on her application. No page may scroll sideways.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from clusterbridge.db.models import EvaluationPanel, ProposalDecision
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import ProposalOutcome, UserRole
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.factories.calls import cascade_draft, make_call
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PEOPLE = {"olga": "olga@programme.example", "sara": "sara@solarbits.example"}
PUBLISHED = datetime(2024, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def call_id(live_database: Database) -> int:
    with live_database.unit_of_work() as session:
        olga = make_user(session, email=PEOPLE["olga"], name="Olga",
                         role=UserRole.PROGRAMME_OFFICER)  # fmt: skip
        sara = make_user(session, email=PEOPLE["sara"], name="Sara")
        sme = make_organisation(session, name="Solar Bits GmbH", type=None)
        sme.is_sme = True
        add_member(session, sme, sara)
        call = make_call(session, officer=olga, draft=cascade_draft(), published_at=PUBLISHED)
        return call.id


@pytest.fixture(
    params=[{"width": 390, "height": 844}, {"width": 1280, "height": 900}], ids=["390px", "1280px"]
)
def screens(browser: Browser, request: pytest.FixtureRequest) -> Iterator[dict[str, Page]]:
    contexts: list[BrowserContext] = [browser.new_context(viewport=request.param) for _ in PEOPLE]
    yield {name: context.new_page() for name, context in zip(PEOPLE, contexts, strict=True)}
    for context in contexts:
        context.close()


def apply(page: Page, url: str, tmp_path: Path) -> int:
    page.goto(f"{url}/calls/SME-OPEN-2025")
    page.get_by_test_id("submit-proposal").click()
    page.get_by_label("Your organisation").select_option(label="Solar Bits GmbH")
    page.get_by_label("Acronym").fill("SUNPILOT")
    page.get_by_label("Title", exact=True).fill("Solar panel recycling pilot")
    page.get_by_label("Grant requested, EUR").fill("70000")
    page.get_by_label("Duration, months").fill("9")
    assert_fits(page)
    page.get_by_test_id("create-proposal").click()
    expect(page.get_by_test_id("error-requested_grant")).to_have_text(
        "is more than the call's maximum grant of EUR 60,000"
    )
    page.get_by_label("Grant requested, EUR").fill("40000")
    page.get_by_test_id("create-proposal").click()
    expect(page.get_by_test_id("applicant-sme")).to_have_text("Solar Bits GmbH")
    annex = tmp_path / "annex.pdf"
    annex.write_bytes(b"%PDF-1.4\n% the pilot's plan\n")
    page.get_by_label("Add files").set_input_files(str(annex))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("documents")).to_contain_text("annex.pdf")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("proposal-state")).to_have_text("Submitted")
    expect(page.get_by_test_id("frozen-verdict")).to_have_text("Eligible")
    assert_fits(page)
    return int(page.url.rsplit("/", 1)[1])


def test_an_sme_applies_to_a_cascade_call_and_is_paid(
    live_server: LiveServer,
    live_database: Database,
    call_id: int,
    screens: dict[str, Page],
    tmp_path: Path,
) -> None:
    url = live_server.url
    for name, page in screens.items():
        sign_in(page, url, PEOPLE[name])
    olga, sara = screens["olga"], screens["sara"]

    proposal_id = apply(sara, url, tmp_path)
    with live_database.unit_of_work() as session:
        session.add_all([
            EvaluationPanel(call_id=call_id, ranked_at=PUBLISHED, published_at=PUBLISHED),
            ProposalDecision(proposal_id=proposal_id, outcome=ProposalOutcome.SELECTED,
                             reason="ranked 1, within the budget", rank=1, taken_order=1),
        ])  # fmt: skip

    olga.goto(f"{url}/evaluation/calls/{call_id}/ranking")
    olga.get_by_test_id("payments-link").click()
    expect(olga.get_by_test_id("payment-totals")).to_have_text(
        "Awarded EUR 40,000 · paid EUR 0 · left EUR 40,000"
    )
    assert_fits(olga)
    olga.get_by_label("Amount paid, EUR").fill("24000")
    olga.get_by_label("Reference").fill("SEPA-0601")
    olga.get_by_test_id("record-payment").click()
    expect(olga.get_by_test_id("error-paid_on")).to_have_text("choose the day the payment was made")
    # Paid the day the selection is published (the clock's today): not before the award, nor later.
    olga.get_by_label("Paid on").fill("2024-12-01")
    olga.get_by_test_id("record-payment").click()
    expect(olga.get_by_test_id("payment-totals")).to_have_text(
        "Awarded EUR 40,000 · paid EUR 24,000 · left EUR 16,000"
    )
    expect(olga.get_by_test_id("payment-row")).to_have_count(1)
    assert_fits(olga)

    sara.reload()
    expect(sara.get_by_test_id("proposal-payments")).to_contain_text("SEPA-0601")
    assert_fits(sara)
