"""An empty submission of each form: status, one summary naming every problem by its field's
label, and each field marked invalid with its error beside it (all at once, not in batches)."""

import re

import pytest
from fastapi.testclient import TestClient

from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType, UserRole
from clusterbridge.services.monitoring import maturity_rules
from tests.factories.analyses import AnalysisWorld, make_analysis_world
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.web.form_fields import form_fields
from tests.web.helpers import sign_in
from tests.web.refusals import invalid_fields, summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def ids(clean_database: Database) -> tuple[int, int]:
    with clean_database.unit_of_work() as session:
        maria = make_user(session, email="maria@mobility.example", name="Maria")
        tom = make_user(session, email="tom@tiny.example", name="Tom")
        cluster = make_organisation(session, name="Mobility Cluster")
        sme = make_organisation(session, name="Tiny Tools", type=OrgType.SME)
        add_member(session, cluster, maria)
        add_member(session, sme, tom)
        return cluster.id, sme.id


def _empty(client: TestClient, page: str, action: str, **blank: str) -> dict[str, str]:
    """The form posting to ``action`` as ``page`` shows it, ``blank`` fields emptied."""
    return dict(form_fields(client.get(page).text, action)) | blank


def test_an_empty_new_project_names_every_field_at_once(
    client: TestClient, ids: tuple[int, int]
) -> None:
    sign_in(client, "maria@mobility.example")

    response = client.post("/projects", data=_empty(client, "/projects", "/projects"))

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "Name: is required",
        "Acronym: is required",
        "Start: is not a date (YYYY-MM-DD)",
        "End: is not a date (YYYY-MM-DD)",
    ]
    assert invalid_fields(response.text) == [
        ("name", "is required"),
        ("acronym", "is required"),
        ("start_date", "is not a date (YYYY-MM-DD)"),
        ("end_date", "is not a date (YYYY-MM-DD)"),
    ]


def test_an_emptied_project_edit_names_every_field_at_once(
    client: TestClient, ids: tuple[int, int]
) -> None:
    sign_in(client, "maria@mobility.example")
    created = client.post(
        "/projects",
        data=_empty(
            client,
            "/projects",
            "/projects",
            name="Euro Mobility",
            acronym="EMA",
            start_date="2025-01-01",
            end_date="2026-06-30",
        ),
        follow_redirects=False,
    )
    edit = f"{created.headers['location']}/edit"
    blank = dict.fromkeys(("name", "acronym", "start_date", "end_date", "period_months"), "")

    response = client.post(edit, data=_empty(client, edit, edit, **blank))

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "Name: is required",
        "Acronym: is required",
        "Start: is not a date (YYYY-MM-DD)",
        "End: is not a date (YYYY-MM-DD)",
        "Reporting period, in months: is required",
    ]
    assert invalid_fields(response.text) == [
        ("name", "is required"),
        ("acronym", "is required"),
        ("start_date", "is not a date (YYYY-MM-DD)"),
        ("end_date", "is not a date (YYYY-MM-DD)"),
        ("period_months", "is required"),
    ]


def test_an_empty_registration_is_summed_up(client: TestClient) -> None:
    response = client.post("/register", data=_empty(client, "/register", "/register"))

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "Your name: is required",
        "E-mail address: is required",
        "Password: must be 10 to 1024 characters long",
    ]
    assert invalid_fields(response.text) == [
        ("name", "is required"),
        ("email", "is required"),
        ("password", "must be 10 to 1024 characters long"),
    ]


def test_an_empty_password_change_is_summed_up(client: TestClient, ids: tuple[int, int]) -> None:
    sign_in(client, "maria@mobility.example")
    page = "/account/password"
    response = client.post(page, data=_empty(client, page, page))

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "Current password: is not your current password",
        "New password: must be 10 to 1024 characters long",
    ]
    assert invalid_fields(response.text) == [
        ("current_password", "is not your current password"),
        ("new_password", "must be 10 to 1024 characters long"),
    ]


