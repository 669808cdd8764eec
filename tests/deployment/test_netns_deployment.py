"""The documented deployment for real (docs/admin/deployment.md): a web host and a worker host,
each a network namespace, sharing PostgreSQL and the Redis broker on a third host, all reached
over the namespace network (``scripts/netns_deploy.py``).

A schedule solve and an organisation import are asked of the web host over HTTP with API
tokens while the worker host is idle: both answer 202 and wait as messages on the broker. Once
the worker host's worker starts, it runs them; the schedule and the organisations are then in
the database.

Needs root and ``ip netns``; skipped elsewhere with the reason, except under CI, where that is
an error (CI runs as root).
"""

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
import sqlalchemy as sa

from clusterbridge.config import Settings
from clusterbridge.db.models import Meeting, Organisation
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import UserRole
from clusterbridge.services.accounts.users import create_api_token
from tests.factories.events import add_meeting, make_event, make_participants, make_person

pytestmark = [pytest.mark.integration, pytest.mark.deployment, pytest.mark.slow]

SCRIPT = Path(__file__).parents[2] / "scripts" / "netns_deploy.py"
#: The longest the deployment may take to start or stop, and a job to finish, in seconds.
START_TIMEOUT = 300
JOB_TIMEOUT = 60.0
#: Web processes on the web host (``serve --workers``): several, as in the documented deployment.
WEB_PROCESSES = 2
FINISHED = frozenset({"succeeded", "failed", "cancelled"})
IMPORT = (
    "pic,name,country,nuts,type,is_sme\n"
    "911000001,Lumen Textiles,PT,PT11A,sme,true\n"
    "911000002,Nordic Sensors Oy,FI,FI1B1,sme,true\n"
)

Deployment = dict[str, Any]
Headers = dict[str, str]


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "it needs root to make network namespaces"
    for program in ("ip", "unshare", "runuser", "redis-server"):
        if shutil.which(program) is None:
            return f"{program} is not installed"
    listing = subprocess.run(["ip", "netns", "list"], capture_output=True, check=False)
    if listing.returncode != 0:
        return f"ip netns does not work here: {listing.stderr.decode().strip()}"
    return None


def _deploy(*arguments: str) -> str:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *arguments],
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def deployment() -> Iterator[Deployment]:
    """The three hosts, the web host with two web processes and the worker host still idle;
    torn down afterwards."""
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"The deployment test must run in CI, but {reason}")
        pytest.skip(f"The namespace deployment is not tested here: {reason}")
    state: Deployment = json.loads(
        _deploy("up", "--no-worker", "--web-workers", str(WEB_PROCESSES))
    )
    try:
        yield state
    finally:
        _deploy("down", state["run_dir"])


@pytest.fixture
def database(deployment: Deployment) -> Iterator[Database]:
    """The deployment's database, reached from this machine over the bridge."""
    database = Database.connect(deployment["database_url"])
    try:
        yield database
    finally:
        database.engine.dispose()


def _seed(database: Database) -> tuple[int, Headers, Headers]:
    """An event with two accepted meetings sharing Anna (three slots), its organiser's and an
    administrator's API tokens."""
    with database.unit_of_work() as session:
        organiser = make_person(
            session, email="olga@events.example", name="Olga", role=UserRole.EVENT_ORGANISER
        )
        admin = make_person(
            session, email="ada@admin.example", name="Ada", role=UserRole.ADMINISTRATOR
        )
        event = make_event(session, organiser=organiser)
        anna, ben, cleo = make_participants(session, event, "Anna", "Ben", "Cleo")
        add_meeting(session, event, requester=anna, recipient=ben)
        add_meeting(session, event, requester=cleo, recipient=anna)
        tokens = [
            create_api_token(session, user, name="deployment")[1] for user in (organiser, admin)
        ]
        return event.id, _bearer(tokens[0]), _bearer(tokens[1])


def _bearer(token: str) -> Headers:
    return {"Authorization": f"Bearer {token}"}


def _wait(client: httpx.Client, location: str, headers: Headers) -> Any:
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        job = client.get(location, headers=headers).json()
        if job["state"] in FINISHED or time.monotonic() > deadline:
            return job
        time.sleep(0.1)


def _waiting_messages(state: Deployment) -> int:
    import redis  # noqa: PLC0415 -- optional dependency

    queue = Settings.model_fields["queue_name"].default
    with redis.Redis.from_url(state["broker_url"]) as broker:
        return int(broker.llen(queue))


def _log(state: Deployment, role: str) -> str:
    return Path(state["run_dir"], f"{role}.log").read_text(encoding="utf-8", errors="replace")


def test_jobs_asked_of_the_web_host_run_on_the_worker_host(
    deployment: Deployment, database: Database
) -> None:
    event_id, organiser, admin = _seed(database)

    with httpx.Client(base_url=deployment["web_url"], timeout=30) as client:
        solve = client.post(
            f"/api/events/{event_id}/schedule", json={"time_limit": 5}, headers=organiser
        )
        upload = client.post(
            "/api/organisations/import",
            files={"file": ("members.csv", IMPORT.encode(), "text/csv")},
            headers=admin,
        )
        queued = [
            client.get(r.headers["Location"], headers=h).json()["state"]
            for r, h in ((solve, organiser), (upload, admin))
        ]
        waiting = _waiting_messages(deployment)
        _deploy("worker", deployment["run_dir"])
        solved = _wait(client, solve.headers["Location"], organiser)
        imported = _wait(client, upload.headers["Location"], admin)
    with database.unit_of_work() as session:
        slots = session.scalars(sa.select(Meeting.starts_at).order_by(Meeting.starts_at)).all()
        organisations = session.execute(
            sa.select(Organisation.name, Organisation.country)
            .where(Organisation.pic.in_(["911000001", "911000002"]))
            .order_by(Organisation.name)
        ).all()

    assert (solve.status_code, upload.status_code, queued, waiting) == (
        202,
        202,
        ["queued", "queued"],
        2,
    )
    assert (solved["state"], solved["error"], imported["state"], imported["error"]) == (
        "succeeded",
        None,
        "succeeded",
        None,
    ), _log(deployment, "worker")
    assert {k: solved["result"][k] for k in ("status", "placed", "meetings", "unplaced")} == {
        "status": "optimal",
        "placed": 2,
        "meetings": 2,
        "unplaced": [],
    }
    assert (imported["result"]["created"], imported["result"]["updated"]) == (2, 0)
    assert organisations == [("Lumen Textiles", "PT"), ("Nordic Sensors Oy", "FI")]
    assert slots[1] - slots[0] == timedelta(minutes=20)  # Anna's two meetings, no break
    assert _waiting_messages(deployment) == 0
    worker_log, web_log = _log(deployment, "worker"), _log(deployment, "web")
    assert web_log.count(f"with {WEB_PROCESSES} web processes") == 1
    assert worker_log.count(f"celery@{deployment['hosts']['worker']['namespace']} ready.") == 1
    assert (
        worker_log.count("Task clusterbridge.run_job["),
        web_log.count("clusterbridge.run_job"),
    ) == (4, 0)
