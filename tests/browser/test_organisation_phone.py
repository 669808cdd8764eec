"""An organisation's pages on a 390 px phone: its projects table stacks (each project a card,
each value under its column's name, dates on one line), and its member picks a cluster to
join by typing part of its name (htmx), ticks it and saves."""

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.models import Participation, Project
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType, UserRole
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.browser.test_pages import serious_violations
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PHONE = {"width": 390, "height": 844}
TITLE = (
    "Resilient and sustainable aerospace supply chains through digital twins, additive "
    "manufacturing and cross-border cluster cooperation in Europe's regions"
)

#: Elements shown reaching past the right edge of the screen (tag, class, text), and for each cell
#: of the projects table: how it shows, whether it cuts its content, and how many lines its
#: text takes.
LAYOUT = """() => {
    const wide = Array.from(document.querySelectorAll("body *"))
        .filter((e) => e.checkVisibility()
            && e.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((e) => `${e.tagName} ${e.className} ${e.textContent.slice(0, 30)}`);
    const cells = Array.from(document.querySelectorAll("[data-testid=projects] td"), (td) => {
        const text = document.createRange();
        text.selectNodeContents(td);
        const lines = new Set(Array.from(text.getClientRects(), (r) => Math.round(r.top)));
        return [td.dataset.label, getComputedStyle(td).display, td.scrollWidth > td.clientWidth,
                lines.size];
    });
    return {wide, cells};
}"""


def _organisation_with_a_project(database: Database) -> int:
    """Munich Aerospace Cluster, coordinator of a project with a long title."""
    with database.unit_of_work() as session:
        munich = make_organisation(session, name="Munich Aerospace Cluster")
        project = Project(
            grant_id="101057777", acronym="SKYCHAIN", title=TITLE, keywords="", objective="",
            start_date=date(2022, 6, 1), participations=[],
        )  # fmt: skip
        session.add(project)
        session.flush()
        session.add(
            Participation(
                project=project, organisation=munich, role="coordinator",
                ec_contribution_eur=1_234_567.0,
            )
        )  # fmt: skip
        return munich.id


def test_the_projects_table_stacks_on_a_phone(
    page: Page, live_server: LiveServer, live_database: Database
) -> None:
    organisation_id = _organisation_with_a_project(live_database)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/organisations/{organisation_id}")

    layout: dict[str, Any] = page.evaluate(LAYOUT)
    assert_fits(page)
    assert layout["wide"] == []
    project, role, start, contribution = layout["cells"]
    assert project[1:3] == ["block", False]
    assert role == ["Role", "block", False, 1]
    assert start == ["Start", "block", False, 1]
    assert contribution == ["EU contribution", "block", False, 1]
    expect(page.get_by_test_id("projects").locator("td").nth(2)).to_have_text("01 June 2022")


def test_a_cluster_is_found_added_and_saved_on_a_phone(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str
) -> None:
    with live_database.unit_of_work() as session:
        make_user(session, email="ada@admin.example", role=UserRole.ADMINISTRATOR)
        sme = make_organisation(session, name="Tiny Robots", type=OrgType.SME).id
        for number in range(30):
            make_organisation(session, name=f"Regional Innovation Cluster {number:02d}")
        make_organisation(session, name="Munich Aerospace and Satellite Navigation Cluster")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "ada@admin.example")
    page.goto(f"{live_server.url}/organisations/{sme}/edit")
    hint = page.locator("#cluster_ids-hint")
    # No cluster yet: nothing to untick, so the hint says there is none.
    expect(hint).to_have_text("Not a member of any cluster yet.", use_inner_text=True)

    page.get_by_label("Add a cluster: type part of its name, or its PIC").fill("satell")
    expect(page.get_by_test_id("cluster-result")).to_have_count(1)
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []
    page.get_by_role("button", name="Add Munich Aerospace and Satellite Navigation Cluster").click()

    chosen = page.get_by_test_id("chosen-clusters").get_by_role("checkbox")
    expect(chosen).to_have_count(1)
    expect(chosen).to_be_checked()
    expect(hint).to_have_text("Untick a cluster to leave it.", use_inner_text=True)
    expect(page.get_by_test_id("cluster-result")).to_have_text(
        "Munich Aerospace and Satellite Navigation Cluster DE added"
    )
    expect(page.get_by_test_id("cluster-search")).to_have_value("")
    expect(page.get_by_test_id("cluster-search")).to_be_focused()
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_test_id("saved")).to_have_text("The organisation is saved.")
    expect(
        page.get_by_role("link", name="Munich Aerospace and Satellite Navigation Cluster")
    ).to_be_visible()
    assert_fits(page)
