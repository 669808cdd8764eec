"""The administrator's accounts page: granting and revoking the event organiser role; and the
setting that lets anyone signed in create events."""

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.domain.enums import UserRole
from clusterbridge.web.app import create_app
from tests.factories.events import make_person
from tests.querycount import count_queries
from tests.web.helpers import csrf_token, sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]


@pytest.fixture
def ids(app_state: AppState) -> dict[str, int]:
    with app_state.database.unit_of_work() as session:
        people = {
            "root": make_person(
                session, email="root@example.org", name="Root", role=UserRole.ADMINISTRATOR
            ),
            "ana": make_person(session, email="ana@example.org", name="Ana"),
            "olga": make_person(
                session, email="olga@example.org", name="Olga", role=UserRole.EVENT_ORGANISER
            ),
        }
        return {name: user.id for name, user in people.items()}


def _accounts(page: str) -> list[tuple[str, str, str]]:
    """(name, role, button) of each account on the page."""
    found = []
    for item in page.split('data-testid="account"')[1:]:
        name = re.findall(r"<strong>([^<]+)</strong>", item)[0]
        role = re.findall(r'data-testid="role">([^<]+)<', item)[0]
        buttons = re.findall(r'data-testid="(?:grant|revoke)-organiser">([^<]+)<', item)
        found.append((name, role, buttons[0] if buttons else ""))
    return found


def _post(client: TestClient, url: str) -> Any:
    return client.post(
        url, data={"csrf_token": csrf_token(client, "/admin/users")}, follow_redirects=False
    )


def test_the_page_lists_accounts_with_the_right_button(
    client: TestClient, ids: dict[str, int]
) -> None:
    sign_in(client, "root@example.org")

    page = client.get("/admin/users")

    assert _accounts(page.text) == [
        ("Ana", "Organisation member", "Let Ana organise events"),
        ("Olga", "Event organiser", "Stop Olga organising events"),
        ("Root", "Administrator", ""),
    ]
    assert "Only event organisers and administrators create events on this site." in page.text


def test_an_administrator_grants_and_revokes_the_role(
    client: TestClient, app_state: AppState, ids: dict[str, int]
) -> None:
    sign_in(client, "root@example.org")

    granted = _post(client, f"/admin/users/{ids['ana']}/event-organiser")
    revoked = _post(client, f"/admin/users/{ids['olga']}/event-organiser/revoke")

    assert (granted.status_code, granted.headers["location"]) == (
        303,
        f"/admin/users?changed={ids['ana']}#user-{ids['ana']}",
    )
    assert revoked.status_code == 303
    assert _accounts(client.get("/admin/users").text) == [
        ("Ana", "Event organiser", "Stop Ana organising events"),
        ("Olga", "Organisation member", "Let Olga organise events"),
        ("Root", "Administrator", ""),
    ]
    with app_state.database.unit_of_work() as session:
        ana = get_user_by_email(session, "ana@example.org")
        assert ana is not None
        assert ana.role is UserRole.EVENT_ORGANISER


def test_a_change_that_does_not_apply_is_explained_on_the_page(
    client: TestClient, ids: dict[str, int]
) -> None:
    sign_in(client, "root@example.org")

    refused = _post(client, f"/admin/users/{ids['ana']}/event-organiser/revoke")

    assert refused.status_code == 409
    assert re.findall(r'data-testid="page-error"><p>([^<]+)<', refused.text) == [
        "Ana is an organisation member, not an event organiser"
    ]


@pytest.mark.parametrize("email", ["olga@example.org", "ana@example.org"])
def test_others_may_not_see_or_use_the_page(
    client: TestClient, ids: dict[str, int], email: str
) -> None:
    sign_in(client, email)

    page = client.get("/admin/users")
    granted = _post_without_page(client, f"/admin/users/{ids['ana']}/event-organiser")

    assert (page.status_code, granted.status_code) == (403, 403)
    assert "ana@example.org" not in page.text


def _post_without_page(client: TestClient, url: str) -> Any:
    token = csrf_token(client, "/events")
    return client.post(url, data={"csrf_token": token}, follow_redirects=False)


def test_the_events_page_links_administrators_to_the_accounts(
    client: TestClient, ids: dict[str, int]
) -> None:
    sign_in(client, "root@example.org")
    admin_page = client.get("/events").text
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/events")})
    sign_in(client, "olga@example.org")

    organiser_page = client.get("/events").text

    assert 'href="/admin/users" data-testid="manage-organisers"' in admin_page
    assert 'data-testid="manage-organisers"' not in organiser_page


@pytest.fixture
def open_client(app_state: AppState) -> Iterator[TestClient]:
    """A client of an app whose setting lets anyone signed in create events."""
    settings = app_state.settings.model_copy(update={"anyone_can_create_events": True})
    state = dataclasses.replace(app_state, settings=settings)
    with TestClient(create_app(state), base_url="http://testserver") as test_client:
        yield test_client


def test_with_the_setting_a_member_sees_the_form_and_creates_an_event(
    open_client: TestClient, client: TestClient, ids: dict[str, int]
) -> None:
    sign_in(client, "ana@example.org")
    closed = client.get("/events").text
    sign_in(open_client, "ana@example.org")
    form = {
        "name": "Cork meets Tech",
        "time_zone": "Europe/Lisbon",
        "slot_minutes": "20",
        "room_link_template": "https://meet.example.org/{event}-{meeting}",
        "request_mode": "accept_decline",
        "request_expiry_hours": "48",
        "rooms": "",
        "session_name": "Morning",
        "session_date": "2025-03-10",
        "session_start": "09:00",
        "session_end": "10:00",
        "csrf_token": csrf_token(open_client, "/events"),
    }

    opened = open_client.get("/events").text
    created = open_client.post("/events", data=form, follow_redirects=False)

    assert 'data-testid="create-event"' not in closed
    assert 'data-testid="create-event"' in opened
    assert created.status_code == 303
    manage = open_client.get(created.headers["location"])
    assert re.findall(r'data-testid="event-title">([^<]+)<', manage.text) == ["Cork meets Tech"]


@pytest.mark.parametrize("count", [1, 3])
def test_the_accounts_page_needs_a_constant_number_of_queries(
    client: TestClient, app_state: AppState, ids: dict[str, int], count: int
) -> None:
    with app_state.database.unit_of_work() as session:
        for number in range(count):
            make_person(session, email=f"p{number}@example.org", name=f"P{number}")
    sign_in(client, "root@example.org")

    with count_queries(app_state.database.engine) as log:
        page = client.get("/admin/users")

    assert page.text.count('data-testid="account"') == 3 + count
    assert log.count == 2
