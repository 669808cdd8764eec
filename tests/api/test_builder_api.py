"""``/api/builder/proposals`` and ``/api/builder/completions``: each answers 202 with a
``builder.build`` job whose result holds the proposals; bad questions are refused at once."""

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.builder import make_builder_registry
from tests.factories.users import make_user
from tests.jobs import wait_for_api_job

pytestmark = pytest.mark.integration

Headers = dict[str, str]


@pytest.fixture
def headers(app_state: AppState) -> Headers:
    with app_state.database.unit_of_work() as session:
        make_builder_registry(session)
        user = make_user(session, email="builder@cluster.example", name="Bea Builder")
        return {"Authorization": f"Bearer {create_api_token(session, user, name='t')[1]}"}


def test_builder_proposals_answer_202_and_the_job_holds_the_reports_and_matches(
    client: TestClient, headers: Headers
) -> None:
    body = {
        "call_id": "SMP-COSME-2024-CLUSTER", "strand": "1", "idea": "hydrogen electrolysers",
        "max_partners": 4, "proposals": 1, "duration_months": 24,
    }  # fmt: skip

    response = client.post("/api/builder/proposals", json=body, headers=headers)
    job = wait_for_api_job(client, response.headers["Location"], headers)

    assert response.status_code == 202
    assert response.headers["Location"] == f"/api/jobs/{response.json()['id']}"
    assert (job["kind"], job["state"], job["result"]["summary"]) == (
        "builder.build",
        "succeeded",
        "1 proposal for SMP-COSME-2024-CLUSTER, strand 1.",
    )
    [proposal] = job["result"]["answer"]["proposals"]
    assert sorted(a["name"] for a in proposal["added"]) == [
        "Bavaria Hydrogen Cluster", "Hydrogen University", "Lyon Hydrogen Cluster",
        "Podkarpackie Hydrogen Cluster",
    ]  # fmt: skip
    assert (proposal["status"], proposal["report"]["verdict"]) == ("optimal", "eligible")
    # Each partner's match out of 100 and the rules it helps (issue 14); the same job.
    counted = ["min-applicants", "cluster-organisations-in-three-member-states"]
    assert {key: proposal[key] for key in ("match", "band", "rules_helped", "rules_total")} == {
        "match": 43,
        "band": "good",
        "rules_helped": [*counted, "half-eccp-registered", "less-developed-region"],
        "rules_total": 9,
    }
    assert [(a["name"], a["match"], a["band"], a["helps"]) for a in proposal["added"]] == [
        ("Podkarpackie Hydrogen Cluster", 24, "weak",
         [*counted, "half-eccp-registered", "less-developed-region"]),
        ("Bavaria Hydrogen Cluster", 45, "good", [*counted, "half-eccp-registered"]),
        ("Lyon Hydrogen Cluster", 55, "good", [*counted, "half-eccp-registered"]),
        ("Hydrogen University", 49, "good", ["min-applicants"]),
    ]  # fmt: skip
    # The solver's units stay for the clients that read them.
    assert proposal["score"] == 1.7172
    assert [a["relevance"] for a in proposal["added"]] == [0.1615, 0.4097, 0.614, 0.482]


def test_builder_completions_keep_the_given_partners(client: TestClient, headers: Headers) -> None:
    body = {
        "call_id": "SMP-COSME-2024-CLUSTER", "strand": "1", "proposals": 1,
        "partners": [{"pic": "200000002", "role": "coordinator"}, {"pic": "200000003"}],
    }  # fmt: skip

    response = client.post("/api/builder/completions", json=body, headers=headers)
    job = wait_for_api_job(client, response.headers["Location"], headers)

    assert (response.status_code, job["state"]) == (202, "succeeded")
    [option] = job["result"]["answer"]["proposals"]
    assert ([a["id"] for a in option["added"]], option["removed"]) == (["200000001"], [])


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"call_id": "NO-SUCH-CALL"}, 404),
        ({"call_id": "SMP-COSME-2024-CLUSTER", "max_partners": 31}, 422),
        ({"call_id": "SMP-COSME-2024-CLUSTER", "strand": "9"}, 422),
        ({"call_id": "SMP-COSME-2024-CLUSTER", "partners": [{"country": "Atlantis"}]}, 422),
    ],
)
def test_builder_refuses_bad_questions_at_once_without_a_job(
    client: TestClient, headers: Headers, body: dict[str, object], status: int
) -> None:
    response = client.post("/api/builder/proposals", json=body, headers=headers)
    listed = client.get("/api/jobs", headers=headers).json()

    assert (response.status_code, listed) == (status, [])


