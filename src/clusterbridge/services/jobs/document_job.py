"""Documents rendered by a worker (``reports.render``): the PDF (and DOCX) exports that
WeasyPrint takes seconds to make. The document is written as a private file in the shared
folder ``<cache_dir>/documents/job-<id>/`` (the folder every web process and worker already
shares for the matching index); only the job's owner and administrators download it, from the
job page or ``GET /api/jobs/{id}/download``.

The file is written atomically before the job's success commits, and removed again when that
commit does not happen (a cancel, a lost lease, an error): a job that did not succeed leaves
no document, and an attempt run again writes the same file anew (safe to retry).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.config import Settings
from clusterbridge.db.models import Job, User
from clusterbridge.domain.calendar import DEFAULT_TIME_ZONE
from clusterbridge.domain.errors import (
    AccessDeniedError,
    DomainError,
    InputIssue,
    InvalidInputError,
)
from clusterbridge.private_files import make_private_folder, replace_private_bytes
from clusterbridge.reports.checklist import render_checklist_pdf
from clusterbridge.services.accounts import users
from clusterbridge.services.calls.catalogue import Catalogue
from clusterbridge.services.consortia import consortia
from clusterbridge.services.exchanges.commitment import commitment_pdf
from clusterbridge.services.exchanges.workflow import get_exchange
from clusterbridge.services.jobs.context import TaskContext
from clusterbridge.services.jobs.resources import resources_for
from clusterbridge.services.monitoring.analysis import (
    MEDIA_TYPES,
    ExportFormat,
    export_analysis,
    get_analysis,
)
from clusterbridge.services.selection import letters
from clusterbridge.services.selection.calls import catalogue_with_calls
from clusterbridge.services.selection.outcome import call_selection, summary_report

REPORTS_RENDER = "reports.render"
#: The folder of the documents, inside the cache folder.
DOCUMENTS_FOLDER = "documents"
PDF = "application/pdf"
DOCX = MEDIA_TYPES[ExportFormat.DOCX]


class DocumentsNotSharedError(DomainError):
    """Workers on other hosts would write documents the web processes cannot read."""

    status = 409


def check_documents_reach_the_web(settings: Settings) -> None:
    """DocumentsNotSharedError when a broker hands jobs to workers whose cache folder the web
    processes do not share (``shared_cache_dir`` off): a document they made could not be
    downloaded. Without a broker, documents are made in the web process itself."""
    if settings.broker_url and not settings.shared_cache_dir:
        raise DocumentsNotSharedError(
            "Documents are made at their own addresses on this site: its workers do not share "
            "the cache folder (CLUSTERBRIDGE_SHARED_CACHE_DIR)"
        )


class DocumentNotReadyError(DomainError):
    """The job made no document (yet)."""

    status = 409


class DocumentExpiredError(DomainError):
    """The job made a document, and it was removed since (its retention ran out, ADR 0036)."""

    status = 410


@dataclass(frozen=True)
class Reader:
    """What a document is read with: the session, the person asking, the record's id, the
    time, the site's date (ADR 0039), the call catalogue and the site's time zone."""

    session: Session
    actor: User
    key: int
    now: datetime
    today: date
    catalogue: Catalogue
    #: Where labels write the day of a stored moment (a check before queueing writes none).
    time_zone: str = DEFAULT_TIME_ZONE


@dataclass(frozen=True)
class Document:
    """A kind of document: its title, the check that refuses it at once (who may see the
    record, whether there is anything to render) and what renders it (bytes, file name)."""

    title: str
    media_type: str
    check: Callable[[Reader], object]
    render: Callable[[Reader], tuple[bytes, str]]


def _checklist(reader: Reader) -> tuple[bytes, str]:
    row = consortia.get_consortium(reader.session, reader.actor, reader.key)
    report = consortia.eligibility_report(row, catalogue=reader.catalogue, now=reader.now)
    return render_checklist_pdf(report), f"checklist-{row.call_id}-{row.id}.pdf"


def _check_checklist(reader: Reader) -> object:
    row = consortia.get_consortium(reader.session, reader.actor, reader.key)
    return consortia.eligibility_report(row, catalogue=reader.catalogue, now=reader.now)


def _check_analysis(reader: Reader) -> object:
    return get_analysis(
        reader.session, reader.actor, reader.key, today=reader.today, time_zone=reader.time_zone
    )


def _analysis(fmt: ExportFormat) -> Callable[[Reader], tuple[bytes, str]]:
    def render(reader: Reader) -> tuple[bytes, str]:
        content, _media, name = export_analysis(
            reader.session, reader.actor, reader.key, fmt, now=reader.now, today=reader.today,
            time_zone=reader.time_zone,
        )  # fmt: skip
        return content, name

    return render


def _check_selection(reader: Reader) -> object:
    return call_selection(reader.session, reader.actor, reader.key)


def _selection(reader: Reader) -> tuple[bytes, str]:
    content = letters.selection_pdf(reader.session, reader.actor, reader.key, now=reader.now)
    return content, f"selection-{reader.key}.pdf"


def _check_summary(reader: Reader) -> object:
    return summary_report(reader.session, reader.actor, reader.key)


def _summary(reader: Reader) -> tuple[bytes, str]:
    content = letters.summary_pdf(reader.session, reader.actor, reader.key, now=reader.now)
    return content, f"summary-{reader.key}.pdf"


def _check_commitment(reader: Reader) -> object:
    return get_exchange(reader.session, reader.actor, reader.key)


def _commitment(reader: Reader) -> tuple[bytes, str]:
    content = commitment_pdf(reader.session, reader.actor, reader.key, now=reader.now)
    return content, f"commitment-{reader.key}.pdf"


#: Every document a job renders, by the name ``submit_document`` takes.
DOCUMENTS: dict[str, Document] = {
    "consortium-checklist": Document(
        "Eligibility checklist (PDF)", PDF, _check_checklist, _checklist
    ),
    "analysis-pdf": Document("Analysis (PDF)", PDF, _check_analysis, _analysis(ExportFormat.PDF)),
    "analysis-docx": Document(
        "Analysis (DOCX)", DOCX, _check_analysis, _analysis(ExportFormat.DOCX)
    ),
    "selection": Document("Ranked list and selection (PDF)", PDF, _check_selection, _selection),
    "summary": Document("Evaluation summary report (PDF)", PDF, _check_summary, _summary),
    "commitment": Document("Commitment to Quality (PDF)", PDF, _check_commitment, _commitment),
}


def get_document(name: str) -> Document:
    """The document called ``name``; InvalidInputError naming the known ones otherwise."""
    document = DOCUMENTS.get(name)
    if document is None:
        known = ", ".join(DOCUMENTS)
        reason = f'"{name}" is not a document; documents: {known}'
        raise InvalidInputError("The document cannot be made", [InputIssue("", "document", reason)])
    return document


def document_folder(settings: Settings, job_id: int) -> Path:
    """Where job ``job_id`` keeps its document."""
    return settings.resolved_cache_dir() / DOCUMENTS_FOLDER / f"job-{job_id}"


def run_render_document(context: TaskContext) -> None:
    """Render ``arguments["document"]`` of record ``arguments["id"]`` as the job's owner sees
    it, write it as a private file (atomically) and end the job with its name, type, size and
    links; the file is removed again if the job does not succeed."""
    document = get_document(context.arguments["document"])
    resources = resources_for(context.database, context.settings)
    context.report(0.1, f"Rendering the {document.title}")
    with context.database.unit_of_work() as session:
        actor = _owner(context, session)
        catalogue = catalogue_with_calls(session, resources.catalogue)
        now = context.clock()
        today = context.settings.today(now)
        reader = Reader(
            session,
            actor,
            context.arguments["id"],
            now,
            today,
            catalogue,
            context.settings.time_zone,
        )
        content, name = document.render(reader)
    folder = make_private_folder(document_folder(context.settings, context.job_id))
    path = folder / _safe(name)
    replace_private_bytes(path, content)
    try:
        with context.write() as session:
            context.succeed(session, _result(context.job_id, document, path, len(content)))
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _owner(context: TaskContext, session: Session) -> User:
    user = None if context.owner_id is None else users.get_active_user(session, context.owner_id)
    if user is None:
        raise AccessDeniedError("The account that started this job is no longer active")
    return user


def _safe(name: str) -> str:
    """``name`` as a file name: letters, digits, dots, dashes and underscores only."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).lstrip(".") or "document"


