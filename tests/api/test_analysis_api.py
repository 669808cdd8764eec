"""The analysis endpoints: findings and recommendations written by the project's managers with
every mistake a 4xx naming its field, evidence refused when it is not the partners', officers
reading (403 on writes), strangers 404, and the export in both formats."""

import io
from dataclasses import dataclass

import pytest
from docx import Document
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.analyses import AnalysisWorld, make_analysis_world

pytestmark = [pytest.mark.integration, pytest.mark.db]


@dataclass
class World:
    ids: AnalysisWorld
    headers: dict[str, dict[str, str]]

    @property
    def base(self) -> str:
        return f"/api/projects/{self.ids.project}"


@pytest.fixture
def world(app_state: AppState) -> World:
    with app_state.database.unit_of_work() as session:
        ids = make_analysis_world(session)
        headers = {
            key: {"Authorization": f"Bearer {create_api_token(session, user, name='t')[1]}"}
            for key, user in ids.people.items()
        }
        return World(ids, headers)


FINDING = {"kind": "threat", "title": "Skills gap", "text": "Few data engineers."}


def test_a_manager_writes_findings_evidence_and_recommendations(
    client: TestClient, world: World
) -> None:
    tom = world.headers["tom"]
    wrong = client.post(
        f"{world.base}/findings", headers=tom, json=FINDING | {"title": "", "ecosystems": ["x"]}
    )
    created = client.post(f"{world.base}/findings", headers=tom, json=FINDING)
    finding = created.json()["findings"][0]["id"]
    cited = client.post(
        f"{world.base}/findings/{finding}/evidence",
        headers=tom,
        json={"kind": "maturity_assessment", "ref_id": world.ids.assessment},
    )
    foreign = client.post(
        f"{world.base}/findings/{finding}/evidence",
        headers=tom,
        json={"kind": "maturity_assessment", "ref_id": world.ids.other_assessment},
    )
    bare = client.post(
        f"{world.base}/recommendations",
        headers=tom,
        json={"audience": "cluster", "text": "Pool trainers.", "finding_ids": []},
    )
    recommended = client.post(
        f"{world.base}/recommendations",
        headers=tom,
        json={"audience": "cluster", "text": "Pool trainers.", "finding_ids": [finding]},
    )
    blocked = client.delete(f"{world.base}/findings/{finding}", headers=tom)

    assert (wrong.status_code, [(e["location"], e["field"]) for e in wrong.json()["errors"]]) == (
        422, [("", "title"), ("x", "ecosystems")]
    )  # fmt: skip
    assert created.status_code == 201
    assert cited.json()["findings"][0]["evidence"][0]["label"] == (
        "Digital maturity self-assessment of Tiny Tools, 2026-02-03: overall 42.5/100"
    )
    assert (foreign.status_code, foreign.json()["errors"][0]["field"]) == (422, "ref_id")
    assert (bare.status_code, bare.json()["errors"][0]["field"]) == (422, "finding_ids")
    assert recommended.json()["recommendations"] == [
        {
            "id": recommended.json()["recommendations"][0]["id"],
            "number": 1,
            "audience": "cluster",
            "text": "Pool trainers.",
            "finding_ids": [finding],
            "finding_numbers": [1],
        }
    ]
    assert blocked.status_code == 409


def test_officers_read_and_export_strangers_get_404(client: TestClient, world: World) -> None:
    client.post(f"{world.base}/findings", headers=world.headers["maria"], json=FINDING)
    paula, sam = world.headers["paula"], world.headers["sam"]

    read = client.get(f"{world.base}/analysis", headers=paula)
    write = client.post(f"{world.base}/findings", headers=paula, json=FINDING)
    export = client.get(f"{world.base}/analysis/export?format=docx", headers=paula)
    hidden = [
        client.get(f"{world.base}/analysis", headers=sam).status_code,
        client.get(f"{world.base}/analysis/export", headers=sam).status_code,
        client.post(f"{world.base}/findings", headers=sam, json=FINDING).status_code,
    ]

    assert [f["title"] for f in read.json()["findings"]] == ["Skills gap"]
    assert write.status_code == 403
    assert export.headers["content-disposition"] == 'attachment; filename="EMA-analysis.docx"'
    assert [p.text for p in Document(io.BytesIO(export.content)).paragraphs][2:6] == [
        "Opportunities",
        "No opportunities recorded.",
        "Threats",
        "1. Skills gap",
    ]
    assert hidden == [404, 404, 404]


def test_an_order_or_evidence_mistake_names_the_field_of_the_body(
    client: TestClient, world: World
) -> None:
    tom = world.headers["tom"]
    finding = client.post(f"{world.base}/findings", headers=tom, json=FINDING).json()
    finding_id = finding["findings"][0]["id"]

    order = client.put(f"{world.base}/findings-order", headers=tom, json={"ids": [finding_id, 0]})
    recommendations = client.put(
        f"{world.base}/recommendations-order", headers=tom, json={"ids": [finding_id]}
    )
    kind = client.post(
        f"{world.base}/findings/{finding_id}/evidence",
        headers=tom,
        json={"kind": "photo", "ref_id": world.ids.assessment},
    )

    assert (order.status_code, order.json()["errors"]) == (
        422, [{"location": "", "field": "ids", "reason": "must name each of the project's findings once"}]
    )  # fmt: skip
    assert (recommendations.status_code, recommendations.json()["errors"]) == (
        422, [{"location": "", "field": "ids", "reason": "must name each of the project's recommendations once"}]
    )  # fmt: skip
    assert (kind.status_code, kind.json()["errors"]) == (
        422,
        [{"location": "body", "field": "kind", "reason": (
            "must be one of 'maturity_assessment', 'readiness', 'outcome', 'document' or "
            "'indicator_value'"
        )}],
    )  # fmt: skip
