"""The services-to-SMEs endpoints: a partner's user adds a service and records a delivery and a
training; the SME's own user sees them and rates once, changeably; mistakes are 4xx naming the
field; outsiders get 404."""

from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.domain.enums import OrgType, UserRole
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.organisations import add_member, make_organisation
from tests.factories.sme_services import make_project
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]


@dataclass
class World:
    project: int
    cluster: int
    sme: int
    headers: dict[str, dict[str, str]]


@pytest.fixture
def world(app_state: AppState) -> World:
    """Project EMA coordinated by Mobility Cluster (Maria); Tiny Tools is Tom's SME; Olaf
    is nobody's."""
    headers = {}
    with app_state.database.unit_of_work() as session:
        users = {}
        for key in ("maria", "tom", "olaf"):
            users[key] = make_user(
                session, email=f"{key}@example.org", role=UserRole.ORGANISATION_MEMBER
            )
            token = create_api_token(session, users[key], name="t")[1]
            headers[key] = {"Authorization": f"Bearer {token}"}
        cluster = make_organisation(session, name="Mobility Cluster")
        sme = make_organisation(session, name="Tiny Tools", type=OrgType.SME)
        add_member(session, cluster, users["maria"])
        add_member(session, sme, users["tom"])
        project = make_project(session, coordinator=cluster, start=date(2025, 1, 1))
        return World(project.id, cluster.id, sme.id, headers)


def test_a_delivery_is_recorded_seen_and_rated_by_the_sme(client: TestClient, world: World) -> None:
    maria, tom = world.headers["maria"], world.headers["tom"]
    base = f"/api/projects/{world.project}"

    service = client.post(
        f"{base}/services",
        json={"name": "Cobot course", "kind": "training", "unit": "days"},
        headers=maria,
    ).json()
    created = client.post(
        f"{base}/deliveries",
        json={
            "service_id": service["id"], "delivered_on": "2025-03-04", "quantity": "1.5",
            "delivered_by_id": world.cluster,
            "participants": [{"organisation_id": world.sme, "people": 4}, {"name": "Rui"}],
        },
        headers=maria,
    )  # fmt: skip
    listed = client.get(f"{base}/deliveries?kind=training", headers=maria).json()
    first = client.put(
        f"/api/deliveries/{created.json()['id']}/rating",
        json={"organisation_id": world.sme, "score": 2}, headers=tom,
    )  # fmt: skip
    second = client.put(
        f"/api/deliveries/{created.json()['id']}/rating",
        json={"organisation_id": world.sme, "score": 4, "comment": "Good"}, headers=tom,
    )  # fmt: skip
    received = client.get(f"/api/organisations/{world.sme}/services-received", headers=tom)

    assert created.status_code == 201
    assert [(d["service"], d["hours"], d["unit"]) for d in listed] == [
        ("Cobot course", "12.00", "days")
    ]
    assert [(p["organisation"], p["people"], p["name"]) for p in listed[0]["participants"]] == [
        ("Tiny Tools", 4, None), (None, 1, "Rui"),
    ]  # fmt: skip
    assert (first.status_code, second.status_code) == (200, 200)
    assert [(r["project"], r["rating"]["score"], r["rating"]["comment"]) for r in received.json()] == [
        ("EMA", 4, "Good")
    ]  # fmt: skip
    assert len(received.json()[0]["delivery"]["ratings"]) == 1


def test_mistakes_and_outsiders_are_refused(client: TestClient, world: World) -> None:
    maria, tom, olaf = world.headers["maria"], world.headers["tom"], world.headers["olaf"]
    base = f"/api/projects/{world.project}"
    service = client.post(
        f"{base}/services",
        json={"name": "Audit", "kind": "technical_assistance", "unit": "hours"},
        headers=maria,
    ).json()

    bad = client.post(
        f"{base}/deliveries",
        json={"service_id": service["id"], "delivered_on": "2025-03-04", "quantity": 2,
              "delivered_by_id": world.sme, "organisation_id": world.sme},
        headers=maria,
    )  # fmt: skip
    by_sme = client.post(
        f"{base}/services", json={"name": "X", "kind": "other", "unit": "hours"}, headers=tom
    )
    hidden = client.get(f"{base}/deliveries", headers=olaf)
    not_received = client.put(
        "/api/deliveries/1/rating", json={"organisation_id": world.sme, "score": 3}, headers=tom
    )
    out_of_scale = client.put(
        "/api/deliveries/1/rating", json={"organisation_id": world.sme, "score": 9}, headers=tom
    )

    assert bad.status_code == 422
    assert [(i["field"], i["reason"]) for i in bad.json()["errors"]] == [
        ("delivered_by", "is not a partner of the project")
    ]
    assert (by_sme.status_code, hidden.status_code) == (404, 404)
    assert (not_received.status_code, out_of_scale.status_code) == (404, 422)


def test_deliveries_filtered_to_an_end_before_the_start_are_refused(
    client: TestClient, world: World
) -> None:
    base = f"/api/projects/{world.project}/deliveries"

    reversed_dates = client.get(
        f"{base}?start=2025-05-01&end=2025-04-30", headers=world.headers["maria"]
    )
    one_day = client.get(f"{base}?start=2025-05-01&end=2025-05-01", headers=world.headers["maria"])

    assert reversed_dates.status_code == 422
    assert [(i["field"], i["reason"]) for i in reversed_dates.json()["errors"]] == [
        ("end", "is before the start (01 May 2025)")
    ]
    assert one_day.status_code == 200
