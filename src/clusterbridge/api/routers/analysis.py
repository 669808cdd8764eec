"""A monitored project's analysis: findings (opportunities and threats) with their evidence,
policy recommendations citing them, and the document as PDF or DOCX. The project's managers
write (403 for programme officers, who read); 404 for those who may not see the project."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy.orm import Session

from clusterbridge.api.deps import CurrentUser, NowDep, SessionDep, TodayDep
from clusterbridge.api.downloads import attachment
from clusterbridge.api.errors import fields_as_sent
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.analysis import (
    AnalysisRead,
    EvidenceLink,
    FindingWrite,
    Order,
    RecommendationWrite,
    analysis_of,
)
from clusterbridge.db.models import User
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.monitoring import analysis

router = APIRouter(
    prefix="/projects/{project_id}", tags=["analysis"], route_class=ExactNumbersRoute
)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
WRITE = errors(403, 404, 422)


def _read(session: Session, user: User, project_id: int, today: date) -> AnalysisRead:
    return analysis_of(analysis.get_analysis(session, user, project_id, today=today))


@router.get("/analysis", responses=errors(404))
def get_analysis(
    project_id: Id, session: SessionDep, user: CurrentUser, today: TodayDep
) -> AnalysisRead:
    """The project's findings, in the document's order, and its recommendations."""
    return _read(session, user, project_id, today)


@router.post("/findings", status_code=201, responses=WRITE)
def create_finding(
    project_id: Id, body: FindingWrite, session: SessionDep, user: CurrentUser, today: TodayDep
) -> AnalysisRead:
    """Add an opportunity or a threat at the end of the list."""
    analysis.create_finding(session, user, project_id, body.draft())
    return _read(session, user, project_id, today)


@router.put("/findings/{finding_id}", responses=WRITE)
def update_finding(
    project_id: Id,
    finding_id: Id,
    body: FindingWrite,
    session: SessionDep,
    user: CurrentUser,
    today: TodayDep,
) -> AnalysisRead:
    """Replace a finding's fields (its evidence and place stay)."""
    analysis.update_finding(session, user, project_id, finding_id, body.draft())
    return _read(session, user, project_id, today)


@router.delete("/findings/{finding_id}", status_code=204, responses=errors(403, 404, 409))
def delete_finding(
    project_id: Id, finding_id: Id, session: SessionDep, user: CurrentUser
) -> Response:
    """Delete a finding no recommendation cites (409 otherwise)."""
    analysis.delete_finding(session, user, project_id, finding_id)
    return Response(status_code=204)


@router.put("/findings-order", responses=WRITE)
def reorder_findings(
    project_id: Id, body: Order, session: SessionDep, user: CurrentUser, today: TodayDep
) -> AnalysisRead:
    """Put the findings in a new order (every finding's id once)."""
    with fields_as_sent({"finding_ids": "ids"}):
        analysis.reorder_findings(session, user, project_id, body.ids)
    return _read(session, user, project_id, today)


@router.post(
    "/findings/{finding_id}/evidence", status_code=201, responses=errors(403, 404, 409, 422)
)
def link_evidence(
    project_id: Id,
    finding_id: Id,
    body: EvidenceLink,
    session: SessionDep,
    user: CurrentUser,
    today: TodayDep,
) -> AnalysisRead:
    """Cite an item of the project's partners (or a document of the project) as evidence."""
    analysis.link_evidence(
        session, user, project_id, finding_id, kind=body.kind, ref_id=body.ref_id, today=today
    )
    return _read(session, user, project_id, today)


@router.delete(
    "/findings/{finding_id}/evidence/{evidence_id}", status_code=204, responses=errors(403, 404)
)
def unlink_evidence(
    project_id: Id, finding_id: Id, evidence_id: Id, session: SessionDep, user: CurrentUser
) -> Response:
    """Remove one piece of evidence from a finding."""
    analysis.unlink_evidence(session, user, project_id, finding_id, evidence_id)
    return Response(status_code=204)


@router.post("/recommendations", status_code=201, responses=WRITE)
def create_recommendation(
    project_id: Id,
    body: RecommendationWrite,
    session: SessionDep,
    user: CurrentUser,
    today: TodayDep,
) -> AnalysisRead:
    """Add a recommendation resting on at least one of the project's findings."""
    analysis.create_recommendation(session, user, project_id, body.draft())
    return _read(session, user, project_id, today)


@router.put("/recommendations/{recommendation_id}", responses=WRITE)
def update_recommendation(
    project_id: Id,
    recommendation_id: Id,
    body: RecommendationWrite,
    session: SessionDep,
    user: CurrentUser,
    today: TodayDep,
) -> AnalysisRead:
    """Replace a recommendation's audience, text and findings."""
    analysis.update_recommendation(session, user, project_id, recommendation_id, body.draft())
    return _read(session, user, project_id, today)


@router.delete("/recommendations/{recommendation_id}", status_code=204, responses=errors(403, 404))
def delete_recommendation(
    project_id: Id, recommendation_id: Id, session: SessionDep, user: CurrentUser
) -> Response:
    """Delete a recommendation."""
    analysis.delete_recommendation(session, user, project_id, recommendation_id)
    return Response(status_code=204)


@router.put("/recommendations-order", responses=WRITE)
def reorder_recommendations(
    project_id: Id, body: Order, session: SessionDep, user: CurrentUser, today: TodayDep
) -> AnalysisRead:
    """Put the recommendations in a new order (every recommendation's id once)."""
    with fields_as_sent({"recommendation_ids": "ids"}):
        analysis.reorder_recommendations(session, user, project_id, body.ids)
    return _read(session, user, project_id, today)


@router.get(
    "/analysis/export",
    responses={
        **errors(404),
        200: {
            "content": {
                "application/pdf": {},
                analysis.MEDIA_TYPES[analysis.ExportFormat.DOCX]: {},
            },
            "description": "The document",
        },
    },
    response_class=Response,
)
def export_analysis(
    project_id: Id,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    today: TodayDep,
    format: analysis.ExportFormat = analysis.ExportFormat.PDF,
) -> Response:
    """The analysis as a document: numbered findings, recommendations citing them, references."""
    content, media_type, name = analysis.export_analysis(
        session, user, project_id, format, now=now, today=today
    )
    return attachment(content, name, media_type=media_type)
