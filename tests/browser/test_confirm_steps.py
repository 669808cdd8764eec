"""The two steps of an action that cannot be undone, in a real browser without a script of the
page's own doing it, on a phone (390 px) and a laptop (1280 px): an officer cancelling a payment
and an expert declaring a conflict of interest first see a page saying what will happen, go
back from it with nothing changed, then confirm. Every page fits the screen and passes axe.
"""

import os
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from clusterbridge.db.models import (
    CascadePayment,
    EvaluationPanel,
    ExpertDeclaration,
    Proposal,
    ProposalDecision,
)
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import ProposalOutcome, ProposalState, UserRole
from clusterbridge.services.selection import assignment as assigning
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.browser.test_pages import serious_violations
from tests.conftest import Clock
from tests.factories.calls import cascade_draft, make_call
from tests.factories.evaluation import CLOSES_AT, add_pool, make_small_evaluation
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

OFFICER = "olga@programme.example"
PUBLISHED = datetime(2024, 12, 1, 9, 0, tzinfo=UTC)
#: Where to keep screenshots of the pages for a person to look at; unset: none are taken.
SCREENSHOTS = os.environ.get("CLUSTERBRIDGE_TEST_SCREENSHOTS")


@pytest.fixture
def paid(live_database: Database) -> tuple[int, int]:
    """Olga's cascade call with Sara's SOLARPILOT (Solar Bits GmbH) selected and paid EUR 24,000
    (SEPA-0601) and EUR 6,000 (SEPA-0602): the call's id and SEPA-0601's id."""
    with live_database.unit_of_work() as session:
        olga = make_user(session, email=OFFICER, name="Olga", role=UserRole.PROGRAMME_OFFICER)
        sara = make_user(session, email="sara@solarbits.example", name="Sara")
        sme = make_organisation(session, name="Solar Bits GmbH", type=None)
        sme.is_sme = True
        call = make_call(session, officer=olga, draft=cascade_draft(), published_at=PUBLISHED)
        proposal = Proposal(
            call=call, applicant=sara, organisation=sme, acronym="SOLARPILOT",
            title="Solar panel recycling pilot", requested_grant=Decimal(40_000),
            duration_months=9, state=ProposalState.SUBMITTED, submitted_at=PUBLISHED,
            eligibility={"verdict": "eligible"}, eligible=True, documents=[],
        )  # fmt: skip
        session.add(proposal)
        session.flush()
        wrong = CascadePayment(proposal_id=proposal.id, call_id=call.id, amount=Decimal(24_000),
                               paid_on=date(2024, 12, 2), reference="SEPA-0601",
                               recorded_by=olga)  # fmt: skip
        session.add_all([
            EvaluationPanel(call_id=call.id, ranked_at=PUBLISHED, published_at=PUBLISHED),
            ProposalDecision(proposal_id=proposal.id, outcome=ProposalOutcome.SELECTED,
                             reason="ranked 1, within the budget", rank=1, taken_order=1),
            wrong,
            CascadePayment(proposal_id=proposal.id, call_id=call.id, amount=Decimal(6_000),
                           paid_on=date(2024, 12, 3), reference="SEPA-0602", recorded_by=olga),
        ])  # fmt: skip
        session.flush()
        return call.id, wrong.id


