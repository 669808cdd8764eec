"""A sent proposal's state and outcome on the web (issue 18): a user of one of the consortium's
organisations sees the proposal's page (read-only) and, once published, its outcome and summary
report; a user of another organisation gets 404."""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from tests.factories.members import make_member_world, publish_world, rank_world
from tests.web.helpers import sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def test_a_member_sees_the_proposal_and_its_outcome_another_does_not(
    client: TestClient, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        world = make_member_world(session)
        rank_world(session, world, now=NOW)
        publish_world(session, world, now=NOW)
    alpha = world.proposals["ALPHA"]
    sign_in(client, "carl@example.org")

    page = client.get(f"/proposals/{alpha}")
    evaluation = client.get("/evaluation")
    pdf = client.get(f"/evaluation/proposals/{alpha}/summary.pdf")
    client.cookies.clear()
    sign_in(client, "dora@example.org")
    other_page = client.get(f"/proposals/{alpha}")
    other_pdf = client.get(f"/evaluation/proposals/{alpha}/summary.pdf")
    other_evaluation = client.get("/evaluation")

    assert page.status_code == 200
    assert 'data-testid="proposal-state">Submitted<' in page.text
    assert 'data-testid="withdraw"' not in page.text
    assert 'data-testid="outcome">Selected: taken in rank order<' in evaluation.text
    assert (pdf.status_code, pdf.content[:5]) == (200, b"%PDF-")
    assert (other_page.status_code, other_pdf.status_code) == (404, 404)
    assert "ALPHA" not in other_evaluation.text
    assert 'data-testid="outcome">Selected: taken in rank order<' in other_evaluation.text
