"""Job pages: what a background job (a schedule solve, an import) is doing, polled by htmx
every second until it is over, with its result link or its error and a Cancel button; and the
list of the user's jobs. A job is seen by the user who started it and by administrators."""

from typing import Annotated

from fastapi import Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from clusterbridge.api.deps import NowDep, SessionDep
from clusterbridge.api.schemas.events import MAX_ID
from clusterbridge.domain.enums import FINISHED_JOB_STATES
from clusterbridge.services import jobs
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/jobs")

JobId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_class=HTMLResponse)
def list_page(request: Request, session: SessionDep, user: SignedInUser) -> HTMLResponse:
    """Your newest background jobs (every job for an administrator)."""
    rows = jobs.list_visible_jobs(session, user)
    context = {"jobs": rows, "titles": {row.id: jobs.get_task(row.kind).title for row in rows}}
    return render(request, "jobs/list.html", context, user=user)


@router.get("/{job_id}", response_class=HTMLResponse)
def job_page(
    job_id: JobId, request: Request, session: SessionDep, user: SignedInUser
) -> HTMLResponse:
    """The job's state, progress, and result or error; htmx asks for the status panel alone."""
    job = jobs.get_visible_job(session, user, job_id)
    context = {
        "job": job,
        "title": jobs.get_task(job.kind).title,
        "finished": job.state in FINISHED_JOB_STATES,
    }
    return render(request, "jobs/detail.html", context, user=user, partial="jobs/_status.html")


@router.post("/{job_id}/cancel")
def cancel(job_id: JobId, session: SessionDep, user: SignedInUser, now: NowDep) -> RedirectResponse:
    """Cancel the job (a running one stops at its next check) and show it again."""
    jobs.cancel_job(session, user, job_id, now=now)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)
