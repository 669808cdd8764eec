"""Job pages: what a background job (a schedule solve, an import, a builder run, a document)
is doing, polled by htmx every second until it is over, with its result (a link, the builder's
proposals, the document to download) or its error and a Cancel button; the list of the user's
jobs; the documents the pages' buttons have rendered in a job; and the administrators' import
of an organisation file, which runs as a job. A job is seen by the user who started it and by
administrators."""

from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from clusterbridge.api.deps import CatalogueDep, NowDep, SessionDep, StateDep, TodayDep
from clusterbridge.api.downloads import attachment
from clusterbridge.api.schemas.jobs import MAX_FILTER_LENGTH
from clusterbridge.api.state import AppState
from clusterbridge.db.models import Consortium, Job, User
from clusterbridge.domain.enums import FINISHED_JOB_STATES, JobState, UserRole
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services import jobs
from clusterbridge.services.jobs.submit import MAX_IMPORT_BYTES
from clusterbridge.services.jobs.tasks import REGISTRY_IMPORT, SCHEDULE_REPAIR, SCHEDULE_SOLVE
from clusterbridge.services.registry import file_format
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render
from clusterbridge.web.wording import field_errors

router = web_router()

JobId = Annotated[int, Path(ge=1, le=MAX_ID)]


#: The filter's labels, which its summary of refused fields names.
FILTER_LABELS = {"kind": "Kind", "state": "State"}
#: What to do about a file of another format: the import form has no format to give.
CHOOSE_A_FILE = "choose a .csv or .xlsx file"


class JobFilterForm(BaseModel):
    """The list's filter: a kind of job and a state (empty: any), as typed; `_read_filter`
    checks their length, the service the rest."""

    kind: str = ""
    state: str = ""


@router.get("/jobs", response_class=HTMLResponse)
def list_page(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    form: Annotated[JobFilterForm, Query()],
) -> HTMLResponse:
    """Your newest background jobs (every job for an administrator), of the kind and in the
    state chosen; the page again with every refused field named (422) for an unknown or
    over-long kind or state."""
    context: dict[str, Any] = {
        "form": form,
        "kinds": jobs.list_task_titles(),
        "states": [state.value for state in JobState],
        "errors": {},
        "labels": FILTER_LABELS,
    }
    try:
        wanted = _read_filter(form)
    except InvalidInputError as error:
        context |= {"jobs": [], "titles": {}, "errors": field_errors(error)}
        return render(request, "jobs/list.html", context, user=user, status_code=error.status)
    rows = jobs.list_visible_jobs(session, user, wanted=wanted)
    context |= {"jobs": rows, "titles": {row.id: jobs.job_title(row) for row in rows}}
    return render(request, "jobs/list.html", context, user=user)


def _read_filter(form: JobFilterForm) -> jobs.JobFilter:
    """The filter of ``form``; InvalidInputError naming every refused field, an over-long
    one (not echoed) with the service's mistakes of the other."""
    issues = [
        InputIssue("", name, too_long_reason(MAX_FILTER_LENGTH, len(getattr(form, name))))
        for name in FILTER_LABELS
        if len(getattr(form, name)) > MAX_FILTER_LENGTH
    ]
    long = {issue.field for issue in issues}
    try:
        wanted = jobs.read_job_filter(
            kind="" if "kind" in long else form.kind, state="" if "state" in long else form.state
        )
    except InvalidInputError as error:
        issues += error.issues
    if issues:
        order = list(FILTER_LABELS)
        issues.sort(key=lambda issue: order.index(issue.field))
        raise InvalidInputError("The jobs cannot be listed", issues)
    return wanted


@router.get("/jobs/{job_id}", response_class=HTMLResponse)
def job_page(
    job_id: JobId, request: Request, session: SessionDep, user: SignedInUser, state: StateDep
) -> HTMLResponse:
    """The job's state, progress, and result or error (a document removed since: that it
    expired); htmx asks for the status panel alone."""
    job = jobs.get_visible_job(session, user, job_id)
    context = job_context(job, state, made_consortia=jobs.list_made_consortia(session, user, job))
    return render(request, "jobs/detail.html", context, user=user, partial="jobs/_status.html")


def job_context(
    job: Job, state: AppState, *, made_consortia: dict[int, Consortium | None]
) -> dict[str, Any]:
    """What the job's page shows of ``job``; of a build, ``made_consortia``: the consortia
    made from its proposals by number (None: one the user does not see), which it offers to
    open instead of making them again."""
    summary, *problems = (job.error or "").splitlines() or [""]
    return {
        "job": job,
        "made_consortia": made_consortia,
        "title": jobs.job_title(job),
        "finished": job.state in FINISHED_JOB_STATES,
        "document_expired": jobs.document_expired(state.settings, job),
        "document_days": state.settings.document_retention_days,
        # An error is a sentence and, for refused input, its problems one per line ("  - ...").
        "error_summary": summary,
        "error_problems": [line.strip().removeprefix("- ") for line in problems if line.strip()],
        "next_step": _next_step(job),
    }


