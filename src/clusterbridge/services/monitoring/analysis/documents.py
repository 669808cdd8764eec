"""The documents uploaded to a project's analysis as evidence: a PDF, JPEG or PNG file of at
most 5 MB (the rule of ``services.evidence``), with a title. The project's managers upload them;
whoever sees the project reads them."""

from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import AnalysisDocument, User
from clusterbridge.db.repositories import analyses as repository
from clusterbridge.domain.analysis import MAX_TITLE
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.evidence import Upload, check_uploads
from clusterbridge.services.monitoring.projects import (
    ProjectNotFoundError,
    get_project,
    managed_project,
)
from clusterbridge.services.text import required_text_reason
from clusterbridge.services.uploads import stored_name


def upload_document(
    session: Session, actor: User, project_id: int, *, title: str, upload: Upload, now: datetime
) -> AnalysisDocument:
    """Store a document of the project after checking its title and file (``InvalidInputError``
    naming ``title`` or ``file``; nothing is stored then). Flushes."""
    project = managed_project(session, actor, project_id)
    issues = [
        InputIssue(issue.location, "file", issue.reason)
        for issue in check_uploads([upload], limit=1)
    ]
    if not upload.content:
        issues = [InputIssue("", "file", "choose a file")]
    if reason := required_text_reason(title, MAX_TITLE):
        issues.append(InputIssue("", "title", reason))
    if issues:
        raise InvalidInputError("The document was not stored", issues)
    document = AnalysisDocument(
        project_id=project.id,
        title=" ".join(title.split()),
        file_name=stored_name(upload) or "document",
        content_type=upload.content_type,
        size=len(upload.content),
        content=upload.content,
        uploaded_at=now,
    )
    session.add(document)
    session.flush()
    return document


def get_document(
    session: Session, user: User | None, project_id: int, document_id: int
) -> AnalysisDocument:
    """One document of the project with its content, for those who see the project."""
    project = get_project(session, user, project_id)
    document = repository.document(session, project.id, document_id)
    if document is None:
        raise ProjectNotFoundError("No such document in this project.")
    return document
