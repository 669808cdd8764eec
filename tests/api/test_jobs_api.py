"""Background jobs through the API: a long action answers 202 with the job's address; the job
is read there until it is over, by its owner and administrators only, and can be cancelled."""

import os
import socket
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from clusterbridge.api.state import AppState
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.domain.enums import EventStatus, JobState, UserRole
from clusterbridge.services import jobs as job_services
from clusterbridge.services.accounts.users import create_api_token
from clusterbridge.services.jobs.runner import retry_note
from tests.conftest import NOW
from tests.factories.consortia import make_consortium
from tests.factories.events import (
    SESSION_START,
    add_meeting,
    make_event,
    make_participants,
    make_person,
)
from tests.factories.jobs import make_job
from tests.jobs import wait_for_api_job

pytestmark = [pytest.mark.integration, pytest.mark.db]

Headers = dict[str, str]


@pytest.fixture
def people(app_state: AppState) -> dict[str, Headers]:
    headers = {}
    with app_state.database.unit_of_work() as session:
        for name, role in (
            ("ada", UserRole.ADMINISTRATOR),
            ("olga", UserRole.EVENT_ORGANISER),
            ("otto", UserRole.ORGANISATION_MEMBER),
        ):
            user = make_person(session, email=f"{name}@example.org", name=name.title(), role=role)
            headers[name] = {
                "Authorization": f"Bearer {create_api_token(session, user, name='t')[1]}"
            }
    return headers


def _import(client: TestClient, headers: Headers, content: bytes, name: str = "orgs.csv") -> Any:
    return client.post(
        "/api/organisations/import", files={"file": (name, content, "text/csv")}, headers=headers
    )


def test_an_import_answers_202_and_its_job_counts_the_records(
    client: TestClient, people: dict[str, Headers]
) -> None:
    response = _import(client, people["ada"], b"name,country\nAlpha Cluster,DE\nBeta SME,FR\n")
    job = wait_for_api_job(client, response.headers["Location"], people["ada"])
    found = client.get("/api/organisations", params={"text": "Alpha"}).json()

    assert response.status_code == 202
    assert response.headers["Location"] == f"/api/jobs/{response.json()['id']}"
    assert (job["kind"], job["title"], job["state"], job["progress"]) == (
        "registry.import",
        "Import organisations",
        "succeeded",
        1.0,
    )
    assert job["result"] == {
        "summary": "2 added, 0 updated, 0 unchanged",
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "link": "/organisations",
    }
    assert job["worker"] == f"{socket.gethostname()}:{os.getpid()}"
    assert [item["name"] for item in found["items"]] == ["Alpha Cluster"]


def test_an_import_with_a_bad_row_fails_its_job_with_the_row(
    client: TestClient, people: dict[str, Headers]
) -> None:
    response = _import(client, people["ada"], b"name,country\nAlpha Cluster,XX\n")
    job = wait_for_api_job(client, response.headers["Location"], people["ada"])

    assert (job["state"], job["result"], job["attempts"]) == ("failed", None, 1)
    assert job["error"].splitlines()[0] == "orgs.csv has problems; nothing was imported"
    assert job["error"].splitlines()[1].startswith("  - orgs.csv, line 2, country: ")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        (
            "x.json",
            "is a .json file, not CSV or XLSX: its name must end in .csv or .xlsx, or give the "
            "format",
        ),
        (
            "orgs",
            "has no suffix, not CSV or XLSX: its name must end in .csv or .xlsx, or give the "
            "format",
        ),
    ],
)
def test_an_import_of_another_format_is_refused_at_once_with_422(
    client: TestClient, app_state: AppState, people: dict[str, Headers], name: str, reason: str
) -> None:
    response = _import(client, people["ada"], b'[{"name": "Alpha", "country": "DE"}]', name=name)

    assert (response.status_code, response.json()) == (
        422,
        {
            "message": "The file cannot be imported",
            "errors": [{"location": name, "field": "file", "reason": reason}],
        },
    )
    assert client.get("/api/jobs", headers=people["ada"]).json() == []


def test_an_import_of_a_named_format_needs_no_suffix(
    client: TestClient, people: dict[str, Headers]
) -> None:
    response = client.post(
        "/api/organisations/import",
        params={"format": "csv"},
        files={"file": ("orgs.txt", b"name,country\nAlpha Cluster,DE\n", "text/csv")},
        headers=people["ada"],
    )
    job = wait_for_api_job(client, response.headers["Location"], people["ada"])

    assert (response.status_code, job["state"]) == (202, "succeeded")


def test_an_import_of_the_header_alone_fails_its_job(
    client: TestClient, people: dict[str, Headers]
) -> None:
    response = _import(client, people["ada"], b"name,country\n")
    job = wait_for_api_job(client, response.headers["Location"], people["ada"])

    assert (job["state"], job["result"], job["error"]) == (
        "failed",
        None,
        "orgs.csv has problems; nothing was imported\n  - orgs.csv: the file has no rows",
    )


