"""``/api/users``: administrators grant and revoke the event organiser role; the setting that
lets anyone signed in create events."""

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.domain.enums import UserRole
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.web.app import create_app
from tests.factories.events import make_person

pytestmark = [pytest.mark.integration, pytest.mark.db]

EVENT = {
    "name": "Textile meets Tech",
    "sessions": [{"name": "Morning", "date": "2025-03-10", "start": "09:00", "end": "10:00"}],
}


def _token(app_state: AppState, email: str, role: UserRole) -> dict[str, str]:
    with app_state.database.unit_of_work() as session:
        user = make_person(
            session, email=email, name=email.split("@", maxsplit=1)[0].title(), role=role
        )
        _row, raw = create_api_token(session, user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def _user_id(app_state: AppState, email: str) -> int:
    with app_state.database.unit_of_work() as session:
        user = get_user_by_email(session, email)
        assert user is not None
        return user.id


@pytest.fixture
def people(app_state: AppState) -> dict[str, dict[str, str]]:
    return {
        "root": _token(app_state, "root@example.org", UserRole.ADMINISTRATOR),
        "ana": _token(app_state, "ana@example.org", UserRole.ORGANISATION_MEMBER),
    }


def test_an_administrator_lists_accounts_and_grants_then_revokes(
    client: TestClient, app_state: AppState, people: dict[str, dict[str, str]]
) -> None:
    ana = _user_id(app_state, "ana@example.org")
    root = _user_id(app_state, "root@example.org")
    url = f"/api/users/{ana}/event-organiser"

    listed = client.get("/api/users", headers=people["root"])
    refused = client.post("/api/events", json=EVENT, headers=people["ana"])
    granted = client.put(url, headers=people["root"])
    created = client.post("/api/events", json=EVENT, headers=people["ana"])
    revoked = client.delete(url, headers=people["root"])
    again = client.post("/api/events", json=EVENT, headers=people["ana"])

    assert listed.json() == [
        {"id": ana, "email": "ana@example.org", "name": "Ana", "role": "organisation_member", "is_active": True},
        {"id": root, "email": "root@example.org", "name": "Root", "role": "administrator", "is_active": True},
    ]  # fmt: skip
    assert (refused.status_code, refused.json()["message"]) == (
        403,
        "Only event organisers and administrators create events",
    )
    assert (granted.status_code, granted.json()["role"]) == (200, "event_organiser")
    assert created.status_code == 201
    assert (revoked.status_code, revoked.json()["role"]) == (200, "organisation_member")
    assert again.status_code == 403


def test_only_administrators_use_the_users_endpoints(
    client: TestClient, app_state: AppState, people: dict[str, dict[str, str]]
) -> None:
    ana = _user_id(app_state, "ana@example.org")
    olga = _token(app_state, "olga@example.org", UserRole.EVENT_ORGANISER)

    listed = client.get("/api/users", headers=olga)
    granted = client.put(f"/api/users/{ana}/event-organiser", headers=people["ana"])

    assert [(r.status_code, r.json()["message"]) for r in (listed, granted)] == [
        (403, "Only administrators manage accounts"),
        (403, "Only administrators manage accounts"),
    ]


def test_role_changes_that_do_not_apply_are_409_or_404(
    client: TestClient, app_state: AppState, people: dict[str, dict[str, str]]
) -> None:
    ana, root = _user_id(app_state, "ana@example.org"), _user_id(app_state, "root@example.org")

    revoke = client.delete(f"/api/users/{ana}/event-organiser", headers=people["root"])
    grant = client.put(f"/api/users/{root}/event-organiser", headers=people["root"])
    unknown = client.put("/api/users/999999/event-organiser", headers=people["root"])

    assert [(r.status_code, r.json()["message"]) for r in (revoke, grant, unknown)] == [
        (409, "Ana is an organisation member, not an event organiser"),
        (409, "Root is an administrator: that role stays"),
        (404, "There is no account 999999"),
    ]


@pytest.fixture
def open_client(app_state: AppState) -> Iterator[TestClient]:
    """A client of an app whose setting lets anyone signed in create events."""
    settings = app_state.settings.model_copy(update={"anyone_can_create_events": True})
    state = dataclasses.replace(app_state, settings=settings)
    with TestClient(create_app(state), base_url="http://testserver") as test_client:
        yield test_client


def test_with_the_setting_any_member_creates_and_runs_an_event(
    open_client: TestClient, people: dict[str, dict[str, str]]
) -> None:
    created = open_client.post("/api/events", json=EVENT, headers=people["ana"])
    opened = open_client.post(f"/api/events/{created.json()['id']}/open", headers=people["ana"])

    assert (created.status_code, created.json()["status"]) == (201, "draft")
    assert (opened.status_code, opened.json()["status"]) == (200, "open")
