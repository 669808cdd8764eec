"""The forms of monitored projects (details, services, indicators, analysis) and the others
below leave the checks to the server, as the consortium and event forms do: they carry ``novalidate``, so an empty or bad
submission reaches the app, which answers with one summary naming every problem, each field
marked with its error, the input kept, and nothing written. Without ``novalidate`` the
browser's bubble stopped at the first empty field and named nothing else.

A template check keeps every form a browser would check (a required field, a number's bounds,
a date, an e-mail address) on ``novalidate``."""

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.db.models import (
    AnalysisDocument,
    ClusterLabel,
    Consortium,
    Finding,
    ImprovementArea,
    Indicator,
    IndicatorValue,
    Job,
    MonitoredProject,
    ProjectService,
    ReadinessQuestion,
    Recommendation,
    ServiceDelivery,
)
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType
from clusterbridge.domain.sme_services import ServiceKind
from tests.factories.analyses import AnalysisWorld, make_analysis_world
from tests.factories.builder import make_builder_registry
from tests.factories.consortia import make_consortium
from tests.factories.organisations import add_member, make_organisation
from tests.factories.sme_services import make_project, make_service
from tests.factories.users import make_user
from tests.web.form_fields import form_fields, is_novalidate
from tests.web.helpers import sign_in
from tests.web.refusals import invalid_fields, summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]

TEMPLATES = Path(__file__).parents[2] / "src" / "clusterbridge" / "web" / "templates"

#: What makes a browser check a form before sending it.
BROWSER_CHECK = re.compile(
    r"\srequired(?=[\s>{/])|\s(?:min|max|minlength|pattern)="
    r'|\stype="(?:email|url|number|date|time|datetime-local|month|week)"'
)
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
INCLUDE = re.compile(r'{%-?\s*include\s+"([^"]+)"')
MACRO = re.compile(r"{%-?\s*macro\s+(\w+)\(.*?%}(.*?){%-?\s*endmacro", re.S)


def _expanded(text: str, macros: dict[str, str]) -> str:
    """``text`` with its includes and the calls of its template's macros written out."""
    for name in INCLUDE.findall(text):
        text += _expanded((TEMPLATES / name).read_text(encoding="utf-8"), macros)
    for name, body in macros.items():
        if re.search(rf"{{{{-?\s*{name}\(", text):
            text += body
    return text


def _browser_checked_forms() -> set[tuple[str, str]]:
    found = set()
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        macros = dict(MACRO.findall(text))
        for attributes, body in FORM.findall(text):
            checked = BROWSER_CHECK.search(_expanded(body, macros))
            if checked and "novalidate" not in attributes.split():
                action = re.search(r'action="([^"]*)"', attributes)
                found.add((str(path.relative_to(TEMPLATES)), action.group(1) if action else ""))
    return found


def _empty(client: TestClient, page: str, action: str, **typed: str) -> dict[str, str]:
    """The form posting to ``action`` as ``page`` shows it, with what the user ``typed``."""
    return dict(form_fields(client.get(page).text, action)) | typed


def _refusal_items(html: str) -> list[str]:
    """The problems listed in the page's refusal box (the consortium and builder pages')."""
    box = re.search(r'<div class="notice error" role="alert"[^>]*>(.*?)</div>', html, re.S)
    assert box is not None, "no refusal box"
    return [unescape(item) for item in re.findall(r"<li>(.*?)</li>", box.group(1), re.S)]


def _count(database: Database, model: Any) -> int:
    with database.unit_of_work() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_every_form_a_browser_would_check_leaves_it_to_the_server() -> None:
    assert _browser_checked_forms() == set()


def test_the_template_check_finds_a_required_field_in_a_macro() -> None:
    text = (
        '{% macro fields() %}<input name="a" required>{% endmacro %}'
        '<form method="post" action="/x">{{ fields() }}</form>'
    )

    assert BROWSER_CHECK.search(_expanded(FORM.findall(text)[0][1], dict(MACRO.findall(text))))


@pytest.fixture
def cluster(clean_database: Database) -> int:
    with clean_database.unit_of_work() as session:
        maria = make_user(session, email="maria@mobility.example", name="Maria")
        organisation = make_organisation(session, name="Mobility Cluster")
        add_member(session, organisation, maria)
        return organisation.id


