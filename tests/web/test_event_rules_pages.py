"""The event pages' rules found by the QA pass of 2026-12-07: registering for one's own
organisations, keeping the organisation chosen, the organisation search, sessions, and a
participant withdrawing their registration."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.repositories.events import get_event
from tests.factories.events import (
    RULES_ORGANISER,
    make_rules_world,
)
from tests.web.form_fields import form_fields
from tests.web.helpers import csrf_token, sign_in
from tests.web.refusals import invalid_fields, summary_items

pytestmark = [pytest.mark.integration, pytest.mark.db]

ORGANISER = RULES_ORGANISER


@pytest.fixture
def world(app_state: AppState) -> dict[str, Any]:
    """An open event run by Olga with Wanda and Bob validated and meeting in slot 1; Sam, a
    member of Sam SA only."""
    with app_state.database.unit_of_work() as session:
        return dict(make_rules_world(session))


def _post(client: TestClient, url: str, data: dict[str, str], page: str) -> Any:
    return client.post(
        url, data={**data, "csrf_token": csrf_token(client, page)}, follow_redirects=False
    )


def test_registering_for_another_organisation_says_why_and_keeps_it_chosen(
    client: TestClient, world: dict[str, Any]
) -> None:
    sign_in(client, "sam@example.org")
    url = f"/events/{world['event']}"

    refused = _post(client, f"{url}/register", {"organisation_id": str(world["bob_org"])}, page=url)

    assert refused.status_code == 403
    assert (
        '<p class="field-error" id="organisation_id-error" data-testid="error-organisation_id">'
        "You are not a member of Bob "
        f"GmbH (organisation {world['bob_org']}): register for an organisation you belong to, "
        "or claim this one in the registry first</p>"
    ) in refused.text
    assert (
        f'<input type="radio" name="organisation_id" value="{world["bob_org"]}" '
        'data-testid="chosen-organisation" checked aria-invalid="true" '
        'aria-describedby="organisation_id-error"> Bob GmbH'
    ) in refused.text


def test_a_refused_organisation_is_in_the_summary_with_a_link_to_its_field(
    client: TestClient, world: dict[str, Any]
) -> None:
    # The walk of 2026-12-07: the organisation's refusal was beside the field only, with no
    # summary at the top, unlike every other refused form.
    sign_in(client, "sam@example.org")
    url = f"/events/{world['event']}"
    refusal = (
        f"You are not a member of Bob GmbH (organisation {world['bob_org']}): register for an "
        "organisation you belong to, or claim this one in the registry first"
    )

    refused = _post(client, f"{url}/register", {"organisation_id": str(world["bob_org"])}, page=url)

    assert summary_items(refused.text) == [f"Your organisation: {refusal}"]
    assert re.findall(r'<a href="([^"]+)" data-field="([^"]+)">', refused.text) == [
        ("#organisation_id-error", "organisation_id")
    ]
    # Each choice of the group (Sam SA, Bob GmbH) described by the refusal, not the search box.
    assert invalid_fields(refused.text) == [("organisation_id", refusal)]
    assert refused.text.count('aria-describedby="organisation_id-error"') == 2
    search_box = re.search(r'<input type="search" id="organisation-query"[^>]*>', refused.text)
    assert search_box is not None
    assert "aria-invalid" not in search_box.group(0)
    # The walk: "claim this one in the registry first", with no way to the registry's record.
    assert (
        f'<p><a href="/organisations/{world["bob_org"]}#claims" data-testid="claim-link">'
        "Ask to manage Bob GmbH on its registry page</a></p>"
    ) in refused.text


def test_a_mistake_keeps_the_organisation_found_in_the_registry_chosen(
    client: TestClient, world: dict[str, Any]
) -> None:
    # The organiser may register for any organisation: Bob's, found through the search.
    sign_in(client, ORGANISER)
    url = f"/events/{world['event']}"

    response = _post(
        client,
        f"{url}/register",
        {"organisation_id": str(world["bob_org"]), "needs": "x" * 2500},
        page=url,
    )

    assert response.status_code == 422
    assert summary_items(response.text) == [
        "What you look for: must be at most 2,000 characters, not 2,500"
    ]
    assert invalid_fields(response.text) == [
        ("needs", "must be at most 2,000 characters, not 2,500")
    ]
    assert (
        f'<input type="radio" name="organisation_id" value="{world["bob_org"]}" '
        'data-testid="chosen-organisation" checked > Bob GmbH'
    ) in response.text


def test_the_registration_form_starts_with_the_users_one_organisation_chosen(
    client: TestClient, world: dict[str, Any]
) -> None:
    # The walk of 2026-12-08: an SME's only organisation was listed unchosen, and Register
    # said "choose your organisation: search the registry for it above".
    sign_in(client, "sam@example.org")

    page = client.get(f"/events/{world['event']}")

    assert re.findall(
        r'<input type="radio" name="organisation_id" value="(\d+)" ([a-z]*)', page.text
    ) == [(str(world["sam_org"]), "checked")]


def test_a_registration_without_an_organisation_points_a_member_to_its_own(
    client: TestClient, world: dict[str, Any]
) -> None:
    # The walk of 2026-12-08: "search the registry for it above", though the form listed it.
    sign_in(client, "sam@example.org")
    url = f"/events/{world['event']}"

    refused = _post(client, f"{url}/register", {"offers": "Tools"}, page=url)

    assert refused.status_code == 422
    assert invalid_fields(refused.text) == [
        ("organisation_id", "choose your organisation above, or search the registry for another")
    ]


def test_the_organisation_search_has_a_form_of_its_own(
    client: TestClient, world: dict[str, Any]
) -> None:
    sign_in(client, "sam@example.org")
    url = f"/events/{world['event']}"

    page = client.get(url)
    searched = client.get(url, params={"q": "bob gmbh"})

    # Enter in the search box sends the search form, not the registration.
    assert 'form="organisation-search" data-testid="organisation-query"' in page.text
    assert (
        f'<form id="organisation-search" method="get" action="{url}" '
        'data-testid="organisation-search-form"'
    ) in page.text
    assert (
        f'<input type="radio" name="organisation_id" value="{world["bob_org"]}" '
        'data-testid="organisation-choice" > Bob GmbH'
    ) in searched.text
    assert 'value="bob gmbh"' in searched.text


def test_an_unknown_session_is_not_found(client: TestClient, world: dict[str, Any]) -> None:
    sign_in(client, ORGANISER)
    url = f"/events/{world['event']}"

    confirm = client.get(f"{url}/sessions/99999/remove")
    removed = _post(client, f"{url}/sessions/99999/remove", {}, page=f"{url}/manage")

    assert (confirm.status_code, removed.status_code) == (404, 404)


def test_the_only_session_of_an_open_event_offers_no_removal(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    with app_state.database.unit_of_work() as session:
        event = get_event(session, world["event"])
        assert event is not None
        session_id = event.sessions[0].id
    sign_in(client, ORGANISER)
    url = f"/events/{world['event']}"

    manage = client.get(f"{url}/manage")
    confirm = client.get(f"{url}/sessions/{session_id}/remove")
    removed = _post(client, f"{url}/sessions/{session_id}/remove", {}, page=f"{url}/manage")

    assert 'data-testid="remove-session"' not in manage.text
    assert (confirm.status_code, removed.status_code) == (409, 409)
    assert (
        "This is the event&#39;s only session and registration is open: add another session "
        "before removing it"
    ) in removed.text


def test_a_new_time_zone_keeps_the_local_times_and_says_so(
    client: TestClient, world: dict[str, Any]
) -> None:
    sign_in(client, ORGANISER)
    manage = f"/events/{world['event']}/manage"
    action = f"/events/{world['event']}/settings"
    shown = dict(form_fields(client.get(manage).text, action))

    saved = client.post(
        action, data={**shown, "time_zone": "Europe/Lisbon"}, follow_redirects=False
    )
    after = client.get(manage)

    assert saved.status_code == 303
    assert (
        '<p class="notice success" data-testid="schedule-result">Settings saved. The sessions '
        "keep their local times, now in Europe/Lisbon; 1 scheduled meeting keeps its slot at "
        "the same local time.</p>"
    ) in after.text
    assert "Session 1: Mon 10 Mar 2025 09:00–10:00" in after.text


def test_an_empty_new_event_form_names_every_session_field(
    client: TestClient, world: dict[str, Any]
) -> None:
    sign_in(client, ORGANISER)
    shown = dict(form_fields(client.get("/events").text, "/events"))
    emptied = {
        **shown,
        "name": "Spring",
        "session_name": "",
        "session_date": "",
        "session_start": "",
        "session_end": "",
    }

    response = client.post("/events", data=emptied, follow_redirects=False)

    assert response.status_code == 422
    assert [
        (field, reason)
        for field, reason in re.findall(
            r'class="field-error" id="(session_\w+)-error">([^<]*)<', response.text
        )
    ] == [
        ("session_name", "is required"),
        ("session_date", "enter a date such as 2025-03-10"),
        ("session_start", "enter a time such as 09:00"),
        ("session_end", "enter a time such as 12:00"),
    ]


def test_a_participant_withdraws_from_the_event_page(
    client: TestClient, world: dict[str, Any]
) -> None:
    sign_in(client, "bob@example.org")
    url = f"/events/{world['event']}"
    before = client.get(url)

    withdrawn = _post(client, f"{url}/withdraw", {"confirm": "yes"}, page=url)
    after = client.get(url)
    meetings = client.get(f"{url}/meetings")

    assert (
        f'<a class="button small danger" href="{url}/withdraw" '
        'data-testid="withdraw-registration">Withdraw my registration…</a>'
    ) in before.text
    assert withdrawn.status_code == 303
    assert (
        '<p data-testid="registration-status">You withdrew your registration for <strong>Bob '
        'GmbH</strong>: <span class="badge participant-withdrawn">Withdrawn</span>.'
    ) in after.text
    assert 'data-testid="withdraw-registration"' not in after.text
    assert '<button type="submit" data-testid="register">Register again</button>' in after.text
    assert meetings.status_code == 403
    assert ("You withdrew your registration: register again to take part") in meetings.text


def test_withdrawing_asks_first_saying_what_it_cancels(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    sign_in(client, "bob@example.org")
    url = f"/events/{world['event']}"

    unconfirmed = _post(client, f"{url}/withdraw", {}, page=url)
    step = client.get(f"{url}/withdraw")

    assert unconfirmed.status_code == 303
    assert unconfirmed.headers["location"] == f"{url}/withdraw"
    assert step.status_code == 200
    assert (
        '<p data-testid="withdraw-losses">Bob GmbH will no longer take part. Withdrawing '
        "cancels 0 open requests and 1 accepted meeting, and e-mails the other participants "
        "concerned.</p>"
    ) in step.text
    assert 'name="confirm" value="yes"' in step.text
    with app_state.database.unit_of_work() as session:
        event = get_event(session, world["event"])
        assert event is not None
        bob = next(p for p in event.participants if p.id == world["bob"])
        assert bob.withdrawn_at is None


def test_a_rejected_participant_is_told_so_not_to_wait_for_validation(
    client: TestClient, world: dict[str, Any]
) -> None:
    # The QA pass of 2026-12-07 (qa3): "Your registration is rejected: the organiser has to
    # validate it".
    sign_in(client, ORGANISER)
    url = f"/events/{world['event']}"
    _post(client, f"{url}/participants/{world['bob']}/reject", {}, page=f"{url}/manage")
    client.cookies.clear()
    sign_in(client, "bob@example.org")

    meetings = client.get(f"{url}/meetings")

    assert meetings.status_code == 403
    assert "The organiser rejected your registration" in meetings.text


def test_the_organiser_allows_repeated_requests_in_the_settings(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    sign_in(client, ORGANISER)
    manage = f"/events/{world['event']}/manage"
    action = f"/events/{world['event']}/settings"
    shown = dict(form_fields(client.get(manage).text, action))

    saved = client.post(action, data={**shown, "repeat_requests": "on"}, follow_redirects=False)
    after = dict(form_fields(client.get(manage).text, action))

    assert "repeat_requests" not in shown
    assert saved.status_code == 303
    assert after["repeat_requests"] == "on"
    with app_state.database.unit_of_work() as session:
        event = get_event(session, world["event"])
        assert event is not None
        assert event.repeat_requests is True


def test_the_organiser_sees_a_withdrawal_as_withdrawn_with_no_decision_to_take(
    client: TestClient, world: dict[str, Any]
) -> None:
    sign_in(client, "bob@example.org")
    _post(
        client,
        f"/events/{world['event']}/withdraw",
        {"confirm": "yes"},
        page=f"/events/{world['event']}",
    )
    client.cookies.clear()
    sign_in(client, ORGANISER)

    manage = client.get(f"/events/{world['event']}/manage")
    cards = client.get(f"/events/{world['event']}/participants")

    rows = re.findall(
        r'<tr data-testid="registration" data-organisation="([^"]+)" data-status="([^"]+)">'
        r"(.*?)</tr>",
        manage.text,
        re.S,
    )
    assert [(name, status) for name, status, _row in rows] == [
        ("Wanda GmbH", "validated"),
        ("Bob GmbH", "withdrawn"),
    ]
    wanda_row, bob_row = (row for _name, _status, row in rows)
    assert re.findall(r'class="badge participant-withdrawn">([^<]+)<', bob_row) == ["Withdrawn"]
    assert re.findall(r'data-testid="(\w+)-participant"', bob_row) == []
    assert re.findall(r'data-testid="(\w+)-participant"', wanda_row) == ["reject"]
    assert re.findall(r'class="badge participant-(\w+)">([^<]+)<', cards.text) == [
        ("withdrawn", "Withdrawn"),
        ("validated", "Validated"),
    ]
