"""The event endpoints of the JSON API: the flow end to end, errors by field, access, mail."""

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import EventSession
from clusterbridge.db.repositories.events import get_event
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.domain.enums import OrgType, UserRole
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.events import (
    SESSION_START,
    add_meeting,
    add_participant,
    make_event,
    make_person,
)
from tests.factories.organisations import add_member, make_organisation
from tests.jobs import wait_for_api_job

pytestmark = [pytest.mark.integration, pytest.mark.db]

Headers = dict[str, str]


def _headers(
    app_state: AppState, email: str, role: UserRole = UserRole.ORGANISATION_MEMBER
) -> Headers:
    with app_state.database.unit_of_work() as session:
        user = make_person(
            session, email=email, name=email.split("@", maxsplit=1)[0].title(), role=role
        )
        _token, raw = create_api_token(session, user, name="test")
    return {"Authorization": f"Bearer {raw}"}


def _organisation(app_state: AppState, name: str) -> int:
    with app_state.database.unit_of_work() as session:
        return make_organisation(session, name=name, type=OrgType.SME).id


def _member_organisation(app_state: AppState, email: str, name: str) -> int:
    """A registry organisation whose member is the account ``email``."""
    with app_state.database.unit_of_work() as session:
        user = get_user_by_email(session, email)
        assert user is not None
        organisation = make_organisation(session, name=name, type=OrgType.SME)
        add_member(session, organisation, user)
        return organisation.id


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
def organiser(app_state: AppState) -> Headers:
    return _headers(app_state, "olga@events.example", UserRole.EVENT_ORGANISER)