def test_an_empty_consortium_is_summed_up(client: TestClient, ids: tuple[int, int]) -> None:
    sign_in(client, "maria@mobility.example")
    response = client.post("/consortia", data=_empty(client, "/consortia", "/consortia"))

    assert response.status_code == 422
    assert summary_items(response.text) == ["Name: is required"]
    assert invalid_fields(response.text) == [("name", "is required")]


def test_an_empty_maturity_assessment_is_summed_up(
    client: TestClient, ids: tuple[int, int]
) -> None:
    _cluster, sme = ids
    sign_in(client, "tom@tiny.example")
    page = f"/organisations/{sme}/digital-maturity"
    response = client.post(page, data=_empty(client, page, page))

    questions = maturity_rules().questions
    assert response.status_code == 422
    assert summary_items(response.text)[:2] == [
        "We have a plan for how digital technology will support our business: is required",
        "We set aside money and time every year for digital projects: is required",
    ]
    assert len(summary_items(response.text)) == len(questions)
    assert invalid_fields(response.text) == [(q.key, "is required") for q in questions]


def test_an_empty_indicator_and_an_empty_value_are_summed_up(
    late_client: TestClient, indicator_project: int
) -> None:
    client, page = late_client, f"/projects/{indicator_project}/indicators"
    sign_in(client, "manager@ind.example.org")

    indicator = client.post(page, data=_empty(client, page, page))
    client.post(page, data=_empty(client, page, page, name="Webinars", unit="webinars"))
    shown = client.get(page).text
    action = re.findall(r'action="(/projects/\d+/indicators/(\d+)/values)"', shown)[0]
    value = client.post(action[0], data=_empty(client, page, action[0]))

    assert (indicator.status_code, value.status_code) == (422, 422)
    assert summary_items(indicator.text) == [
        "Name: is required",
        "Unit: is required",
    ]
    assert invalid_fields(indicator.text) == [
        ("name", "is required"),
        ("unit", "is required"),
    ]
    assert summary_items(value.text) == ["Webinars, value: is required"]
    assert invalid_fields(value.text) == [(f"value-{action[1]}", "is required")]


@pytest.fixture
def world(clean_database: Database) -> AnalysisWorld:
    with clean_database.unit_of_work() as session:
        return make_analysis_world(session)


def test_empty_analysis_forms_are_summed_up(client: TestClient, world: AnalysisWorld) -> None:
    page = f"/projects/{world.project}/analysis"
    sign_in(client, "maria@example.org")
    finding = client.post(f"{page}/findings", data=_empty(client, page, f"{page}/findings"))
    client.post(
        f"{page}/findings",
        data=_empty(client, page, f"{page}/findings", title="Shared pilots", text="Together."),
    )
    actions = [f"{page}/recommendations", f"{page}/documents"]
    recommendation, document = (client.post(a, data=_empty(client, page, a)) for a in actions)

    assert [r.status_code for r in (finding, recommendation, document)] == [422, 422, 422]
    assert summary_items(finding.text) == [
        "Title: is required",
        "What SMEs meet, and why: is required",
    ]
    assert invalid_fields(finding.text) == [
        ("finding-title", "is required"),
        ("finding-text", "is required"),
    ]
    assert summary_items(recommendation.text) == [
        "Recommendation: is required",
        "Rests on the findings: cite at least one finding",
    ]
    assert invalid_fields(recommendation.text) == [
        ("recommendation-text", "is required"),
        ("recommendation-finding_ids", "cite at least one finding"),
    ]
    assert summary_items(document.text) == [
        "File: choose a file",
        "Title: is required",
    ]
    assert invalid_fields(document.text) == [
        ("document-title", "is required"),
        ("document-file", "choose a file"),
    ]


