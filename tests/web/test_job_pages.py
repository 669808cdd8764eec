"""Job pages: "schedule all" opens its job's page, which htmx polls until the job is over; the
Cancel button; the list; an administrator's organisation import; who sees a job."""

import os
import re
import socket
import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from clusterbridge.api.state import AppState
from clusterbridge.config import Settings
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import EventStatus, JobState, UserRole
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.jobs.retention import prune
from clusterbridge.services.jobs.runner import retry_note
from clusterbridge.web.app import create_app
from tests.conftest import NOW
from tests.factories.consortia import make_consortium
from tests.factories.events import add_meeting, make_event, make_participants, make_person
from tests.factories.jobs import make_job
from tests.jobs import JOB_TIMEOUT
from tests.web.helpers import csrf_token, sign_in

pytestmark = [pytest.mark.integration, pytest.mark.db]

ORGANISER = "olga@events.example"
ADMIN = "ada@admin.example"
STATE = re.compile(r'data-testid="job-status" data-state="(\w+)"')


@pytest.fixture
def event_id(app_state: AppState) -> int:
    """Olga's open event with one accepted meeting; Ada administers and Otto looks on."""
    with app_state.database.unit_of_work() as session:
        olga = make_person(session, email=ORGANISER, name="Olga", role=UserRole.EVENT_ORGANISER)
        make_person(session, email=ADMIN, name="Ada", role=UserRole.ADMINISTRATOR)
        make_person(session, email="otto@example.org", name="Otto")
        event = make_event(session, organiser=olga)
        anna, bert = make_participants(session, event, "Anna", "Bert")
        add_meeting(session, event, requester=anna, recipient=bert)
        return event.id


def _poll(client: TestClient, path: str) -> str:
    """The status panel (as htmx asks for it) once the job is over."""
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        panel = client.get(path, headers={"HX-Request": "true"}).text
        state = STATE.search(panel)
        assert state is not None, panel
        if state.group(1) not in ("queued", "running") or time.monotonic() > deadline:
            return panel
        time.sleep(0.05)


def test_schedule_all_opens_the_job_page_which_polls_until_done(
    client: TestClient, event_id: int
) -> None:
    sign_in(client, ORGANISER)
    token = csrf_token(client, f"/events/{event_id}/manage")

    response = client.post(
        f"/events/{event_id}/schedule", data={"csrf_token": token}, follow_redirects=False
    )
    page = client.get(response.headers["location"]).text
    panel = _poll(client, response.headers["location"])

    assert response.status_code == 303
    assert re.fullmatch(r"/jobs/\d+", response.headers["location"])
    assert "<h1>Schedule the meetings of an event</h1>" in page
    assert 'data-state="succeeded"' in panel
    assert 'hx-trigger="every 1s"' not in panel
    result = re.search(r'data-testid="job-result">([^<]+)<', panel)
    assert result is not None
    assert result.group(1).startswith("1 of 1 accepted meetings placed, 0 breaks in total")
    assert f'href="/events/{event_id}/manage" data-testid="job-link"' in panel


