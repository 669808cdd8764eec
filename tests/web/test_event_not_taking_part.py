"""A participant's page (my requests, my agenda, its calendar file, the participants, the
withdrawal step) opened by a signed-in user who takes no part in the event: still 403, but a
page with the way on (the registration form, or the event when registration is not open)
instead of a dead end. The API keeps its JSON refusal."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.repositories.events import get_event
from clusterbridge.domain.enums import EventStatus
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.events import RULES_ORGANISER, SESSION_START, make_rules_world
from tests.factories.users import make_user
from tests.web.helpers import csrf_token, sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]

PARTICIPANT_PAGES = ("meetings", "agenda", "agenda.ics", "participants", "withdraw")
#: The refusal box of the error page: its reason, then its link.
BOX = re.compile(
    r'<div class="notice error" role="alert">\s*<p><strong>([^<]*)</strong></p>\s*'
    r'<p><a class="button" href="([^"]*)" data-testid="([^"]*)">([^<]*)</a></p>\s*</div>'
)


@pytest.fixture
def world(app_state: AppState) -> dict[str, Any]:
    """An open event run by Olga, Wanda and Bob validated; Sam takes no part in it."""
    with app_state.database.unit_of_work() as session:
        return dict(make_rules_world(session))


def _publish(app_state: AppState, event_id: int, status: EventStatus) -> None:
    with app_state.database.unit_of_work() as session:
        event = get_event(session, event_id)
        assert event is not None
        event.status = status
        event.published_at = SESSION_START if status is EventStatus.PUBLISHED else None


@pytest.mark.parametrize("page", PARTICIPANT_PAGES)
def test_a_participants_page_offers_the_registration_form_to_one_who_is_not_registered(
    client: TestClient, app_state: AppState, world: dict[str, Any], page: str
) -> None:
    # The walk of 2026-12-07: a bare "Register for this event first" with no way on.
    _publish(app_state, world["event"], EventStatus.PUBLISHED)
    sign_in(client, "sam@example.org")
    event = f"/events/{world['event']}"

    refused = client.get(f"{event}/{page}")
    form = client.get(event)

    assert refused.status_code == 403
    assert BOX.findall(refused.text) == [
        (
            "Register for this event first.",
            f"{event}#registration",
            "register-link",
            "Go to the registration form",
        )
    ]
    assert '<section class="card" id="registration" aria-labelledby="registration-title">' in (
        form.text
    )
    assert '<button type="submit" data-testid="register">Register</button>' in form.text


def test_a_withdrawn_participant_is_offered_the_registration_form_again(
    client: TestClient, world: dict[str, Any]
) -> None:
    sign_in(client, "bob@example.org")
    event = f"/events/{world['event']}"
    client.post(
        f"{event}/withdraw",
        data={"confirm": "yes", "csrf_token": csrf_token(client, event)},
        follow_redirects=False,
    )

    refused = client.get(f"{event}/meetings")

    assert refused.status_code == 403
    assert BOX.findall(refused.text) == [
        (
            "You withdrew your registration: register again to take part.",
            f"{event}#registration",
            "register-link",
            "Go to the registration form",
        )
    ]


def test_a_draft_says_registration_is_not_open_and_links_back_to_the_event(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    # Olga runs the draft but takes no part in it; nobody may register for a draft.
    _publish(app_state, world["event"], EventStatus.DRAFT)
    sign_in(client, RULES_ORGANISER)
    event = f"/events/{world['event']}"

    refused = client.get(f"{event}/meetings")

    assert refused.status_code == 403
    assert BOX.findall(refused.text) == [
        (
            "Only participants of this event see this page, and registration for this event "
            "is not open yet.",
            event,
            "event-link",
            "Back to the event",
        )
    ]
    assert 'data-testid="register-link"' not in refused.text


def test_a_pending_participant_is_sent_back_to_the_event_not_to_register_again(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    sign_in(client, "sam@example.org")
    event = f"/events/{world['event']}"
    client.post(
        f"{event}/register",
        data={"organisation_id": str(world["sam_org"]), "csrf_token": csrf_token(client, event)},
        follow_redirects=False,
    )

    refused = client.get(f"{event}/meetings")

    assert refused.status_code == 403
    assert BOX.findall(refused.text) == [
        (
            "Your registration is pending: the organiser has to validate it.",
            event,
            "event-link",
            "Back to the event",
        )
    ]


def test_the_api_keeps_its_json_refusal(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    with app_state.database.unit_of_work() as session:
        stranger = make_user(session, email="stranger@example.org", name="Stranger")
        _token, raw = create_api_token(session, stranger, name="test")

    refused = client.get(
        f"/api/events/{world['event']}/meetings", headers={"Authorization": f"Bearer {raw}"}
    )

    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/json"
    assert refused.json()["message"] == "Register for this event first"