def test_an_empty_new_project_reaches_the_server_and_writes_nothing(
    client: TestClient, cluster: int, clean_database: Database
) -> None:
    sign_in(client, "maria@mobility.example")
    shown = client.get("/projects").text

    response = client.post(
        "/projects", data=_empty(client, "/projects", "/projects", period_months="0")
    )

    assert is_novalidate(shown, "/projects")
    assert response.status_code == 422
    assert summary_items(response.text) == [
        "Name: is required",
        "Acronym: is required",
        "Start: is not a date (YYYY-MM-DD)",
        "End: is not a date (YYYY-MM-DD)",
        "Reporting period, in months: must be between 1 and 36 months",
    ]
    assert re.findall(r'id="project-period"[^>]* value="([^"]*)"', response.text) == ["0"]
    assert _count(clean_database, MonitoredProject) == 0


def test_an_emptied_project_edit_reaches_the_server_and_changes_nothing(
    client: TestClient, cluster: int, clean_database: Database
) -> None:
    sign_in(client, "maria@mobility.example")
    typed = {"name": "Euro Mobility", "acronym": "EMA", "start_date": "2025-01-01",
             "end_date": "2027-12-31", "period_months": "12"}  # fmt: skip
    created = client.post(
        "/projects",
        data=_empty(client, "/projects", "/projects", **typed),
        follow_redirects=False,
    )
    assert created.status_code == 303, summary_items(created.text)
    edit = f"{created.headers['location']}/edit"
    shown = client.get(edit).text

    response = client.post(edit, data=_empty(client, edit, edit, name="", end_date="2024-13-01"))

    assert is_novalidate(shown, edit)
    assert response.status_code == 422
    assert summary_items(response.text) == [
        "Name: is required",
        "End: is not a date (YYYY-MM-DD)",
    ]
    assert invalid_fields(response.text) == [
        ("name", "is required"),
        ("end_date", "is not a date (YYYY-MM-DD)"),
    ]
    with clean_database.unit_of_work() as session:
        assert session.scalars(sa.select(MonitoredProject.name)).all() == ["Euro Mobility"]


@pytest.fixture
def services_project(clean_database: Database) -> int:
    with clean_database.unit_of_work() as session:
        maria = make_user(session, email="maria@mobility.example", name="Maria")
        organisation = make_organisation(session, name="Mobility Cluster")
        add_member(session, organisation, maria)
        make_organisation(session, name="Tiny Tools", type=OrgType.SME)
        project = make_project(session, coordinator=organisation)
        make_service(session, project, name="Audit", kind=ServiceKind.TECHNICAL_ASSISTANCE)
        return project.id


def test_an_empty_service_and_an_empty_delivery_reach_the_server_and_write_nothing(
    client: TestClient, services_project: int, clean_database: Database
) -> None:
    page = f"/projects/{services_project}/services"
    sign_in(client, "maria@mobility.example")
    shown = client.get(page).text
    deliveries = f"{page}/deliveries"

    service = client.post(page, data=_empty(client, page, page))
    delivery = client.post(deliveries, data=_empty(client, page, deliveries))

    assert [is_novalidate(shown, action) for action in (page, deliveries)] == [True, True]
    assert (service.status_code, delivery.status_code) == (422, 422)
    assert summary_items(service.text) == ["Name: is required"]
    assert invalid_fields(service.text) == [("service-name", "is required")]
    assert summary_items(delivery.text) == [
        "Date: is not a date (YYYY-MM-DD)",
        "Time spent: is not a positive number with at most two decimals",
        "To the organisation: is required: the organisation the service went to",
    ]
    assert invalid_fields(delivery.text) == [
        ("delivery-date", "is not a date (YYYY-MM-DD)"),
        ("delivery-quantity", "is not a positive number with at most two decimals"),
        ("delivery-organisation", "is required: the organisation the service went to"),
    ]
    assert (_count(clean_database, ProjectService), _count(clean_database, ServiceDelivery)) == (
        1,
        0,
    )


