"""A server killed with ``kill -9`` during a solve leaves no search running and no socket held."""

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest

from clusterbridge.db import migrate
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import UserRole
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.events import (
    SESSION_START,
    add_meeting,
    make_event,
    make_participants,
    make_person,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SLOT = timedelta(minutes=20)
CLUSTERBRIDGE = Path(sys.executable).parent / "clusterbridge"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _hard_event(url: str) -> tuple[int, str]:
    """An event whose schedule takes the whole time limit: 40 participants, 200 meetings,
    14 slots and 14 rooms. Returns its id and the organiser's API token."""
    database = Database.connect(url)
    migrate.upgrade(database.engine)
    with database.unit_of_work() as session:
        organiser = make_person(
            session, email="olga@events.example", name="Olga", role=UserRole.EVENT_ORGANISER
        )
        _token, raw = create_api_token(session, organiser, name="fault test")
        end = SESSION_START + 14 * SLOT
        event = make_event(session, organiser=organiser, rooms=14, sessions=((SESSION_START, end),))
        people = make_participants(session, event, *(f"P{n:02}" for n in range(40)))
        rng = random.Random(1)
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < 200:
            a, b = sorted(rng.sample(range(40), 2))
            pairs.add((a, b))
        for a, b in sorted(pairs):
            add_meeting(session, event, requester=people[a], recipient=people[b])
        event_id = event.id
    database.dispose()
    return event_id, raw


def _serve(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(CLUSTERBRIDGE), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json", timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"the server exited with {server.returncode}")
            time.sleep(0.2)
    server.kill()
    pytest.fail("the server did not answer within 30 s")


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_killing_the_server_during_a_solve_stops_the_search_and_frees_the_port(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'faults.sqlite3'}"
    event_id, token = _hard_event(url)
    env = {
        **os.environ,
        "CLUSTERBRIDGE_DATA_DIR": str(tmp_path / "data"),
        "CLUSTERBRIDGE_DATABASE_URL": url,
    }
    port = _free_port()
    server = _serve(port, env)
    request = threading.Thread(
        target=lambda: _post_ignoring_errors(
            f"http://127.0.0.1:{port}/api/events/{event_id}/schedule", token
        ),
        daemon=True,
    )
    request.start()
    deadline = time.monotonic() + 20
    while not (solvers := _children(server.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)

    server.send_signal(signal.SIGKILL)
    server.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in solvers) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = {pid for pid in solvers if _alive(pid)}
    started = time.monotonic()
    try:
        restarted = _serve(port, env)
    finally:
        for pid in survivors:
            os.kill(pid, signal.SIGKILL)
    restart_seconds = time.monotonic() - started
    restarted.terminate()
    restarted.wait()

    assert len(solvers) >= 1
    assert survivors == set()
    assert restart_seconds < 15


def _post_ignoring_errors(url: str, token: str) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps({"time_limit": 60}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    # The server is killed while it solves: the connection breaks.
    with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=90):
        pass
