"""The self-assessment endpoints: a cluster's readiness end to end with evidence, an SME's
digital maturity with its history, and 404 for everyone but members and administrators."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import Organisation
from clusterbridge.domain.enums import OrgType, UserRole
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.services.monitoring import maturity_rules
from clusterbridge.web.app import create_app
from tests.conftest import Clock
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]
PDF = b"%PDF-1.4 strategy"


@dataclass
class World:
    cluster: int
    sme: int
    headers: dict[str, dict[str, str]]


@pytest.fixture
def world(app_state: AppState) -> World:
    """Munich Cluster with Maria as its member, Tiny Tools with Tom; Sam is a stranger."""
    people = {
        "maria": ("maria@munich.example", UserRole.CLUSTER_MANAGER),
        "tom": ("tom@tiny.example", UserRole.ORGANISATION_MEMBER),
        "sam": ("sam@example.org", UserRole.CLUSTER_MANAGER),
        "ada": ("ada@example.org", UserRole.ADMINISTRATOR),
    }
    headers = {}
    with app_state.database.unit_of_work() as session:
        users = {}
        for key, (email, role) in people.items():
            users[key] = make_user(session, email=email, name=key.title(), role=role)
            headers[key] = {
                "Authorization": f"Bearer {create_api_token(session, users[key], name='t')[1]}"
            }
        cluster = make_organisation(session, name="Munich Cluster")
        sme = make_organisation(session, name="Tiny Tools", type=OrgType.SME)
        add_member(session, cluster, users["maria"])
        add_member(session, sme, users["tom"])
        return World(cluster.id, sme.id, headers)


def test_a_cluster_answers_attaches_evidence_and_sees_its_scores(
    client: TestClient, world: World
) -> None:
    maria = world.headers["maria"]
    readiness = client.get(f"/api/organisations/{world.cluster}/readiness", headers=maria).json()
    first = readiness["questions"][0]
    answered = client.put(
        f"/api/readiness/questions/{first['id']}/answer", json={"level": 3}, headers=maria
    )
    # The client sends a quote as %22 (HTML's multipart rule), so this name has none.
    files = [("evidence", ("Évaluation – Ōsaka.pdf", PDF, "application/pdf"))]
    attached = client.post(
        f"/api/readiness/questions/{first['id']}/evidence", files=files, headers=maria
    )
    refused = client.post(
        f"/api/readiness/questions/{first['id']}/evidence",
        files=[("evidence", ("notes.txt", b"hello", "text/plain"))],
        headers=maria,
    )
    label = client.post(
        f"/api/organisations/{world.cluster}/labels",
        json={"level": "bronze", "awarded": "2024-03-01"},
        headers=maria,
    )
    future = client.post(
        f"/api/organisations/{world.cluster}/labels",
        json={"level": "gold", "awarded": "2030-01-01", "expires": "2033-01-01"},
        headers=maria,
    )
    overdue = client.post(
        f"/api/organisations/{world.cluster}/readiness/improvements",
        json={"dimension": first["dimension"], "title": "Fee model", "due": "2020-01-01"},
        headers=maria,
    )

    assert answered.status_code == 200
    assert answered.json()["scores"] == {first["dimension"]: "75.0"}
    assert answered.json()["overall"] == "75.0"
    assert attached.status_code == 201
    [evidence] = attached.json()["questions"][0]["evidence"]
    download = client.get(f"/api/readiness/evidence/{evidence['id']}", headers=maria)
    assert (download.status_code, download.content) == (200, PDF)
    assert download.headers["content-disposition"] == (
        'attachment; filename="Evaluation___Osaka.pdf"; '
        "filename*=UTF-8''%C3%89valuation%20%E2%80%93%20%C5%8Csaka.pdf"
    )
    assert refused.status_code == 422
    assert label.json()["expires"] == "2026-03-01"
    assert (future.status_code, future.json()["errors"]) == (422, [
        {"location": "", "field": "awarded", "reason": "is in the future (today is 01 December "
         "2024): record a label once it is awarded"},
    ])  # fmt: skip
    assert (overdue.status_code, overdue.json()["errors"]) == (422, [
        {"location": "", "field": "due", "reason": "is in the past (today is 01 December 2024): "
         "an improvement not done yet is due today or later"},
    ])  # fmt: skip


def test_the_readiness_is_private(client: TestClient, world: World) -> None:
    question = client.get(
        f"/api/organisations/{world.cluster}/readiness", headers=world.headers["maria"]
    ).json()["questions"][0]

    for who in ("sam", "tom"):
        sees = client.get(
            f"/api/organisations/{world.cluster}/readiness", headers=world.headers[who]
        )
        answers = client.put(
            f"/api/readiness/questions/{question['id']}/answer",
            json={"level": 4},
            headers=world.headers[who],
        )
        assert (sees.status_code, answers.status_code) == (404, 404)
    admin = client.get(
        f"/api/organisations/{world.cluster}/readiness", headers=world.headers["ada"]
    )
    assert admin.status_code == 200
    assert client.get(f"/api/organisations/{world.cluster}/readiness").status_code == 401


def test_an_evidence_file_is_unknown_to_all_but_its_organisation(
    client: TestClient, world: World
) -> None:
    maria = world.headers["maria"]
    question = client.get(f"/api/organisations/{world.cluster}/readiness", headers=maria).json()
    files = [("evidence", ("minutes.pdf", PDF, "application/pdf"))]
    attached = client.post(
        f"/api/readiness/questions/{question['questions'][0]['id']}/evidence",
        files=files,
        headers=maria,
    ).json()
    [evidence] = attached["questions"][0]["evidence"]

    stranger = client.get(f"/api/readiness/evidence/{evidence['id']}", headers=world.headers["sam"])
    unknown = client.get(f"/api/readiness/evidence/{evidence['id'] + 1000}", headers=maria)

    assert (stranger.status_code, unknown.status_code) == (404, 404)
    assert stranger.json() == unknown.json()


def test_an_sme_takes_two_assessments_and_sees_its_progress(
    client: TestClient, world: World
) -> None:
    tom = world.headers["tom"]
    keys = [q.key for q in maturity_rules().questions]
    url = f"/api/organisations/{world.sme}/digital-maturity"
    first = client.post(url, json={"answers": dict.fromkeys(keys, 1)}, headers=tom)
    second = client.post(url, json={"answers": dict.fromkeys(keys, 4)}, headers=tom)
    incomplete = client.post(url, json={"answers": {keys[0]: 2}}, headers=tom)
    history = client.get(url, headers=tom).json()

    assert (first.status_code, second.status_code, incomplete.status_code) == (201, 201, 422)
    assert [(h["overall"], h["band"], h["overall_delta"]) for h in history] == [
        ("80.0", "Advanced", "60.0"),
        ("20.0", "Basic", None),
    ]
    assert client.get(url, headers=world.headers["sam"]).status_code == 404
    questions = client.get("/api/digital-maturity/questions", headers=tom).json()
    assert [q["key"] for q in questions["questions"]] == keys


def test_a_cluster_may_not_take_the_digital_maturity_assessment(
    client: TestClient, world: World
) -> None:
    keys = [q.key for q in maturity_rules().questions]
    url = f"/api/organisations/{world.cluster}/digital-maturity"

    refused = client.post(
        url, json={"answers": dict.fromkeys(keys, 2)}, headers=world.headers["maria"]
    )

    assert refused.status_code == 409
    assert "The digital maturity self-assessment is for SMEs." in refused.text
    assert client.get(url, headers=world.headers["maria"]).json() == []


#: 23:30 UTC on 30 April: already 1 May in Brussels.
LATE_EVENING_UTC = datetime(2026, 4, 30, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("time_zone", "day"), [("Europe/Brussels", "2026-05-01"), ("UTC", "2026-04-30")]
)
def test_an_assessment_is_dated_in_the_sites_time_zone(
    app_state: AppState, world: World, time_zone: str, day: str
) -> None:
    site = app_state.settings.model_copy(update={"time_zone": time_zone})
    late = AppState(site, app_state.database, app_state.catalogue, clock=lambda: LATE_EVENING_UTC)
    keys = [q.key for q in maturity_rules().questions]
    with TestClient(create_app(late), base_url="http://testserver") as client:
        taken = client.post(
            f"/api/organisations/{world.sme}/digital-maturity",
            json={"answers": dict.fromkeys(keys, 1)},
            headers=world.headers["tom"],
        )

    with app_state.database.unit_of_work() as session:
        evidence = session.get_one(Organisation, world.sme).sme_profile_evidence
    assert taken.status_code == 201
    assert evidence == f"Digital maturity assessment of {day}: overall 20.0/100"


def test_improvement_areas_past_their_due_date_and_not_done_are_overdue_by_the_sites_calendar(
    client: TestClient, world: World, clock: Clock
) -> None:
    maria, url = world.headers["maria"], f"/api/organisations/{world.cluster}/readiness"
    dimension = client.get(url, headers=maria).json()["questions"][0]["dimension"]
    areas = {}
    for title, due in (("Fee model", "2024-12-05"), ("Services", "2024-12-06"),
                       ("Strategy", "2024-12-02"), ("Members", None)):  # fmt: skip
        body = {"dimension": dimension, "title": title, "due": due}
        areas[title] = client.post(f"{url}/improvements", json=body, headers=maria).json()["id"]
    done = client.patch(f"/api/readiness/improvements/{areas['Strategy']}",
                        json={"status": "done", "due": "2024-12-02"}, headers=maria)  # fmt: skip

    clock.now = datetime(2024, 12, 5, 23, 30, tzinfo=UTC)  # 00:30 on 6 December in Brussels
    late = client.get(url, headers=maria).json()["improvement_areas"]
    updated = client.patch(f"/api/readiness/improvements/{areas['Fee model']}",
                           json={"status": "in_progress", "due": "2024-12-05"}, headers=maria)  # fmt: skip

    assert (done.status_code, done.json()["overdue"]) == (200, False)
    assert sorted((a["title"], a["status"], a["overdue"]) for a in late) == [
        ("Fee model", "planned", True), ("Members", "planned", False),
        ("Services", "planned", False), ("Strategy", "done", False)]  # fmt: skip
    assert (updated.status_code, updated.json()["overdue"]) == (200, True)
