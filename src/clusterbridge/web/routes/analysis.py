"""A project's analysis workspace: opportunities and threats for SMEs adopting advanced
technologies with their evidence, policy recommendations citing them, documents, and the
document exported as PDF or DOCX. Managers change it; programme officers read it.

Every form posts to a route that redirects back (303) on success and shows the page again with
every reason in place on a mistake (422)."""

from datetime import date
from typing import Annotated, Any

from fastapi import File, Form, Path, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from clusterbridge.api.deps import NowDep, SessionDep, TimeZoneDep, TodayDep
from clusterbridge.api.downloads import attachment, uploaded_attachment
from clusterbridge.db.models import User
from clusterbridge.domain.analysis import (
    AUDIENCE_ADDRESSEES,
    AUDIENCE_LABELS,
    EVIDENCE_KIND_LABELS,
    FINDING_KIND_LABELS,
    MAX_TITLE,
)
from clusterbridge.domain.errors import ConflictError, InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.reference import industrial_ecosystems
from clusterbridge.services.evidence import MAX_EVIDENCE_BYTES
from clusterbridge.services.monitoring import analysis
from clusterbridge.services.registry import vocabulary
from clusterbridge.services.uploads import Upload
from clusterbridge.web.analysis_forms import (
    FindingForm,
    finding_draft,
    finding_values,
    forms_of,
    moved,
    recommendation_values,
)
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.exchange_forms import form_errors
from clusterbridge.web.numbers import read_id
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render, site_zone_of

router = web_router(prefix="/projects")

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Codes = Annotated[list[str] | None, Form(max_length=40)]


