"""Invitations to consortia through the API: the same answer for every address."""

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import ConsortiumInvitation
from clusterbridge.domain.enums import UserRole
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.consortia import make_consortium
from tests.factories.events import make_person
from tests.mailbox import read_mail

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def setup(app_state: AppState) -> tuple[int, dict[str, str], dict[str, str]]:
    with app_state.database.unit_of_work() as session:
        owner = make_person(
            session, email="owner@example.org", name="Olga", role=UserRole.CLUSTER_MANAGER
        )
        guest = make_person(
            session, email="guest@example.org", name="Gus", role=UserRole.CLUSTER_MANAGER
        )
        consortium = make_consortium(session, owner=owner)
        owner_token = create_api_token(session, owner, name="o")[1]
        guest_token = create_api_token(session, guest, name="g")[1]
        return (
            consortium.id,
            {"Authorization": f"Bearer {owner_token}"},
            {"Authorization": f"Bearer {guest_token}"},
        )


def test_inviting_answers_alike_and_the_guest_accepts(
    client: TestClient, app_state: AppState, setup: tuple[int, dict[str, str], dict[str, str]]
) -> None:
    consortium_id, owner, guest = setup

    known = client.post(
        f"/api/consortia/{consortium_id}/invitations",
        json={"email": "guest@example.org", "can_edit": True},
        headers=owner,
    )
    unknown = client.post(
        f"/api/consortia/{consortium_id}/invitations",
        json={"email": "nobody@example.org"},
        headers=owner,
    )
    before = client.get(f"/api/consortia/{consortium_id}", headers=guest)
    waiting = client.get("/api/consortia/invitations", headers=guest).json()
    accepted = client.post(f"/api/consortia/invitations/{waiting[0]['id']}/accept", headers=guest)
    after = client.get(f"/api/consortia/{consortium_id}", headers=guest)

    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert [mail.to for mail in read_mail(app_state.settings.resolved_mail_dir())] == [
        ("guest@example.org",),
        ("nobody@example.org",),
    ]
    assert before.status_code == 404
    assert waiting == [
        {
            "id": waiting[0]["id"],
            "consortium_id": consortium_id,
            "consortium_name": "Isar Eurocluster",
            "can_edit": True,
        }
    ]
    assert accepted.status_code == 204
    assert after.status_code == 200


def test_someone_elses_invitation_is_not_found(
    client: TestClient, app_state: AppState, setup: tuple[int, dict[str, str], dict[str, str]]
) -> None:
    consortium_id, owner, guest = setup
    client.post(
        f"/api/consortia/{consortium_id}/invitations",
        json={"email": "nobody@example.org"},
        headers=owner,
    )
    with app_state.database.unit_of_work() as session:
        invitation_id = session.scalars(sa.select(ConsortiumInvitation.id)).one()

    assert client.get("/api/consortia/invitations", headers=owner).json() == []
    accept = client.post(f"/api/consortia/invitations/{invitation_id}/accept", headers=guest)
    assert accept.status_code == 404
    refused = client.post(
        f"/api/consortia/{consortium_id}/invitations",
        json={"email": "x@example.org"},
        headers=guest,
    )
    assert refused.status_code == 404
