"""A long solve (a background job) holds no transaction: other users write while it runs, and
a change to the event meanwhile fails the job with the conflict instead of storing a schedule of
meetings that are gone."""

import http.client
import json
import random
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from clusterbridge.api.state import AppState
from clusterbridge.db.models import Meeting
from clusterbridge.domain.enums import UserRole
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.web.app import create_app
from tests.factories.events import (
    SESSION_START,
    add_meeting,
    make_event,
    make_participants,
    make_person,
)
from tests.live import LiveServer

pytestmark = [pytest.mark.integration, pytest.mark.db, pytest.mark.slow]

SLOT = timedelta(minutes=20)
#: Seconds the solver searches: the hard event below takes all of it.
TIME_LIMIT = 4
#: Seconds between two reads of the job.
POLL = 0.1
#: The write must not wait for the solve (SQLite's busy timeout is 10 s).
QUICK = 1.5


@pytest.fixture
def server(app_state: AppState) -> Iterator[LiveServer]:
    with LiveServer(create_app(app_state)) as live:
        yield live


def _hard_event(app_state: AppState) -> tuple[int, dict[str, str], dict[str, str], int]:
    """40 participants, 200 accepted meetings, 14 slots and 14 rooms (the solver uses its whole
    time limit); returns its id, the organiser's and another user's headers, and a meeting."""
    with app_state.database.unit_of_work() as session:
        organiser = make_person(
            session, email="olga@events.example", name="Olga", role=UserRole.EVENT_ORGANISER
        )
        other = make_person(session, email="otto@example.org", name="Otto")
        end = SESSION_START + 14 * SLOT
        event = make_event(session, organiser=organiser, rooms=14, sessions=((SESSION_START, end),))
        people = make_participants(session, event, *(f"P{n:02}" for n in range(40)))
        rng = random.Random(1)
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < 200:
            a, b = sorted(rng.sample(range(40), 2))
            pairs.add((a, b))
        meetings = [
            add_meeting(session, event, requester=people[a], recipient=people[b])
            for a, b in sorted(pairs)
        ]
        tokens = [create_api_token(session, user, name="t")[1] for user in (organiser, other)]
        return (
            event.id,
            {"Authorization": f"Bearer {tokens[0]}"},
            {"Authorization": f"Bearer {tokens[1]}"},
            meetings[0].id,
        )


def _send(server: LiveServer, method: str, path: str, headers: dict[str, str], body: Any) -> Any:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    data = None if body is None else json.dumps(body).encode()
    connection.request(
        method, path, body=data, headers={**headers, "Content-Type": "application/json"}
    )
    response = connection.getresponse()
    payload = json.loads(response.read() or b"null")
    connection.close()
    return response.status, payload


def _start_solving(server: LiveServer, event_id: int, headers: dict[str, str]) -> int:
    """Start "schedule all" (202, a job) and return its id once the solver runs (the job's
    reads are done: its progress says "Solving")."""
    body = {"time_limit": TIME_LIMIT}
    status, job = _send(server, "POST", f"/api/events/{event_id}/schedule", headers, body)
    assert status == 202, job
    while job["state"] == "queued" or job["progress_note"] == "Started":
        time.sleep(POLL)
        _status, job = _send(server, "GET", f"/api/jobs/{job['id']}", headers, None)
    assert job["progress_note"].startswith("Solving 200 meetings"), job
    return int(job["id"])


def _wait(server: LiveServer, job_id: int, headers: dict[str, str]) -> Any:
    """The job once it is over."""
    _status, job = _send(server, "GET", f"/api/jobs/{job_id}", headers, None)
    while job["state"] in ("queued", "running"):
        time.sleep(POLL)
        _status, job = _send(server, "GET", f"/api/jobs/{job_id}", headers, None)
    return job


def test_another_user_writes_while_a_schedule_is_solved(
    app_state: AppState, server: LiveServer
) -> None:
    event_id, organiser, other, _meeting = _hard_event(app_state)
    job_id = _start_solving(server, event_id, organiser)

    started = time.monotonic()
    status, created = _send(server, "POST", "/api/consortia", other, {"name": "Written meanwhile"})
    took = time.monotonic() - started
    job = _wait(server, job_id, organiser)

    assert (status, created["name"]) == (201, "Written meanwhile")
    assert took < QUICK
    summary = job["result"]
    assert (job["state"], job["error"]) == ("succeeded", None)
    assert summary["meetings"] == 200
    # The best found in the time (at most 196 room-slots), and stored.
    assert 0 < summary["placed"] <= 196
    assert _placed(app_state, event_id) == summary["placed"]


def test_a_meeting_cancelled_during_the_solve_makes_the_schedule_a_conflict(
    app_state: AppState, server: LiveServer
) -> None:
    event_id, organiser, _other, meeting_id = _hard_event(app_state)
    job_id = _start_solving(server, event_id, organiser)

    status, cancelled = _send(
        server, "POST", f"/api/events/{event_id}/meetings/{meeting_id}/cancel", organiser, None
    )
    job = _wait(server, job_id, organiser)

    assert (status, cancelled["status"]) == (200, "cancelled")
    assert (job["state"], job["error"], job["result"]) == (
        "failed",
        "The event changed while the schedule was computed (a meeting was "
        "accepted, cancelled or locked, or a time changed): schedule again",
        None,
    )
    assert _placed(app_state, event_id) == 0


def _placed(app_state: AppState, event_id: int) -> int:
    """How many of the event's meetings have a slot and a room."""
    with app_state.database.unit_of_work() as session:
        return int(
            session.scalar(
                sa.select(sa.func.count()).where(
                    Meeting.event_id == event_id, Meeting.room.is_not(None)
                )
            )
        )
