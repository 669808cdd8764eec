"""A refused form on a 390 px phone: the new-project form sent empty (the browser's own
checks off, as a script or an old browser would send it) shows one summary naming every
field, each field marked invalid beside its error, fits the screen and passes axe."""

import pytest
from playwright.sync_api import Page, expect

from clusterbridge.db.models import ClusterMembership
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType, UserRole
from clusterbridge.services.exchanges import create_partnership
from clusterbridge.web.routes.organisations import FIELD_HINTS
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_fits, sign_in
from tests.browser.test_pages import serious_violations
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.db]

PHONE = {"width": 390, "height": 844}


def test_an_empty_project_is_refused_readably_on_a_phone(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str
) -> None:
    with live_database.unit_of_work() as session:
        maria = make_user(session, email="maria@mobility.example", name="Maria")
        add_member(session, make_organisation(session, name="Mobility Cluster"), maria)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "maria@mobility.example")
    page.goto(f"{live_server.url}/projects")

    page.get_by_test_id("project-form").evaluate("(form) => { form.noValidate = true; }")
    page.get_by_test_id("create-project").click()

    summary = page.get_by_test_id("refused-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("listitem")).to_have_text(
        [
            "Name: is required",
            "Acronym: is required",
            "Start: is not a date (YYYY-MM-DD)",
            "End: is not a date (YYYY-MM-DD)",
        ]
    )
    for label in ("Name", "Acronym", "Start", "End"):
        expect(page.get_by_label(label, exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Name", exact=True)).to_have_accessible_description("is required")
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []


def test_a_refused_organisation_is_summed_up_on_a_phone(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str
) -> None:
    with live_database.unit_of_work() as session:
        make_user(session, email="maria@mobility.example", name="Maria")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "maria@mobility.example")
    page.goto(f"{live_server.url}/organisations/new")

    page.get_by_label("PIC (9 digits)").fill("12")
    page.get_by_role("button", name="Save").click()

    summary = page.get_by_test_id("refused-summary")
    expect(summary.get_by_role("listitem")).to_have_text(
        [
            "Name: is required",
            'PIC: "12" is not a PIC: a PIC has exactly 9 digits',
            "Country: is required",
        ]
    )
    expect(page.get_by_label("PIC (9 digits)")).to_have_attribute("aria-invalid", "true")
    # The error first, then the hint that says what a PIC is.
    expect(page.get_by_label("PIC (9 digits)")).to_have_accessible_description(
        f'"12" is not a PIC: a PIC has exactly 9 digits {FIELD_HINTS["pic"]}'
    )
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []


def test_a_refused_enrolment_is_summed_up_on_a_phone(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str
) -> None:
    with live_database.unit_of_work() as session:
        ada = make_user(session, email="ada@example.org", name="Ada", role=UserRole.ADMINISTRATOR)
        vera = make_user(session, email="vera@munich.example", name="Vera")
        add_member(session, make_organisation(session, name="Munich Cluster"), vera)
        create_partnership(session, ada, name="Alpine CXC", country="AT", members=[ada])
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "vera@munich.example")
    page.goto(f"{live_server.url}/exchanges/enrol")

    page.get_by_label("Preferred sectors").fill(", ".join(f"sector {n}" for n in range(31)))
    page.get_by_test_id("enrol").click()

    summary = page.get_by_test_id("refused-summary")
    expect(summary.get_by_role("listitem")).to_have_text(
        [
            "Organisation: choose an organisation",
            "Partnership that will validate you: choose a partnership",
            "Take part as: choose one of the options",
            "Kind of organisation: choose one of the options",
            "Motivation: is required",
            "What the exchange is for: choose at least one",
            "Preferred sectors: name at most 30 sectors (there are 31)",
        ]
    )
    for radio in ("Visitor (you travel to the host, once)", "Host (you receive visitors)"):
        expect(page.get_by_label(radio)).to_have_accessible_description("choose one of the options")
    expect(page.get_by_label("Preferred sectors")).to_have_attribute("aria-invalid", "true")
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []


def test_an_organisation_whose_clusters_are_refused_marks_them_on_a_phone(
    page: Page, live_server: LiveServer, live_database: Database, axe_source: str
) -> None:
    # Munich Cluster was listed as Tiny Robots' cluster, then recorded as an SME: saving the
    # form refuses it, with the box that names no cluster, both marked beside their errors.
    with live_database.unit_of_work() as session:
        maria = make_user(session, email="maria@tiny.example", name="Maria")
        tiny = make_organisation(session, name="Tiny Robots", type=OrgType.SME)
        munich = make_organisation(session, name="Munich Cluster", country="DE")
        add_member(session, tiny, maria)
        session.add(ClusterMembership(cluster=munich, member=tiny))
        session.flush()
        munich.type = OrgType.SME
        edit = f"{live_server.url}/organisations/{tiny.id}/edit"
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "maria@tiny.example")
    page.goto(edit)

    page.get_by_test_id("cluster-search").fill("Lyonnesse Cluster")
    page.get_by_role("button", name="Save").click()

    not_a_cluster = "Munich Cluster is not a cluster organisation or cluster network"
    no_match = (
        'no cluster organisation or network of the registry is named "Lyonnesse Cluster": give '
        "its name as the registry writes it, its PIC or its registry number"
    )
    summary = page.get_by_test_id("refused-summary")
    expect(summary.get_by_role("listitem")).to_have_text(
        [f"Member of these cluster organisations: {not_a_cluster}", f"Add a cluster: {no_match}"]
    )
    ticked = page.get_by_label("Munich Cluster (DE)")
    expect(ticked).to_have_attribute("aria-invalid", "true")
    expect(ticked).to_have_accessible_description(f"{not_a_cluster} Untick a cluster to leave it.")
    box = page.get_by_test_id("cluster-search")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_have_value("Lyonnesse Cluster")
    expect(box).to_have_accessible_description(
        f"{no_match} The clusters found show below as you type; or type its whole name and save."
    )
    assert_fits(page)
    assert serious_violations(page, axe_source, skip=[]) == []
