"""What the walk of the event flow of 2026-12-07 found on the participants' and the organiser's
pages: an action sent in place says what it did; buttons and fields repeated once per request,
participant or meeting name it for a screen reader's list; statuses read as words."""

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.db.repositories.events import get_event
from clusterbridge.domain.enums import EventStatus, MeetingStatus
from tests.conftest import Clock
from tests.factories.events import (
    RULES_ORGANISER,
    SESSION_END,
    SESSION_START,
    add_meeting,
    make_participants,
    make_rules_world,
)
from tests.web.helpers import csrf_token, sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]

ANSWERED = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
#: The line an action's answer starts with, and which takes the focus (static/app.js).
DONE = re.compile(
    r'<p class="notice" role="status" tabindex="-1" data-takes-focus '
    r'data-testid="meetings-done">([^<]*)</p>'
)


@pytest.fixture
def world(app_state: AppState) -> dict[str, Any]:
    """Wanda and Bob validated, meeting (accepted at ANSWERED); Carl and Dora asked Wanda for a
    meeting, she asked Erik."""
    with app_state.database.unit_of_work() as session:
        ids: dict[str, Any] = dict(make_rules_world(session))
        event = get_event(session, ids["event"])
        assert event is not None
        wanda = next(p for p in event.participants if p.id == ids["wanda"])
        event.meetings[0].responded_at = ANSWERED
        carl, dora, erik = make_participants(session, event, "Carl", "Dora", "Erik")
        for name, requester, recipient in (
            ("carl", carl, wanda),
            ("dora", dora, wanda),
            ("erik", wanda, erik),
        ):
            ids[f"{name}_request"] = add_meeting(
                session,
                event,
                requester=requester,
                recipient=recipient,
                status=MeetingStatus.REQUESTED,
            ).id
        return ids


def _act(client: TestClient, event: int, meeting: int, action: str) -> Any:
    headers = {
        "HX-Request": "true",
        "X-CSRF-Token": csrf_token(client, f"/events/{event}/meetings"),
    }
    return client.post(f"/events/{event}/meetings/{meeting}/{action}", headers=headers)


def test_each_answer_on_my_requests_says_what_it_did(
    client: TestClient, world: dict[str, Any]
) -> None:
    # The walk: the panel came back with the request gone and the focus on the page's body.
    sign_in(client, "wanda@example.org")
    event = world["event"]

    accepted = _act(client, event, world["carl_request"], "accept")
    declined = _act(client, event, world["dora_request"], "decline")
    withdrawn = _act(client, event, world["erik_request"], "cancel")
    cancelled = _act(client, event, world["meeting"], "cancel")

    assert [DONE.findall(answer.text) for answer in (accepted, declined, withdrawn, cancelled)] == [
        ["You accepted the request of Carl GmbH."],
        ["You declined the request of Dora GmbH."],
        ["You withdrew your request to Erik GmbH."],
        ["You cancelled your meeting with Bob GmbH; Bob GmbH is told."],
    ]
    assert re.findall(r'data-testid="closed-request"[^>]*>([^<]*)</li>', cancelled.text) == [
        "Bob GmbH · Cancelled",
        "Dora GmbH · Declined",
        "Erik GmbH · Cancelled",
    ]
    assert DONE.findall(client.get(f"/events/{event}/meetings").text) == []


def test_an_answer_ends_in_one_full_stop_after_a_name_that_ends_in_one(
    client: TestClient, app_state: AppState, world: dict[str, Any]
) -> None:
    # The walk of 2026-12-08: "You accepted the request of MEDITERRANEAN WOOD FACTORY S.L..".
    with app_state.database.unit_of_work() as session:
        event = get_event(session, world["event"])
        assert event is not None
        for participant in event.participants:
            participant.organisation.name = participant.organisation.name.replace("GmbH", "S.L.")
    sign_in(client, "wanda@example.org")
    event_id = world["event"]

    accepted = _act(client, event_id, world["carl_request"], "accept")
    declined = _act(client, event_id, world["dora_request"], "decline")
    withdrawn = _act(client, event_id, world["erik_request"], "cancel")

    assert [DONE.findall(answer.text) for answer in (accepted, declined, withdrawn)] == [
        ["You accepted the request of Carl S.L."],
        ["You declined the request of Dora S.L."],
        ["You withdrew your request to Erik S.L."],
    ]


