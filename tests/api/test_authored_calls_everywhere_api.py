"""One catalogue everywhere (issue 18): a published call written in the app is a call like the
call files' for the consortia and the builder of the API; a draft is no call at all."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.domain.enums import UserRole
from clusterbridge.services.accounts.users import create_api_token
from tests.conftest import NOW
from tests.factories.builder import make_builder_registry
from tests.factories.calls import call_draft, make_call
from tests.factories.users import make_user
from tests.jobs import wait_for_api_job

pytestmark = [pytest.mark.integration, pytest.mark.db]

PUBLISHED = "TEST-OPEN-2025"
DRAFT = "TEST-DRAFT-2025"
#: The calls known to everybody: the shipped files and the published call (not the draft).
KNOWN = (
    "SMP-COSME-2021-CLUSTER, SMP-COSME-2024-CLUSTER, TEST-OPEN-2025, cluster-excellence, "
    "strategic-alliances-2020"
)


@pytest.fixture
def owner(app_state: AppState) -> dict[str, str]:
    """A cluster manager's token; the published call TEST-OPEN-2025 (strands 1 and 2, two
    partners from two countries) and the draft TEST-DRAFT-2025, both written by an officer;
    the builder's small registry."""
    with app_state.database.unit_of_work() as session:
        officer = make_user(
            session, email="olga@example.org", name="Olga", role=UserRole.PROGRAMME_OFFICER
        )
        make_call(session, officer=officer, published_at=NOW)
        make_call(session, officer=officer, draft=call_draft(identifier=DRAFT))
        make_builder_registry(session)
        manager = make_user(session, email="owner@cluster.example", name="Owner")
        _token, raw = create_api_token(session, manager, name="test")
    return {"Authorization": f"Bearer {raw}"}


def _create(client: TestClient, headers: dict[str, str], call_id: str) -> Any:
    return client.post(
        "/api/consortia",
        json={"name": "Hydrogen valleys", "call_id": call_id, "strand": "1", "duration_months": 24},
        headers=headers,
    )


def test_a_consortium_for_a_published_authored_call_is_checked(
    client: TestClient, owner: dict[str, str]
) -> None:
    created = _create(client, owner, PUBLISHED).json()
    for partner in (
        {"name": "Rzeszow Cluster", "country": "PL", "legal_entity": True, "role": "coordinator"},
        {"name": "Lyon", "country": "FR", "legal_entity": True, "role": "beneficiary"},
    ):
        added = client.post(f"/api/consortia/{created['id']}/partners", json=partner, headers=owner)
        assert added.status_code == 201, added.text

    read = client.get(f"/api/consortia/{created['id']}", headers=owner).json()

    assert (created["call_id"], created["verdict"]) == (PUBLISHED, "ineligible")
    assert (read["call_id"], read["strand"], read["verdict"]) == (PUBLISHED, "1", "eligible")


def test_a_consortium_for_a_draft_call_is_refused(
    client: TestClient, owner: dict[str, str]
) -> None:
    response = _create(client, owner, DRAFT)

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [
        ("call_id", f'"{DRAFT}" is not a call; calls: {KNOWN}'),
        ("strand", "choose a call before its strand"),
    ]


def test_the_builder_proposes_for_a_published_authored_call(
    client: TestClient, owner: dict[str, str]
) -> None:
    body = {
        "call_id": PUBLISHED, "strand": "1", "max_partners": 2, "proposals": 1,
        "duration_months": 24,
    }  # fmt: skip

    response = client.post("/api/builder/proposals", json=body, headers=owner)
    job = wait_for_api_job(client, response.headers["Location"], owner)

    assert (response.status_code, job["state"]) == (202, "succeeded"), job
    [proposal] = job["result"]["answer"]["proposals"]
    assert (proposal["status"], proposal["report"]["verdict"]) == ("optimal", "eligible")
    assert proposal["report"]["call"]["id"] == PUBLISHED
    assert len(proposal["added"]) == 2


def test_the_builder_does_not_know_a_draft_call(client: TestClient, owner: dict[str, str]) -> None:
    body = {"call_id": DRAFT, "strand": "1", "max_partners": 2, "proposals": 1}

    response = client.post("/api/builder/proposals", json=body, headers=owner)

    assert response.status_code == 404
    assert response.json()["message"] == f'Unknown call "{DRAFT}". Known calls: {KNOWN}'
