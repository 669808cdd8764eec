"""Background jobs in the embedded mode: submitted with the request's transaction, run by the
runner in one transaction of their own, seen by their owner and administrators, cancelled,
and settled when their worker died."""

import base64
from datetime import timedelta

import pytest
import sqlalchemy as sa

from clusterbridge.config import Settings
from clusterbridge.db.models import Job, Meeting, Organisation
from clusterbridge.db.repositories.users import get_user
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import JobState
from clusterbridge.domain.errors import AccessDeniedError, ConflictError, InvalidInputError
from clusterbridge.services import jobs
from clusterbridge.services.events.events import EventStateError
from clusterbridge.services.jobs.context import LeaseLostError, TaskContext
from clusterbridge.services.jobs.periodic import run_periodic
from clusterbridge.services.jobs.schedules import DAY, HOUR
from clusterbridge.services.workbooks import TableFormat
from tests.conftest import NOW
from tests.factories.jobs import make_job
from tests.services.jobs.conftest import Scheduled, clock

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOT_DISPATCHED: list[int] = []


def _submit_solve(database: Database, scheduled: Scheduled, dispatched: list[int]) -> int:
    with database.unit_of_work() as session:
        olga = get_user(session, scheduled.organiser)
        assert olga is not None
        job = jobs.submit_schedule_solve(
            session, olga, scheduled.event, time_limit=5, dispatch=dispatched.append
        )
        return job.id


def _job(database: Database, job_id: int) -> Job:
    with database.unit_of_work() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def _run(database: Database, settings: Settings, job_id: int) -> JobState | None:
    return jobs.run_job(database, settings, job_id, clock=clock, dispatch=NOT_DISPATCHED.append)


def _slot_of(database: Database, meeting_id: int) -> object:
    with database.unit_of_work() as session:
        return session.get_one(Meeting, meeting_id).starts_at


def test_a_schedule_solve_is_dispatched_at_the_commit_and_runs_in_one_go(
    clean_database: Database, job_settings: Settings, scheduled: Scheduled
) -> None:
    dispatched: list[int] = []
    job_id = _submit_solve(clean_database, scheduled, dispatched)
    queued = _job(clean_database, job_id)

    state = _run(clean_database, job_settings, job_id)

    job = _job(clean_database, job_id)
    assert dispatched == [job_id]
    assert (queued.state, queued.attempts, queued.max_attempts) == (JobState.QUEUED, 0, 3)
    assert (state, job.state, job.attempts, job.progress, job.error) == (
        JobState.SUCCEEDED,
        JobState.SUCCEEDED,
        1,
        1.0,
        None,
    )
    assert job.result is not None
    assert job.result["placed"] == 1
    assert job.result["link"] == f"/events/{scheduled.event}/manage"
    assert (job.finished_at, job.lease_expires_at) == (NOW, None)
    assert _slot_of(clean_database, scheduled.meeting) is not None


def test_a_submission_rolled_back_is_never_dispatched(
    clean_database: Database, scheduled: Scheduled
) -> None:
    dispatched: list[int] = []

    def fail_after_submitting() -> None:
        with clean_database.unit_of_work() as session:
            olga = get_user(session, scheduled.organiser)
            assert olga is not None
            jobs.submit_schedule_solve(
                session, olga, scheduled.event, time_limit=5, dispatch=dispatched.append
            )
            raise RuntimeError("the request failed after the job was added")

    with pytest.raises(RuntimeError):
        fail_after_submitting()

    with clean_database.unit_of_work() as session:
        count = session.scalar(sa.select(sa.func.count()).select_from(Job))
    assert (dispatched, count) == ([], 0)


def test_a_solve_the_event_refuses_fails_at_once_without_a_job(
    clean_database: Database, scheduled: Scheduled
) -> None:
    with clean_database.unit_of_work() as session:
        olga = get_user(session, scheduled.organiser)
        assert olga is not None
        with pytest.raises(InvalidInputError) as error:
            jobs.submit_schedule_solve(
                session, olga, scheduled.event, time_limit=0.5, dispatch=NOT_DISPATCHED.append
            )

    assert str(error.value) == (
        "The meetings cannot be scheduled\n  - time_limit: must be 1 to 600 seconds, not 0.5"
    )


