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