def test_my_requests_buttons_name_the_request_they_answer(
    client: TestClient, world: dict[str, Any]
) -> None:
    sign_in(client, "wanda@example.org")

    page = client.get(f"/events/{world['event']}/meetings")

    names = re.findall(r'data-testid="(\w+)-meeting">(.*?)</(?:button|a)>', page.text)
    assert [(action, re.sub(r"<[^>]+>", "", text)) for action, text in names] == [
        ("accept", "Accept the request of Carl GmbH"),
        ("decline", "Decline the request of Carl GmbH"),
        ("accept", "Accept the request of Dora GmbH"),
        ("decline", "Decline the request of Dora GmbH"),
        ("cancel", "Cancel… the meeting with Bob GmbH"),
        ("cancel", "Withdraw your request to Erik GmbH"),
    ]


def test_a_participants_card_names_whom_its_message_and_request_are_for(
    client: TestClient, world: dict[str, Any]
) -> None:
    sign_in(client, "bob@example.org")

    page = client.get(f"/events/{world['event']}/participants")

    labels = re.findall(r'<label for="message-\d+">(.*?)</label>', page.text)
    buttons = re.findall(r'data-testid="request-meeting">(.*?)</button>', page.text)
    assert [re.sub(r"<[^>]+>", "", text) for text in labels] == [
        "Message to Carl GmbH",
        "Message to Dora GmbH",
        "Message to Erik GmbH",
    ]
    assert [re.sub(r"<[^>]+>", "", text) for text in buttons] == [
        "Request a meeting with Carl GmbH",
        "Request a meeting with Dora GmbH",
        "Request a meeting with Erik GmbH",
    ]


def test_a_request_sent_from_a_card_says_so_on_a_line_that_takes_the_focus(
    client: TestClient, world: dict[str, Any]
) -> None:
    sign_in(client, "bob@example.org")
    url = f"/events/{world['event']}"
    carl = _carl(client, url)

    sent = client.post(
        f"{url}/meetings",
        data={"recipient_id": carl},
        headers={"HX-Request": "true", "X-CSRF-Token": csrf_token(client, f"{url}/participants")},
    )
    again = client.get(f"{url}/participants")

    assert sent.status_code == 200
    assert (
        '<p class="request-state" data-testid="request-state" tabindex="-1" data-takes-focus>'
        f'Request pending — <a href="{url}/meetings">see my requests</a></p>'
    ) in sent.text
    assert "data-takes-focus" not in again.text


def _carl(client: TestClient, url: str) -> str:
    found = re.search(
        r'data-participant="Carl GmbH".*?name="recipient_id" value="(\d+)"',
        client.get(f"{url}/participants").text,
        re.S,
    )
    assert found is not None
    return found.group(1)


def test_the_organisers_buttons_and_fields_name_their_registration_or_meeting(
    client: TestClient, world: dict[str, Any]
) -> None:
    sign_in(client, RULES_ORGANISER)

    page = client.get(f"/events/{world['event']}/manage").text

    def words(html: str) -> str:
        return re.sub(r"<[^>]+>", "", html)

    rejects = re.findall(r'data-testid="reject-participant">(.*?)</button>', page)
    saves = re.findall(r'<button type="submit" class="small secondary">(Save.*?)</button>', page)
    assert [words(text) for text in rejects][:2] == ["Reject Wanda GmbH", "Reject Bob GmbH"]
    assert [words(text) for text in saves][:2] == [
        "Save the slots of Wanda GmbH",
        "Save the slots of Bob GmbH",
    ]
    assert re.findall(r'<td data-label="Status">(\w+)</td>', page) == [
        "Accepted",
        "Requested",
        "Requested",
        "Requested",
    ]
    assert re.findall(r'aria-label="(Slot for [^"]*)"', page) == [
        "Slot for the meeting of Wanda GmbH and Bob GmbH"
    ]
    assert [
        words(text) for text in re.findall(r'data-testid="lock-meeting">(.*?)</button>', page)
    ] == ["Lock the meeting of Wanda GmbH and Bob GmbH"]
    assert re.findall(r'aria-label="(Priority of [^"]*)"', page)[0] == (
        "Priority of the meeting of Wanda GmbH and Bob GmbH"
    )


