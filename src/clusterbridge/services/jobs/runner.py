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
from datetime import UTC, datetime, timedelta

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
#: Each failed attempt waits this many times longer than the one before (the back-off).
BACKOFF_FACTOR = 4

Clock = Callable[[], datetime]
Dispatch = Callable[[int], None]
#: Hands over a job that may not start before the given time (a retry's back-off).
DispatchAt = Callable[[int, datetime], None]


def run_job(
    database: Database,
    settings: Settings,
    job_id: int,
    *,
    clock: Clock,
    dispatch: Dispatch,
    dispatch_at: DispatchAt | None = None,
) -> JobState | None:
    """Run one attempt at a queued job and record its end: succeeded (with the task's writes),
    failed (the error; nothing written), cancelled, or queued again after an unexpected error
    when its task may run again. A job queued again may not start before its back-off has
    passed (`retry_delay`; ``job.not_before``): it is handed to ``dispatch_at`` with that time,
    or to ``dispatch`` when there is no wait; without ``dispatch_at`` it waits in the table for
    a worker's pass (`queue.run_queued`). Returns the state it left, or None when the job was
    not queued or not yet due (another worker has it, it was cancelled, it is unknown, or its
    back-off has not passed)."""
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
            return _retry_or_fail(context, task.max_attempts, dispatch, dispatch_at, error=message)
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


def retry_delay(settings: Settings, attempt: int) -> timedelta:
    """How long a job waits after its failed ``attempt`` (1 for the first) before the next:
    ``job_retry_delay_seconds`` times `BACKOFF_FACTOR` for each earlier failed attempt, at most
    ``job_retry_max_delay_seconds`` (30 s, 2 min, 8 min, then 15 min by default)."""
    cap = settings.job_retry_max_delay_seconds
    growth = BACKOFF_FACTOR ** min(max(attempt - 1, 0), 32)
    return timedelta(seconds=min(cap, settings.job_retry_delay_seconds * growth))


def _retry_or_fail(
    context: TaskContext,
    max_attempts: int,
    dispatch: Dispatch,
    dispatch_at: DispatchAt | None,
    *,
    error: str,
) -> JobState | None:
    if context.attempt >= max_attempts:
        return _end(context, JobState.FAILED, error=error)
    now = context.clock()
    delay = retry_delay(context.settings, context.attempt)
    with context.database.unit_of_work() as session:
        job = repository.lock_job(session, context.job_id)
        if job is None or job.state is not JobState.RUNNING or job.attempts != context.attempt:
            return None
        if delay:
            _requeue(job, retry_note(job.attempts, now + delay), not_before=now + delay)
        else:
            _requeue(job, f"Attempt {job.attempts} failed; trying again")
    if not delay:
        dispatch(context.job_id)
    elif dispatch_at is not None:
        dispatch_at(context.job_id, now + delay)
    return JobState.QUEUED


def retry_note(attempt: int, not_before: datetime) -> str:
    """The progress note of a job whose ``attempt`` failed and that waits until ``not_before``."""
    return f"Attempt {attempt} failed; trying again at {not_before.astimezone(UTC):%H:%M:%S} UTC"


def _check_succeeded(context: TaskContext) -> JobState | None:
    with context.database.unit_of_work() as session:
        job = repository.get_job(session, context.job_id)
        state = None if job is None else job.state
    if state is JobState.RUNNING:
        logger.error("Job %s: its task ended without recording a result", context.job_id)
        return _end(context, JobState.FAILED, error=INTERNAL_ERROR)
    return state


def _requeue(job: Job, note: str, *, not_before: datetime | None = None) -> None:
    job.state, job.lease_expires_at, job.progress, job.progress_note = (
        JobState.QUEUED,
        None,
        0.0,
        note,
    )
    job.not_before = not_before


def recover_stale_jobs(session: Session, *, now: datetime) -> list[Job]:
    """Settle the running jobs whose lease ran out before ``now`` (their worker died or hung):
    each goes back to the queue when its task may run again and attempts are left, and fails
    with a message saying so otherwise. Nothing such an attempt wrote was committed. Returns
    the jobs queued again, for the caller to dispatch once this commits. Flushes.

    They are queued to run at once, without the back-off of a failed attempt: the attempt did
    not fail, its worker stopped, and the lease that had to run out first was the wait."""
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
