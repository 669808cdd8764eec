"""The event pages: create, register, validate, request, answer, lock, agenda, report, access."""

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.models import Event, EventSession
from clusterbridge.db.repositories.events import get_event
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.domain.enums import (
    EventStatus,
    MeetingStatus,
    OrgType,
    ParticipantStatus,
    UserRole,
)
from tests.factories.events import (
    SESSION_START,
    add_meeting,
    add_participant,
    make_event,
    make_person,
)
from tests.factories.organisations import add_member, make_organisation
from tests.querycount import count_queries
from tests.web.form_fields import form_fields, is_novalidate
from tests.web.helpers import csrf_token, sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]

ORGANISER = "olga@events.example"


@pytest.fixture
def people(app_state: AppState) -> None:
    with app_state.database.unit_of_work() as session:
        make_person(session, email=ORGANISER, name="Olga Organiser", role=UserRole.EVENT_ORGANISER)
        for name in ("wanda", "bob"):
            make_person(session, email=f"{name}@example.org", name=name.title())


@pytest.fixture
def running(app_state: AppState, people: None) -> dict[str, int]:
    """An open event: Wanda (needs sensors) and Bob (offers sensors) validated."""
    with app_state.database.unit_of_work() as session:
        organiser = get_user_by_email(session, ORGANISER)
        assert organiser is not None
        event = make_event(session, organiser=organiser)
        ids = {"event": event.id}
        for name, offers, needs in (("wanda", "looms", "sensors"), ("bob", "sensors", "")):
            user = get_user_by_email(session, f"{name}@example.org")
            assert user is not None
            org = make_organisation(session, name=f"{name.title()} GmbH", type=OrgType.SME)
            ids[name] = add_participant(
                session, event, user=user, organisation=org, offers=offers, needs=needs
            ).id
        return ids


def _htmx(client: TestClient, page: str) -> dict[str, str]:
    return {"HX-Request": "true", "X-CSRF-Token": csrf_token(client, page)}


def _post(
    client: TestClient, url: str, data: dict[str, str] | None = None, page: str = "/events"
) -> Any:
    return client.post(
        url, data={**(data or {}), "csrf_token": csrf_token(client, page)}, follow_redirects=False
    )


def test_an_organiser_creates_an_event_with_its_first_session(
    client: TestClient, app_state: AppState, people: None
) -> None:
    sign_in(client, ORGANISER)
    form = {
        "name": "Textile meets Tech",
        "time_zone": "Europe/Brussels",
        "slot_minutes": "20",
        "room_link_template": "https://meet.example.org/{event}-{meeting}",
        "request_mode": "accept_decline",
        "request_expiry_hours": "48",
        "rooms": "",
        "session_name": "Morning",
        "session_date": "2025-03-10",
        "session_start": "09:00",
        "session_end": "10:00",
    }

    response = _post(client, "/events", form)

    assert response.status_code == 303
    event_id = int(response.headers["location"].split("/")[2])
    page = client.get(f"/events/{event_id}/manage")
    assert "3 slots" in page.text
    assert "Morning: Mon 10 Mar 2025 09:00–10:00" in page.text


def test_a_bad_event_form_names_each_field(client: TestClient, people: None) -> None:
    sign_in(client, ORGANISER)

    shown = dict(form_fields(client.get("/events").text, "/events"))
    typed = {"name": "X", "slot_minutes": "twenty", "session_date": "10/03/2025"}

    response = _post(client, "/events", shown | typed)

    assert response.status_code == 422
    assert re.findall(r'class="field-error" id="([^"]+)">([^<]+)<', response.text) == [
        ("event-slot_minutes-error", "&#34;twenty&#34; is not a whole number"),
        ("session_date-error", "&#34;10/03/2025&#34; is not a date such as 2025-03-10"),
    ]


def test_negative_or_huge_settings_are_told_their_range(
    client: TestClient, running: dict[str, int]
) -> None:
    sign_in(client, ORGANISER)
    manage = f"/events/{running['event']}/manage"

    response = _post(
        client,
        f"/events/{running['event']}/settings",
        {
            "name": "Textile meets Tech",
            "time_zone": "Europe/Brussels",
            "slot_minutes": "-5",
            "room_link_template": "https://meet.example.org/{event}-{meeting}",
            "request_mode": "accept_decline",
            "request_expiry_hours": "999999999999999999999",
            "rooms": "-2",
        },
        manage,
    )

    assert response.status_code == 422
    assert re.findall(r'class="field-error" id="([^"]+)">([^<]+)<', response.text) == [
        ("event-slot_minutes-error", "must be 5 to 240 minutes, not -5"),
        (
            "event-request_expiry_hours-error",
            "must be 1 to 8760, or empty for no limit; not 999999999999999999999",
        ),
        ("event-rooms-error", "must be 1 to 1000, or empty for no limit; not -2"),
    ]