def test_the_repair_of_a_published_schedule_opens_its_job_page_naming_the_worker(
    client: TestClient, app_state: AppState, event_id: int
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = get_user_by_email(session, ORGANISER)
        assert olga is not None
        event = make_event(session, organiser=olga, name="Live", status=EventStatus.PUBLISHED)
        cleo, dora = make_participants(session, event, "Cleo", "Dora")
        add_meeting(session, event, requester=cleo, recipient=dora)
        published = event.id
    sign_in(client, ORGANISER)
    token = csrf_token(client, f"/events/{published}/manage")

    response = client.post(
        f"/events/{published}/schedule/repair", data={"csrf_token": token}, follow_redirects=False
    )
    panel = _poll(client, response.headers["location"])

    assert response.status_code == 303
    assert 'data-state="succeeded"' in panel
    result = re.search(r'data-testid="job-result">([^<]+)<', panel)
    assert result is not None
    assert result.group(1) == "Meetings moved or given a slot: 1."
    worker = re.search(r'data-testid="job-worker">([^<]+)<', panel)
    assert worker is not None
    assert worker.group(1) == f"{socket.gethostname()}:{os.getpid()}"
    times = re.search(r'data-testid="job-times">([^<]+)<', panel)
    assert times is not None
    assert re.fullmatch(
        r"Queued at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, ended at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.",
        times.group(1),
    )


def test_a_queued_job_page_polls_and_cancels(
    client: TestClient, app_state: AppState, event_id: int
) -> None:
    with app_state.database.unit_of_work() as session:
        job_id = make_job(session, owner=get_user_by_email(session, ORGANISER)).id
    sign_in(client, ORGANISER)

    waiting = client.get(f"/jobs/{job_id}").text
    cancelled = client.post(
        f"/jobs/{job_id}/cancel",
        data={"csrf_token": csrf_token(client, f"/jobs/{job_id}")},
    ).text

    assert f'hx-get="/jobs/{job_id}" hx-trigger="every 1s"' in waiting
    assert 'data-testid="cancel-job"' in waiting
    assert 'data-state="cancelled"' in cancelled
    assert "Cancelled: nothing was written." in cancelled
    assert 'data-testid="cancel-job"' not in cancelled


def test_only_the_owner_and_administrators_see_a_job(
    client: TestClient, app_state: AppState, event_id: int
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = get_user_by_email(session, ORGANISER)
        job_id = make_job(session, owner=olga, state=JobState.FAILED, attempts=1, error="Boom").id
    statuses = {}
    for email in (ORGANISER, ADMIN, "otto@example.org"):
        client.cookies.clear()
        sign_in(client, email)
        statuses[email] = client.get(f"/jobs/{job_id}").status_code
        listed = client.get("/jobs").text
        statuses[email + " list"] = listed.count('data-testid="job-row"')

    assert statuses == {
        ORGANISER: 200,
        ORGANISER + " list": 1,
        ADMIN: 200,
        ADMIN + " list": 1,
        "otto@example.org": 404,
        "otto@example.org list": 0,
    }


def test_an_administrator_imports_an_organisation_file_as_a_job(
    client: TestClient, event_id: int
) -> None:
    sign_in(client, ADMIN)
    token = csrf_token(client, "/organisations/import")

    empty = client.post(
        "/organisations/import",
        data={"csrf_token": token},
        files={"file": ("orgs.csv", b"", "text/csv")},
    )
    json = client.post(
        "/organisations/import",
        data={"csrf_token": token},
        files={"file": ("x.json", b"[]", "application/json")},
    )
    response = client.post(
        "/organisations/import",
        data={"csrf_token": token},
        files={"file": ("orgs.csv", b"name,country\nAlpha Cluster,DE\n", "text/csv")},
        follow_redirects=False,
    )
    panel = _poll(client, response.headers["location"])

    assert empty.status_code == 422
    assert 'data-testid="import-error">orgs.csv, file: is empty<' in empty.text
    assert (json.status_code, re.findall(r'data-testid="import-error">([^<]*)<', json.text)) == (
        422,
        ["x.json, file: is a .json file, not CSV or XLSX: choose a .csv or .xlsx file"],
    )
    assert 'data-testid="job-result">1 added, 0 updated, 0 unchanged<' in panel


def test_the_import_form_sent_without_a_file_asks_for_one(
    client: TestClient, event_id: int
) -> None:
    # The walk of 2026-12-07: the form sent with no file chosen read "upload.csv, file: is
    # empty", a file the administrator never chose.
    sign_in(client, ADMIN)
    token = csrf_token(client, "/organisations/import")

    response = client.post(
        "/organisations/import",
        data={"csrf_token": token},
        files={"file": ("", b"", "application/octet-stream")},
    )

    assert (
        response.status_code,
        re.findall(r'data-testid="import-error">([^<]*)<', response.text),
    ) == (
        422,
        ["Organisation file: choose a .csv or .xlsx file to import"],
    )


def test_a_failed_import_says_why_and_leads_to_another_file(
    client: TestClient, event_id: int
) -> None:
    # The walk of 2026-12-07: a failed import read "Failed" twice, over a progress bar stuck at
    # a tenth, and led nowhere.
    sign_in(client, ADMIN)
    token = csrf_token(client, "/organisations/import")

    response = client.post(
        "/organisations/import",
        data={"csrf_token": token},
        files={"file": ("orgs.xlsx", b"name,country\nAlpha,DE\n", "application/octet-stream")},
        follow_redirects=False,
    )
    panel = _poll(client, response.headers["location"])

    assert re.findall(r'data-testid="job-error">(.*?)</div>', panel, re.S) == [
        "<p>orgs.xlsx is not valid</p><ul><li>orgs.xlsx: cannot be read as XLSX: the file is not "
        "an Excel workbook (.xlsx)</li></ul>"
    ]
    assert "<progress" not in panel
    assert panel.count(">Failed<") == 1
    assert re.findall(
        r'<a class="button" href="([^"]+)" data-testid="job-next">([^<]+)<', panel
    ) == [("/organisations/import", "Import another file")]


def test_the_import_page_is_for_administrators(client: TestClient, event_id: int) -> None:
    sign_in(client, ORGANISER)

    response = client.get("/organisations/import")

    # The walk of 2026-12-07: the refusal read as a sentence without its full stop.
    assert (response.status_code, re.findall(r"<p><strong>([^<]*)</strong>", response.text)) == (
        403,
        ["Only administrators import organisation files."],
    )


def test_the_checklist_button_renders_it_in_a_job_its_owner_downloads(
    client: TestClient, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = make_person(session, email=ORGANISER, name="Olga", role=UserRole.EVENT_ORGANISER)
        make_person(session, email="otto@example.org", name="Otto")
        consortium_id = make_consortium(session, owner=olga, name="Olga's cluster").id
    sign_in(client, ORGANISER)
    page = client.get(f"/consortia/{consortium_id}").text
    token = csrf_token(client, f"/consortia/{consortium_id}")

    response = client.post(
        "/documents",
        data={"csrf_token": token, "document": "consortium-checklist", "id": str(consortium_id)},
        follow_redirects=False,
    )
    panel = _poll(client, response.headers["location"])
    job_id = int(response.headers["location"].rsplit("/", 1)[1])
    download = client.get(f"/jobs/{job_id}/download")
    sign_in(client, "otto@example.org")
    other = client.get(f"/jobs/{job_id}/download")

    assert 'form="document-consortium-checklist-' + str(consortium_id) + '"' in page
    assert STATE.findall(panel) == ["succeeded"]
    assert f'href="/jobs/{job_id}/download" data-testid="job-download"' in panel
    assert (download.status_code, download.content[:5]) == (200, b"%PDF-")
    assert other.status_code == 404


def test_a_document_removed_by_the_prune_says_it_expired(
    client: TestClient, app_state: AppState
) -> None:
    with app_state.database.unit_of_work() as session:
        olga = make_person(session, email=ORGANISER, name="Olga", role=UserRole.EVENT_ORGANISER)
        consortium_id = make_consortium(session, owner=olga, name="Olga's cluster").id
    sign_in(client, ORGANISER)
    token = csrf_token(client, f"/consortia/{consortium_id}")
    response = client.post(
        "/documents",
        data={"csrf_token": token, "document": "consortium-checklist", "id": str(consortium_id)},
        follow_redirects=False,
    )
    job_page = response.headers["location"]
    _poll(client, job_page)
    job_id = int(job_page.rsplit("/", 1)[1])

    prune(app_state.database, app_state.settings, now=NOW + timedelta(days=8))
    panel = client.get(job_page, headers={"HX-Request": "true"}).text
    download = client.get(f"/jobs/{job_id}/download")

    assert STATE.findall(panel) == ["succeeded"]
    assert 'data-testid="job-download"' not in panel
    assert "This document has expired: documents are kept 7 days after their job finished." in panel
    assert download.status_code == 410
    assert f"The document of job {job_id} has expired" in download.text


def test_a_document_with_a_bad_id_is_refused_without_a_job(
    client: TestClient, app_state: AppState, event_id: int
) -> None:
    sign_in(client, ORGANISER)
    token = csrf_token(client, "/jobs")

    response = client.post(
        "/documents", data={"csrf_token": token, "document": "consortium-checklist", "id": "x"}
    )

    assert response.status_code == 422
    assert "<li>Id: &#34;x&#34; is not the id of a record</li>" in response.text
    assert 'href="/jobs/1"' not in client.get("/jobs").text


def test_on_a_site_whose_workers_have_their_own_cache_a_document_is_made_at_its_address(
    clean_database: Database, settings: Settings
) -> None:
    separate = settings.model_copy(update={"broker_url": "redis://broker.invalid:6379/0"})
    state = AppState(separate, clean_database, load_catalogue(), clock=lambda: NOW)
    with state.database.unit_of_work() as session:
        olga = make_person(session, email=ORGANISER, name="Olga", role=UserRole.EVENT_ORGANISER)
        consortium_id = make_consortium(session, owner=olga, name="Olga's cluster").id
    with TestClient(create_app(state), base_url="http://testserver") as client:
        sign_in(client, ORGANISER)
        token = csrf_token(client, f"/consortia/{consortium_id}")

        response = client.post(
            "/documents",
            data={
                "csrf_token": token,
                "document": "consortium-checklist",
                "id": str(consortium_id),
            },
            follow_redirects=False,
        )

    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/consortia/{consortium_id}/checklist.pdf",
    )


def test_a_job_waiting_after_a_failed_attempt_says_until_when(
    client: TestClient, app_state: AppState, event_id: int
) -> None:
    not_before = NOW + timedelta(minutes=2)
    with app_state.database.unit_of_work() as session:
        olga = get_user_by_email(session, ORGANISER)
        job = make_job(session, owner=olga, attempts=2, not_before=not_before)
        job.progress_note = retry_note(2, not_before)
        job_id = job.id
    sign_in(client, ORGANISER)

    panel = client.get(f"/jobs/{job_id}", headers={"HX-Request": "true"}).text

    assert "Attempt 2 failed; trying again at 09:02:00 UTC</label>" in panel
    assert (
        '<p class="small" data-testid="job-not-before">The next attempt starts at '
        "2024-12-01 09:02:00 UTC at the earliest"
    ) in panel
    assert 'hx-trigger="every 1s"' in panel