def test_a_bad_indicator_and_a_bad_value_reach_the_server_and_write_nothing(
    late_client: TestClient, indicator_project: int, clean_database: Database
) -> None:
    client, page = late_client, f"/projects/{indicator_project}/indicators"
    sign_in(client, "manager@ind.example.org")
    client.post(page, data=_empty(client, page, page, name="Webinars", unit="webinars"))
    shown = client.get(page).text
    values, number = re.findall(r'action="(/projects/\d+/indicators/(\d+)/values)"', shown)[0]
    indicators = _count(clean_database, Indicator)

    indicator = client.post(page, data=_empty(client, page, page, target="many"))
    value = client.post(values, data=_empty(client, page, values, value="twelve"))

    assert [is_novalidate(shown, action) for action in (page, values)] == [True, True]
    assert (indicator.status_code, value.status_code) == (422, 422)
    assert summary_items(indicator.text) == [
        "Name: is required",
        "Unit: is required",
        'End target: "many" is not a number',
    ]
    assert invalid_fields(indicator.text) == [
        ("name", "is required"),
        ("unit", "is required"),
        ("target", '"many" is not a number'),
    ]
    assert summary_items(value.text) == ['Webinars, value: "twelve" is not a number']
    assert invalid_fields(value.text) == [(f"value-{number}", '"twelve" is not a number')]
    assert re.findall(rf'id="value-{number}"[^>]* value="([^"]*)"', value.text) == ["twelve"]
    assert (_count(clean_database, Indicator), _count(clean_database, IndicatorValue)) == (
        indicators,
        0,
    )


@pytest.fixture
def world(clean_database: Database) -> AnalysisWorld:
    with clean_database.unit_of_work() as session:
        return make_analysis_world(session)


def test_empty_analysis_forms_reach_the_server_and_write_nothing(
    client: TestClient, world: AnalysisWorld, clean_database: Database
) -> None:
    page = f"/projects/{world.project}/analysis"
    sign_in(client, "maria@example.org")
    findings, recommendations, documents = (
        f"{page}/{part}" for part in ("findings", "recommendations", "documents")
    )
    client.post(findings, data=_empty(client, page, findings, title="Pilots", text="Together."))
    shown = client.get(page).text
    edit = re.findall(r'action="(/projects/\d+/analysis/findings/\d+)"', shown)[0]

    finding = client.post(findings, data=_empty(client, page, findings, title="Costs"))
    emptied = client.post(edit, data=_empty(client, page, edit, title="", text=""))
    recommendation = client.post(recommendations, data=_empty(client, page, recommendations))
    document = client.post(documents, data=_empty(client, page, documents))

    assert [is_novalidate(shown, a) for a in (findings, edit, recommendations, documents)] == [
        True,
        True,
        True,
        True,
    ]
    assert [r.status_code for r in (finding, emptied, recommendation, document)] == [422] * 4
    assert summary_items(finding.text) == ["What SMEs meet, and why: is required"]
    assert re.findall(r'id="finding-title"[^>]* value="([^"]*)"', finding.text) == ["Costs"]
    assert summary_items(emptied.text) == [
        "Finding 1, Title: is required",
        "Finding 1, What SMEs meet, and why: is required",
    ]
    assert summary_items(recommendation.text) == [
        "Recommendation: is required",
        "Rests on the findings: cite at least one finding",
    ]
    assert summary_items(document.text) == ["File: choose a file", "Title: is required"]
    with clean_database.unit_of_work() as session:
        assert session.scalars(sa.select(Finding.title)).all() == ["Pilots"]
    assert (
        _count(clean_database, Recommendation),
        _count(clean_database, AnalysisDocument),
    ) == (0, 0)


def test_an_empty_sign_in_reaches_the_server_and_signs_nobody_in(
    client: TestClient, cluster: int
) -> None:
    shown = client.get("/sign-in").text

    response = client.post("/sign-in", data=_empty(client, "/sign-in", "/sign-in"))

    assert is_novalidate(shown, "/sign-in")
    assert response.status_code == 422
    assert summary_items(response.text) == ["E-mail address: is required", "Password: is required"]
    assert invalid_fields(response.text) == [("email", "is required"), ("password", "is required")]
    assert client.get("/account", follow_redirects=False).status_code == 303


@pytest.fixture
def consortium(clean_database: Database) -> int:
    with clean_database.unit_of_work() as session:
        owner = make_user(session, email="maria@mobility.example", name="Maria")
        make_builder_registry(session)
        return make_consortium(session, owner=owner, name="Isar Eurocluster").id


