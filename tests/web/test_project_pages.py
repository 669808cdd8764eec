"""The project pages: a cluster manager creates a project, sees every mistake in place, adds a
partner found in the registry and removes it; strangers get 404."""

import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.db.models import MonitoredProject
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType
from clusterbridge.services.monitoring import MAX_DESCRIPTION
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user
from tests.web.helpers import csrf_token, sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def ids(clean_database: Database) -> tuple[int, int]:
    with clean_database.unit_of_work() as session:
        maria = make_user(session, email="maria@mobility.example", name="Maria")
        make_user(session, email="sam@example.org", name="Sam")
        cluster = make_organisation(session, name="Mobility Cluster")
        sme = make_organisation(session, name="Tiny Tools", type=OrgType.SME)
        add_member(session, cluster, maria)
        return cluster.id, sme.id


def form(cluster: int, token: str, **changes: str) -> dict[str, str]:
    return {
        "name": "Euro Mobility Alliance", "acronym": "EMA", "kind": "strategic_alliance",
        "start_date": "2025-01-01", "end_date": "2026-06-30", "period_months": "12",
        "coordinator_id": str(cluster), "csrf_token": token,
    } | changes  # fmt: skip


def test_a_manager_creates_a_project_and_adds_a_partner(
    client: TestClient, ids: tuple[int, int]
) -> None:
    cluster, sme = ids
    sign_in(client, "maria@mobility.example")
    assert 'data-testid="no-projects"' in client.get("/projects").text
    token = csrf_token(client, "/projects")
    wrong = client.post(
        "/projects", data=form(cluster, token, end_date="2024-13-01", period_months="x")
    )
    assert wrong.status_code == 422
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', wrong.text) == [
        ("end_date", "is not a date (YYYY-MM-DD)"),
        ("period_months", "&#34;x&#34; is not a whole number"),
    ]
    assert 'value="Euro Mobility Alliance"' in wrong.text

    created = client.post("/projects", data=form(cluster, token), follow_redirects=False)
    assert created.status_code == 303
    page = client.get(created.headers["location"]).text
    assert "2 of 12 months (last: P2 (2026-01-01 – 2026-06-30))" in page
    assert "Strategic alliance of tech-savvy and traditional SMEs" in page

    edit = f"{created.headers['location']}/edit"
    assert 'value="EMA"' in client.get(edit).text
    changed = client.post(edit, data=form(cluster, token, acronym="", period_months="6"))
    assert changed.status_code == 422
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', changed.text) == [
        ("acronym", "is required"),
    ]
    negative = client.post(edit, data=form(cluster, token, period_months="-5"))
    huge = client.post(edit, data=form(cluster, token, period_months="999999999999999999999"))
    assert (negative.status_code, huge.status_code) == (422, 422)
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', negative.text + huge.text) == [
        ("period_months", "must be between 1 and 36 months"),
        ("period_months", "must be between 1 and 36 months"),
    ]
    client.post(edit, data=form(cluster, token, acronym="EMA2", period_months="6"))
    assert (
        "3 of 6 months (last: P3 (2026-01-01 – 2026-06-30))"
        in client.get(created.headers["location"]).text
    )

    search = client.get(f"{created.headers['location']}?q=tiny").text
    assert 'aria-label="Add Tiny Tools"' in search
    added = client.post(
        f"{created.headers['location']}/partners",
        data={"organisation_id": str(sme), "csrf_token": token},
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = client.get(created.headers["location"]).text
    assert 'aria-label="Remove Tiny Tools"' in page
    assert 'aria-label="Remove Mobility Cluster"' not in page
    twice = client.post(
        f"{created.headers['location']}/partners",
        data={"organisation_id": str(sme), "csrf_token": token},
    )
    assert twice.status_code == 409
    assert "This organisation is a partner already." in twice.text
    client.post(f"{created.headers['location']}/partners/{sme}/remove", data={"csrf_token": token})
    assert "Tiny Tools" not in client.get(created.headers["location"]).text

    client.post("/sign-out", data={"csrf_token": token})
    sign_in(client, "sam@example.org")
    assert client.get(created.headers["location"]).status_code == 404
    assert client.get(edit).status_code == 404
    assert 'data-testid="no-organisation"' in client.get("/projects").text


def test_a_start_too_late_for_the_calendar_is_named_beside_it(
    client: TestClient, ids: tuple[int, int]
) -> None:
    cluster, _sme = ids
    sign_in(client, "maria@mobility.example")
    token = csrf_token(client, "/projects")

    late = client.post(
        "/projects", data=form(cluster, token, start_date="9990-01-01", end_date="9990-06-30")
    )

    assert late.status_code == 422
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', late.text) == [
        ("start_date", "is after 9985-12-31"),
    ]
    assert re.findall(r'name="start_date" type="date" required value="([^"]*)"', late.text) == [
        "9990-01-01"
    ]