def _page(
    request: Request,
    session: Session,
    user: User,
    project_id: int,
    *,
    today: date,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    zone = site_zone_of(request)
    found = analysis.get_analysis(session, user, project_id, today=today, time_zone=zone)
    context: dict[str, Any] = {
        "analysis": found,
        "project": found.project,
        "concerns": {f.id: analysis.describe_concerns(f) for f in found.findings},
        "cited": {
            r.id: sorted(found.numbers[f.id] for f in r.findings) for r in found.recommendations
        },
        "kind_labels": FINDING_KIND_LABELS,
        "evidence_labels": EVIDENCE_KIND_LABELS,
        "audiences": AUDIENCE_LABELS,
        "addressees": AUDIENCE_ADDRESSEES,
        "profiles": analysis.PROFILE_LABELS,
        "technologies": vocabulary(),
        "ecosystems": industrial_ecosystems(),
        "errors": errors or {},
        "values": values or {},
        "forms": forms_of(found) | (values or {}).get("forms", {}),
        "edited": (values or {}).get("edited"),
    }
    return render(request, "projects/analysis.html", context, user=user, status_code=status_code)


def _failed(
    request: Request,
    session: Session,
    user: User,
    project_id: int,
    error: InvalidInputError | ConflictError,
    *,
    today: date,
    prefix: str = "",
    values: dict[str, Any] | None = None,
) -> HTMLResponse:
    errors = {f"{prefix}{key}": text for key, text in form_errors(error).items()}
    return _page(
        request,
        session,
        user,
        project_id,
        today=today,
        errors=errors,
        values=values,
        status_code=error.status,
    )


def _back(project_id: int, anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/projects/{project_id}/analysis#{anchor}", status_code=303)


@router.get("/{project_id}/analysis", response_class=HTMLResponse)
def analysis_page(
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    today: TodayDep,
) -> HTMLResponse:
    """The workspace: numbered findings with their evidence, recommendations, documents."""
    return _page(request, session, user, project_id, today=today)


@router.post("/{project_id}/analysis/findings", response_model=None)
def add_finding(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    today: TodayDep,
    form: Annotated[FindingForm, Form()],
    technologies: Codes = None,
    ecosystems: Codes = None,
) -> Response:
    """Add an opportunity or a threat."""
    chosen = (technologies or [], ecosystems or [])
    try:
        finding = analysis.create_finding(session, user, project_id, finding_draft(form, *chosen))
    except InvalidInputError as error:
        values = {"forms": {"finding": finding_values(form, *chosen)}}
        return _failed(request, session, user, project_id, error, today=today, values=values)
    return _back(project_id, f"finding-{finding.id}")


@router.post("/{project_id}/analysis/findings/{finding_id}", response_model=None)
def edit_finding(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    finding_id: Id,
    today: TodayDep,
    form: Annotated[FindingForm, Form()],
    technologies: Codes = None,
    ecosystems: Codes = None,
) -> Response:
    """Change a finding's fields."""
    chosen = (technologies or [], ecosystems or [])
    try:
        draft = finding_draft(form, *chosen)
        analysis.update_finding(session, user, project_id, finding_id, draft)
    except InvalidInputError as error:
        key = f"finding-{finding_id}"
        values = {"forms": {key: finding_values(form, *chosen)}, "edited": key}
        return _failed(
            request, session, user, project_id, error, today=today, prefix=f"{key}-", values=values
        )
    return _back(project_id, f"finding-{finding_id}")


@router.post("/{project_id}/analysis/findings/{finding_id}/delete", response_model=None)
def delete_finding(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    finding_id: Id,
    today: TodayDep,
) -> Response:
    """Delete a finding no recommendation cites."""
    try:
        analysis.delete_finding(session, user, project_id, finding_id)
    except ConflictError as error:
        prefix = f"finding-{finding_id}-"
        return _failed(request, session, user, project_id, error, today=today, prefix=prefix)
    return _back(project_id, "findings")


@router.post("/{project_id}/analysis/findings/{finding_id}/move", response_model=None)
def move_finding(
    *,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    finding_id: Id,
    today: TodayDep,
    up: Annotated[bool, Form()] = False,
) -> Response:
    """Move a finding one place up or down."""
    found = analysis.get_analysis(session, user, project_id, today=today)
    ids = moved([f.id for f in found.findings], finding_id, up=up)
    analysis.reorder_findings(session, user, project_id, ids)
    return _back(project_id, f"finding-{finding_id}")


@router.post("/{project_id}/analysis/findings/{finding_id}/evidence", response_model=None)
def link_evidence(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    finding_id: Id,
    today: TodayDep,
    time_zone: TimeZoneDep,
    item: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Cite an item (``kind:id``) as a finding's evidence."""
    kind, _, ref = item.partition(":")
    try:
        ref_id = read_id(ref, low=0)
        if ref_id is None:
            issue = InputIssue("", "ref_id", "choose an item to cite")
            raise InvalidInputError("The evidence was not linked", [issue])
        analysis.link_evidence(session, user, project_id, finding_id, kind=kind, ref_id=ref_id,
                               today=today, time_zone=time_zone)  # fmt: skip
    except (InvalidInputError, ConflictError) as error:
        prefix = f"evidence-{finding_id}-"
        return _failed(request, session, user, project_id, error, today=today, prefix=prefix)
    return _back(project_id, f"finding-{finding_id}")


@router.post(
    "/{project_id}/analysis/findings/{finding_id}/evidence/{evidence_id}/remove",
    response_model=None,
)
def unlink_evidence(
    session: SessionDep, user: SignedInUser, project_id: Id, finding_id: Id, evidence_id: Id
) -> Response:
    """Remove one piece of evidence from a finding."""
    analysis.unlink_evidence(session, user, project_id, finding_id, evidence_id)
    return _back(project_id, f"finding-{finding_id}")


@router.post("/{project_id}/analysis/recommendations", response_model=None)
def add_recommendation(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    today: TodayDep,
    audience: Annotated[str, Form(max_length=20)] = "",
    text: Annotated[str, Form()] = "",
    finding_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """Add a recommendation citing the findings ticked."""
    draft = analysis.RecommendationDraft(audience, text, tuple(finding_ids or ()))
    try:
        recommendation = analysis.create_recommendation(session, user, project_id, draft)
    except InvalidInputError as error:
        values = {"forms": {"recommendation": recommendation_values(draft)}}
        return _failed(
            request, session, user, project_id, error, today=today, prefix="r-", values=values
        )
    return _back(project_id, f"recommendation-{recommendation.id}")


@router.post("/{project_id}/analysis/recommendations/{recommendation_id}", response_model=None)
def edit_recommendation(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    recommendation_id: Id,
    today: TodayDep,
    audience: Annotated[str, Form(max_length=20)] = "",
    text: Annotated[str, Form()] = "",
    finding_ids: Annotated[list[int] | None, Form()] = None,
) -> Response:
    """Change a recommendation's audience, text and findings."""
    draft = analysis.RecommendationDraft(audience, text, tuple(finding_ids or ()))
    try:
        analysis.update_recommendation(session, user, project_id, recommendation_id, draft)
    except InvalidInputError as error:
        key = f"recommendation-{recommendation_id}"
        values = {"forms": {key: recommendation_values(draft)}, "edited": key}
        return _failed(
            request, session, user, project_id, error, today=today, prefix=f"{key}-", values=values
        )
    return _back(project_id, f"recommendation-{recommendation_id}")


@router.post(
    "/{project_id}/analysis/recommendations/{recommendation_id}/delete", response_model=None
)
def delete_recommendation(
    session: SessionDep, user: SignedInUser, project_id: Id, recommendation_id: Id
) -> Response:
    """Delete a recommendation."""
    analysis.delete_recommendation(session, user, project_id, recommendation_id)
    return _back(project_id, "recommendations")


@router.post("/{project_id}/analysis/recommendations/{recommendation_id}/move", response_model=None)
def move_recommendation(
    *,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    recommendation_id: Id,
    today: TodayDep,
    up: Annotated[bool, Form()] = False,
) -> Response:
    """Move a recommendation one place up or down."""
    found = analysis.get_analysis(session, user, project_id, today=today)
    ids = moved([r.id for r in found.recommendations], recommendation_id, up=up)
    analysis.reorder_recommendations(session, user, project_id, ids)
    return _back(project_id, f"recommendation-{recommendation_id}")


@router.post("/{project_id}/analysis/documents", response_model=None)
def upload_document(
    *,
    request: Request,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    now: NowDep,
    today: TodayDep,
    title: Annotated[str, Form(max_length=MAX_TITLE + 100)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Upload a document to cite as evidence."""
    upload = Upload("", "", b"")
    if file is not None and file.filename:
        content = file.file.read(MAX_EVIDENCE_BYTES + 1)
        upload = Upload(file.filename, file.content_type or "", content)
    try:
        analysis.upload_document(session, user, project_id, title=title, upload=upload, now=now)
    except InvalidInputError as error:
        values = {"document_title": title}
        return _failed(
            request, session, user, project_id, error, today=today, prefix="d-", values=values
        )
    return _back(project_id, "documents")


@router.get("/{project_id}/analysis/documents/{document_id}", response_model=None)
def download_document(
    session: SessionDep, user: SignedInUser, project_id: Id, document_id: Id
) -> Response:
    """A document, as uploaded."""
    found = analysis.get_document(session, user, project_id, document_id)
    return uploaded_attachment(found, fallback="document")


@router.get("/{project_id}/analysis.{fmt}", response_model=None)
def export(
    *,
    session: SessionDep,
    user: SignedInUser,
    project_id: Id,
    fmt: analysis.ExportFormat,
    now: NowDep,
    today: TodayDep,
    time_zone: TimeZoneDep,
) -> Response:
    """The analysis as a PDF or DOCX document."""
    content, media_type, name = analysis.export_analysis(
        session, user, project_id, fmt, now=now, today=today, time_zone=time_zone
    )
    return attachment(content, name, media_type=media_type)
