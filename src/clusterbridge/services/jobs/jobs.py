"""The job table's life cycle as users see it: submit a job, read it (its owner and the
administrators only), cancel it, wait for it."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.db.models import Job, User
from clusterbridge.db.repositories import jobs as repository
from clusterbridge.domain.enums import FINISHED_JOB_STATES, JobState, UserRole
from clusterbridge.domain.errors import ConflictError, DomainError, InputIssue, InvalidInputError
from clusterbridge.engines.consortium.problem import Mode
from clusterbridge.services.jobs.builder_job import BUILDER_BUILD
from clusterbridge.services.jobs.rows import add_job
from clusterbridge.services.jobs.tasks import TASKS, get_task

#: How often ``wait_for_job`` reads the job again, in seconds.
WAIT_POLL_SECONDS = 0.2
#: The most jobs a list shows.
MAX_LISTED = 50

Dispatch = Callable[[int], None]


class JobNotFoundError(DomainError):
    """No job with this id, or none the user may see (the two are not told apart)."""

    status = 404


def submit_job(
    session: Session,
    owner: User | None,
    kind: str,
    arguments: dict[str, Any],
    *,
    dispatch: Dispatch,
) -> Job:
    """Add a queued job of ``kind`` (a name of the task registry) and hand it to ``dispatch``
    once ``session`` commits; if it rolls back, the job never existed and nothing is handed on.
    The task's retry policy decides ``max_attempts``. Flushes."""
    owner_id = owner.id if owner else None
    max_attempts = get_task(kind).max_attempts
    return add_job(session, owner_id, kind, arguments, max_attempts=max_attempts, dispatch=dispatch)


def get_visible_job(session: Session, actor: User | None, job_id: int) -> Job:
    """The job, if ``actor`` started it or is an administrator (None: the operator on the
    command line, who sees every job); JobNotFoundError otherwise."""
    job = repository.get_job(session, job_id)
    if job is None or (actor is not None and not _may_see(actor, job)):
        raise JobNotFoundError(f"No job {job_id}")
    return job


@dataclass(frozen=True, slots=True)
class JobFilter:
    """Which jobs a list shows: of one kind of task and in one state (None: any)."""

    kind: str | None = None
    state: JobState | None = None


def read_job_filter(*, kind: str | None, state: str | None) -> JobFilter:
    """The filter from user input: ``kind`` a kind of the task registry, ``state`` a job state
    (empty or None: any). InvalidInputError names ``kind`` and ``state`` when not one of
    them."""
    kind, state = (kind or "").strip() or None, (state or "").strip() or None
    issues = []
    if kind is not None and kind not in TASKS:
        reason = f'"{kind}" is not a kind of job; use one of {", ".join(sorted(TASKS))}'
        issues.append(InputIssue("", "kind", reason))
    if state is not None and state not in set(JobState):
        choices = ", ".join(JobState)
        issues.append(
            InputIssue("", "state", f'"{state}" is not a job state; use one of {choices}')
        )
    if issues:
        raise InvalidInputError("The jobs cannot be listed", issues)
    return JobFilter(kind=kind, state=None if state is None else JobState(state))


def job_title(job: Job) -> str:
    """What the job does, for people: its task's title, except a builder run that completes a
    consortium (the builder's one task also builds proposals from nothing)."""
    if job.kind == BUILDER_BUILD and job.arguments.get("mode") == Mode.COMPLETE.value:
        return "Complete a consortium"
    return get_task(job.kind).title


def list_task_titles() -> dict[str, str]:
    """Every kind of job with its title for people, in the order of the titles."""
    return dict(sorted(((kind, task.title) for kind, task in TASKS.items()), key=_by_title))


def _by_title(item: tuple[str, str]) -> tuple[str, str]:
    return item[1].casefold(), item[0]


def list_visible_jobs(
    session: Session, actor: User | None, *, wanted: JobFilter | None = None
) -> list[Job]:
    """The newest jobs ``actor`` started (every job for an administrator, and for None: the
    operator on the command line), at most 50; only those ``wanted`` (default: all)."""
    owner = None if actor is None or actor.role is UserRole.ADMINISTRATOR else actor.id
    wanted = wanted or JobFilter()
    return repository.list_jobs(
        session, owner_id=owner, limit=MAX_LISTED, kind=wanted.kind, state=wanted.state
    )


def cancel_job(session: Session, actor: User | None, job_id: int, *, now: datetime) -> Job:
    """Cancel a job ``actor`` may see: a queued one is cancelled at once; a running one is asked
    to stop, and its task stops at its next check without writing anything. ConflictError (409)
    for a job that is already over."""
    get_visible_job(session, actor, job_id)
    job = repository.lock_job(session, job_id)
    if job is None:  # its owner's account was deleted meanwhile
        raise JobNotFoundError(f"No job {job_id}")
    if job.state in FINISHED_JOB_STATES:
        raise ConflictError(f"Job {job_id} is already {job.state.value}")
    job.cancel_requested = True
    if job.state is JobState.QUEUED:
        job.state, job.finished_at = JobState.CANCELLED, now
        job.progress_note = "Cancelled before it started"
    session.flush()
    return job


def wait_for_job(
    read: Callable[[], Job], *, timeout: float, poll: float = WAIT_POLL_SECONDS
) -> Job:
    """Call ``read`` (which reads the job in a fresh transaction) until the job is over or
    ``timeout`` seconds have passed; returns the last job read, over or not."""
    deadline = time.monotonic() + timeout
    job = read()
    while job.state not in FINISHED_JOB_STATES and time.monotonic() < deadline:
        time.sleep(poll)
        job = read()
    return job


def _may_see(actor: User, job: Job) -> bool:
    return actor.role is UserRole.ADMINISTRATOR or job.owner_id == actor.id
