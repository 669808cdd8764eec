"""Background jobs: a long action (scheduling an event, importing organisations) answers
``202 Accepted`` with the job and its address in ``Location``; read it there until it is over,
or cancel it. A job is seen by the user who started it and by administrators (others: 404)."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from clusterbridge.api.deps import CurrentUser, NowDep, SessionDep
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.events import MAX_ID
from clusterbridge.api.schemas.jobs import JobRead
from clusterbridge.db.models import Job
from clusterbridge.services import jobs

router = APIRouter(prefix="/jobs", tags=["jobs"])

JobId = Annotated[int, Path(ge=1, le=MAX_ID)]


def accepted(response: Response, job: Job) -> JobRead:
    """Answer 202 with the job and ``Location: /api/jobs/{id}`` (for the routes that start
    one)."""
    response.status_code = 202
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return JobRead.from_row(job)


@router.get("")
def list_jobs(session: SessionDep, user: CurrentUser) -> list[JobRead]:
    """Your 50 newest jobs (every job for an administrator), newest first."""
    return [JobRead.from_row(row) for row in jobs.list_visible_jobs(session, user)]


@router.get("/{job_id}", responses=errors(404))
def read_job(job_id: JobId, session: SessionDep, user: CurrentUser) -> JobRead:
    """One job: its state, progress, and result or error."""
    return JobRead.from_row(jobs.get_visible_job(session, user, job_id))


@router.post("/{job_id}/cancel", responses=errors(404, 409))
def cancel_job(job_id: JobId, session: SessionDep, user: CurrentUser, now: NowDep) -> JobRead:
    """Cancel a job: a queued one at once, a running one at its next check (it then writes
    nothing). 409 when it is already over."""
    return JobRead.from_row(jobs.cancel_job(session, user, job_id, now=now))