def test_a_job_is_seen_by_its_owner_and_administrators_only(
    clean_database: Database, scheduled: Scheduled
) -> None:
    job_id = _submit_solve(clean_database, scheduled, [])

    with clean_database.unit_of_work() as session:
        people = [get_user(session, key) for key in (scheduled.organiser, scheduled.admin)]
        seen = [jobs.get_visible_job(session, person, job_id).id for person in people]
        listed = [[j.id for j in jobs.list_visible_jobs(session, p)] for p in people]
        otto = get_user(session, scheduled.other)
        assert otto is not None
        with pytest.raises(jobs.JobNotFoundError) as hidden:
            jobs.get_visible_job(session, otto, job_id)
        otto_list = jobs.list_visible_jobs(session, otto)

    assert (seen, listed, otto_list) == ([job_id, job_id], [[job_id], [job_id]], [])
    assert str(hidden.value) == f"No job {job_id}"


def test_a_queued_job_cancelled_never_runs(
    clean_database: Database, job_settings: Settings, scheduled: Scheduled
) -> None:
    job_id = _submit_solve(clean_database, scheduled, [])
    with clean_database.unit_of_work() as session:
        jobs.cancel_job(session, get_user(session, scheduled.organiser), job_id, now=NOW)

    state = _run(clean_database, job_settings, job_id)

    job = _job(clean_database, job_id)
    assert (state, job.state, job.attempts, job.finished_at) == (
        None,
        JobState.CANCELLED,
        0,
        NOW,
    )
    assert _slot_of(clean_database, scheduled.meeting) is None


def test_a_finished_job_cannot_be_cancelled(
    clean_database: Database, job_settings: Settings, scheduled: Scheduled
) -> None:
    job_id = _submit_solve(clean_database, scheduled, [])
    _run(clean_database, job_settings, job_id)

    with (
        pytest.raises(ConflictError) as error,
        clean_database.unit_of_work() as session,
    ):
        jobs.cancel_job(session, None, job_id, now=NOW)

    assert str(error.value) == f"Job {job_id} is already succeeded"


def test_a_task_that_fails_leaves_its_error_and_nothing_written(
    clean_database: Database, job_settings: Settings, scheduled: Scheduled
) -> None:
    job_id = _submit_solve(clean_database, scheduled, [])
    with clean_database.unit_of_work() as session:
        # The event is moved back to a draft after the job was queued.
        session.execute(sa.text("UPDATE event SET status = 'draft'"))

    state = _run(clean_database, job_settings, job_id)

    job = _job(clean_database, job_id)
    assert (state, job.state, job.error, job.result) == (
        JobState.FAILED,
        JobState.FAILED,
        str(EventStateError("Open registration before scheduling")),
        None,
    )
    assert _slot_of(clean_database, scheduled.meeting) is None


def _submit_import(database: Database, content: bytes) -> int:
    with database.unit_of_work() as session:
        return jobs.submit_registry_import(
            session,
            None,
            content,
            file_format=TableFormat.CSV,
            source="orgs.csv",
            dispatch=NOT_DISPATCHED.append,
        ).id


def _organisations(database: Database) -> list[str]:
    with database.unit_of_work() as session:
        return list(session.scalars(sa.select(Organisation.name).order_by(Organisation.name)))


def test_an_import_job_writes_every_row(clean_database: Database, job_settings: Settings) -> None:
    job_id = _submit_import(clean_database, b"name,country\nAlpha Cluster,DE\nBeta SME,FR\n")

    _run(clean_database, job_settings, job_id)

    job = _job(clean_database, job_id)
    assert (job.state, job.result) == (
        JobState.SUCCEEDED,
        {
            "summary": "2 added, 0 updated, 0 unchanged",
            "created": 2,
            "updated": 0,
            "unchanged": 0,
            "link": "/organisations",
        },
    )
    assert base64.b64decode(job.arguments["content"]).startswith(b"name,country")
    assert _organisations(clean_database) == ["Alpha Cluster", "Beta SME"]


