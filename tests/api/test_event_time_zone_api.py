"""``POST /api/events/{id}/participants`` with a time zone for the participant's mail."""

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.repositories.events import get_event
from clusterbridge.domain.enums import OrgType, UserRole
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.event_exports import make_exported_event
from tests.factories.events import make_person
from tests.factories.organisations import add_member, make_organisation

pytestmark = [pytest.mark.integration, pytest.mark.db]


def test_registration_takes_a_time_zone_and_names_a_wrong_one(
    client: TestClient, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        event_id = make_exported_event(session).event.id
        zoe = make_person(
            session, email="zoe@example.org", name="Zoe", role=UserRole.ORGANISATION_MEMBER
        )
        zoe_lda = make_organisation(session, name="Zoe Lda", type=OrgType.SME)
        add_member(session, zoe_lda, zoe)
        organisation = zoe_lda.id
        _row, raw = create_api_token(session, zoe, name="test")
    headers = {"Authorization": f"Bearer {raw}"}
    url = f"/api/events/{event_id}/participants"

    wrong = client.post(
        url, json={"organisation_id": organisation, "time_zone": "Mars/Olympus"}, headers=headers
    )
    right = client.post(
        url, json={"organisation_id": organisation, "time_zone": "Europe/Lisbon"}, headers=headers
    )

    assert (wrong.status_code, wrong.json()["errors"]) == (
        422,
        [
            {
                "location": "",
                "field": "time_zone",
                "reason": '"Mars/Olympus" is not a known time zone; use a name such as Europe/Brussels',
            }
        ],
    )
    assert right.status_code == 201
    with app_state.database.unit_of_work() as session:
        event = get_event(session, event_id)
        assert event is not None
        assert [p.time_zone for p in event.participants if p.user.name == "Zoe"] == [
            "Europe/Lisbon"
        ]
