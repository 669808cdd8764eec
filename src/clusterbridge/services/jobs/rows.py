"""A job row added to the table and handed on once its transaction commits: what
``jobs.submit_job`` does for every task, and what a task does when it asks for another job
(a registry import asks for an index build) without importing the task registry."""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import Job
from clusterbridge.db.repositories import jobs as repository

Dispatch = Callable[[int], None]


def add_job(
    session: Session,
    owner_id: int | None,
    kind: str,
    arguments: dict[str, Any],
    *,
    max_attempts: int,
    dispatch: Dispatch,
) -> Job:
    """Add a queued job of ``kind`` and hand its id to ``dispatch`` once ``session`` commits;
    if it rolls back, the job never existed and nothing is handed on. Flushes."""
    job = repository.add_job(session, kind, arguments, owner_id=owner_id, max_attempts=max_attempts)
    session.flush()
    _dispatch_after_commit(session, job.id, dispatch)
    return job


def _dispatch_after_commit(session: Session, job_id: int, dispatch: Dispatch) -> None:
    def after_commit(_session: Session) -> None:
        sa.event.remove(session, "after_rollback", after_rollback)
        dispatch(job_id)

    def after_rollback(_session: Session) -> None:
        sa.event.remove(session, "after_commit", after_commit)

    sa.event.listen(session, "after_commit", after_commit, once=True)
    sa.event.listen(session, "after_rollback", after_rollback, once=True)