def test_an_import_job_with_a_bad_row_names_it_and_writes_nothing(
    clean_database: Database, job_settings: Settings
) -> None:
    job_id = _submit_import(clean_database, b"name,country\nAlpha Cluster,DE\nBeta SME,\n")

    _run(clean_database, job_settings, job_id)

    job = _job(clean_database, job_id)
    assert job.state is JobState.FAILED
    assert job.error is not None
    assert job.error.splitlines()[0] == "orgs.csv has problems; nothing was imported"
    assert job.error.splitlines()[1].startswith("  - orgs.csv, line 3, country: ")
    assert _organisations(clean_database) == []


def test_only_administrators_import_and_an_empty_file_is_refused(
    clean_database: Database, scheduled: Scheduled
) -> None:
    with clean_database.unit_of_work() as session:
        olga = get_user(session, scheduled.organiser)
        with pytest.raises(AccessDeniedError) as denied:
            jobs.submit_registry_import(
                session, olga, b"name,country\n", file_format=TableFormat.CSV, source="a.csv",
                dispatch=NOT_DISPATCHED.append,
            )  # fmt: skip
        with pytest.raises(InvalidInputError) as empty:
            jobs.submit_registry_import(
                session, None, b"", file_format=TableFormat.CSV, source="a.csv",
                dispatch=NOT_DISPATCHED.append,
            )  # fmt: skip

    assert str(denied.value) == "Only administrators import organisation files"
    assert str(empty.value) == "The file cannot be imported\n  - a.csv, file: is empty"


def test_an_abandoned_job_is_retried_while_attempts_remain_then_failed(
    clean_database: Database, scheduled: Scheduled
) -> None:
    expired = NOW - timedelta(seconds=1)
    with clean_database.unit_of_work() as session:
        olga = get_user(session, scheduled.organiser)
        retried = make_job(
            session, owner=olga, state=JobState.RUNNING, attempts=1, lease_expires_at=expired
        )
        spent = make_job(
            session, owner=olga, state=JobState.RUNNING, attempts=3, lease_expires_at=expired
        )
        alive = make_job(
            session, owner=olga, state=JobState.RUNNING, attempts=1, lease_expires_at=NOW
        )
        ids = (retried.id, spent.id, alive.id)

    with clean_database.unit_of_work() as session:
        requeued = [job.id for job in jobs.recover_stale_jobs(session, now=NOW)]

    after = [_job(clean_database, job_id) for job_id in ids]
    assert requeued == [ids[0]]
    assert [(j.state, j.attempts, j.lease_expires_at) for j in after] == [
        (JobState.QUEUED, 1, None),
        (JobState.FAILED, 3, None),
        (JobState.RUNNING, 1, NOW),
    ]
    assert after[0].progress_note == "Its worker stopped during attempt 1; trying again"
    assert after[1].error == "Its worker stopped during attempt 3 of 3; nothing it did was kept"


def test_an_attempt_that_lost_its_lease_cannot_record_its_result(
    clean_database: Database, job_settings: Settings, scheduled: Scheduled
) -> None:
    job_id = _submit_solve(clean_database, scheduled, [])
    with clean_database.unit_of_work() as session:
        # A worker took attempt 1, died, and the job was retried: attempt 2 runs now.
        job = session.get_one(Job, job_id)
        job.state, job.attempts, job.lease_expires_at = JobState.RUNNING, 2, NOW
    late = TaskContext(clean_database, job_settings, job_id, 1, {}, scheduled.organiser, clock)

    def write_late() -> None:
        with late.write() as session:
            session.execute(sa.text("UPDATE meeting SET priority = 3"))
            late.succeed(session, {"summary": "too late"})

    with pytest.raises(LeaseLostError):
        write_late()

    job = _job(clean_database, job_id)
    with clean_database.unit_of_work() as session:
        priorities = list(session.scalars(sa.select(Meeting.priority)))
    assert (job.state, job.result, priorities) == (JobState.RUNNING, None, [1])