def _next_step(job: Job) -> tuple[str, str] | None:
    """Where to go on from a job that failed or was cancelled, and the link's words: the page
    it was started from, to start it again (an import with another file, a schedule)."""
    if job.state not in (JobState.FAILED, JobState.CANCELLED):
        return None
    if job.kind == REGISTRY_IMPORT:
        return "/organisations/import", "Import another file"
    event_id = job.arguments.get("event_id")
    if job.kind in (SCHEDULE_SOLVE, SCHEDULE_REPAIR) and isinstance(event_id, int):
        return f"/events/{event_id}/manage", "Back to the event"
    return None


@router.post("/jobs/{job_id}/cancel")
def cancel(job_id: JobId, session: SessionDep, user: SignedInUser, now: NowDep) -> RedirectResponse:
    """Cancel the job (a running one stops at its next check) and show it again."""
    jobs.cancel_job(session, user, job_id, now=now)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs/{job_id}/download")
def download(job_id: JobId, session: SessionDep, user: SignedInUser, state: StateDep) -> Response:
    """The document the job rendered (its owner and administrators)."""
    job = jobs.get_visible_job(session, user, job_id)
    content, media_type, name = jobs.read_document(state.settings, job)
    return attachment(content, name, media_type=media_type)


#: Where each document is made at once (a site whose workers do not share the cache folder).
DIRECT_ADDRESSES = {
    "consortium-checklist": "/consortia/{id}/checklist.pdf",
    "analysis-pdf": "/projects/{id}/analysis.pdf",
    "analysis-docx": "/projects/{id}/analysis.docx",
    "selection": "/evaluation/calls/{id}/selection.pdf",
    "summary": "/evaluation/proposals/{id}/summary.pdf",
    "commitment": "/exchanges/{id}/commitment.pdf",
}


class DocumentForm(BaseModel):
    """A document to render and the id of its record (the buttons of the pages send them)."""

    document: str = ""
    id: str = ""


@router.post("/documents")
def render_document(
    form: Annotated[DocumentForm, Form()],
    *,
    session: SessionDep,
    user: SignedInUser,
    state: StateDep,
    catalogue: CatalogueDep,
    now: NowDep,
    today: TodayDep,
) -> RedirectResponse:
    """Render the document in a background job and open its page, which offers the file; on a
    site whose workers do not share the cache folder, the document's own address instead."""
    key = form.id.strip()
    if not key.isascii() or not key.isdigit() or not 1 <= int(key) <= MAX_ID:
        issue = InputIssue("", "id", f'"{form.id}" is not the id of a record')
        raise InvalidInputError("The document cannot be made", [issue])
    address = DIRECT_ADDRESSES.get(form.document.strip())
    if address is not None and state.settings.broker_url and not state.settings.shared_cache_dir:
        return RedirectResponse(address.format(id=int(key)), status_code=303)
    job = jobs.submit_document(
        session, user, form.document.strip(), int(key),
        catalogue=catalogue, now=now, today=today, dispatch=state.jobs.dispatch,
    )  # fmt: skip
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


def _require_administrator(user: User) -> None:
    if user.role is not UserRole.ADMINISTRATOR:
        raise AccessDeniedError("Only administrators import organisation files")


@router.get("/organisations/import", response_class=HTMLResponse)
def import_page(request: Request, user: SignedInUser) -> HTMLResponse:
    """The form to import an organisation file (administrators)."""
    _require_administrator(user)
    return render(request, "jobs/import.html", {"error": None}, user=user)


@router.post("/organisations/import", response_model=None)
def import_file(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    state: StateDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Queue the import of the uploaded file and open its job's page; the form again with the
    reason when no file is chosen, or it is of another format, empty or too large."""
    if file is None or not file.filename:
        _require_administrator(user)
        context = {"error": "Organisation file: choose a .csv or .xlsx file to import"}
        return render(request, "jobs/import.html", context, user=user, status_code=422)
    name = FilePath(file.filename).name
    content = file.file.read(MAX_IMPORT_BYTES + 1)
    try:
        job = jobs.submit_registry_import(
            session,
            user,
            content,
            file_format=file_format(FilePath(name), remedy=CHOOSE_A_FILE),
            source=name,
            dispatch=state.jobs.dispatch,
        )
    except InvalidInputError as error:
        reason = "; ".join(str(issue) for issue in error.issues)
        context = {"error": reason}
        return render(request, "jobs/import.html", context, user=user, status_code=error.status)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)