def test_builder_needs_a_signed_in_user(client: TestClient, headers: Headers) -> None:
    response = client.post("/api/builder/proposals", json={"call_id": "SMP-COSME-2024-CLUSTER"})

    assert response.status_code == 401


def _built(client: TestClient, headers: Headers) -> int:
    """A finished build of one proposal (Podkarpackie, Bavaria, Lyon, the university)."""
    body = {
        "call_id": "SMP-COSME-2024-CLUSTER", "strand": "1", "idea": "hydrogen electrolysers",
        "max_partners": 4, "proposals": 1, "duration_months": 24,
    }  # fmt: skip
    response = client.post("/api/builder/proposals", json=body, headers=headers)
    job = wait_for_api_job(client, response.headers["Location"], headers)
    assert job["state"] == "succeeded"
    return int(job["id"])


def test_a_proposal_becomes_one_consortium_however_often_it_is_asked(
    client: TestClient, headers: Headers
) -> None:
    job_id = _built(client, headers)
    path = f"/api/builder/jobs/{job_id}/proposals/1/consortium"

    first = client.post(path, json={"name": "Hydrogen Eurocluster"}, headers=headers)
    again = client.post(path, json={"name": "Hydrogen Eurocluster"}, headers=headers)
    listed = client.get("/api/consortia", headers=headers).json()

    assert (first.status_code, again.status_code) == (201, 200)
    made = first.json()
    assert first.headers["Location"] == again.headers["Location"] == f"/api/consortia/{made['id']}"
    assert again.json()["id"] == made["id"]
    assert (made["name"], made["call_id"], made["strand"], made["duration_months"]) == (
        "Hydrogen Eurocluster", "SMP-COSME-2024-CLUSTER", "1", 24,
    )  # fmt: skip
    assert sorted(p["name"] for p in made["partners"]) == [
        "Bavaria Hydrogen Cluster", "Hydrogen University", "Lyon Hydrogen Cluster",
        "Podkarpackie Hydrogen Cluster",
    ]  # fmt: skip
    assert [c["name"] for c in listed] == ["Hydrogen Eurocluster"]


def test_a_proposal_consortium_without_a_name_is_named_after_the_call(
    client: TestClient, headers: Headers
) -> None:
    job_id = _built(client, headers)

    response = client.post(f"/api/builder/jobs/{job_id}/proposals/1/consortium", headers=headers)

    assert (response.status_code, response.json()["name"]) == (
        201,
        "SMP-COSME-2024-CLUSTER proposal 1",
    )


def test_a_proposal_the_job_lacks_or_a_job_out_of_sight_answers_404(
    client: TestClient, app_state: AppState, headers: Headers
) -> None:
    job_id = _built(client, headers)
    with app_state.database.unit_of_work() as session:
        other = make_user(session, email="other@cluster.example", name="Otto Other")
        others = {"Authorization": f"Bearer {create_api_token(session, other, name='t')[1]}"}

    missing = client.post(f"/api/builder/jobs/{job_id}/proposals/2/consortium", headers=headers)
    hidden = client.post(f"/api/builder/jobs/{job_id}/proposals/1/consortium", headers=others)

    assert (missing.status_code, missing.json()["message"]) == (
        404,
        f"Job {job_id} has no proposal 2",
    )
    assert (hidden.status_code, hidden.json()["message"]) == (404, f"No job {job_id}")
    assert client.get("/api/consortia", headers=headers).json() == []
