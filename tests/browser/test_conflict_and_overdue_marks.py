"""The marks of this change in a real browser, on a phone (390 px) and a desktop (1280 px),
with axe-core: an expert whose conflict the registry shows after the assignment, on the
officer's panel, the officer's view of the proposal and the expert's own; an improvement area
past its due date on the readiness page. No page may scroll sideways."""

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from clusterbridge.db.repositories import evaluation as evaluation_repository
from clusterbridge.db.repositories import organisations as organisation_repository
from clusterbridge.db.session import Database
from clusterbridge.domain.assessment import ClusterDimension
from clusterbridge.services import monitoring
from clusterbridge.services.selection import assignment, evaluation
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.browser.test_pages import serious_violations
from tests.conftest import Clock
from tests.factories.evaluation import CLOSES_AT, add_pool, make_small_evaluation
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

FOUND = "works for Acme GmbH, a member of the consortium"


@pytest.fixture(
    params=[{"width": 390, "height": 844}, {"width": 1280, "height": 900}], ids=["390px", "1280px"]
)
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport=request.param)
    yield context.new_page()
    context.close()


@pytest.fixture
def conflicted(live_database: Database, clock: Clock) -> dict[str, int]:
    """The small evaluation assigned (ALPHA: Lea and Max), Max's report on ALPHA written,
    then the registry says Max works for Acme, ALPHA's partner."""
    clock.now = CLOSES_AT + timedelta(days=30)
    with live_database.unit_of_work() as session:
        small = make_small_evaluation(session)
        add_pool(session, small)
        olga, max_ = small.users["olga"], small.users["max"]
        today = clock.now.date()
        assignment.assign_experts(session, olga, small.call_id, per_proposal=2, max_load=2,
                                  now=clock.now, today=today)  # fmt: skip
        scored = evaluation.Scored({"relevance": "24", "impact": "50"},
                                   {"relevance": "Max's", "impact": "Max's"})  # fmt: skip
        alpha = small.proposals["ALPHA"]
        evaluation.submit_report(session, max_, alpha, scored, now=clock.now, today=today)
        expert = evaluation_repository.expert_of_user(session, max_.id)
        assert expert is not None
        expert.organisation = organisation_repository.get_by_pic(session, "920000001")
        return {"call": small.call_id, "alpha": alpha}


def test_an_expert_the_registry_shows_in_conflict_is_marked_off(
    live_server: LiveServer,
    conflicted: dict[str, int],
    page: Page,
    axe_source: str,
    tmp_path: Path,
) -> None:
    url, alpha = live_server.url, conflicted["alpha"]
    width = page.viewport_size["width"] if page.viewport_size else 0

    sign_in(page, url, "olga@example.org")
    page.goto(f"{url}/evaluation/calls/{conflicted['call']}")
    expect(page.get_by_test_id("conflict-off")).to_have_text(
        f"conflict of interest found in the registry ({FOUND}): off this proposal, assign "
        "again to replace them"
    )
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []
    page.screenshot(path=f"/tmp/evalconf-panel-{width}.png", full_page=True)
    page.goto(f"{url}/evaluation/proposals/{alpha}")
    expect(page.get_by_test_id("conflicts-found")).to_contain_text(f"Max: {FOUND}")
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []
    page.screenshot(path=f"/tmp/evalconf-officer-proposal-{width}.png", full_page=True)

    page.context.clear_cookies()
    sign_in(page, url, "max@example.org")
    page.goto(f"{url}/evaluation/proposals/{alpha}")
    expect(page.get_by_test_id("conflict-found")).to_contain_text(
        f"The registry shows a conflict of interest between you and this proposal: {FOUND}."
    )
    expect(page.locator("#report-title")).to_have_count(0)
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []
    page.screenshot(path=f"/tmp/evalconf-expert-proposal-{width}.png", full_page=True)


@pytest.fixture
def cluster(live_database: Database) -> int:
    """Munich Cluster (Maria's) with an improvement area due 20 November 2024, before the
    tests' clock (1 December 2024), and one done that was due then too."""
    with live_database.unit_of_work() as session:
        maria = make_user(session, email="maria@munich.example", name="Maria")
        organisation = make_organisation(session, name="Munich Cluster")
        add_member(session, organisation, maria)
        for title in ("A member survey every year", "A fee model"):
            area = monitoring.add_improvement(
                session, maria, organisation.id, dimension=ClusterDimension.SERVICES,
                title=title, due=date(2024, 11, 20), today=date(2024, 11, 1),
            )  # fmt: skip
        area.status = area.status.DONE
        return organisation.id


def test_an_improvement_area_past_its_due_date_is_marked_overdue(
    live_server: LiveServer, cluster: int, page: Page, axe_source: str
) -> None:
    url = live_server.url
    width = page.viewport_size["width"] if page.viewport_size else 0

    sign_in(page, url, "maria@munich.example")
    page.goto(f"{url}/organisations/{cluster}/readiness#improvements")

    expect(page.get_by_test_id("overdue")).to_have_text("Overdue since 2024-11-21")
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []
    page.get_by_test_id("improvements").screenshot(path=f"/tmp/evalconf-overdue-{width}.png")