@pytest.mark.parametrize("width", [390, 1280])
def test_an_officer_cancels_a_payment_after_a_page_naming_it(
    live_server: LiveServer,
    live_database: Database,
    browser: Browser,
    axe_source: str,
    paid: tuple[int, int],
    width: int,
) -> None:
    call_id, wrong = paid
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, OFFICER)
    page.goto(f"{live_server.url}/evaluation/calls/{call_id}/payments")
    first = page.get_by_test_id("payment-row").filter(has_text="SEPA-0601")

    first.get_by_label("Why it is cancelled").fill("Booked twice: 2,400 was paid")
    first.get_by_test_id("cancel-payment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cancel the payment SEPA-0601 to SOLARPILOT?"
    )
    expect(page.get_by_test_id("cancel-amount")).to_have_text("EUR 24,000")
    expect(page.get_by_test_id("cancel-reason")).to_have_text("Booked twice: 2,400 was paid")
    expect(page.get_by_test_id("cancel-effect")).to_have_text(
        "The payment then no longer counts as paid: SOLARPILOT is paid EUR 6,000 of the "
        "EUR 40,000 awarded, EUR 34,000 left to pay. Its reference may be recorded again."
    )
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []
    _screenshot(page, f"cancel-payment-{width}")

    page.get_by_test_id("keep-payment").click()
    expect(page.get_by_test_id("payment-totals")).to_have_text(
        "Awarded EUR 40,000 · paid EUR 30,000 · left EUR 10,000"
    )
    expect(page.get_by_test_id("payment-cancelled")).to_have_count(0)
    assert _cancelled(live_database) == []

    first.get_by_label("Why it is cancelled").fill("Booked twice: 2,400 was paid")
    first.get_by_test_id("cancel-payment").click()
    page.get_by_test_id("confirm-cancel-payment").click()
    expect(page.get_by_role("status")).to_have_text(
        "The payment is cancelled: it no longer counts as paid."
    )
    expect(page.get_by_test_id("payment-totals")).to_have_text(
        "Awarded EUR 40,000 · paid EUR 6,000 · left EUR 34,000"
    )
    assert_fits(page)
    assert _cancelled(live_database) == [(wrong, "Booked twice: 2,400 was paid")]
    context.close()


def _cancelled(database: Database) -> list[tuple[int, str]]:
    with database.unit_of_work() as session:
        rows = session.execute(
            sa.select(CascadePayment.id, CascadePayment.cancel_reason).where(
                CascadePayment.cancelled_at.is_not(None)
            )
        )
        return [(payment_id, reason) for payment_id, reason in rows]


@pytest.fixture
def assigned(live_database: Database, clock: Clock) -> int:
    """The small evaluation's call closed a month ago, its pool assigned two experts a
    proposal: ALPHA to Lea (and Max). ALPHA's id."""
    clock.now = CLOSES_AT + timedelta(days=30)
    with live_database.unit_of_work() as session:
        small = make_small_evaluation(session)
        add_pool(session, small)
        assigning.assign_experts(session, small.users["olga"], small.call_id, per_proposal=2,
                                 max_load=2, now=clock.now, today=clock.now.date())  # fmt: skip
        return small.proposals["ALPHA"]


@pytest.mark.parametrize("width", [390, 1280])
def test_an_expert_declares_a_conflict_after_a_page_saying_what_it_takes_away(
    live_server: LiveServer,
    live_database: Database,
    browser: Browser,
    axe_source: str,
    assigned: int,
    width: int,
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, "lea@example.org")
    proposal = f"{live_server.url}/evaluation/proposals/{assigned}"
    page.goto(proposal)

    page.get_by_test_id("declare-conflict").click()
    expect(page.get_by_test_id("error-statement")).to_have_text(
        "is required: say what the conflict is"
    )
    page.get_by_label("What links you to this proposal").fill("I advised Acme on this bid")
    page.get_by_test_id("declare-conflict").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Declare a conflict of interest with ALPHA?"
    )
    expect(page.get_by_test_id("declared-statement")).to_have_text("I advised Acme on this bid")
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []
    _screenshot(page, f"declare-conflict-{width}")

    page.get_by_test_id("cancel-declaration").click()
    expect(page).to_have_url(proposal)
    expect(page.get_by_test_id("declared")).to_have_count(0)
    assert _declarations(live_database) == []

    page.get_by_label("What links you to this proposal").fill("I advised Acme on this bid")
    page.get_by_test_id("declare-conflict").click()
    page.get_by_test_id("confirm-declaration").click()
    expect(page.get_by_role("status")).to_contain_text("Your conflict of interest is recorded")
    assert_fits(page)
    assert _declarations(live_database) == ["I advised Acme on this bid"]
    context.close()


def _declarations(database: Database) -> list[str]:
    with database.unit_of_work() as session:
        return list(session.scalars(sa.select(ExpertDeclaration.statement)))


def _screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"confirm-{name}.png"), full_page=True)
