"""``/api/builder/proposals`` and ``/api/builder/completions``."""

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from tests.factories.builder import make_builder_registry

pytestmark = pytest.mark.integration


@pytest.fixture
def registry(app_state: AppState) -> None:
    with app_state.database.unit_of_work() as session:
        make_builder_registry(session)


def test_builder_proposals_answer_with_reports(client: TestClient, registry: None) -> None:
    body = {
        "call_id": "SMP-COSME-2024-CLUSTER", "strand": "1", "idea": "hydrogen electrolysers",
        "max_partners": 4, "proposals": 1, "duration_months": 24,
    }  # fmt: skip

    response = client.post("/api/builder/proposals", json=body)

    assert response.status_code == 200
    [proposal] = response.json()["proposals"]
    assert sorted(a["name"] for a in proposal["added"]) == [
        "Bavaria Hydrogen Cluster", "Hydrogen University", "Lyon Hydrogen Cluster",
        "Podkarpackie Hydrogen Cluster",
    ]  # fmt: skip
    assert (proposal["status"], proposal["report"]["verdict"]) == ("optimal", "eligible")


def test_builder_completions_keep_the_given_partners(client: TestClient, registry: None) -> None:
    body = {
        "call_id": "SMP-COSME-2024-CLUSTER", "strand": "1", "proposals": 1,
        "partners": [{"pic": "200000002", "role": "coordinator"}, {"pic": "200000003"}],
    }  # fmt: skip

    response = client.post("/api/builder/completions", json=body)

    assert response.status_code == 200
    [option] = response.json()["proposals"]
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
def test_builder_refuses_bad_questions(
    client: TestClient, registry: None, body: dict[str, object], status: int
) -> None:
    response = client.post("/api/builder/proposals", json=body)

    assert response.status_code == status
