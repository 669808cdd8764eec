"""The event API's rules found by the QA pass of 2026-12-07: who registers for which
organisation, the last session, time zone changes, the organiser's agenda, a rejected
participant's calendar, drafts, repeated requests and the report."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.repositories.events import get_event
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.domain.enums import EventStatus, UserRole
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.events import (
    RULES_ORGANISER,
    SESSION_START,
    make_event,
    make_person,
    make_rules_world,
)
from tests.factories.organisations import add_member, make_organisation

pytestmark = [pytest.mark.integration, pytest.mark.db]

Headers = dict[str, str]
ORGANISER = RULES_ORGANISER


def _headers(
    app_state: AppState, email: str, role: UserRole = UserRole.ORGANISATION_MEMBER
) -> Headers:
    with app_state.database.unit_of_work() as session:
        user = get_user_by_email(session, email) or make_person(
            session, email=email, name=email.split("@", maxsplit=1)[0].title(), role=role
        )
        _token, raw = create_api_token(session, user, name="test")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def world(app_state: AppState) -> dict[str, Any]:
    """An open event run by Olga (one session, three slots), Wanda and Bob validated and
    meeting in slot 1, and Sam, a member of Sam SA only; Bob's GmbH is not Sam's."""
    with app_state.database.unit_of_work() as session:
        return dict(make_rules_world(session))


# ------------------------------------------------------ 1. registering for an organisation


def test_registering_for_an_organisation_one_is_not_a_member_of_is_refused(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    sam = _headers(app_state, "sam@example.org")
    url = f"/api/events/{world['event']}/participants"

    refused = client.post(url, json={"organisation_id": world["bob_org"]}, headers=sam)
    own = client.post(url, json={"organisation_id": world["sam_org"]}, headers=sam)

    assert refused.status_code == 403
    assert refused.json() == {
        "message": f"You are not a member of Bob GmbH (organisation {world['bob_org']}): "
        "register for an organisation you belong to, or claim this one in the registry first",
        "errors": [],
    }
    assert own.status_code == 201
    assert own.json()["organisation_id"] == world["sam_org"]


def test_the_organiser_may_register_for_any_organisation(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    olga = _headers(app_state, ORGANISER)

    response = client.post(
        f"/api/events/{world['event']}/participants",
        json={"organisation_id": world["bob_org"]},
        headers=olga,
    )

    assert response.status_code == 201
    assert response.json()["organisation_id"] == world["bob_org"]


# --------------------------------------------------------------------- 3. the last session


def test_the_last_session_of_an_open_event_cannot_be_removed(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    olga = _headers(app_state, ORGANISER)
    url = f"/api/events/{world['event']}"
    session_id = client.get(url, headers=olga).json()["sessions"][0]["id"]

    response = client.delete(f"{url}/sessions/{session_id}", headers=olga)

    assert response.status_code == 409
    assert response.json()["message"] == (
        "This is the event's only session and registration is open: add another session "
        "before removing it"
    )
    assert [row["id"] for row in client.get(url, headers=olga).json()["sessions"]] == [session_id]


def test_removing_an_unknown_session_is_not_found(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    olga = _headers(app_state, ORGANISER)

    response = client.delete(f"/api/events/{world['event']}/sessions/99999", headers=olga)

    assert response.status_code == 404
    assert response.json()["message"] == f"Event {world['event']} has no session 99999"


# ------------------------------------------------------------------ 4. a new time zone


def test_a_new_time_zone_keeps_the_local_times_and_names_the_meetings_moved(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    olga = _headers(app_state, ORGANISER)
    url = f"/api/events/{world['event']}"

    changed = client.patch(url, json={"time_zone": "Europe/Lisbon"}, headers=olga)
    agenda = client.get(f"{url}/agenda", headers=olga).json()
    meetings = client.get(f"{url}/meetings", headers=olga).json()

    assert changed.status_code == 200
    body = changed.json()
    assert (body["time_zone"], body["moved_meeting_ids"], body["unscheduled_meeting_ids"]) == (
        "Europe/Lisbon",
        [world["meeting"]],
        [],
    )
    # 09:00-10:00 in Brussels (08:00 UTC) is 09:00-10:00 in Lisbon (09:00 UTC).
    assert [(row["starts_at"], row["ends_at"]) for row in body["sessions"]] == [
        ("2025-03-10T09:00:00Z", "2025-03-10T10:00:00Z")
    ]
    assert [(item["slot"], item["local_start"]) for item in agenda["items"]] == [
        (1, "2025-03-10T09:00:00Z")
    ]
    assert [m["starts_at"] for m in meetings] == ["2025-03-10T09:00:00Z"]


# ------------------------------------------------------------- 5. the organiser's agenda


def test_the_organisers_agenda_names_both_sides(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    olga = _headers(app_state, ORGANISER)
    wanda = _headers(app_state, "wanda@example.org")
    with app_state.database.unit_of_work() as session:
        event = get_event(session, world["event"])
        assert event is not None
        event.status = EventStatus.PUBLISHED
        event.published_at = SESSION_START

    organisers = client.get(f"/api/events/{world['event']}/agenda", headers=olga).json()
    wandas = client.get(f"/api/events/{world['event']}/agenda", headers=wanda).json()

    both = {
        "requester_participant_id": world["wanda"],
        "requester_organisation": "Wanda GmbH",
        "recipient_participant_id": world["bob"],
        "recipient_organisation": "Bob GmbH",
    }
    item = organisers["items"][0]
    assert {key: item[key] for key in (*both, "with_participant_id", "with_organisation")} == {
        **both,
        "with_participant_id": None,
        "with_organisation": None,
    }
    mine = wandas["items"][0]
    assert {key: mine[key] for key in (*both, "with_participant_id", "with_organisation")} == {
        **both,
        "with_participant_id": world["bob"],
        "with_organisation": "Bob GmbH",
    }


# ------------------------------------------------ 6. a rejected participant's calendar


def test_a_rejected_participants_calendar_cancels_their_meetings(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    olga = _headers(app_state, ORGANISER)
    bob = _headers(app_state, "bob@example.org")
    url = f"/api/events/{world['event']}"
    with app_state.database.unit_of_work() as session:
        event = get_event(session, world["event"])
        assert event is not None
        event.status = EventStatus.PUBLISHED
        event.published_at = SESSION_START
    before = client.get(f"{url}/agenda.ics", headers=bob)

    rejected = client.post(
        f"{url}/participants/{world['bob']}/status", json={"status": "rejected"}, headers=olga
    )
    after = client.get(f"{url}/agenda.ics", headers=bob)
    agenda = client.get(f"{url}/agenda", headers=bob)

    assert (before.status_code, rejected.status_code, after.status_code) == (200, 200, 200)
    uid = f"UID:event-{world['event']}-meeting-{world['meeting']}@"
    assert uid in before.text
    assert "STATUS:CANCELLED" not in before.text
    assert after.text.count("BEGIN:VEVENT") == 1
    assert uid in after.text
    assert "DTSTART:20250310T080000Z\r\n" in after.text
    assert "STATUS:CANCELLED\r\n" in after.text
    assert (agenda.status_code, agenda.json()["items"]) == (200, [])


# --------------------------------------------------------------------- 7. drafts


def test_registering_for_a_draft_is_not_open_to_those_who_see_it_and_hidden_from_others(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    with app_state.database.unit_of_work() as session:
        organiser = get_user_by_email(session, ORGANISER)
        assert organiser is not None
        draft = make_event(session, organiser=organiser, status=EventStatus.DRAFT).id
        officer = make_person(
            session, email="pia@example.org", name="Pia", role=UserRole.PROGRAMME_OFFICER
        )
        agency = make_organisation(session, name="Pia Agency")
        add_member(session, agency, officer)
        pia_org = agency.id
    url = f"/api/events/{draft}/participants"

    seen = client.post(
        url, json={"organisation_id": pia_org}, headers=_headers(app_state, "pia@example.org")
    )
    hidden = client.post(
        url,
        json={"organisation_id": world["sam_org"]},
        headers=_headers(app_state, "sam@example.org"),
    )

    assert (seen.status_code, seen.json()["message"]) == (
        409,
        "Registration for this event is not open yet",
    )
    assert (hidden.status_code, hidden.json()["message"]) == (404, f"There is no event {draft}")


# ------------------------------------------------------------------------ 9. the report


def test_the_report_counts_meetings_accepted_then_cancelled_and_shows_the_cancellations(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    olga = _headers(app_state, ORGANISER)
    wanda = _headers(app_state, "wanda@example.org")
    bob = _headers(app_state, "bob@example.org")
    url = f"/api/events/{world['event']}"
    with app_state.database.unit_of_work() as session:
        event = get_event(session, world["event"])
        assert event is not None
        event.meetings.clear()
    asked = client.post(f"{url}/meetings", json={"recipient_id": world["bob"]}, headers=wanda)
    meeting = asked.json()["id"]
    client.post(f"{url}/meetings/{meeting}/accept", headers=bob)
    client.post(f"{url}/meetings/{meeting}/cancel", headers=wanda)
    withdrawn = client.post(f"{url}/meetings", json={"recipient_id": world["wanda"]}, headers=bob)
    client.post(f"{url}/meetings/{withdrawn.json()['id']}/cancel", headers=bob)

    report = client.get(f"{url}/report", headers=olga).json()

    assert report["requests"] == {
        "requested": 0,
        "accepted": 0,
        "declined": 0,
        "expired": 0,
        "cancelled": 2,
    }
    assert (report["accepted"], report["cancelled_after_acceptance"]) == (1, 1)
    assert report["acceptance_rate"] == 1.0


# ------------------------------------------------------------ 2. withdrawing a registration


def test_a_participant_withdraws_their_registration_and_their_meetings_are_cancelled(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    bob = _headers(app_state, "bob@example.org")
    wanda = _headers(app_state, "wanda@example.org")
    url = f"/api/events/{world['event']}"

    not_yours = client.delete(f"{url}/participants/{world['wanda']}", headers=bob)
    withdrawn = client.delete(f"{url}/participants/{world['bob']}", headers=bob)
    again = client.delete(f"{url}/participants/{world['bob']}", headers=bob)
    meetings = client.get(f"{url}/meetings", headers=wanda).json()

    assert (not_yours.status_code, not_yours.json()["message"]) == (
        403,
        "Only the participant may withdraw their registration; the organiser rejects it",
    )
    assert withdrawn.status_code == 200
    assert (withdrawn.json()["status"], withdrawn.json()["withdrawn_at"] is not None) == (
        "withdrawn",
        True,
    )
    assert (again.status_code, again.json()["message"]) == (
        409,
        "You already withdrew your registration",
    )
    assert [(m["id"], m["status"], m["starts_at"]) for m in meetings] == [
        (world["meeting"], "cancelled", None)
    ]


def test_registering_again_after_withdrawing_waits_for_the_organiser(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    bob = _headers(app_state, "bob@example.org")
    url = f"/api/events/{world['event']}"
    client.delete(f"{url}/participants/{world['bob']}", headers=bob)

    again = client.post(
        f"{url}/participants", json={"organisation_id": world["bob_org"]}, headers=bob
    )

    assert (again.status_code, again.json()["status"], again.json()["withdrawn_at"]) == (
        201,
        "pending",
        None,
    )


def test_the_organiser_sees_a_withdrawal_as_withdrawn_and_cannot_overrule_it(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    olga = _headers(app_state, ORGANISER)
    bob = _headers(app_state, "bob@example.org")
    url = f"/api/events/{world['event']}"
    rejected = client.post(
        f"{url}/participants/{world['wanda']}/status", json={"status": "rejected"}, headers=olga
    )
    client.delete(f"{url}/participants/{world['bob']}", headers=bob)

    listed = client.get(f"{url}/participants", headers=olga).json()
    validated = client.post(
        f"{url}/participants/{world['bob']}/status", json={"status": "validated"}, headers=olga
    )
    as_decision = client.post(
        f"{url}/participants/{world['wanda']}/status", json={"status": "withdrawn"}, headers=olga
    )
    report = client.get(f"{url}/report", headers=olga).json()

    assert rejected.json()["status"] == "rejected"
    assert [(p["organisation"], p["status"], p["withdrawn_at"] is None) for p in listed] == [
        ("Bob GmbH", "withdrawn", False),
        ("Wanda GmbH", "rejected", True),
    ]
    assert (validated.status_code, validated.json()["message"]) == (
        409,
        "Bob GmbH withdrew their registration: it cannot change",
    )
    assert (as_decision.status_code, as_decision.json()["errors"]) == (
        422,
        [{"location": "", "field": "status", "reason": "must be validated or rejected"}],
    )
    assert (report["participants"], report["registrations"]) == (
        2,
        {"pending": 0, "validated": 0, "rejected": 1, "withdrawn": 1},
    )


def test_a_withdrawn_participant_meets_no_one_and_their_calendar_cancels_their_meetings(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    bob = _headers(app_state, "bob@example.org")
    wanda = _headers(app_state, "wanda@example.org")
    url = f"/api/events/{world['event']}"
    with app_state.database.unit_of_work() as session:
        event = get_event(session, world["event"])
        assert event is not None
        event.status = EventStatus.PUBLISHED
        event.published_at = SESSION_START
    client.delete(f"{url}/participants/{world['bob']}", headers=bob)

    calendar = client.get(f"{url}/agenda.ics", headers=bob)
    asked = client.post(f"{url}/meetings", json={"recipient_id": world["bob"]}, headers=wanda)
    asking = client.post(f"{url}/meetings", json={"recipient_id": world["wanda"]}, headers=bob)
    others = client.get(f"{url}/participants", headers=wanda).json()

    assert (calendar.status_code, calendar.text.count("STATUS:CANCELLED\r\n")) == (200, 1)
    assert (asked.status_code, asked.json()["errors"][0]["reason"]) == (
        422,
        f"{world['bob']} is not a participant of this event",
    )
    assert (asking.status_code, asking.json()["message"]) == (
        403,
        "You withdrew your registration: register again to take part",
    )
    assert others == []


# ---------------------------------------------------- 8. asking again after a decline


def test_a_declined_request_cannot_be_sent_again_unless_the_organiser_allows_it(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    olga = _headers(app_state, ORGANISER)
    wanda = _headers(app_state, "wanda@example.org")
    bob = _headers(app_state, "bob@example.org")
    url = f"/api/events/{world['event']}"
    with app_state.database.unit_of_work() as session:
        event = get_event(session, world["event"])
        assert event is not None
        event.meetings.clear()
    first = client.post(f"{url}/meetings", json={"recipient_id": world["bob"]}, headers=wanda)
    client.post(f"{url}/meetings/{first.json()['id']}/decline", headers=bob)

    refused = client.post(f"{url}/meetings", json={"recipient_id": world["bob"]}, headers=wanda)
    other_way = client.post(f"{url}/meetings", json={"recipient_id": world["wanda"]}, headers=bob)
    client.post(f"{url}/meetings/{other_way.json()['id']}/cancel", headers=bob)
    allowed = client.patch(url, json={"repeat_requests": True}, headers=olga)
    again = client.post(f"{url}/meetings", json={"recipient_id": world["bob"]}, headers=wanda)

    assert (refused.status_code, refused.json()["message"]) == (
        409,
        "Bob GmbH declined your request: you cannot ask again unless the organiser allows "
        "repeated requests",
    )
    # The one who declined may still ask.
    assert other_way.status_code == 201
    assert (allowed.status_code, allowed.json()["repeat_requests"]) == (200, True)
    assert (again.status_code, again.json()["status"]) == (201, "requested")
