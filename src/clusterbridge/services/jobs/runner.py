"""The task wrapper: run one attempt at a job, keep its lease while it runs, and record how it
ended; and the recovery of jobs whose worker died (their lease ran out).

Every state change is its own short transaction, apart from success, which commits with the
task's writes (`TaskContext.succeed`). A failed attempt leaves nothing of the task written.
"""

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from clusterbridge.config import Settings
from clusterbridge.db.models import Job
from clusterbridge.db.models.job import MAX_WORKER_NAME
from clusterbridge.db.repositories import jobs as repository
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import JobState
from clusterbridge.domain.errors import DomainError
from clusterbridge.services.jobs.context import (
    JobCancelledError,
    LeaseLostError,
    TaskContext,
    TaskRetryError,
)
from clusterbridge.services.jobs.tasks import Task, get_task

logger = logging.getLogger(__name__)

#: A running job's lease is renewed this many times within one lease.
RENEWALS_PER_LEASE = 3
#: The message of an error that is not the user's; the details go to the log.
INTERNAL_ERROR = "The task failed unexpectedly (the log of the worker has the details)"

Clock = Callable[[], datetime]
Dispatch = Callable[[int], None]


def run_job(
    database: Database, settings: Settings, job_id: int, *, clock: Clock, dispatch: Dispatch
) -> JobState | None:
    """Run one attempt at a queued job and record its end: succeeded (with the task's writes),
    failed (the error; nothing written), cancelled, or queued again for ``dispatch`` after an
    unexpected error when its task may run again. Returns the state it left, or None when the
    job was not queued (another worker has it, or it was cancelled or is unknown)."""
    claimed = _claim(database, settings, job_id, clock, dispatch)
    if claimed is None:
        return None
    context, task = claimed
    with _Heartbeat(context):
        try:
            task.run(context)
        except LeaseLostError:
            logger.warning(
                "Job %s attempt %s lost its lease; left to the retry", job_id, context.attempt
            )
            return None
        except JobCancelledError:
            return _end(context, JobState.CANCELLED, note="Cancelled; nothing was written")
        except DomainError as error:
            return _end(context, JobState.FAILED, error=str(error))
        except Exception as error:
            logger.exception("Job %s (%s) attempt %s failed", job_id, task.title, context.attempt)
            message = str(error) if isinstance(error, TaskRetryError) else INTERNAL_ERROR
            return _retry_or_fail(context, task.max_attempts, dispatch, error=message)
    return _check_succeeded(context)


def worker_name() -> str:
    """This process as a job records who ran it: "host:pid"."""
    return f"{socket.gethostname()}:{os.getpid()}"[-MAX_WORKER_NAME:]


def _claim(
    database: Database, settings: Settings, job_id: int, clock: Clock, dispatch: Dispatch
) -> tuple[TaskContext, Task] | None:
    now = clock()
    with database.unit_of_work() as session:
        lease = now + _lease(settings)
        claimed = repository.claim_job(
            session, job_id, now=now, lease_until=lease, worker=worker_name()
        )
        if not claimed:
            return None
        job = repository.lock_job(session, job_id)
        if job is None:
            return None
        job.progress_note = "Started"
        context = TaskContext(
            database, settings, job.id, job.attempts, dict(job.arguments), job.owner_id, clock,
            dispatch,
        )  # fmt: skip
        return context, get_task(job.kind)


def _lease(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.job_lease_seconds)


def _end(
    context: TaskContext, state: JobState, *, error: str | None = None, note: str = "Failed"
) -> JobState | None:
    with context.database.unit_of_work() as session:
        job = repository.lock_job(session, context.job_id)
        if job is None or job.state is not JobState.RUNNING or job.attempts != context.attempt:
            return None
        job.state, job.error, job.progress_note = state, error, note
        job.finished_at, job.lease_expires_at = context.clock(), None
        return state


def _retry_or_fail(
    context: TaskContext, max_attempts: int, dispatch: Dispatch, *, error: str
) -> JobState | None:
    if context.attempt >= max_attempts:
        return _end(context, JobState.FAILED, error=error)
    with context.database.unit_of_work() as session:
        job = repository.lock_job(session, context.job_id)
        if job is None or job.state is not JobState.RUNNING or job.attempts != context.attempt:
            return None
        _requeue(job, f"Attempt {job.attempts} failed; trying again")
    dispatch(context.job_id)
    return JobState.QUEUED


def _check_succeeded(context: TaskContext) -> JobState | None:
    with context.database.unit_of_work() as session:
        job = repository.get_job(session, context.job_id)
        state = None if job is None else job.state
    if state is JobState.RUNNING:
        logger.error("Job %s: its task ended without recording a result", context.job_id)
        return _end(context, JobState.FAILED, error=INTERNAL_ERROR)
    return state


def _requeue(job: Job, note: str) -> None:
    job.state, job.lease_expires_at, job.progress, job.progress_note = (
        JobState.QUEUED,
        None,
        0.0,
        note,
    )


def recover_stale_jobs(session: Session, *, now: datetime) -> list[Job]:
    """Settle the running jobs whose lease ran out before ``now`` (their worker died or hung):
    each goes back to the queue when its task may run again and attempts are left, and fails
    with a message saying so otherwise. Nothing such an attempt wrote was committed. Returns
    the jobs queued again, for the caller to dispatch once this commits. Flushes."""
    requeued = []
    for job in repository.list_expired_jobs(session, now=now):
        if job.attempts < job.max_attempts:
            _requeue(job, f"Its worker stopped during attempt {job.attempts}; trying again")
            requeued.append(job)
        else:
            job.state, job.finished_at, job.lease_expires_at = JobState.FAILED, now, None
            job.error = (
                f"Its worker stopped during attempt {job.attempts} of {job.max_attempts}; "
                "nothing it did was kept"
            )
            job.progress_note = "Failed"
        logger.warning("Job %s: lease expired, now %s", job.id, job.state.value)
    session.flush()
    return requeued


class _Heartbeat:
    """Renews a running job's lease in a background thread until the task returns."""

    def __init__(self, context: TaskContext) -> None:
        self._context = context
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"job-{context.job_id}-lease", daemon=True
        )

    def __enter__(self) -> "_Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        interval = self._context.settings.job_lease_seconds / RENEWALS_PER_LEASE
        while not self._stop.wait(interval):
            try:
                self._context.renew()
            except LeaseLostError:
                return
            except Exception:
                logger.exception("Job %s: could not renew its lease", self._context.job_id)