def test_emptied_consortium_settings_reach_the_server_and_change_nothing(
    client: TestClient, consortium: int, clean_database: Database
) -> None:
    sign_in(client, "maria@mobility.example")
    page = f"/consortia/{consortium}"
    shown = client.get(page).text
    action = f"{page}/settings"

    response = client.post(action, data=_empty(client, page, action, name="", duration_months="x"))

    assert is_novalidate(shown, action)
    assert response.status_code == 422
    assert _refusal_items(response.text) == [
        "Name: is required",
        'Duration (months): "x" is not a whole number',
    ]
    typed = r'id="consortium-duration" name="duration_months" value="([^"]*)"'
    assert re.findall(typed, response.text) == ["x"]
    with clean_database.unit_of_work() as session:
        assert session.scalars(sa.select(Consortium.name)).all() == ["Isar Eurocluster"]


def test_an_empty_builder_form_reaches_the_server_and_starts_nothing(
    client: TestClient, consortium: int, clean_database: Database
) -> None:
    sign_in(client, "maria@mobility.example")
    shown = client.get("/builder").text

    response = client.post("/builder", data=_empty(client, "/builder", "/builder"))

    assert is_novalidate(shown, "/builder")
    assert response.status_code == 422
    assert _refusal_items(response.text) == ["Call: choose a call"]
    assert invalid_fields(response.text) == [("builder-call", "choose a call")]
    assert _count(clean_database, Job) == 0


def test_refused_readiness_forms_keep_what_was_typed_and_write_nothing(
    client: TestClient, cluster: int, clean_database: Database
) -> None:
    # A weight that was no whole number ("1.5", which the browser stopped) showed an error page
    # without the form; an empty one was taken as 1; the new forms came back empty.
    page = f"/organisations/{cluster}/readiness"
    sign_in(client, "maria@mobility.example")
    shown = client.get(page).text
    edit = re.findall(r'action="(/organisations/\d+/readiness/questions/(\d+)/edit)"', shown)[0]
    actions = [f"{page}/questions", f"{page}/improvements", f"/organisations/{cluster}/labels"]
    questions = _count(clean_database, ReadinessQuestion)

    question = client.post(actions[0], data=_empty(client, page, actions[0],
                                                   dimension="governance", weight="1.5"))  # fmt: skip
    unweighted = client.post(actions[0], data=_empty(client, page, actions[0], text="Own?",
                                                     weight=""))  # fmt: skip
    reworded = client.post(edit[0], data=_empty(client, page, edit[0], text="New words",
                                                weight="abc"))  # fmt: skip
    area = client.post(actions[1], data=_empty(client, page, actions[1], dimension="governance",
                                               title="Members", due="2020-01-01"))  # fmt: skip
    label = client.post(actions[2], data=_empty(client, page, actions[2], level="gold",
                                                awarded="2024-06-15"))  # fmt: skip

    assert [is_novalidate(shown, action) for action in (*actions, edit[0])] == [True] * 4
    assert [r.status_code for r in (question, unweighted, reworded, area, label)] == [422] * 5
    assert summary_items(question.text) == [
        "Question: is required",
        'Weight (1–5): "1.5" is not a whole number',
    ]
    assert invalid_fields(question.text) == [
        ("new-text", "is required"),
        ("new-weight", '"1.5" is not a whole number'),
    ]
    assert re.findall(r'id="new-weight"[^>]* value="([^"]*)"', question.text) == ["1.5"]
    assert '<option value="governance" selected>' in question.text
    assert summary_items(unweighted.text) == ["Weight (1–5): is required"]
    assert re.findall(r'id="new-text"[^>]*>([^<]*)<', unweighted.text) == ["Own?"]
    assert summary_items(reworded.text)[0].endswith(', Weight: "abc" is not a whole number')
    assert re.findall(rf'id="text-{edit[1]}"[^>]*>([^<]*)<', reworded.text) == ["New words"]
    assert re.findall(r'id="area-title"[^>]* value="([^"]*)"', area.text) == ["Members"]
    assert summary_items(area.text) == [
        "Due: is in the past (today is 01 December 2024): an improvement not done yet is due "
        "today or later"
    ]
    assert re.findall(r'id="area-due"[^>]* value="([^"]*)"', area.text) == ["2020-01-01"]
    assert summary_items(label.text) == ["Expires on: is required for a gold label"]
    assert re.findall(r'id="label-awarded"[^>]* value="([^"]*)"', label.text) == ["2024-06-15"]
    assert '<option value="gold" selected>' in label.text
    with clean_database.unit_of_work() as session:
        texts = session.scalars(sa.select(ReadinessQuestion.text)).all()
    assert (len(texts), "New words" in texts) == (questions, False)
    assert (_count(clean_database, ImprovementArea), _count(clean_database, ClusterLabel)) == (0, 0)
