"""The story of issue 3 in a real browser: a new user registers, searches the registry, builds a
consortium for SMP-COSME-2024-CLUSTER strand 1, watches it become eligible and downloads the PDF.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType
from tests.browser.conftest import LiveServer
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]


@pytest.fixture
def registry(live_database: Database) -> None:
    """Three cluster organisations that can form a Eurocluster, and one SME that cannot help.
    Whether the Rzeszów and Barcelona clusters are registered on the ECCP is not known, so the
    call's rule "at least half ... registered on the ECCP" is undecided until one of them is."""
    with live_database.unit_of_work() as session:
        make_organisation(session, name="Munich Aerospace Cluster", country="DE", nuts="DE212")
        make_organisation(
            session,
            name="Rzeszow Aviation Valley Cluster",
            country="PL",
            nuts="PL823",
            eccp_registered=None,
        )
        make_organisation(
            session,
            name="Barcelona Mobility Cluster",
            country="ES",
            nuts="ES511",
            eccp_registered=None,
        )
        make_organisation(
            session, name="Munich Robotics GmbH", country="DE", nuts="DE212", type=OrgType.SME
        )


def register(page: Page, url: str) -> None:
    page.goto(f"{url}/register")
    page.get_by_label("Your name").fill("Ana Manager")
    page.get_by_label("E-mail address").fill("ana@cluster.example")
    page.get_by_label("Password (at least 10 characters)").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("register-sent")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("E-mail address").fill("ana@cluster.example")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Ana Manager")).to_be_visible()


def add_from_registry(page: Page, text: str, name: str) -> None:
    page.get_by_test_id("organisation-search").fill(text)
    result = page.get_by_test_id("search-result").filter(has_text=name)
    result.get_by_test_id("add-organisation").click()
    expect(page.locator(f'[data-testid="partner-row"][data-partner-name="{name}"]')).to_be_visible()


def test_a_new_user_builds_an_eligible_eurocluster_and_downloads_its_checklist(
    page: Page, live_server: LiveServer, registry: None, tmp_path: Path
) -> None:
    register(page, live_server.url)

    page.goto(f"{live_server.url}/organisations")
    page.get_by_role("searchbox").first.fill("aviation valley")
    expect(page.get_by_text("Rzeszow Aviation Valley Cluster")).to_be_visible()
    expect(page.get_by_text("Barcelona Mobility Cluster")).to_have_count(0)

    page.goto(f"{live_server.url}/consortia")
    page.get_by_test_id("consortium-name").fill("Aerospace Eurocluster")
    page.get_by_test_id("consortium-call").select_option("SMP-COSME-2024-CLUSTER")
    # Wait for the strand select of the chosen call (every call's strands are listed before).
    expect(page.get_by_test_id("consortium-strand")).to_have_attribute(
        "data-call", "SMP-COSME-2024-CLUSTER"
    )
    page.get_by_test_id("consortium-strand").select_option("1")
    page.get_by_test_id("consortium-duration").fill("36")
    page.get_by_test_id("create-consortium").click()
    expect(page.get_by_test_id("consortium-title")).to_have_text("Aerospace Eurocluster")

    add_from_registry(page, "Munich Aerospace", "Munich Aerospace Cluster")
    add_from_registry(page, "Rzeszow", "Rzeszow Aviation Valley Cluster")
    add_from_registry(page, "Barcelona", "Barcelona Mobility Cluster")
    verdict = page.get_by_test_id("verdict")
    expect(verdict).not_to_have_text("eligible")

    rows = page.get_by_test_id("partner-row")
    rows.nth(0).get_by_test_id("partner-legal-entity").select_option("yes")
    rows.nth(0).get_by_test_id("partner-role").select_option("coordinator")
    rows.nth(1).get_by_test_id("partner-role").select_option("beneficiary")
    rows.nth(2).get_by_test_id("partner-role").select_option("beneficiary")
    expect(verdict).to_have_text("incomplete")
    expect(page.locator('[data-testid="finding"][data-status="unknown"]')).to_have_count(1)
    rows.nth(1).get_by_test_id("partner-eccp").select_option("yes")

    expect(verdict).to_have_text("eligible")
    expect(page.locator('[data-testid="finding"][data-status="fail"]')).to_have_count(0)
    expect(rows.nth(1).get_by_test_id("partner-eccp")).to_have_value("yes")
    page.get_by_test_id("checklist-pdf").click()  # renders it in a job, whose page polls
    expect(page.get_by_test_id("job-download")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_test_id("job-download").click()
    pdf = tmp_path / "checklist.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_a_strand_the_call_chosen_next_lacks_is_said_and_refused_not_dropped(
    page: Page, live_server: LiveServer
) -> None:
    # The QA of 2026-12-07: strand "tourism" chosen among every call's strands, then the call
    # cluster-excellence (no strands): the strand vanished and the consortium was created
    # without it, with no word.
    register(page, live_server.url)
    page.goto(f"{live_server.url}/consortia")
    page.get_by_test_id("consortium-name").fill("Tourism Eurocluster")
    page.get_by_test_id("consortium-strand").select_option("tourism")

    page.get_by_test_id("consortium-call").select_option("cluster-excellence")

    strand = page.get_by_test_id("consortium-strand")
    expect(strand).to_have_attribute("data-call", "cluster-excellence")
    expect(strand).to_have_value("tourism")
    expect(page.locator("#strand-note")).to_have_text(
        "Tourism is not a strand of cluster-excellence: choose one of its strands, or none."
    )
    page.get_by_test_id("create-consortium").click()
    refusal = '"tourism" is not a strand of cluster-excellence; strands: none (this call has no'
    expect(page.locator("#strand-error")).to_have_text(f"{refusal} strands)")
    expect(page.get_by_test_id("no-consortia")).to_be_visible()