def _result(job_id: int, document: Document, path: Path, size: int) -> dict[str, Any]:
    return {
        "summary": f"{document.title}: {path.name}, {size:,} bytes.",
        "file_name": path.name,
        "media_type": document.media_type,
        "bytes": size,
        "link": f"/jobs/{job_id}/download",
        "download": f"/api/jobs/{job_id}/download",
    }


def read_document(settings: Settings, job: Job) -> tuple[bytes, str, str]:
    """The document of a succeeded ``reports.render`` job (the caller checked who may see the
    job): its bytes, media type and file name. DocumentNotReadyError (409) when the job made
    none, DocumentExpiredError (410) when its file was removed since."""
    result = job.result or {}
    if job.kind != REPORTS_RENDER or "file_name" not in result:
        raise DocumentNotReadyError(f"Job {job.id} has no document to download")
    try:
        return _document_path(settings, job).read_bytes(), result["media_type"], result["file_name"]
    except FileNotFoundError:
        days = settings.document_retention_days
        raise DocumentExpiredError(
            f"The document of job {job.id} has expired: documents are kept {days} day(s) after "
            "their job finished. Render it again."
        ) from None


def document_expired(settings: Settings, job: Job) -> bool:
    """Whether ``job`` made a document that is no longer kept."""
    result = job.result or {}
    if job.kind != REPORTS_RENDER or "file_name" not in result:
        return False
    return not _document_path(settings, job).is_file()


def _document_path(settings: Settings, job: Job) -> Path:
    return document_folder(settings, job.id) / _safe((job.result or {})["file_name"])
