"""Issue 19's self-assessments in a real browser, on a phone (390 px) and a desktop (1280 px):
Maria answers her cluster's readiness questions with a PDF as evidence, chooses an improvement
area and records the Bronze label; Tom takes his SME's digital maturity assessment (one answer
missing first) and finds the derived profile on his organisation's page. No page may scroll
sideways."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType
from clusterbridge.services.monitoring import maturity_rules
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]


@pytest.fixture
def story(live_database: Database) -> dict[str, int]:
    with live_database.unit_of_work() as session:
        maria = make_user(session, email="maria@munich.example", name="Maria")
        tom = make_user(session, email="tom@tiny.example", name="Tom")
        cluster = make_organisation(session, name="Munich Cluster")
        sme = make_organisation(session, name="Tiny Tools", type=OrgType.SME)
        add_member(session, cluster, maria)
        add_member(session, sme, tom)
        return {"cluster": cluster.id, "sme": sme.id}


@pytest.fixture(
    params=[{"width": 390, "height": 844}, {"width": 1280, "height": 900}], ids=["390px", "1280px"]
)
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport=request.param)
    yield context.new_page()
    context.close()


def test_a_cluster_self_assessment(
    live_server: LiveServer, story: dict[str, int], page: Page, tmp_path: Path
) -> None:
    url = live_server.url
    sign_in(page, url, "maria@munich.example")
    page.goto(f"{url}/organisations/{story['cluster']}")
    page.get_by_test_id("readiness-link").click()
    expect(page.get_by_test_id("notice")).to_contain_text("is not public")
    assert_fits(page)

    members = page.get_by_test_id("question-structure-members")
    members.get_by_label("Answer").select_option("3")
    members.get_by_label("Comment").fill("17 members signed the charter.")
    page.get_by_test_id("save-structure-members").click()
    expect(page.get_by_test_id("score-structure")).to_have_text("75.0 %")
    expect(page.get_by_test_id("score-overall")).to_have_text("75.0 %")

    evidence = tmp_path / "charter.pdf"
    evidence.write_bytes(b"%PDF-1.4 charter signed by 17 members")
    members = page.get_by_test_id("question-structure-members")
    members.locator("summary").click()
    members.get_by_label("Evidence").set_input_files(evidence)
    page.get_by_test_id("attach-structure-members").click()
    expect(page.get_by_test_id("evidence-structure-members")).to_contain_text("charter.pdf")
    assert_fits(page)

    page.get_by_label("What to improve").fill("A member survey every year")
    page.locator("#area-due").fill("2025-06-30")
    page.get_by_test_id("add-improvement").click()
    expect(page.get_by_test_id("improvements")).to_contain_text("A member survey every year")

    page.get_by_label("Awarded on").fill("2024-05-01")
    page.get_by_test_id("add-label").click()
    expect(page.get_by_test_id("labels")).to_contain_text(
        "Bronze: awarded 2024-05-01, expires 2026-05-01"
    )
    assert_fits(page)


def test_an_sme_digital_maturity_assessment(
    live_server: LiveServer, story: dict[str, int], page: Page
) -> None:
    url = live_server.url
    keys = [q.key for q in maturity_rules().questions]
    sign_in(page, url, "tom@tiny.example")
    page.goto(f"{url}/organisations/{story['sme']}")
    page.get_by_test_id("maturity-link").click()
    expect(page.get_by_test_id("notice")).to_contain_text("six dimensions")
    assert_fits(page)

    for key in keys[:-1]:
        page.get_by_test_id(f"answer-{key}").select_option("1")
    page.get_by_test_id("submit-assessment").click()
    expect(page.get_by_test_id(f"error-{keys[-1]}")).to_have_text("is required")
    expect(page.get_by_test_id(f"answer-{keys[0]}")).to_have_value("1")
    page.get_by_test_id(f"answer-{keys[-1]}").select_option("1")
    page.get_by_test_id("submit-assessment").click()
    expect(page.get_by_test_id("overall-0")).to_contain_text("20.0")
    expect(page.get_by_test_id("overall-0")).to_contain_text("Basic")
    assert_fits(page)

    page.goto(f"{url}/organisations/{story['sme']}")
    expect(page.locator("main")).to_contain_text("Digital maturity assessment of")
    assert_fits(page)