def test_the_embedded_queue_runs_a_job_in_a_thread(
    clean_database: Database, job_settings: Settings, scheduled: Scheduled
) -> None:
    queue = jobs.EmbeddedQueue(clean_database, job_settings, clock)
    job_id = _submit_solve(clean_database, scheduled, [])

    queue.dispatch(job_id)
    queue.close()

    assert _job(clean_database, job_id).state is JobState.SUCCEEDED


def test_the_embedded_worker_runs_what_is_queued_oldest_first(
    clean_database: Database, job_settings: Settings, scheduled: Scheduled
) -> None:
    first = _submit_solve(clean_database, scheduled, [])
    second = _submit_import(clean_database, b"name,country\nAlpha Cluster,DE\n")

    ran = jobs.run_queued(clean_database, job_settings, clock=clock)

    states = [_job(clean_database, key).state for key in (first, second)]
    assert (ran, states) == (2, [JobState.SUCCEEDED, JobState.SUCCEEDED])


def test_the_embedded_scheduler_runs_each_periodic_job_once_per_interval(
    clean_database: Database, job_settings: Settings
) -> None:
    last: dict[str, float] = {}

    first = run_periodic(clean_database, job_settings, last, clock=clock, monotonic=1000.0)
    soon = run_periodic(clean_database, job_settings, last, clock=clock, monotonic=1060.0)
    next_hour = run_periodic(
        clean_database, job_settings, last, clock=clock, monotonic=1000.0 + HOUR
    )
    next_day = run_periodic(clean_database, job_settings, last, clock=clock, monotonic=1000.0 + DAY)

    with clean_database.unit_of_work() as session:
        ran = [
            (job.kind, job.state, job.owner_id, job.max_attempts, (job.result or {})["summary"])
            for job in session.scalars(sa.select(Job).order_by(Job.id))
        ]
    kinds = [
        "followups.send",
        "labels.remind",
        "exchanges.remind_payments",
        "events.remind",
        "jobs.prune",
    ]
    assert (first, soon, next_hour, next_day) == (kinds, [], ["events.remind"], kinds)
    assert ran[:5] == [
        ("followups.send", JobState.SUCCEEDED, None, 3, "Follow-ups sent: 0."),
        ("labels.remind", JobState.SUCCEEDED, None, 3, "Reminders sent for 0 label(s)."),
        (
            "exchanges.remind_payments",
            JobState.SUCCEEDED,
            None,
            3,
            "Reminders sent for 0 payment(s).",
        ),
        (
            "events.remind",
            JobState.SUCCEEDED,
            None,
            3,
            "Reminders sent to 0 participant(s) of 0 event(s).",
        ),
        ("jobs.prune", JobState.SUCCEEDED, None, 3, "Removed 0 job(s) and 0 document(s)."),
    ]
    assert len(ran) == 11


def test_the_applications_recovery_thread_runs_abandoned_and_forgotten_jobs(
    clean_database: Database, job_settings: Settings, scheduled: Scheduled
) -> None:
    arguments = {"event_id": scheduled.event, "time_limit": 5}
    with clean_database.unit_of_work() as session:
        olga = get_user(session, scheduled.organiser)
        # One whose process died while it ran, one whose process stopped before running it.
        abandoned = make_job(
            session,
            owner=olga,
            arguments=arguments,
            state=JobState.RUNNING,
            attempts=1,
            lease_expires_at=NOW - timedelta(seconds=1),
        ).id
        forgotten = make_job(session, owner=olga, arguments=arguments).id
    queue = jobs.EmbeddedQueue(clean_database, job_settings, clock)

    queue.start_recovery(every=3600)
    finished = [
        jobs.wait_for_job(lambda key=key: _job(clean_database, key), timeout=60)
        for key in (abandoned, forgotten)
    ]
    queue.close()

    assert [(job.state, job.attempts) for job in finished] == [
        (JobState.SUCCEEDED, 2),
        (JobState.SUCCEEDED, 1),
    ]
