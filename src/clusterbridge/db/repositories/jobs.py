"""Queries on background jobs. The state changes a worker makes are single conditional UPDATEs,
so that two workers (or a worker and a cancel) never both win."""

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import Job
from clusterbridge.db.repositories.locks import hold_row
from clusterbridge.domain.enums import JobState


def add_job(
    session: Session,
    kind: str,
    arguments: dict[str, Any],
    *,
    owner_id: int | None,
    max_attempts: int,
) -> Job:
    """A new queued job of ``kind``, added to ``session`` (not flushed)."""
    job = Job(
        kind=kind,
        arguments=arguments,
        state=JobState.QUEUED,
        owner_id=owner_id,
        max_attempts=max_attempts,
        progress=0.0,
        progress_note="Waiting for a worker",
        attempts=0,
        cancel_requested=False,
    )
    session.add(job)
    return job


def get_job(session: Session, job_id: int) -> Job | None:
    """The job with this id, or None."""
    return session.get(Job, job_id)


def list_jobs(
    session: Session,
    *,
    owner_id: int | None,
    limit: int,
    kind: str | None = None,
    state: JobState | None = None,
) -> list[Job]:
    """The newest jobs first; only ``owner_id``'s, of ``kind`` and in ``state`` when given."""
    statement = sa.select(Job).order_by(Job.id.desc()).limit(limit)
    if owner_id is not None:
        statement = statement.where(Job.owner_id == owner_id)
    if kind is not None:
        statement = statement.where(Job.kind == kind)
    if state is not None:
        statement = statement.where(Job.state == state)
    return list(session.scalars(statement))


def claim_job(
    session: Session, job_id: int, *, now: datetime, lease_until: datetime, worker: str
) -> bool:
    """Move a queued job to running (one more attempt, leased until ``lease_until``, run by
    ``worker``); False when it was not queued (another worker has it, or it was cancelled) or
    may not start before a later time (``not_before``, the back-off of its retries)."""
    statement = (
        sa.update(Job)
        .where(Job.id == job_id, Job.state == JobState.QUEUED, _due(now))
        .values(
            state=JobState.RUNNING,
            attempts=Job.attempts + 1,
            started_at=now,
            lease_expires_at=lease_until,
            worker=worker,
            not_before=None,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(session.execute(statement).rowcount == 1)  # type: ignore[attr-defined]


def renew_lease(
    session: Session, job_id: int, *, attempt: int, lease_until: datetime, **values: Any
) -> bool:
    """Extend the lease of the running ``attempt`` of a job (and set ``values``, such as its
    progress); False when that attempt no longer holds it."""
    statement = (
        sa.update(Job)
        .where(Job.id == job_id, Job.state == JobState.RUNNING, Job.attempts == attempt)
        .values(lease_expires_at=lease_until, **values)
        .execution_options(synchronize_session=False)
    )
    return bool(session.execute(statement).rowcount == 1)  # type: ignore[attr-defined]


def lock_job(session: Session, job_id: int) -> Job | None:
    """The job, read again and locked (PostgreSQL) until the transaction ends."""
    statement = (
        sa.select(Job)
        .where(Job.id == job_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).one_or_none()


def hold_job(session: Session, job_id: int) -> None:
    """Keep every other transaction that holds the job from going on until the caller's ends:
    PostgreSQL locks the job's row (SELECT ... FOR UPDATE), SQLite takes its one write lock
    (with an UPDATE that changes nothing), waiting for a writer that has it. Then what the
    caller reads is what the database holds under the lock."""
    hold_row(session, Job, job_id, Job.kind)


def list_expired_jobs(session: Session, *, now: datetime) -> list[Job]:
    """Running jobs whose lease ran out before ``now``, locked, oldest first."""
    statement = (
        sa.select(Job)
        .where(Job.state == JobState.RUNNING, Job.lease_expires_at < now)
        .order_by(Job.id)
        .with_for_update()
    )
    return list(session.scalars(statement))


def list_queued_ids(
    session: Session, *, limit: int, due_at: datetime, created_before: datetime | None = None
) -> list[int]:
    """The ids of the oldest queued jobs that may start at ``due_at`` (not waiting for a later
    retry; only those created before ``created_before``)."""
    statement = (
        sa.select(Job.id)
        .where(Job.state == JobState.QUEUED, _due(due_at))
        .order_by(Job.id)
        .limit(limit)
    )
    if created_before is not None:
        statement = statement.where(Job.created_at < created_before)
    return list(session.scalars(statement))


def _due(now: datetime) -> sa.ColumnElement[bool]:
    """A job that may start at ``now``: no back-off, or its time has come."""
    return sa.or_(Job.not_before.is_(None), Job.not_before <= now)


def find_unfinished_job(session: Session, kind: str) -> Job | None:
    """The oldest queued or running job of ``kind``, or None."""
    statement = (
        sa.select(Job)
        .where(Job.kind == kind, Job.state.in_([JobState.QUEUED, JobState.RUNNING]))
        .order_by(Job.id)
        .limit(1)
    )
    return session.scalars(statement).first()


def list_prunable_ids(
    session: Session, *, finished_before: datetime, failed_before: datetime, limit: int
) -> list[int]:
    """The ids of the oldest finished jobs to remove: succeeded or cancelled before
    ``finished_before``, failed before ``failed_before`` (at most ``limit``)."""
    statement = (
        sa.select(Job.id)
        .where(_prunable(finished_before, failed_before))
        .order_by(Job.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def count_prunable(
    session: Session, *, finished_before: datetime, failed_before: datetime
) -> dict[tuple[str, JobState], int]:
    """How many jobs ``list_prunable_ids`` would give, by kind and state."""
    statement = (
        sa.select(Job.kind, Job.state, sa.func.count())
        .where(_prunable(finished_before, failed_before))
        .group_by(Job.kind, Job.state)
    )
    return {(kind, state): count for kind, state, count in session.execute(statement)}


def delete_prunable(
    session: Session, job_ids: list[int], *, finished_before: datetime, failed_before: datetime
) -> int:
    """Delete those of ``job_ids`` that are still finished before the limits (a conditional
    DELETE: a job cannot start again once finished, but the check costs nothing); how many."""
    statement = (
        sa.delete(Job)
        .where(Job.id.in_(job_ids), _prunable(finished_before, failed_before))
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def ends_of(session: Session, job_ids: list[int]) -> dict[int, tuple[JobState, datetime | None]]:
    """The state and end (None: not over) of each of ``job_ids`` that exists."""
    statement = sa.select(Job.id, Job.state, Job.finished_at).where(Job.id.in_(job_ids))
    return {job_id: (state, finished) for job_id, state, finished in session.execute(statement)}


def _prunable(finished_before: datetime, failed_before: datetime) -> sa.ColumnElement[bool]:
    """A job that finished long enough ago to be removed (never a queued or running one)."""
    return sa.or_(
        sa.and_(
            Job.state.in_([JobState.SUCCEEDED, JobState.CANCELLED]),
            Job.finished_at < finished_before,
        ),
        sa.and_(Job.state == JobState.FAILED, Job.finished_at < failed_before),
    )