def test_settings_with_a_number_unread_name_every_other_mistake_too(
    client: TestClient, running: dict[str, int]
) -> None:
    sign_in(client, ORGANISER)
    manage = f"/events/{running['event']}/manage"
    shown = dict(form_fields(client.get(manage).text, f"/events/{running['event']}/settings"))
    typed = {
        "name": "",
        "time_zone": "Mars/Olympus",
        "slot_minutes": "twenty",
        "room_link_template": "ftp://meet.example.org/{meeting}",
        "rooms": "-2",
    }

    response = _post(client, f"/events/{running['event']}/settings", shown | typed, manage)

    assert response.status_code == 422
    assert re.findall(r'class="field-error" id="([^"]+)">([^<]+)<', response.text) == [
        ("event-name-error", "is required"),
        (
            "event-time_zone-error",
            "&#34;Mars/Olympus&#34; is not a known time zone; use a name such as Europe/Brussels",
        ),
        ("event-slot_minutes-error", "&#34;twenty&#34; is not a whole number"),
        (
            "event-room_link_template-error",
            "must be an address starting with https:// (or http://)",
        ),
        ("event-rooms-error", "must be 1 to 1000, or empty for no limit; not -2"),
    ]


def test_an_event_form_reports_every_mistake_at_once_and_keeps_what_was_typed(
    client: TestClient, people: None
) -> None:
    sign_in(client, ORGANISER)
    form = {
        "name": "",
        "time_zone": "Europe/Nowhere",
        "slot_minutes": "twenty",
        "room_link_template": "https://meet.example.org/{nope}",
        "session_name": "Morning",
        "session_date": "",
        "session_start": "09:00",
        "session_end": "10:00",
        "fairness": "3",
    }

    response = _post(client, "/events", form)

    assert response.status_code == 422
    summary = re.search(r'data-testid="page-error">(.*?)</div>', response.text, re.S)
    assert summary is not None
    # Each problem links to the error beside its field (the walk of 2026-12-07: plain text).
    assert re.findall(
        r'<li><a href="#([^"]+)" data-field="([^"]+)">([^<]+)</a></li>', summary.group(1)
    ) == [
        (
            "event-slot_minutes-error",
            "slot_minutes",
            "Meeting length in minutes: &#34;twenty&#34; is not a whole number",
        ),
        ("session_date-error", "session_date", "Date: enter a date such as 2025-03-10"),
        ("event-name-error", "name", "Name: is required"),
        (
            "event-time_zone-error",
            "time_zone",
            "Time zone: &#34;Europe/Nowhere&#34; is not a known time zone; use a name such as "
            "Europe/Brussels",
        ),
        (
            "event-room_link_template-error",
            "room_link_template",
            "Virtual room link: &#34;{nope}&#34; is not a placeholder; use {event}, {meeting}, {room}",
        ),
    ]
    for anchor in re.findall(r'href="#([^"]+-error)"', summary.group(1)):
        assert f'id="{anchor}"' in response.text
    assert '<option value="Europe/Nowhere" selected>Europe/Nowhere</option>' in response.text
    assert 'name="fairness" type="number" value="3"' in response.text
    assert 'name="session_start" type="time" value="09:00"' in response.text


def test_members_see_no_create_form(client: TestClient, people: None) -> None:
    sign_in(client, "wanda@example.org")

    page = client.get("/events")

    assert 'data-testid="create-event"' not in page.text
    assert 'data-testid="no-events"' in page.text


