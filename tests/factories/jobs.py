"""Background jobs as a worker leaves them."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.db.models import Job, User
from clusterbridge.domain.enums import FINISHED_JOB_STATES, JobState

#: When factory jobs were queued.
QUEUED_AT = datetime(2024, 12, 1, 8, 0, tzinfo=UTC)


def make_job(
    session: Session,
    *,
    owner: User | None,
    kind: str = "schedule.solve",
    arguments: dict[str, Any] | None = None,
    state: JobState = JobState.QUEUED,
    result: dict[str, Any] | None = None,
    error: str | None = None,
    attempts: int = 0,
    max_attempts: int = 3,
    lease_expires_at: datetime | None = None,
    not_before: datetime | None = None,
) -> Job:
    """A job in ``state``: a finished one ended a minute after it was queued, a running one is
    leased until ``lease_expires_at`` (default: an hour after it was queued); a queued one may
    wait for ``not_before`` (a retry's back-off)."""
    running = state is JobState.RUNNING
    job = Job(
        kind=kind,
        arguments=arguments or {"event_id": 1, "time_limit": 10.0},
        state=state,
        progress=1.0 if state is JobState.SUCCEEDED else 0.0,
        progress_note="Done" if state is JobState.SUCCEEDED else "",
        result=result,
        error=error,
        attempts=attempts,
        max_attempts=max_attempts,
        cancel_requested=False,
        owner_id=owner.id if owner else None,
        created_at=QUEUED_AT,
        started_at=QUEUED_AT if attempts else None,
        finished_at=QUEUED_AT + timedelta(minutes=1) if state in FINISHED_JOB_STATES else None,
        lease_expires_at=(lease_expires_at or QUEUED_AT + timedelta(hours=1)) if running else None,
        not_before=not_before,
    )
    session.add(job)
    session.flush()
    return job
