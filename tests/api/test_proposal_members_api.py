"""A sent proposal's state and outcome through the API (issue 18): the users of the consortium's
organisations see them, the outcome once published; other applicants, other organisations'
users and experts do not. Runs on SQLite and PostgreSQL."""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.members import MemberWorld, make_member_world, publish_world, rank_world

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def test_members_see_state_and_published_outcome_nobody_else(
    client: TestClient, app_state: AppState
) -> None:
    headers: dict[str, dict[str, str]] = {}
    with app_state.database.unit_of_work() as session:
        world: MemberWorld = make_member_world(session)
        for name in ("carl", "dora", "bob", "lea"):
            _token, raw = create_api_token(session, world.users[name], name="test")
            headers[name] = {"Authorization": f"Bearer {raw}"}
        rank_world(session, world, now=NOW)
    alpha = world.proposals["ALPHA"]

    def status(who: str, url: str) -> int:
        return client.get(url, headers=headers[who]).status_code

    seen = client.get(f"/api/proposals/{alpha}", headers=headers["carl"]).json()
    listed = client.get("/api/proposals", headers=headers["carl"]).json()
    before = client.get("/api/evaluation/outcomes", headers=headers["carl"]).json()
    summary_before = status("carl", f"/api/evaluation/proposals/{alpha}/summary")
    with app_state.database.unit_of_work() as session:
        publish_world(session, world, now=NOW)
    after = client.get("/api/evaluation/outcomes", headers=headers["carl"]).json()
    summary = client.get(f"/api/evaluation/proposals/{alpha}/summary", headers=headers["carl"])
    pdf = client.get(f"/api/evaluation/proposals/{alpha}/summary.pdf", headers=headers["carl"])

    assert (seen["acronym"], seen["state"]) == ("ALPHA", "submitted")
    assert [p["acronym"] for p in listed] == ["ALPHA"]
    assert [(o["acronym"], o["decision"]) for o in before] == [("ALPHA", None)]
    assert summary_before == 404
    assert [(o["acronym"], o["decision"]["outcome"]) for o in after] == [("ALPHA", "selected")]
    assert (summary.status_code, summary.json()["total"]) == (200, "85.00")
    assert pdf.content[:5] == b"%PDF-"
    assert [
        status(who, url)
        for who in ("dora", "bob", "lea")
        for url in (f"/api/proposals/{alpha}", f"/api/evaluation/proposals/{alpha}/summary")
    ] == [404, 404, 404, 404, 200, 404]  # lea evaluated ALPHA: she reads it, not its outcome
    assert [
        [o["acronym"] for o in client.get("/api/evaluation/outcomes", headers=headers[w]).json()]
        for w in ("dora", "bob", "lea")
    ] == [["BETA"], ["BETA"], []]
    assert (
        client.post(f"/api/proposals/{alpha}/withdraw", headers=headers["carl"]).status_code == 403
    )