def test_empty_readiness_forms_are_summed_up(client: TestClient, ids: tuple[int, int]) -> None:
    cluster, _sme = ids
    page = f"/organisations/{cluster}/readiness"
    sign_in(client, "maria@mobility.example")
    actions = [
        f"{page}/questions",
        f"{page}/improvements",
        f"/organisations/{cluster}/labels",
    ]
    question, improvement, label = (client.post(a, data=_empty(client, page, a)) for a in actions)
    gold = client.post(actions[2], data=_empty(client, page, actions[2], level="gold"))
    edit = re.findall(r'action="(/organisations/\d+/readiness/questions/(\d+)/edit)"', label.text)[
        0
    ]
    reworded = client.post(edit[0], data=_empty(client, page, edit[0], text=""))

    assert [r.status_code for r in (question, improvement, label, gold)] == [422] * 4
    assert summary_items(question.text) == ["Question: is required"]
    assert invalid_fields(question.text) == [("new-text", "is required")]
    assert summary_items(improvement.text) == ["What to improve: is required"]
    assert invalid_fields(improvement.text) == [("area-title", "is required")]
    assert summary_items(label.text) == ["Awarded on: is required"]
    assert invalid_fields(label.text) == [("label-awarded", "is required")]
    assert summary_items(reworded.text)[0].endswith(", Question: is required")
    assert invalid_fields(reworded.text) == [(f"text-{edit[1]}", "is required")]
    assert "<details open>" in reworded.text
    # Both dates at once: the missing award date no longer hides the missing expiry.
    assert summary_items(gold.text) == [
        "Awarded on: is required",
        "Expires on: is required for a gold label",
    ]
    assert invalid_fields(gold.text) == [
        ("label-awarded", "is required"),
        ("label-expires", "is required for a gold label"),
    ]


def test_a_refused_new_organisation_is_summed_up(client: TestClient, ids: tuple[int, int]) -> None:
    sign_in(client, "maria@mobility.example")
    page = "/organisations/new"
    response = client.post(page, data=_empty(client, page, page, pic="12", website="ftp://x"))

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "Name: is required",
        'PIC: "12" is not a PIC: a PIC has exactly 9 digits',
        "Country: is required",
        'Website: "ftp://x" is not a website; give an http(s) address or a domain like example.org',
    ]
    assert invalid_fields(response.text) == [
        ("name", "is required"),
        ("pic", '"12" is not a PIC: a PIC has exactly 9 digits'),
        ("country", "is required"),
        (
            "website",
            '"ftp://x" is not a website; give an http(s) address or a domain like example.org',
        ),
    ]


def test_a_refused_organisation_edit_is_summed_up(client: TestClient, ids: tuple[int, int]) -> None:
    cluster, _sme = ids
    sign_in(client, "maria@mobility.example")
    page = f"/organisations/{cluster}/edit"
    response = client.post(page, data=_empty(client, page, page, name="", nuts="XX999"))

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "Name: is required",
        'NUTS region code: "XX999" is not a NUTS code of any version 2006–2024',
    ]
    assert invalid_fields(response.text) == [
        ("name", "is required"),
        ("nuts", '"XX999" is not a NUTS code of any version 2006–2024'),
    ]


def test_an_empty_call_is_summed_up(client: TestClient, clean_database: Database) -> None:
    with clean_database.unit_of_work() as session:
        make_user(session, email="olga@example.org", name="Olga", role=UserRole.PROGRAMME_OFFICER)
    sign_in(client, "olga@example.org")
    response = client.post("/calls/new", data=_empty(client, "/calls/new", "/calls/new"))

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "Identifier: is required",
        "Title: is required",
        "Summary: is required",
        "Budget, EUR: is required (in euros)",
        "Award criteria: must name at least one criterion",
    ]
    assert invalid_fields(response.text) == [
        ("identifier", "is required"),
        ("title", "is required"),
        ("summary", "is required"),
        ("budget", "is required (in euros)"),
        ("criteria", "must name at least one criterion"),
    ]