def test_registering_names_every_bad_field_at_once_and_keeps_the_text(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        make_person(session, email="carl@example.org", name="Carl")
    sign_in(client, "carl@example.org")
    url = f"/events/{running['event']}"
    offers = "wool " * 401

    response = _post(
        client,
        f"{url}/register",
        {"offers": offers, "needs": "dyes", "time_zone": "Mars/Olympus"},
        page=url,
    )

    assert response.status_code == 422
    assert re.findall(r'<p class="field-error"[^>]*>([^<]+)</p>', response.text) == [
        "choose your organisation: search the registry for it above",
        "must be at most 2,000 characters, not 2,004",
        "&#34;Mars/Olympus&#34; is not a known time zone; use a name such as Europe/Brussels",
    ]
    assert f">{offers}</textarea>" in response.text
    assert ">dyes</textarea>" in response.text


def test_registering_needs_an_organisation_and_then_waits(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        carl = make_person(session, email="carl@example.org", name="Carl")
        textiles = make_organisation(session, name="Carl Textiles", type=OrgType.SME)
        add_member(session, textiles, carl)
        org_id = textiles.id
    sign_in(client, "carl@example.org")
    url = f"/events/{running['event']}"

    missing = _post(client, f"{url}/register", {"offers": "wool"}, page=url)
    found = client.get(f"{url}/organisations", params={"q": "carl textiles"})
    done = _post(
        client, f"{url}/register", {"organisation_id": str(org_id), "offers": "wool"}, page=url
    )

    # The walk of 2026-12-07: "must not be empty", beside a search box and no field.
    assert missing.status_code == 422
    assert (
        '<p class="field-error" id="organisation_id-error" data-testid="error-organisation_id">'
        "choose your organisation above, "
        "or search the registry for another</p>" in missing.text
    )
    assert f'value="{org_id}"' in found.text
    assert done.status_code == 303
    assert "You are registered for <strong>Carl Textiles</strong>" in client.get(url).text


def test_the_organiser_validates_through_htmx(
    client: TestClient, app_state: AppState, running: dict[str, int], data_dir: Path
) -> None:
    with app_state.database.unit_of_work() as session:
        event = get_event(session, running["event"])
        assert event is not None
        event.participants[0].status = ParticipantStatus.PENDING
    sign_in(client, ORGANISER)
    url = f"/events/{running['event']}"

    response = client.post(
        f"{url}/participants/{running['wanda']}/validate", headers=_htmx(client, f"{url}/manage")
    )

    assert response.status_code == 200
    assert response.text.startswith('<section id="manage-participants"')
    assert 'data-organisation="Wanda GmbH" data-status="validated"' in response.text
    assert [p.name for p in (data_dir / "mail").glob("*.eml")] != []


def test_a_refused_meeting_request_shows_the_shared_summary_and_the_error_beside_the_message(
    client: TestClient, running: dict[str, int]
) -> None:
    url = f"/events/{running['event']}"
    bob = running["bob"]
    sign_in(client, "wanda@example.org")
    too_long = {"recipient_id": str(bob), "message": "x" * 1001}

    card = client.post(
        f"{url}/meetings", data=too_long, headers=_htmx(client, f"{url}/participants")
    )
    page = _post(client, f"{url}/meetings", too_long, page=f"{url}/participants")
    unknown = _post(
        client,
        f"{url}/meetings",
        {"recipient_id": "999999", "message": "Hello"},
        page=f"{url}/participants",
    )

    reason = "must be at most 1,000 characters, not 1,001"
    for response in (card, page):
        assert response.status_code == 422
        assert _summaries(response.text) == [[f"Message: {reason}"]]
        assert re.findall(
            r'<textarea id="message-(\d+)"[^>]*aria-invalid="true"', response.text
        ) == [str(bob)]
        assert f'aria-describedby="message-{bob}-error">{"x" * 1001}</textarea>' in response.text
        assert re.findall(
            r'<p class="field-error" id="([^"]+)"[^>]*>([^<]+)</p>', response.text
        ) == [(f"message-{bob}-error", reason)]
    assert card.text.startswith(f'<li class="card participant-card" id="participant-{bob}"')
    assert unknown.status_code == 422
    assert _summaries(unknown.text) == [["Participant: 999999 is not a participant of this event"]]
    assert 'aria-invalid="true"' not in unknown.text


def _summaries(html: str) -> list[list[str]]:
    """The items of each shared error summary on ``html``."""
    return [
        re.findall(r"<li>(?:<a [^>]+>)?([^<]+)(?:</a>)?</li>", found)
        for found in re.findall(r'data-testid="refused-summary">(.*?)</div>', html, re.S)
    ]


def test_request_and_accept_through_htmx(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    url = f"/events/{running['event']}"
    sign_in(client, "wanda@example.org")

    listing = client.get(f"{url}/participants")
    card = client.post(
        f"{url}/meetings",
        data={"recipient_id": str(running["bob"]), "message": "Sensors?"},
        headers=_htmx(client, f"{url}/participants"),
    )
    client.post("/sign-out", data={"csrf_token": csrf_token(client, url)})
    sign_in(client, "bob@example.org")
    inbox = client.get(f"{url}/meetings")
    meeting_id = int(re.search(r"/meetings/(\d+)/accept", inbox.text).group(1))  # type: ignore[union-attr]
    answered = client.post(
        f"{url}/meetings/{meeting_id}/accept", headers=_htmx(client, f"{url}/meetings")
    )

    assert (
        'data-testid="suggestion"><strong>Suggested</strong> (3 match points): offers what you look for: sensors'
        in listing.text
    )
    assert card.text.startswith(
        f'<li class="card participant-card" id="participant-{running["bob"]}"'
    )
    assert 'data-request="requested"' in card.text
    assert "<blockquote>Sensors?</blockquote>" in inbox.text
    assert answered.text.startswith('<div id="my-meetings"')
    assert (
        'data-testid="accepted-meeting" data-with="Wanda GmbH" data-status="accepted"'
        in answered.text
    )
    assert 'data-testid="no-incoming"' in answered.text


def test_requesting_a_meeting_with_oneself_is_refused(
    client: TestClient, running: dict[str, int]
) -> None:
    url = f"/events/{running['event']}"
    sign_in(client, "wanda@example.org")

    response = client.post(
        f"{url}/meetings",
        data={"recipient_id": str(running["wanda"])},
        headers=_htmx(client, f"{url}/participants"),
    )

    assert response.status_code == 422
    assert "you cannot request a meeting with yourself" in response.text


def test_locking_into_a_slot_out_of_range_shows_the_reason(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        event = get_event(session, running["event"])
        assert event is not None
        meeting_id = add_meeting(
            session, event, requester=event.participants[0], recipient=event.participants[1]
        ).id
    url = f"/events/{running['event']}"
    sign_in(client, ORGANISER)

    refused = client.post(
        f"{url}/meetings/{meeting_id}/lock",
        data={"slot": "7"},
        headers=_htmx(client, f"{url}/manage"),
    )
    locked = client.post(
        f"{url}/meetings/{meeting_id}/lock",
        data={"slot": "2"},
        headers=_htmx(client, f"{url}/manage"),
    )

    assert refused.status_code == 422
    assert (
        'data-testid="lock-error">must be between 1 and 3 (the event&#39;s slots), not 7</p>'
        in refused.text
    )
    assert (
        f'data-meeting="{meeting_id}" data-status="accepted" data-slot="2" data-locked="yes"'
        in locked.text
    )


def test_published_agenda_and_calendar_download(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        event = get_event(session, running["event"])
        assert event is not None
        add_meeting(
            session,
            event,
            requester=event.participants[0],
            recipient=event.participants[1],
            starts_at=SESSION_START,
        )
        event.status, event.published_at = EventStatus.PUBLISHED, SESSION_START
    url = f"/events/{running['event']}"
    sign_in(client, "bob@example.org")

    agenda = client.get(f"{url}/agenda")
    ics = client.get(f"{url}/agenda.ics")

    assert (
        '<td data-label="Time" data-testid="agenda-time">Mon 10 Mar 09:00–09:20</td>' in agenda.text
    )
    assert re.findall(r'data-testid="agenda-slot">([^<]+)<', agenda.text) == ["Slot 1"]
    assert (
        ics.headers["content-disposition"]
        == f'attachment; filename="event-{running["event"]}-agenda.ics"'
    )
    assert "SUMMARY:Meeting with Wanda GmbH\r\n" in ics.text


def test_the_report_draws_its_charts(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        event = get_event(session, running["event"])
        assert event is not None
        add_meeting(
            session,
            event,
            requester=event.participants[0],
            recipient=event.participants[1],
            status=MeetingStatus.DECLINED,
        )
    sign_in(client, ORGANISER)

    page = client.get(f"/events/{running['event']}/report")

    assert '<dd data-testid="report-acceptance">0 %</dd>' in page.text
    assert page.text.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 3
    assert 'data-label="Declined" data-value="1"' in page.text


def test_participants_may_not_manage(client: TestClient, running: dict[str, int]) -> None:
    sign_in(client, "wanda@example.org")

    response = client.get(f"/events/{running['event']}/manage")

    assert response.status_code == 403


def test_event_pages_need_signing_in(client: TestClient, running: dict[str, int]) -> None:
    response = client.get(f"/events/{running['event']}", follow_redirects=False)

    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/sign-in?next=/events/{running['event']}",
    )


@pytest.mark.parametrize("count", [1, 3])
def test_the_event_list_needs_a_constant_number_of_queries(
    client: TestClient, app_state: AppState, people: None, count: int
) -> None:
    with app_state.database.unit_of_work() as session:
        organiser = get_user_by_email(session, ORGANISER)
        assert organiser is not None
        for number in range(count):
            make_event(session, organiser=organiser, name=f"Event {number}")
    sign_in(client, "wanda@example.org")

    with count_queries(app_state.database.engine) as log:
        page = client.get("/events")

    assert page.text.count('data-testid="event-row"') == count
    assert log.count == 5


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("path", ["participants", "meetings", "manage"])
def test_event_list_pages_need_a_constant_number_of_queries(
    client: TestClient, app_state: AppState, running: dict[str, int], count: int, path: str
) -> None:
    with app_state.database.unit_of_work() as session:
        event = get_event(session, running["event"])
        assert event is not None
        wanda = event.participants[0]
        for number in range(count):
            user = make_person(session, email=f"p{number}@example.org", name=f"P{number}")
            org = make_organisation(session, name=f"Company {number}", type=OrgType.SME)
            other = add_participant(session, event, user=user, organisation=org, offers="sensors")
            add_meeting(
                session, event, requester=other, recipient=wanda, status=MeetingStatus.REQUESTED
            )
    sign_in(client, ORGANISER if path == "manage" else "wanda@example.org")

    with count_queries(app_state.database.engine) as log:
        page = client.get(f"/events/{running['event']}/{path}")

    assert page.status_code == 200
    assert log.count == {"participants": 11, "meetings": 11, "manage": 11}[path]


def test_a_participant_ticks_the_slots_they_cannot_meet_in(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    sign_in(client, "wanda@example.org")
    event = running["event"]
    page = f"/events/{event}"

    saved = client.post(
        f"{page}/unavailability",
        data={"slots": ["1", "3"], "csrf_token": csrf_token(client, page)},
        follow_redirects=False,
    )
    shown = client.get(page)
    wrong = client.post(
        f"{page}/unavailability",
        data={"slots": ["4", "x"], "csrf_token": csrf_token(client, page)},
        follow_redirects=False,
    )

    assert (saved.status_code, saved.headers["location"]) == (303, f"{page}#availability")
    ticked = re.findall(r'value="(\d)" data-testid="unavailable-slot" checked', shown.text)
    assert ticked == ["1", "3"]
    assert wrong.status_code == 422
    assert "&#34;x&#34; is not a whole number" in wrong.text
    with app_state.database.unit_of_work() as session:
        row = get_event(session, event)
        assert row is not None
        assert [len(p.unavailable) for p in row.participants] == [2, 0]


def test_the_organiser_sets_priorities_fairness_and_unavailability(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        row = get_event(session, running["event"])
        assert row is not None
        meeting = add_meeting(
            session, row, requester=row.participants[0], recipient=row.participants[1]
        ).id
    sign_in(client, ORGANISER)
    manage = f"/events/{running['event']}/manage"

    panel = client.post(
        f"/events/{running['event']}/meetings/{meeting}/priority",
        data={"priority": "4"},
        headers=_htmx(client, manage),
    )
    too_high = client.post(
        f"/events/{running['event']}/meetings/{meeting}/priority",
        data={"priority": "9"},
        headers=_htmx(client, manage),
    )
    participants = client.post(
        f"/events/{running['event']}/unavailability/{running['bob']}",
        data={"slots": ["2"]},
        headers=_htmx(client, manage),
    )
    settings = _post(
        client,
        f"/events/{running['event']}/settings",
        {
            "name": "Textile meets Tech",
            "time_zone": "Europe/Brussels",
            "slot_minutes": "20",
            "room_link_template": "https://meet.example.org/{event}-{meeting}",
            "request_mode": "accept_decline",
            "request_expiry_hours": "72",
            "fairness": "1",
        },
        manage,
    )

    assert 'data-priority="4"' in panel.text
    assert too_high.status_code == 422
    assert "must be 1 (normal) to 5, not 9" in too_high.text
    assert (
        '<summary>slots 2 <span class="muted">(change<span class="visually-hidden"> the slots '
        "Bob GmbH cannot meet in</span>)</span></summary>"
    ) in participants.text
    assert settings.status_code == 303
    assert 'data-testid="event-fairness"' in client.get(manage).text
    with app_state.database.unit_of_work() as session:
        row = get_event(session, running["event"])
        assert row is not None
        assert (row.fairness, row.meetings[0].priority) == (1, 4)


def test_the_organiser_sends_reminders_once_published(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        row = get_event(session, running["event"])
        assert row is not None
        add_meeting(
            session,
            row,
            requester=row.participants[0],
            recipient=row.participants[1],
            starts_at=SESSION_START,
        )
    sign_in(client, ORGANISER)
    manage = f"/events/{running['event']}/manage"
    before = client.get(manage)
    _post(client, f"/events/{running['event']}/publish", page=manage)

    sent = _post(client, f"/events/{running['event']}/reminders", {"within_hours": "24"}, manage)
    after = client.get(manage)

    assert 'data-testid="send-reminders"' not in before.text
    assert sent.status_code == 303
    # The session was in March 2025, long before the real clock: nobody has a meeting soon.
    assert (
        "0 reminders sent. Nobody has a meeting in the next 24 hours who was not reminded already."
        in after.text
    )


def test_publishing_asks_first_and_a_look_changes_nothing(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    sign_in(client, ORGANISER)
    event = running["event"]

    manage = client.get(f"/events/{event}/manage")
    confirm = client.get(f"/events/{event}/publish")

    assert f'href="/events/{event}/publish" data-testid="publish"' in manage.text
    assert confirm.status_code == 200
    assert re.sub(r"\s+", " ", re.findall(r"<p>(.*?)</p>", confirm.text, re.S)[0]) == (
        "2 participants will receive an e-mail with their agenda (0 scheduled meetings). "
        "Once published, the sessions can no longer be changed."
    )
    assert f'<form method="post" action="/events/{event}/publish"' in confirm.text
    with app_state.database.unit_of_work() as session:
        row = get_event(session, event)
        assert row is not None
        assert row.status is EventStatus.OPEN


def test_cancelling_a_meeting_asks_first_then_cancels(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        row = get_event(session, running["event"])
        assert row is not None
        meeting_id = add_meeting(
            session, row, requester=row.participants[0], recipient=row.participants[1]
        ).id
    sign_in(client, "wanda@example.org")
    url = f"/events/{running['event']}/meetings/{meeting_id}/cancel"

    confirm = client.get(url)
    cancelled = _post(client, url, page=url)

    assert confirm.status_code == 200
    assert "<h1>Cancel your meeting with Bob GmbH?</h1>" in confirm.text
    assert cancelled.status_code == 303
    with app_state.database.unit_of_work() as session:
        row = get_event(session, running["event"])
        assert row is not None
        assert [m.status for m in row.meetings] == [MeetingStatus.CANCELLED]
    assert client.get(url).status_code == 404


def test_removing_a_session_asks_first_and_unschedules_its_meetings(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    event = running["event"]
    with app_state.database.unit_of_work() as session:
        row = get_event(session, event)
        assert row is not None
        session_id = row.sessions[0].id
        later = SESSION_START + timedelta(hours=5)
        row.sessions.append(
            EventSession(name="Afternoon", starts_at=later, ends_at=later + timedelta(hours=1))
        )
        wanda, bob = row.participants
        add_meeting(session, row, requester=wanda, recipient=bob, starts_at=SESSION_START)
    sign_in(client, ORGANISER)
    manage = client.get(f"/events/{event}/manage")
    before = client.get(f"/events/{event}/agenda")

    confirm = client.get(f"/events/{event}/sessions/{session_id}/remove")
    unchanged = client.get(f"/events/{event}/agenda")
    removed = _post(
        client, f"/events/{event}/sessions/{session_id}/remove", page=f"/events/{event}/manage"
    )
    after_manage = client.get(f"/events/{event}/manage")
    after = client.get(f"/events/{event}/agenda")
    ics = client.get(f"/events/{event}/agenda.ics")

    link = f'href="/events/{event}/sessions/{session_id}/remove" data-testid="remove-session"'
    assert f"{link}>Remove “Session 1”…</a>" in manage.text
    assert re.findall(r'data-testid="agenda-item"', before.text) == ['data-testid="agenda-item"']
    assert confirm.status_code == 200
    assert (
        re.sub(r"\s+", " ", confirm.text).count(
            "1 meeting scheduled in this session will lose its slot."
        )
        == 1
    )
    assert "09:00 · Wanda GmbH – Bob GmbH</li>" in confirm.text
    assert f'<form method="post" action="/events/{event}/sessions/{session_id}/remove"' in (
        confirm.text
    )
    assert unchanged.text.count('data-testid="agenda-item"') == 1
    assert removed.status_code == 303
    assert (
        '<p class="notice success" data-testid="schedule-result">Session &#34;Session 1&#34; '
        "removed. 1 meeting scheduled in it lost its slot: schedule again to place it.</p>"
    ) in after_manage.text
    assert 'data-testid="remove-session">Remove “Session 1”' not in after_manage.text
    assert 'data-testid="agenda-item"' not in after.text
    # A calendar that imported the meeting removes it: it is listed once, as cancelled.
    assert re.findall(r"DTSTART:(\w+)\r\n(?:.*\r\n)*?STATUS:(\w+)", ics.text) == [
        ("20250310T080000Z", "CANCELLED")
    ]
    with app_state.database.unit_of_work() as session:
        row = get_event(session, event)
        assert row is not None
        assert [(m.starts_at, m.room, m.sequence) for m in row.meetings] == [(None, None, 1)]


def test_new_events_and_sessions_in_the_past_or_too_short_are_refused(
    client: TestClient, running: dict[str, int]
) -> None:
    sign_in(client, ORGANISER)
    event = running["event"]
    shown = dict(form_fields(client.get("/events").text, "/events"))
    form = shown | {"name": "Old", "slot_minutes": "20", "session_date": "2019-05-01"}
    session_form = {
        "session_name": "Short",
        "session_date": "2025-03-11",
        "session_start": "09:00",
        "session_end": "09:10",
    }

    created = _post(client, "/events", form)
    added = _post(client, f"/events/{event}/sessions", session_form, page=f"/events/{event}/manage")

    assert created.status_code == 422
    assert re.findall(r'class="field-error" id="([^"]+)">([^<]+)<', created.text) == [
        (
            "session_date-error",
            "must not be in the past: 01 May 2019 is before today, 01 December 2024",
        ),
    ]
    assert added.status_code == 422
    assert re.findall(r'class="field-error" id="([^"]+)">([^<]+)<', added.text) == [
        (
            "session_end-error",
            "the session is 10 minutes long, shorter than one 20-minute meeting: "
            "end it later or shorten the slots",
        ),
    ]
    # The summary above the page names the field by its label, as beside it ("To", not "End").
    summary = re.search(r'data-testid="page-error">(.*?)</div>', added.text, re.S)
    assert summary is not None
    assert re.findall(
        r'<li><a href="#session_end-error" data-field="session_end">([^<]+)</a></li>',
        summary.group(1),
    ) == [
        "To: the session is 10 minutes long, shorter than one 20-minute meeting: "
        "end it later or shorten the slots"
    ]


def test_opening_registration_without_a_slot_says_why_on_the_page(
    client: TestClient, app_state: AppState, people: None
) -> None:
    with app_state.database.unit_of_work() as session:
        organiser = get_user_by_email(session, ORGANISER)
        assert organiser is not None
        event = make_event(session, organiser=organiser, status=EventStatus.DRAFT, sessions=()).id
    sign_in(client, ORGANISER)

    response = _post(client, f"/events/{event}/open", page=f"/events/{event}/manage")

    assert response.status_code == 422
    assert 'data-testid="event-title"' in response.text
    summary = re.search(r'data-testid="page-error">(.*?)</div>', response.text, re.S)
    assert summary is not None
    assert summary.group(1) == (
        "<p><strong>Registration cannot open</strong></p>"
        "<ul><li>Sessions: add a session at least one slot long first</li></ul>"
    )


def test_the_organisers_agenda_speaks_of_the_event_not_of_you(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    sign_in(client, ORGANISER)
    event = running["event"]

    empty = client.get(f"/events/{event}/agenda")
    with app_state.database.unit_of_work() as session:
        row = get_event(session, event)
        assert row is not None
        wanda, bob = row.participants
        add_meeting(session, row, requester=wanda, recipient=bob, starts_at=SESSION_START)
    full = client.get(f"/events/{event}/agenda")

    assert "for you" not in empty.text
    assert "Add to my calendar" not in empty.text
    assert 'data-testid="download-ics"' not in empty.text
    assert re.findall(r'data-testid="empty-agenda">(.*?)</td>', empty.text) == [
        "No meeting of this event is scheduled yet: once meetings are accepted, schedule them "
        f'on the <a href="/events/{event}/manage">management page</a>.'
    ]
    assert re.findall(r'data-testid="download-ics" download>([^<]+)<', full.text) == [
        "All meetings of the event (.ics)"
    ]


def test_fewer_rooms_than_a_slot_holds_say_how_many_meetings_lost_their_slot(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    # The QA of 2026-12-07: the 09:00 slot kept its two meetings for the one room left.
    event = running["event"]
    with app_state.database.unit_of_work() as session:
        row = get_event(session, event)
        assert row is not None
        wanda, bob = row.participants
        pairs = []
        for name in ("carl", "dora"):
            user = make_person(session, email=f"{name}@example.org", name=name.title())
            org = make_organisation(session, name=f"{name.title()} GmbH", type=OrgType.SME)
            pairs.append(add_participant(session, row, user=user, organisation=org))
        kept = add_meeting(session, row, requester=wanda, recipient=bob, starts_at=SESSION_START)
        lost = add_meeting(session, row, requester=pairs[0], recipient=pairs[1],
                           starts_at=SESSION_START, room=2)  # fmt: skip
        ids = (kept.id, lost.id)
    sign_in(client, ORGANISER)
    manage = f"/events/{event}/manage"
    form = {
        "name": "Textile meets Tech", "time_zone": "Europe/Brussels", "slot_minutes": "20",
        "room_link_template": "https://meet.example.org/{event}-{meeting}",
        "request_mode": "accept_decline", "request_expiry_hours": "72", "rooms": "1",
    }  # fmt: skip

    saved = _post(client, f"/events/{event}/settings", form, manage)
    after = client.get(manage).text

    assert saved.status_code == 303
    assert re.findall(r'data-testid="schedule-result">([^<]*)<', after) == [
        "Settings saved. 1 meeting lost its slot: schedule again to place it."
    ]
    with app_state.database.unit_of_work() as session:
        row = get_event(session, event)
        assert row is not None
        assert sorted((m.id, m.room) for m in row.meetings) == [(ids[0], 1), (ids[1], None)]


def test_cleared_settings_are_refused_beside_their_fields_not_replaced_by_defaults(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    event = running["event"]
    sign_in(client, ORGANISER)
    manage = f"/events/{event}/manage"
    shown = dict(form_fields(client.get(manage).text, f"/events/{event}/settings"))
    settings = f"/events/{event}/settings"

    no_length = _post(client, settings, shown | {"slot_minutes": "", "name": "New"}, manage)
    no_link = _post(client, settings, shown | {"room_link_template": "", "name": "New"}, manage)
    never = _post(client, settings, shown | {"request_expiry_hours": ""}, manage)

    assert (no_length.status_code, no_link.status_code) == (422, 422)
    refused = no_length.text + no_link.text
    assert re.findall(r'class="field-error" id="([^"]+)">([^<]+)<', refused) == [
        ("event-slot_minutes-error", "must not be empty"),
        (
            "event-room_link_template-error",
            "must be an address starting with https:// (or http://)",
        ),
    ]
    # The help says "Empty: never.": an emptied expiry is saved as none, not as 72 hours.
    assert never.status_code == 303
    with app_state.database.unit_of_work() as session:
        row = get_event(session, event)
        assert row is not None
        assert (row.name, row.slot_minutes, row.room_link_template, row.request_expiry_hours) == (
            shown["name"],
            20,
            "https://meet.example.org/{event}-{meeting}",
            None,
        )


def test_a_new_event_with_its_session_times_cleared_is_refused(
    client: TestClient, app_state: AppState, people: None
) -> None:
    sign_in(client, ORGANISER)
    shown = dict(form_fields(client.get("/events").text, "/events"))
    assert (shown["slot_minutes"], shown["session_name"], shown["session_start"]) == (
        "20",
        "Meetings",
        "09:00",
    )
    typed = {"name": "Textile meets Tech", "session_date": "2025-03-10"}
    cleared = {"session_name": "", "session_start": "", "session_end": ""}

    response = _post(client, "/events", shown | typed | cleared)

    assert response.status_code == 422
    assert re.findall(r'class="field-error" id="([^"]+)">([^<]+)<', response.text) == [
        ("session_name-error", "is required"),
        ("session_start-error", "enter a time such as 09:00"),
        ("session_end-error", "enter a time such as 12:00"),
    ]
    with app_state.database.unit_of_work() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_reminders_with_the_hours_cleared_are_refused(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    with app_state.database.unit_of_work() as session:
        row = get_event(session, running["event"])
        assert row is not None
        add_meeting(session, row, requester=row.participants[0],
                    recipient=row.participants[1], starts_at=SESSION_START)  # fmt: skip
    sign_in(client, ORGANISER)
    manage = f"/events/{running['event']}/manage"
    _post(client, f"/events/{running['event']}/publish", page=manage)

    refused = _post(client, f"/events/{running['event']}/reminders", {"within_hours": ""}, manage)

    assert refused.status_code == 422
    assert re.findall(r'class="field-error" id="([^"]+)">([^<]+)<', refused.text) == [
        ("reminder-hours-error", "must not be empty")
    ]
    assert 'name="within_hours" type="number" min="1" max="168" value=""' in refused.text
    assert "reminders sent" not in client.get(manage).text


def test_reminders_the_browser_would_have_stopped_are_refused_by_the_page(
    client: TestClient, app_state: AppState, running: dict[str, int]
) -> None:
    # The hours field's bounds were checked by the browser, whose bubble gave no summary.
    with app_state.database.unit_of_work() as session:
        row = get_event(session, running["event"])
        assert row is not None
        add_meeting(session, row, requester=row.participants[0],
                    recipient=row.participants[1], starts_at=SESSION_START)  # fmt: skip
    sign_in(client, ORGANISER)
    manage, action = f"/events/{running['event']}/manage", f"/events/{running['event']}/reminders"
    _post(client, f"/events/{running['event']}/publish", page=manage)
    shown = client.get(manage).text

    refused = _post(client, action, {"within_hours": "500"}, manage)

    assert is_novalidate(shown, action)
    assert refused.status_code == 422
    assert re.findall(r'class="field-error" id="([^"]+)">([^<]+)<', refused.text) == [
        ("reminder-hours-error", "must be 1 to 168 hours, not 500")
    ]
    assert 'name="within_hours" type="number" min="1" max="168" value="500"' in refused.text
    assert "reminders sent" not in client.get(manage).text


def test_my_requests_say_which_time_zone_their_times_are_in(
    client: TestClient, running: dict[str, int]
) -> None:
    # A new participant read "Expires 10 Dec 2026 21:20" with no zone on this page.
    url = f"/events/{running['event']}"
    sign_in(client, "wanda@example.org")
    _post(
        client, f"{url}/meetings", {"recipient_id": str(running["bob"]), "message": "Sensors?"},
        page=f"{url}/participants",
    )  # fmt: skip

    page = client.get(f"{url}/meetings").text

    assert re.findall(r'<p class="muted" data-testid="times-zone">([^<]*)</p>', page) == [
        "Times are in Europe/Brussels."
    ]