def test_the_whole_flow_through_the_api(
    client: TestClient, app_state: AppState, organiser: Headers, data_dir: Path
) -> None:
    wanda, bob = _headers(app_state, "wanda@example.org"), _headers(app_state, "bob@example.org")
    weaver = _member_organisation(app_state, "wanda@example.org", "Weaver SA")
    sensors = _member_organisation(app_state, "bob@example.org", "Sensors Oy")
    body = {
        "name": "Textile meets Tech",
        "time_zone": "Europe/Brussels",
        "slot_minutes": 20,
        "sessions": [{"name": "Morning", "date": "2025-03-10", "start": "09:00", "end": "10:00"}],
    }

    event = _ok(client.post("/api/events", json=body, headers=organiser), 201)
    event_id = event["id"]
    _ok(client.post(f"/api/events/{event_id}/open", headers=organiser))
    w = _ok(
        client.post(
            f"/api/events/{event_id}/participants",
            json={"organisation_id": weaver, "needs": "sensors"},
            headers=wanda,
        ),
        201,
    )
    b = _ok(
        client.post(
            f"/api/events/{event_id}/participants",
            json={"organisation_id": sensors, "offers": "sensors"},
            headers=bob,
        ),
        201,
    )
    for participant in (w, b):
        _ok(
            client.post(
                f"/api/events/{event_id}/participants/{participant['id']}/status",
                json={"status": "validated"},
                headers=organiser,
            )
        )
    listed = _ok(client.get(f"/api/events/{event_id}/participants", headers=wanda))
    meeting = _ok(
        client.post(
            f"/api/events/{event_id}/meetings",
            json={"recipient_id": b["id"], "message": "Let's talk"},
            headers=wanda,
        ),
        201,
    )
    accepted = _ok(
        client.post(f"/api/events/{event_id}/meetings/{meeting['id']}/accept", headers=bob)
    )
    locked = _ok(
        client.post(
            f"/api/events/{event_id}/meetings/{meeting['id']}/lock",
            json={"slot": 2},
            headers=organiser,
        )
    )
    published = _ok(client.post(f"/api/events/{event_id}/publish", headers=organiser))
    agenda = _ok(client.get(f"/api/events/{event_id}/agenda", headers=wanda))
    ics = client.get(f"/api/events/{event_id}/agenda.ics", headers=bob)

    assert (event["status"], event["slots"], event["sessions"][0]["starts_at"]) == (
        "draft",
        3,
        "2025-03-10T08:00:00Z",
    )
    assert event["sessions"][0]["local_start"] == "2025-03-10T09:00:00+01:00"
    assert [(p["organisation"], p["score"], p["reasons"]) for p in listed] == [
        ("Sensors Oy", 3, ["offers what you look for: sensors"])
    ]
    assert accepted["status"] == "accepted"
    assert (locked["starts_at"], locked["room"], locked["locked"]) == (
        "2025-03-10T08:20:00Z",
        1,
        True,
    )
    assert published["status"] == "published"
    assert agenda["items"] == [
        {
            "meeting_id": meeting["id"],
            "slot": 2,
            "local_start": "2025-03-10T09:20:00+01:00",
            "local_end": "2025-03-10T09:40:00+01:00",
            "room": 1,
            "link": f"https://meet.example.org/clusterbridge-{event_id}-{meeting['id']}",
            "with_participant_id": b["id"],
            "with_organisation": "Sensors Oy",
            "requester_participant_id": w["id"],
            "requester_organisation": "Weaver SA",
            "recipient_participant_id": b["id"],
            "recipient_organisation": "Sensors Oy",
        }
    ]
    assert ics.headers["content-type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Meeting with Weaver SA\r\n" in ics.text
    subjects = sorted(
        path.read_text().split("Subject: ")[1].split("\n")[0]
        for path in (data_dir / "mail").glob("*.eml")
    )
    assert subjects == [
        "Textile meets Tech: Bob (Sensors Oy) accepted your request",
        "Textile meets Tech: meeting request from Wanda (Weaver SA)",
        "Textile meets Tech: your agenda is published",
        "Textile meets Tech: your agenda is published",
        "Textile meets Tech: your registration is validated",
        "Textile meets Tech: your registration is validated",
    ]


@pytest.fixture
def running(app_state: AppState, people: dict[str, Headers]) -> dict[str, Any]:
    """An open event with Wanda, Bob and Carl validated and Wanda meeting Bob in slot 1."""
    with app_state.database.unit_of_work() as session:
        organiser = get_user_by_email(session, "olga@events.example")
        assert organiser is not None
        event = make_event(session, organiser=organiser)
        people = {}
        for name in ("wanda", "bob", "carl"):
            user = get_user_by_email(session, f"{name}@example.org")
            assert user is not None
            org = make_organisation(session, name=f"{name.title()} GmbH", type=OrgType.SME)
            people[name] = add_participant(session, event, user=user, organisation=org).id
        meeting = add_meeting(
            session,
            event,
            requester=event.participants[0],
            recipient=event.participants[1],
            starts_at=SESSION_START,
        )
        return {"event": event.id, "meeting": meeting.id, **people}


@pytest.fixture
def people(app_state: AppState, organiser: Headers) -> dict[str, Headers]:
    return {name: _headers(app_state, f"{name}@example.org") for name in ("wanda", "bob", "carl")}


@pytest.mark.parametrize(
    ("who", "path", "body", "status", "errors"),
    [
        (
            "wanda",
            "meetings",
            {"recipient_id": 999_999},
            422,
            [("recipient_id", "999999 is not a participant of this event")],
        ),
        (
            "wanda",
            "meetings",
            {"recipient_id": "wanda"},
            422,
            [("recipient_id", "you cannot request a meeting with yourself")],
        ),
        (
            "organiser",
            "meetings/{meeting}/lock",
            {"slot": 9},
            422,
            [("slot", "must be between 1 and 3 (the event's slots), not 9")],
        ),
        (
            "organiser",
            "participants/999999/status",
            {"status": "validated"},
            422,
            [("participant_id", "999999 is not a participant of this event")],
        ),
        (
            "organiser",
            "meetings/999999/lock",
            {},
            422,
            [("meeting_id", "999999 is not a meeting of this event")],
        ),
        (
            "organiser",
            "sessions",
            {"name": "Old", "date": "2019-05-01", "start": "09:00", "end": "10:00"},
            422,
            [("date", "must not be in the past: 01 May 2019 is before today, 01 December 2024")],
        ),
        (
            "organiser",
            "sessions",
            {"name": "Short", "date": "2025-03-11", "start": "09:00", "end": "09:10"},
            422,
            [
                (
                    "end",
                    "the session is 10 minutes long, shorter than one 20-minute meeting: "
                    "end it later or shorten the slots",
                )
            ],
        ),
    ],
)
def test_bad_input_names_the_field(
    client: TestClient,
    organiser: Headers,
    people: dict[str, Headers],
    running: dict[str, Any],
    who: str,
    path: str,
    body: dict[str, Any],
    status: int,
    errors: list[tuple[str, str]],
) -> None:
    headers = organiser if who == "organiser" else people[who]
    if isinstance(body.get("recipient_id"), str):
        body = {**body, "recipient_id": running[body["recipient_id"]]}

    response = client.post(
        f"/api/events/{running['event']}/{path.format(**running)}", json=body, headers=headers
    )

    assert response.status_code == status
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == errors


def test_participants_may_not_run_the_event(
    client: TestClient, people: dict[str, Headers], running: dict[str, Any]
) -> None:
    response = client.post(f"/api/events/{running['event']}/publish", headers=people["wanda"])

    assert (response.status_code, response.json()["message"]) == (
        403,
        "Only the organiser of this event may do this",
    )


def test_a_draft_is_not_found_for_others(
    client: TestClient, app_state: AppState, organiser: Headers, people: dict[str, Headers]
) -> None:
    draft = _ok(client.post("/api/events", json={"name": "Secret summit"}, headers=organiser), 201)

    response = client.get(f"/api/events/{draft['id']}", headers=people["wanda"])

    assert response.status_code == 404
    assert _ok(client.get("/api/events", headers=people["wanda"])) == []


def test_cancelling_tells_the_other_side(
    client: TestClient, people: dict[str, Headers], running: dict[str, Any], data_dir: Path
) -> None:
    cancelled = _ok(
        client.post(
            f"/api/events/{running['event']}/meetings/{running['meeting']}/cancel",
            headers=people["bob"],
        )
    )

    assert (cancelled["status"], cancelled["starts_at"]) == ("cancelled", None)
    mails = [path.read_text() for path in (data_dir / "mail").glob("*.eml")]
    assert len(mails) == 1
    assert "To: wanda@example.org" in mails[0]
    assert "Subject: Textile meets Tech: Bob (Bob GmbH) cancelled your meeting" in mails[0]


def test_report_counts_requests(
    client: TestClient, organiser: Headers, running: dict[str, Any]
) -> None:
    report = _ok(client.get(f"/api/events/{running['event']}/report", headers=organiser))

    assert (report["requests"]["accepted"], report["scheduled"], report["acceptance_rate"]) == (
        1,
        1,
        1.0,
    )


def test_outcome_before_the_meeting_is_refused(
    client: TestClient, people: dict[str, Headers], running: dict[str, Any]
) -> None:
    response = client.put(
        f"/api/events/{running['event']}/meetings/{running['meeting']}/outcome",
        json={"outcome": "agreement"},
        headers=people["wanda"],
    )

    assert (response.status_code, response.json()["message"]) == (
        409,
        "An outcome can be recorded once the meeting has taken place",
    )


def test_schedule_all_through_the_api(
    client: TestClient, app_state: AppState, organiser: Headers, running: dict[str, Any]
) -> None:
    with app_state.database.unit_of_work() as session:
        event = get_event(session, running["event"])
        assert event is not None
        event.meetings[0].starts_at = event.meetings[0].room = None
        add_meeting(
            session, event, requester=event.participants[1], recipient=event.participants[2]
        )

    accepted = client.post(
        f"/api/events/{running['event']}/schedule", json={"time_limit": 5}, headers=organiser
    )
    job = wait_for_api_job(client, accepted.headers["Location"], organiser)
    result = job["result"]
    meetings = _ok(client.get(f"/api/events/{running['event']}/meetings", headers=organiser))

    assert (accepted.status_code, accepted.json()["state"]) == (202, "queued")
    assert (job["kind"], job["state"], job["attempts"], job["error"]) == (
        "schedule.solve",
        "succeeded",
        1,
        None,
    )
    assert result["link"] == f"/events/{running['event']}/manage"
    assert {k: result[k] for k in ("status", "placed", "meetings", "unplaced", "breaks")} == {
        "status": "optimal",
        "placed": 2,
        "meetings": 2,
        "unplaced": [],
        "breaks": 0,
    }
    # Both meetings share a participant, so no break means two slots in a row; two searches
    # run at once and either optimal pair of slots may come first.
    starts = sorted(datetime.fromisoformat(m["starts_at"]) for m in meetings)
    assert starts[1] - starts[0] == timedelta(minutes=20)
    assert starts[0].date().isoformat() == "2025-03-10"


def test_schedule_all_is_for_the_organiser(
    client: TestClient, people: dict[str, Headers], running: dict[str, Any]
) -> None:
    response = client.post(f"/api/events/{running['event']}/schedule", headers=people["wanda"])

    assert response.status_code == 403


def test_unavailability_priority_fairness_and_reminders_through_the_api(
    client: TestClient, organiser: Headers, people: dict[str, Headers], running: dict[str, Any]
) -> None:
    base = f"/api/events/{running['event']}"

    own = _ok(
        client.put(
            f"{base}/participants/{running['carl']}/unavailability",
            json={"unavailable_slots": [3, 2]},
            headers=people["carl"],
        )
    )
    by_organiser = _ok(
        client.put(
            f"{base}/participants/{running['bob']}/unavailability",
            json={"unavailable_slots": [3]},
            headers=organiser,
        )
    )
    not_yours = client.put(
        f"{base}/participants/{running['bob']}/unavailability",
        json={"unavailable_slots": []},
        headers=people["wanda"],
    )
    out_of_range = client.put(
        f"{base}/participants/{running['carl']}/unavailability",
        json={"unavailable_slots": [4]},
        headers=people["carl"],
    )
    priority = _ok(
        client.put(
            f"{base}/meetings/{running['meeting']}/priority",
            json={"priority": 4},
            headers=organiser,
        )
    )
    too_high = client.put(
        f"{base}/meetings/{running['meeting']}/priority", json={"priority": 6}, headers=organiser
    )
    fair = _ok(client.patch(base, json={"fairness": 1}, headers=organiser))
    unfair = _ok(client.patch(base, json={"fairness": None}, headers=organiser))
    early = client.post(f"{base}/reminders", headers=organiser)
    _ok(client.post(f"{base}/publish", headers=organiser))
    reminded = _ok(client.post(f"{base}/reminders", json={"within_hours": 168}, headers=organiser))

    assert (own["unavailable_slots"], by_organiser["unavailable_slots"]) == ([2, 3], [3])
    assert not_yours.status_code == 403
    assert out_of_range.status_code == 422
    assert [(e["field"], e["reason"]) for e in out_of_range.json()["errors"]] == [
        ("unavailable_slots", "4: the event's slots are 1 to 3")
    ]
    assert (priority["priority"], priority["sequence"]) == (4, 0)
    assert too_high.status_code == 422
    assert (fair["fairness"], unfair["fairness"]) == (1, None)
    assert (early.status_code, early.json()["message"]) == (
        409,
        "Publish the agenda before sending reminders",
    )
    # The meeting is on 2025-03-10; "now" is the real clock, long after: nobody is due.
    assert reminded == {"reminded": []}


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"fairness": False}, [("fairness", "must be a whole number")]),
        ({"rooms": True}, [("rooms", "must be a whole number")]),
        ({"slot_minutes": "20"}, [("slot_minutes", "must be a whole number")]),
        ({"rooms": 2.0}, [("rooms", "must be a whole number")]),
    ],
)
def test_booleans_and_strings_are_not_numbers(
    client: TestClient,
    organiser: Headers,
    running: dict[str, Any],
    body: dict[str, Any],
    errors: list[tuple[str, str]],
) -> None:
    base = f"/api/events/{running['event']}"

    response = client.patch(base, json=body, headers=organiser)
    after = _ok(client.get(base, headers=organiser))

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == errors
    assert (after["fairness"], after["rooms"], after["slot_minutes"]) == (None, None, 20)