def test_only_administrators_import(client: TestClient, people: dict[str, Headers]) -> None:
    response = _import(client, people["olga"], b"name,country\nAlpha Cluster,DE\n")

    assert (response.status_code, response.json()["message"]) == (
        403,
        "Only administrators import organisation files",
    )


def test_a_job_is_seen_by_its_owner_and_administrators_only(
    client: TestClient, app_state: AppState, people: dict[str, Headers]
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = get_user_by_email(session, "olga@example.org")
        job_id = make_job(session, owner=olga, state=JobState.RUNNING, attempts=1).id

    seen = {
        name: client.get(f"/api/jobs/{job_id}", headers=h).status_code for name, h in people.items()
    }
    listed = {
        name: [job["id"] for job in client.get("/api/jobs", headers=h).json()]
        for name, h in people.items()
    }
    refused = client.post(f"/api/jobs/{job_id}/cancel", headers=people["otto"])

    assert seen == {"ada": 200, "olga": 200, "otto": 404}
    assert listed == {"ada": [job_id], "olga": [job_id], "otto": []}
    assert (refused.status_code, refused.json()["message"]) == (404, f"No job {job_id}")


def test_a_job_waiting_after_a_failed_attempt_gives_its_time(
    client: TestClient, app_state: AppState, people: dict[str, Headers]
) -> None:
    not_before = NOW + timedelta(seconds=30)
    with app_state.database.unit_of_work() as session:
        job = make_job(session, owner=None, attempts=1, not_before=not_before)
        job.progress_note = retry_note(1, not_before)
        job_id = job.id

    job = client.get(f"/api/jobs/{job_id}", headers=people["ada"]).json()

    assert (job["state"], job["attempts"], job["not_before"], job["progress_note"]) == (
        "queued",
        1,
        "2024-12-01T09:00:30Z",
        "Attempt 1 failed; trying again at 09:00:30 UTC",
    )


def test_cancelling_a_queued_job_ends_it_and_again_is_a_conflict(
    client: TestClient, app_state: AppState, people: dict[str, Headers]
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = get_user_by_email(session, "olga@example.org")
        job_id = make_job(session, owner=olga).id

    cancelled = client.post(f"/api/jobs/{job_id}/cancel", headers=people["olga"])
    again = client.post(f"/api/jobs/{job_id}/cancel", headers=people["olga"])

    assert cancelled.status_code == 200
    assert (cancelled.json()["state"], cancelled.json()["cancel_requested"]) == ("cancelled", True)
    assert (again.status_code, again.json()["message"]) == (
        409,
        f"Job {job_id} is already cancelled",
    )


def test_a_running_job_is_asked_to_stop(
    client: TestClient, app_state: AppState, people: dict[str, Headers]
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = get_user_by_email(session, "olga@example.org")
        job_id = make_job(session, owner=olga, state=JobState.RUNNING, attempts=1).id

    response = client.post(f"/api/jobs/{job_id}/cancel", headers=people["ada"])

    assert (response.json()["state"], response.json()["cancel_requested"]) == ("running", True)


def _ottos_consortium(app_state: AppState) -> int:
    """A consortium of Otto's: the record of the documents below."""
    with app_state.database.unit_of_work() as session:
        otto = get_user_by_email(session, "otto@example.org")
        assert otto is not None
        return make_consortium(session, owner=otto, name="Otto's cluster").id


def _render_ottos_checklist(
    client: TestClient, app_state: AppState, people: dict[str, Headers]
) -> tuple[int, Response, dict[str, Any]]:
    """Otto asks for his consortium's checklist: its id, the answer and the finished job."""
    consortium_id = _ottos_consortium(app_state)
    response = client.post(
        "/api/documents",
        json={"document": "consortium-checklist", "id": consortium_id},
        headers=people["otto"],
    )
    return (
        consortium_id,
        response,
        wait_for_api_job(client, response.headers["Location"], people["otto"]),
    )


def test_a_document_job_answers_202_and_only_its_owner_and_admins_download_it(
    client: TestClient, app_state: AppState, people: dict[str, Headers]
) -> None:
    consortium_id, response, job = _render_ottos_checklist(client, app_state, people)
    download = job["result"]["download"]
    own, admin, other = (client.get(download, headers=people[n]) for n in ("otto", "ada", "olga"))

    name = f"checklist-SMP-COSME-2024-CLUSTER-{consortium_id}.pdf"
    assert (response.status_code, job["kind"], job["state"]) == (202, "reports.render", "succeeded")
    assert download == f"/api/jobs/{job['id']}/download"
    assert (own.status_code, own.content[:5], own.headers["content-type"]) == (
        200,
        b"%PDF-",
        "application/pdf",
    )
    assert own.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert (admin.content, other.status_code) == (own.content, 404)


def test_a_document_job_whose_file_is_gone_answers_410_not_409(
    client: TestClient, app_state: AppState, people: dict[str, Headers]
) -> None:
    result = {"file_name": "summary-1.pdf", "media_type": "application/pdf"}
    with app_state.database.unit_of_work() as session:
        ada = get_user_by_email(session, "ada@example.org")
        job = make_job(
            session, owner=ada, kind="reports.render", state=JobState.SUCCEEDED, result=result
        )

    response = client.get(f"/api/jobs/{job.id}/download", headers=people["ada"])

    assert (response.status_code, response.json()["message"]) == (
        410,
        f"The document of job {job.id} has expired: documents are kept 7 day(s) after their "
        "job finished. Render it again.",
    )


def test_a_document_removed_by_the_prune_answers_410_gone(
    client: TestClient, app_state: AppState, people: dict[str, Headers]
) -> None:
    _consortium_id, _response, job = _render_ottos_checklist(client, app_state, people)
    settings = app_state.settings
    days = timedelta(days=settings.document_retention_days)

    kept = job_services.prune(app_state.database, settings, now=NOW + days)
    fresh = client.get(job["result"]["download"], headers=people["otto"])
    pruned = job_services.prune(app_state.database, settings, now=NOW + days + timedelta(seconds=1))
    gone = client.get(job["result"]["download"], headers=people["otto"])
    shown = client.get(f"/api/jobs/{job['id']}", headers=people["otto"])

    assert (len(kept.documents), fresh.status_code) == (0, 200)
    assert (len(pruned.documents), pruned.job_count) == (1, 0)
    assert (gone.status_code, gone.json()["message"]) == (
        410,
        f"The document of job {job['id']} has expired: documents are kept 7 day(s) after "
        "their job finished. Render it again.",
    )
    assert (shown.status_code, shown.json()["state"]) == (200, "succeeded")


def test_a_document_is_refused_at_once_for_a_record_one_may_not_see(
    client: TestClient, app_state: AppState, people: dict[str, Headers]
) -> None:
    consortium_id = _ottos_consortium(app_state)

    hidden = client.post(
        "/api/documents",
        json={"document": "consortium-checklist", "id": consortium_id},
        headers=people["olga"],
    )
    unknown = client.post(
        "/api/documents", json={"document": "poster", "id": consortium_id}, headers=people["otto"]
    )

    assert (hidden.status_code, unknown.status_code) == (404, 422)
    assert client.get("/api/jobs", headers=people["ada"]).json() == []


def test_a_job_without_a_document_has_nothing_to_download(
    client: TestClient, app_state: AppState, people: dict[str, Headers]
) -> None:
    with app_state.database.unit_of_work() as session:
        ada = get_user_by_email(session, "ada@example.org")
        job = make_job(session, owner=ada, state=JobState.SUCCEEDED)

    response = client.get(f"/api/jobs/{job.id}/download", headers=people["ada"])

    assert (response.status_code, response.json()["message"]) == (
        409,
        f"Job {job.id} has no document to download",
    )


def _published_event(app_state: AppState, status: EventStatus = EventStatus.PUBLISHED) -> int:
    """Olga's event, one room: Anna meets Bert, then Cleo; Bert and Cleo wait for a slot."""
    slot = timedelta(minutes=20)
    with app_state.database.unit_of_work() as session:
        olga = get_user_by_email(session, "olga@example.org")
        assert olga is not None
        event = make_event(session, organiser=olga, status=status, rooms=1)
        anna, bert, cleo = make_participants(session, event, "Anna", "Bert", "Cleo")
        add_meeting(session, event, requester=anna, recipient=bert, starts_at=SESSION_START)
        add_meeting(session, event, requester=anna, recipient=cleo, starts_at=SESSION_START + slot)
        add_meeting(session, event, requester=bert, recipient=cleo)
        return event.id


def test_a_repair_answers_202_and_its_mail_jobs_are_the_administrators(
    client: TestClient, app_state: AppState, people: dict[str, Headers]
) -> None:
    event_id = _published_event(app_state)

    response = client.post(f"/api/events/{event_id}/schedule/repair", headers=people["olga"])
    job = wait_for_api_job(client, response.headers["Location"], people["olga"])
    kinds = {
        name: sorted(job["kind"] for job in client.get("/api/jobs", headers=h).json())
        for name, h in people.items()
    }

    assert response.status_code == 202
    assert (job["kind"], job["state"], job["result"]["summary"]) == (
        "schedule.repair",
        "succeeded",
        "Meetings moved or given a slot: 1.",
    )
    assert kinds == {
        "ada": ["mail.send", "mail.send", "schedule.repair"],
        "olga": ["schedule.repair"],
        "otto": [],
    }


def test_a_repair_before_publication_is_refused_at_once(
    client: TestClient, app_state: AppState, people: dict[str, Headers]
) -> None:
    event_id = _published_event(app_state, EventStatus.OPEN)

    refused = client.post(f"/api/events/{event_id}/schedule/repair", headers=people["olga"])
    other = client.post(f"/api/events/{event_id}/schedule/repair", headers=people["otto"])

    assert (refused.status_code, refused.json()["message"]) == (
        409,
        "Publish the agenda before repairing it (or schedule all meetings)",
    )
    assert other.status_code == 403
    assert client.get("/api/jobs", headers=people["ada"]).json() == []