def test_each_outcome_on_the_agenda_names_its_meeting(
    client: TestClient, app_state: AppState, world: dict[str, Any], clock: Clock
) -> None:
    with app_state.database.unit_of_work() as session:
        event = get_event(session, world["event"])
        assert event is not None
        event.status = EventStatus.PUBLISHED
        event.published_at = SESSION_START
    clock.now = SESSION_END
    sign_in(client, "wanda@example.org")

    page = client.get(f"/events/{world['event']}/agenda").text

    assert re.findall(r'aria-label="(Outcome of [^"]*)"', page) == [
        "Outcome of the meeting with Bob GmbH"
    ]
    saves = re.findall(r'data-testid="record-outcome">(.*?)</button>', page)
    assert [re.sub(r"<[^>]+>", "", text) for text in saves] == [
        "Save the outcome of the meeting with Bob GmbH"
    ]


def test_a_refused_event_page_links_back_to_the_event(
    client: TestClient, world: dict[str, Any]
) -> None:
    # The walk: "The agenda is not published yet." with only "Back to the start page".
    sign_in(client, "wanda@example.org")
    event = f"/events/{world['event']}"

    agenda = client.get(f"{event}/agenda")
    manage = client.get(f"{event}/manage")
    unknown = client.get("/events/999/agenda")

    back = f'<p><a class="button" href="{event}" data-testid="event-link">Back to the event</a></p>'
    assert (agenda.status_code, back in agenda.text) == (409, True)
    assert "<p><strong>The agenda is not published yet.</strong></p>" in agenda.text
    assert (manage.status_code, back in manage.text) == (403, True)
    assert unknown.status_code == 404
    assert 'data-testid="event-link"' not in unknown.text


def test_a_refused_lock_priority_or_unavailability_marks_its_rows_field(
    client: TestClient, world: dict[str, Any]
) -> None:
    # The walk: the refusal was at the top of the panel, its field not marked, and the focus
    # left on the page's body once htmx swapped the panel.
    sign_in(client, RULES_ORGANISER)
    url = f"/events/{world['event']}"
    headers = {"HX-Request": "true", "X-CSRF-Token": csrf_token(client, f"{url}/manage")}

    lock = client.post(
        f"{url}/meetings/{world['meeting']}/lock", data={"slot": "7"}, headers=headers
    )
    priority = client.post(
        f"{url}/meetings/{world['meeting']}/priority", data={"priority": "9"}, headers=headers
    )
    slots = client.post(
        f"{url}/unavailability/{world['bob']}", data={"slots": ["7"]}, headers=headers
    )

    assert (lock.status_code, priority.status_code, slots.status_code) == (422, 422, 422)
    assert re.findall(
        r'aria-label="(Slot for [^"]*)"[^>]*aria-invalid="true" '
        r'aria-describedby="lock-error"',
        lock.text,
    ) == ["Slot for the meeting of Wanda GmbH and Bob GmbH"]
    assert 'id="lock-error" data-testid="lock-error">' in lock.text
    assert re.findall(
        r'aria-label="(Priority of [^"]*)"[^>]*aria-invalid="true" '
        r'aria-describedby="priority-error"',
        priority.text,
    ) == ["Priority of the meeting of Wanda GmbH and Bob GmbH"]
    # Only Bob's slots, in his disclosure opened.
    assert slots.text.count('aria-invalid="true" aria-describedby="unavailable-error"') == 3
    assert slots.text.count("<details open>") == 1


def test_each_download_link_names_its_list(client: TestClient, world: dict[str, Any]) -> None:
    sign_in(client, RULES_ORGANISER)

    page = client.get(f"/events/{world['event']}/manage").text

    links = re.findall(r'data-testid="export-(\w+)-(?:xlsx|csv)">(.*?)</a>', page)
    assert [(kind, re.sub(r"<[^>]+>", "", text)) for kind, text in links] == [
        ("participants", "Excel (Participants)"),
        ("participants", "CSV (Participants)"),
        ("requests", "Excel (Meeting requests)"),
        ("requests", "CSV (Meeting requests)"),
        ("meetings", "Excel (Meetings)"),
        ("meetings", "CSV (Meetings)"),
        ("agendas", "Excel (Every participant&#39;s agenda)"),
        ("agendas", "CSV (Every participant&#39;s agenda)"),
    ]