def test_a_boolean_time_limit_is_refused(
    client: TestClient, organiser: Headers, running: dict[str, Any]
) -> None:
    response = client.post(
        f"/api/events/{running['event']}/schedule", json={"time_limit": True}, headers=organiser
    )

    assert response.status_code == 422
    assert [(e["field"], e["reason"]) for e in response.json()["errors"]] == [
        ("time_limit", "must be a number")
    ]


def test_removing_a_session_unschedules_its_meetings_in_the_agenda(
    client: TestClient, app_state: AppState, organiser: Headers, running: dict[str, Any]
) -> None:
    url = f"/api/events/{running['event']}"
    with app_state.database.unit_of_work() as session:
        event = get_event(session, running["event"])
        assert event is not None
        later = SESSION_START + timedelta(hours=5)
        event.sessions.append(
            EventSession(name="Afternoon", starts_at=later, ends_at=later + timedelta(hours=1))
        )
    before = _ok(client.get(f"{url}/agenda", headers=organiser))
    session_id = _ok(client.get(url, headers=organiser))["sessions"][0]["id"]

    removed = _ok(client.delete(f"{url}/sessions/{session_id}", headers=organiser))
    after = _ok(client.get(f"{url}/agenda", headers=organiser))

    assert [item["meeting_id"] for item in before["items"]] == [running["meeting"]]
    assert ([row["name"] for row in removed["sessions"]], removed["slots"]) == (["Afternoon"], 3)
    assert removed["unscheduled_meeting_ids"] == [running["meeting"]]
    assert after["items"] == []


def test_fewer_rooms_than_a_slot_holds_unschedule_the_meetings_beyond(
    client: TestClient, app_state: AppState, organiser: Headers, running: dict[str, Any]
) -> None:
    # The QA of 2026-12-07: the slot kept two meetings for one room.
    base = f"/api/events/{running['event']}"
    with app_state.database.unit_of_work() as session:
        event = get_event(session, running["event"])
        assert event is not None
        dora = make_person(session, email="dora@example.org", name="Dora")
        org = make_organisation(session, name="Dora GmbH", type=OrgType.SME)
        other = add_meeting(
            session, event, requester=event.participants[2], starts_at=SESSION_START, room=2,
            recipient=add_participant(session, event, user=dora, organisation=org),
        ).id  # fmt: skip

    changed = _ok(client.patch(base, json={"rooms": 1}, headers=organiser))
    meetings = _ok(client.get(f"{base}/meetings", headers=organiser))

    assert (changed["rooms"], changed["unscheduled_meeting_ids"]) == (1, [other])
    assert sorted((m["id"], m["starts_at"], m["room"]) for m in meetings) == [
        (running["meeting"], "2025-03-10T08:00:00Z", 1),
        (other, None, None),
    ]
