"""The builder, the document exports and the index build as jobs, submitted after the checks
that answer at once (issue 20; the schedule solve and the import are in ``submit``)."""

from datetime import date, datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import Job, User
from clusterbridge.domain import consortium as snapshot
from clusterbridge.engines.consortium.problem import Mode
from clusterbridge.services.builder.build import BuildRequest, validate_request
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.consortia import consortia
from clusterbridge.services.jobs.builder_job import BUILDER_BUILD, partner_to_dict, request_to_dict
from clusterbridge.services.jobs.document_job import REPORTS_RENDER, Reader, get_document
from clusterbridge.services.jobs.index_job import queue_index_build
from clusterbridge.services.jobs.jobs import Dispatch, submit_job


def submit_builder_build(
    session: Session,
    actor: User | None,
    catalogue: Catalogue,
    request: BuildRequest,
    *,
    mode: Mode,
    team: snapshot.Consortium | None = None,
    consortium_id: int | None = None,
    dispatch: Dispatch,
) -> Job:
    """Queue a builder run: proposals for the call with ``team`` kept (``mode`` BUILD), or
    the completions of ``team`` or of the saved consortium ``consortium_id`` as ``actor``
    sees it (COMPLETE). Refused at once: an unknown call (404), a bad value (422, each
    named), a consortium ``actor`` may not see (404). None as ``actor`` is the command line.
    Flushes."""
    validate_request(catalogue, request)
    if consortium_id is not None:
        if actor is None:
            raise ValueError("A saved consortium is completed for a signed-in user")
        consortia.get_consortium(session, actor, consortium_id)
    arguments = {
        "mode": mode.value,
        "request": request_to_dict(request),
        "partners": [partner_to_dict(p) for p in (team.partners if team else ())],
        "consortium_id": consortium_id,
    }
    return submit_job(session, actor, BUILDER_BUILD, arguments, dispatch=dispatch)


def submit_document(
    session: Session,
    actor: User,
    document: str,
    key: int,
    *,
    catalogue: Catalogue,
    now: datetime,
    today: date,
    dispatch: Dispatch,
) -> Job:
    """Queue the rendering of ``document`` (a name of ``document_job.DOCUMENTS``) of record
    ``key``. Refused at once: an unknown document (422), a record ``actor`` may not see (404
    or 403) or with nothing to render (409, e.g. a consortium without a call). Flushes."""
    get_document(document).check(Reader(session, actor, key, now, today, catalogue))
    arguments = {"document": document, "id": key}
    return submit_job(session, actor, REPORTS_RENDER, arguments, dispatch=dispatch)


def submit_index_build(session: Session, *, dispatch: Dispatch) -> Job | None:
    """Queue a build of the shared matching index (the command line's ``index build
    --no-wait``), unless one is queued or running already (None). Flushes."""
    return queue_index_build(session, dispatch=dispatch)