def test_a_cleared_reporting_period_is_refused_not_replaced_by_the_default(
    client: TestClient, ids: tuple[int, int], clean_database: Database
) -> None:
    cluster, _sme = ids
    sign_in(client, "maria@mobility.example")
    token = csrf_token(client, "/projects")
    blank = client.get("/projects").text
    assert 'name="period_months" type="number" min="1" max="36" required value="6"' in blank
    created = client.post(
        "/projects", data=form(cluster, token, period_months="12"), follow_redirects=False
    )
    edit = f"{created.headers['location']}/edit"

    cleared = client.post(edit, data=form(cluster, token, acronym="EMA2", period_months=""))
    new = client.post("/projects", data=form(cluster, token, acronym="NEW", period_months=" "))

    assert (cleared.status_code, new.status_code) == (422, 422)
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', cleared.text + new.text) == [
        ("period_months", "is required"),
        ("period_months", "is required"),
    ]
    with clean_database.unit_of_work() as session:
        rows = session.scalars(sa.select(MonitoredProject)).all()
        assert [(p.acronym, p.period_months) for p in rows] == [("EMA", 12)]


def test_the_project_forms_leave_their_checks_to_the_server_that_names_each_field(
    client: TestClient, ids: tuple[int, int]
) -> None:
    # The walk of 2026-12-08: the browser stopped a period of 40 months or an empty name with a
    # bubble of its own, so the summary and the reasons beside the fields never showed.
    cluster, _sme = ids
    sign_in(client, "maria@mobility.example")
    token = csrf_token(client, "/projects")
    created = client.post("/projects", data=form(cluster, token), follow_redirects=False)
    edit = f"{created.headers['location']}/edit"

    pages = [client.get("/projects").text, client.get(edit).text]

    tags = [re.search(r"<form [^>]*data-testid=\"project(?:-edit)?-form\"[^>]*>", p) for p in pages]
    assert [tag is not None and "novalidate" in tag.group(0) for tag in tags] == [True, True]


def test_a_description_over_the_limit_is_refused_beside_it_and_kept(
    client: TestClient, ids: tuple[int, int]
) -> None:
    # The form cut nothing and refused a longer paste on a page of its own, losing what was
    # typed (the form model capped it); the service had no limit at all.
    cluster, _sme = ids
    sign_in(client, "maria@mobility.example")
    token = csrf_token(client, "/projects")
    longest = "d" * MAX_DESCRIPTION

    refused = client.post("/projects", data=form(cluster, token, description=longest + "d"))
    created = client.post(
        "/projects", data=form(cluster, token, description=longest), follow_redirects=False
    )

    assert refused.status_code == 422
    assert re.findall(r'data-testid="error-(\w+)">([^<]*)<', refused.text) == [
        ("description", "must be at most 5,000 characters, not 5,001")
    ]
    assert f">{longest}d</textarea>" in refused.text
    assert created.status_code == 303
    assert longest in client.get(created.headers["location"]).text
