"""What a task sees while it runs (`TaskContext`): its job's arguments, the database, the
settings, and the calls that report progress, notice a cancel and end the job together with
the task's own writes."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.config import Settings
from clusterbridge.db.repositories import jobs as repository
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import JobState

#: The longest progress note kept (the column's length).
MAX_NOTE = 200


class JobCancelledError(Exception):
    """The job's owner cancelled it: the task stops and writes nothing."""


class LeaseLostError(Exception):
    """This worker no longer holds the job (its lease ran out and the job was retried or
    failed): the task stops and writes nothing."""


class TaskRetryError(Exception):
    """A failure outside the application (a mail server that does not answer): the attempt is
    retried while attempts remain, and after the last the job fails with this message."""


@dataclass(frozen=True)
class TaskContext:
    """One attempt at one job, as its task sees it."""

    database: Database
    settings: Settings
    job_id: int
    attempt: int
    arguments: dict[str, Any]
    owner_id: int | None
    clock: Callable[[], datetime]
    #: Hands a job this task submits to the queue that runs this one (after the commit).
    dispatch: Callable[[int], None] = field(default=lambda _job_id: None)

    @property
    def lease(self) -> timedelta:
        """How long each renewal holds the job."""
        return timedelta(seconds=self.settings.job_lease_seconds)

    def today(self) -> date:
        """The site's calendar date by this task's clock, in the configured time zone."""
        return self.settings.today(self.clock())

    def report(self, fraction: float, note: str) -> None:
        """Record progress (0 to 1) with a short note and renew the lease, in a transaction of
        its own; raises JobCancelledError when the owner cancelled the job and LeaseLostError
        when this attempt no longer holds it."""
        self.renew(progress=min(max(fraction, 0.0), 1.0), progress_note=note[:MAX_NOTE])
        self.check_cancelled()

    def renew(self, **values: Any) -> None:
        """Extend this attempt's lease (and set ``values``); LeaseLostError when it lost it."""
        now = self.clock()
        with self.database.unit_of_work() as session:
            held = repository.renew_lease(
                session, self.job_id, attempt=self.attempt, lease_until=now + self.lease, **values
            )
        if not held:
            raise LeaseLostError(f"Job {self.job_id} attempt {self.attempt} lost its lease")

    def check_cancelled(self) -> None:
        """Raise JobCancelledError when the job's owner asked it to stop."""
        with self.database.unit_of_work() as session:
            job = repository.get_job(session, self.job_id)
            cancelled = job is None or job.cancel_requested
        if cancelled:
            raise JobCancelledError(f"Job {self.job_id} was cancelled")

    @contextmanager
    def write(self) -> Iterator[Session]:
        """The task's one write transaction: the block's writes and the job's end (`succeed`)
        commit together, or neither does."""
        with self.database.unit_of_work() as session:
            yield session

    def succeed(self, session: Session, result: dict[str, Any]) -> None:
        """Mark the job succeeded with ``result``, in ``session`` (the task's write
        transaction). The job row is locked and read again first: JobCancelledError if it was
        cancelled meanwhile, LeaseLostError if this attempt lost it; either rolls back the
        task's writes."""
        job = repository.lock_job(session, self.job_id)
        if job is None or job.cancel_requested:
            raise JobCancelledError(f"Job {self.job_id} was cancelled")
        if job.state is not JobState.RUNNING or job.attempts != self.attempt:
            raise LeaseLostError(f"Job {self.job_id} attempt {self.attempt} lost its lease")
        job.state, job.result, job.progress = JobState.SUCCEEDED, result, 1.0
        job.progress_note, job.finished_at, job.lease_expires_at = "Done", self.clock(), None
        session.flush()
