"""The monitored-project endpoints: created by a partner's user, partners added and removed,
every mistake a 4xx naming its field, and 404 for those who may not see the project."""

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.domain.enums import OrgType, UserRole
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]


@dataclass
class World:
    cluster: int
    sme: int
    headers: dict[str, dict[str, str]]


@pytest.fixture
def world(app_state: AppState) -> World:
    """Mobility Cluster with Maria; Tiny Tools with Tom; Paula is a programme officer."""
    people = {
        "maria": UserRole.CLUSTER_MANAGER,
        "tom": UserRole.ORGANISATION_MEMBER,
        "paula": UserRole.PROGRAMME_OFFICER,
    }
    headers = {}
    with app_state.database.unit_of_work() as session:
        users = {}
        for key, role in people.items():
            users[key] = make_user(session, email=f"{key}@example.org", name=key.title(), role=role)
            token = create_api_token(session, users[key], name="t")[1]
            headers[key] = {"Authorization": f"Bearer {token}"}
        cluster = make_organisation(session, name="Mobility Cluster")
        sme = make_organisation(session, name="Tiny Tools", type=OrgType.SME)
        add_member(session, cluster, users["maria"])
        add_member(session, sme, users["tom"])
        return World(cluster.id, sme.id, headers)


def body(world: World, **changes: object) -> dict[str, object]:
    return {
        "name": "Euro Mobility Alliance",
        "acronym": "EMA",
        "kind": "eurocluster",
        "start_date": "2025-01-01",
        "end_date": "2025-12-31",
        "period_months": 6,
        "coordinator_id": world.cluster,
    } | changes


def test_a_project_is_created_and_its_partners_change(client: TestClient, world: World) -> None:
    maria, tom = world.headers["maria"], world.headers["tom"]
    created = client.post("/api/projects", json=body(world), headers=maria)
    assert created.status_code == 201
    project = created.json()
    assert [(p["name"], p["role"]) for p in project["partners"]] == [
        ("Mobility Cluster", "coordinator")
    ]
    assert [(p["start"], p["end"]) for p in project["periods"]] == [
        ("2025-01-01", "2025-06-30"),
        ("2025-07-01", "2025-12-31"),
    ]
    url = f"/api/projects/{project['id']}"
    assert client.get(url, headers=tom).status_code == 404
    assert client.get("/api/projects", headers=tom).json() == []

    added = client.post(f"{url}/partners", json={"organisation_id": world.sme}, headers=maria)
    assert added.status_code == 201
    assert [p["name"] for p in added.json()["partners"]] == ["Mobility Cluster", "Tiny Tools"]
    assert client.get(url, headers=tom).json()["acronym"] == "EMA"
    again = client.post(f"{url}/partners", json={"organisation_id": world.sme}, headers=maria)
    assert again.status_code == 409
    coordinator = client.delete(f"{url}/partners/{world.cluster}", headers=tom)
    assert coordinator.status_code == 409
    assert client.delete(f"{url}/partners/{world.sme}", headers=tom).status_code == 204
    assert client.get(url, headers=tom).status_code == 404


def test_officers_read_every_project_but_change_none(client: TestClient, world: World) -> None:
    project = client.post("/api/projects", json=body(world), headers=world.headers["maria"]).json()
    paula = world.headers["paula"]
    assert [p["acronym"] for p in client.get("/api/projects", headers=paula).json()] == ["EMA"]
    details = body(world, acronym="EMA-2", period_months=3)
    del details["coordinator_id"]
    assert (
        client.put(f"/api/projects/{project['id']}", json=details, headers=paula).status_code == 403
    )
    changed = client.put(
        f"/api/projects/{project['id']}", json=details, headers=world.headers["maria"]
    )
    assert (changed.json()["acronym"], len(changed.json()["periods"])) == ("EMA-2", 4)
    refused = client.post(
        f"/api/projects/{project['id']}/partners",
        json={"organisation_id": world.sme},
        headers=paula,
    )
    assert refused.status_code == 403


def test_mistakes_name_their_field(client: TestClient, world: World) -> None:
    maria = world.headers["maria"]
    wrong = client.post(
        "/api/projects",
        json=body(world, end_date="2024-01-01", coordinator_id=world.sme),
        headers=maria,
    )
    assert wrong.status_code == 422
    assert [(e["field"], e["reason"]) for e in wrong.json()["errors"]] == [
        ("end_date", "is before the start date"),
        ("coordinator_id", "is not one of your organisations"),
    ]
    kind = client.post("/api/projects", json=body(world, kind="club"), headers=maria)
    assert kind.status_code == 422
    assert client.get("/api/projects", headers={}).status_code == 401
