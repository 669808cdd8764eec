"""The back-off of retries: a job queued again after a failed attempt waits 30 s, 2 min, 8 min,
then 15 min (the defaults) before its next attempt, and every way a job is started honours the
wait: the claim, the embedded worker's pass, the embedded queue's timer and the recovery."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from clusterbridge.config import Settings
from clusterbridge.db.models import Job
from clusterbridge.db.repositories import jobs as repository
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import JobState
from clusterbridge.services import jobs
from clusterbridge.services.jobs.runner import recover_stale_jobs, retry_delay
from clusterbridge.services.workbooks import TableFormat
from tests.conftest import NOW
from tests.factories.jobs import make_job

pytestmark = [pytest.mark.integration, pytest.mark.db]

ONE_ROW = b"name,country\nAlpha Cluster,DE\n"


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _submit_import(database: Database, *, not_before: datetime | None) -> int:
    """A registry import queued, waiting for ``not_before`` as a retry would."""
    with database.unit_of_work() as session:
        job = jobs.submit_registry_import(
            session,
            None,
            ONE_ROW,
            file_format=TableFormat.CSV,
            source="orgs.csv",
            dispatch=lambda _job_id: None,
        )
        job.not_before = not_before
        return job.id


def _job(database: Database, job_id: int) -> Job:
    with database.unit_of_work() as session:
        return session.get_one(Job, job_id)


def test_the_retry_delay_grows_fourfold_from_the_base_up_to_the_cap(settings: Settings) -> None:
    custom = settings.model_copy(
        update={"job_retry_delay_seconds": 5, "job_retry_max_delay_seconds": 100}
    )
    at_once = settings.model_copy(update={"job_retry_delay_seconds": 0})

    defaults = [retry_delay(settings, attempt).total_seconds() for attempt in range(1, 9)]
    customised = [retry_delay(custom, attempt).total_seconds() for attempt in range(1, 6)]

    assert defaults == [30, 120, 480, 900, 900, 900, 900, 900]
    assert customised == [5, 20, 80, 100, 100]
    assert (retry_delay(at_once, 3), retry_delay(settings, 10_000)) == (
        timedelta(0),
        timedelta(seconds=900),
    )


def test_the_back_off_settings_refuse_negative_and_huge_values() -> None:
    with pytest.raises(ValueError, match="job_retry_delay_seconds"):
        Settings(job_retry_delay_seconds=-1)
    with pytest.raises(ValueError, match="job_retry_max_delay_seconds"):
        Settings(job_retry_max_delay_seconds=86_401)


def test_a_job_is_not_claimed_before_its_time_and_is_claimed_at_it(
    clean_database: Database,
) -> None:
    not_before = NOW + timedelta(seconds=30)
    with clean_database.unit_of_work() as session:
        job_id = make_job(session, owner=None, attempts=1, not_before=not_before).id

    def claim(at: datetime) -> bool:
        with clean_database.unit_of_work() as session:
            lease = at + timedelta(minutes=1)
            return repository.claim_job(session, job_id, now=at, lease_until=lease, worker="w:1")

    early = claim(not_before - timedelta(seconds=1))
    waiting = _job(clean_database, job_id)
    on_time = claim(not_before)
    job = _job(clean_database, job_id)

    assert (early, waiting.state, waiting.attempts) == (False, JobState.QUEUED, 1)
    assert on_time is True
    assert (job.state, job.attempts, job.started_at, job.not_before) == (
        JobState.RUNNING,
        2,
        not_before,
        None,
    )


def test_only_the_jobs_due_are_listed_for_the_workers(clean_database: Database) -> None:
    with clean_database.unit_of_work() as session:
        fresh = make_job(session, owner=None).id
        due = make_job(session, owner=None, not_before=NOW).id
        later = make_job(session, owner=None, not_before=NOW + timedelta(minutes=2)).id

    with clean_database.unit_of_work() as session:
        now = repository.list_queued_ids(session, limit=10, due_at=NOW)
        then = repository.list_queued_ids(session, limit=10, due_at=NOW + timedelta(minutes=2))

    assert (now, then) == ([fresh, due], [fresh, due, later])


def test_the_embedded_worker_leaves_a_retry_until_its_time(
    clean_database: Database, job_settings: Settings
) -> None:
    job_id = _submit_import(clean_database, not_before=NOW + timedelta(minutes=2))

    early = jobs.run_queued(clean_database, job_settings, clock=lambda: NOW)
    waiting = _job(clean_database, job_id).state
    on_time = jobs.run_queued(
        clean_database, job_settings, clock=lambda: NOW + timedelta(minutes=2)
    )

    assert (early, waiting, on_time) == (0, JobState.QUEUED, 1)
    assert _job(clean_database, job_id).state is JobState.SUCCEEDED


def test_the_embedded_queue_runs_a_retry_once_its_time_has_come(
    clean_database: Database, job_settings: Settings
) -> None:
    queue = jobs.EmbeddedQueue(clean_database, job_settings, _utc_now)
    not_before = _utc_now() + timedelta(seconds=1.5)
    job_id = _submit_import(clean_database, not_before=not_before)

    queue.dispatch_at(job_id, not_before)
    waiting = _job(clean_database, job_id).state
    finished = jobs.wait_for_job(lambda: _job(clean_database, job_id), timeout=30)
    queue.close()

    assert (waiting, finished.state, finished.attempts) == (
        JobState.QUEUED,
        JobState.SUCCEEDED,
        1,
    )
    assert finished.started_at is not None
    assert finished.started_at >= not_before


def test_closing_the_embedded_queue_leaves_a_waiting_retry_queued(
    clean_database: Database, job_settings: Settings
) -> None:
    queue = jobs.EmbeddedQueue(clean_database, job_settings, _utc_now)
    not_before = _utc_now() + timedelta(hours=1)
    job_id = _submit_import(clean_database, not_before=not_before)

    queue.dispatch_at(job_id, not_before)
    started = time.monotonic()
    queue.close()
    took = time.monotonic() - started

    job = _job(clean_database, job_id)
    assert (job.state, job.attempts, job.not_before) == (JobState.QUEUED, 0, not_before)
    assert took < 5


def test_a_job_whose_worker_died_is_queued_again_at_once(clean_database: Database) -> None:
    with clean_database.unit_of_work() as session:
        job_id = make_job(
            session,
            owner=None,
            state=JobState.RUNNING,
            attempts=1,
            lease_expires_at=NOW - timedelta(seconds=1),
        ).id
    with clean_database.unit_of_work() as session:
        requeued = [job.id for job in recover_stale_jobs(session, now=NOW)]

    job = _job(clean_database, job_id)
    assert (requeued, job.state, job.not_before) == ([job_id], JobState.QUEUED, None)
