"""Background jobs: a long action (scheduling an event, importing organisations) answers
``202 Accepted`` with the job and its address in ``Location``; read it there until it is over,
or cancel it. A job is seen by the user who started it and by administrators (others: 404)."""

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, File, Path, Query, Response, UploadFile

from clusterbridge.api.deps import (
    CatalogueDep,
    CurrentUser,
    NowDep,
    SessionDep,
    StateDep,
    TodayDep,
)
from clusterbridge.api.downloads import attachment
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.jobs import MAX_FILTER_LENGTH, DocumentRequest, JobRead
from clusterbridge.db.models import Job
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import jobs
from clusterbridge.services.jobs.submit import MAX_IMPORT_BYTES
from clusterbridge.services.registry import file_format
from clusterbridge.services.workbooks import TableFormat

router = APIRouter(prefix="/jobs", tags=["jobs"], route_class=ExactNumbersRoute)
imports = APIRouter(prefix="/organisations", tags=["organisations"], route_class=ExactNumbersRoute)
documents = APIRouter(prefix="/documents", tags=["jobs"], route_class=ExactNumbersRoute)

JobId = Annotated[int, Path(ge=1, le=MAX_ID)]


def accepted(response: Response, job: Job) -> JobRead:
    """Answer 202 with the job and ``Location: /api/jobs/{id}`` (for the routes that start
    one)."""
    response.status_code = 202
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return JobRead.from_row(job)


KindQuery = Annotated[
    str | None, Query(max_length=MAX_FILTER_LENGTH, description="Only jobs of this kind.")
]
StateQuery = Annotated[
    str | None,
    Query(
        max_length=MAX_FILTER_LENGTH,
        description="Only jobs in this state: queued, running, succeeded, failed or cancelled.",
    ),
]


@router.get("", responses=errors(422))
def list_jobs(
    session: SessionDep, user: CurrentUser, kind: KindQuery = None, state: StateQuery = None
) -> list[JobRead]:
    """Your 50 newest jobs (every job for an administrator), newest first; only those of
    ``kind`` (such as ``mail.send``) and in ``state`` when given. 422 names an unknown kind
    or state."""
    wanted = jobs.read_job_filter(kind=kind, state=state)
    return [JobRead.from_row(row) for row in jobs.list_visible_jobs(session, user, wanted=wanted)]


@router.get("/{job_id}", responses=errors(404))
def read_job(job_id: JobId, session: SessionDep, user: CurrentUser) -> JobRead:
    """One job: its state, progress, and result or error."""
    return JobRead.from_row(jobs.get_visible_job(session, user, job_id))


@router.post("/{job_id}/cancel", responses=errors(404, 409))
def cancel_job(job_id: JobId, session: SessionDep, user: CurrentUser, now: NowDep) -> JobRead:
    """Cancel a job: a queued one at once, a running one at its next check (it then writes
    nothing). 409 when it is already over."""
    return JobRead.from_row(jobs.cancel_job(session, user, job_id, now=now))


@router.get(
    "/{job_id}/download",
    responses={
        **errors(404, 409, 410),
        200: {"content": {"application/pdf": {}}, "description": "The document"},
    },
    response_class=Response,
)
def download(job_id: JobId, session: SessionDep, user: CurrentUser, state: StateDep) -> Response:
    """The document a ``reports.render`` job made (its owner and administrators): 409 while
    the job has none (not over, failed, or another kind of job), 410 once it expired (its
    retention ran out, ADR 0036)."""
    job = jobs.get_visible_job(session, user, job_id)
    content, media_type, name = jobs.read_document(state.settings, job)
    return attachment(content, name, media_type=media_type)


@documents.post("", status_code=202, responses=errors(403, 404, 409, 422))
def render_document(
    body: DocumentRequest,
    session: SessionDep,
    user: CurrentUser,
    state: StateDep,
    catalogue: CatalogueDep,
    now: NowDep,
    today: TodayDep,
    response: Response,
) -> JobRead:
    """Render a document in a background job: ``consortium-checklist`` (a consortium's id),
    ``analysis-pdf`` and ``analysis-docx`` (a project's id), ``selection`` (an evaluated
    call's id), ``summary`` (a proposal's id) or ``commitment`` (an exchange's id). Answers
    202 with the job; once it succeeded, its ``result["download"]`` is the address of the
    file (``GET /api/jobs/{id}/download``). Who may not see the record is refused at once; 409
    when the site's workers do not share the cache folder (use the document's GET address)."""
    jobs.check_documents_reach_the_web(state.settings)
    job = jobs.submit_document(
        session, user, body.document, body.id,
        catalogue=catalogue, now=now, today=today, dispatch=state.jobs.dispatch,
    )  # fmt: skip
    return accepted(response, job)


@imports.post("/import", status_code=202, responses=errors(403, 422))
def import_organisations(
    session: SessionDep,
    user: CurrentUser,
    state: StateDep,
    response: Response,
    file: Annotated[UploadFile, File(description="A CSV (UTF-8) or XLSX file of organisations.")],
    fmt: Annotated[TableFormat | None, Query(alias="format")] = None,
) -> JobRead:
    """Create or update the organisations of a file, all or nothing (administrators; multipart
    ``file``, at most 20 MB; the format from ``format`` or the file name's suffix). Answers 202
    with the job: every bad row is named in its ``error``; its ``result`` counts the records
    added, updated and unchanged."""
    name = FilePath(file.filename or "upload.csv").name
    content = file.file.read(MAX_IMPORT_BYTES + 1)
    job = jobs.submit_registry_import(
        session,
        user,
        content,
        file_format=file_format(FilePath(name), fmt),
        source=name,
        dispatch=state.jobs.dispatch,
    )
    return accepted(response, job)
