"""Indicators of monitored projects (ADR 0029): each indicator's series by period, indicators
defined and changed by the project's partners, manual values, the activities that count for
the project, and the frozen periodic reports. 404 for a project the caller may not see."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy.orm import Session

from clusterbridge.api.deps import CurrentUser, NowDep, SessionDep, TodayDep
from clusterbridge.api.errors import fields_as_sent
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.indicators import (
    IndicatorCreate,
    IndicatorUpdate,
    LinkRead,
    LinkWrite,
    ReportRead,
    SeriesRead,
    ValueWrite,
    report_read,
    series_read,
)
from clusterbridge.db.models import User
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import monitoring

router = APIRouter(tags=["indicators"], route_class=ExactNumbersRoute)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
PeriodNumber = Annotated[int, Path(ge=1, le=1000)]


@router.get("/projects/{project_id}/indicators", responses=errors(404))
def list_indicators(
    project_id: Id, session: SessionDep, user: CurrentUser, today: TodayDep
) -> list[SeriesRead]:
    """Every indicator of the project with its values by period and its total to date."""
    project = monitoring.get_project(session, user, project_id)
    return [series_read(s) for s in monitoring.project_series(session, project, today=today)]


@router.post("/projects/{project_id}/indicators", status_code=201, responses=errors(403, 404, 422))
def create_indicator(
    project_id: Id, body: IndicatorCreate, session: SessionDep, user: CurrentUser, today: TodayDep
) -> SeriesRead:
    """Define an indicator of a project the caller's organisation is a partner of."""
    indicator = monitoring.create_indicator(session, user, project_id, body.draft())
    return _series(session, user, indicator.id, today)


def _series(session: Session, user: User, indicator_id: int, today: date) -> SeriesRead:
    indicator, project = monitoring.get_indicator(session, user, indicator_id)
    return series_read(monitoring.series_of(session, project, indicator, today=today))


@router.get("/indicators/{indicator_id}/series", responses=errors(404))
def get_series(
    indicator_id: Id, session: SessionDep, user: CurrentUser, today: TodayDep
) -> SeriesRead:
    """One indicator's values by period (the periods started) and its total to date."""
    return _series(session, user, indicator_id, today)


@router.patch("/indicators/{indicator_id}", responses=errors(403, 404, 422))
def update_indicator(
    indicator_id: Id, body: IndicatorUpdate, session: SessionDep, user: CurrentUser, today: TodayDep
) -> SeriesRead:
    """Change an indicator: the fields given replace the current ones."""
    indicator, _ = monitoring.managed_indicator(session, user, indicator_id)
    monitoring.update_indicator(session, user, indicator_id, body.draft(indicator))
    return _series(session, user, indicator_id, today)


@router.delete("/indicators/{indicator_id}", status_code=204, responses=errors(403, 404))
def delete_indicator(indicator_id: Id, session: SessionDep, user: CurrentUser) -> Response:
    """Remove an indicator with its targets and manual values (frozen reports keep theirs)."""
    monitoring.delete_indicator(session, user, indicator_id)
    return Response(status_code=204)


@router.put("/indicators/{indicator_id}/values/{period}", responses=errors(403, 404, 422))
def record_value(
    indicator_id: Id,
    period: PeriodNumber,
    body: ValueWrite,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    today: TodayDep,
) -> SeriesRead:
    """Set a manual indicator's value for a period (evidence files are added on the web page)."""
    monitoring.record_value(
        session, user, indicator_id, period=period, value=body.value, note=body.note, now=now,
        today=today,
    )  # fmt: skip
    return _series(session, user, indicator_id, today)


@router.get("/projects/{project_id}/links", responses=errors(404))
def list_links(project_id: Id, session: SessionDep, user: CurrentUser) -> list[LinkRead]:
    """The events, exchange partnerships and cascade calls that count for the project."""
    monitoring.get_project(session, user, project_id)
    return [
        LinkRead(kind=i.kind, id=i.id, name=i.name)
        for i in monitoring.project_links(session, project_id)
    ]


@router.post("/projects/{project_id}/links", status_code=201, responses=errors(403, 404, 409, 422))
def link_activity(
    project_id: Id, body: LinkWrite, session: SessionDep, user: CurrentUser
) -> list[LinkRead]:
    """Count an event, an exchange partnership or a cascade call for the project."""
    with fields_as_sent({f"{kind.value}_id": "id" for kind in monitoring.LinkKind}):
        monitoring.link_activity(session, user, project_id, body.kind, body.id)
    return [
        LinkRead(kind=i.kind, id=i.id, name=i.name)
        for i in monitoring.project_links(session, project_id)
    ]


@router.delete(
    "/projects/{project_id}/links/{kind}/{target_id}", status_code=204, responses=errors(403, 404)
)
def unlink_activity(
    project_id: Id, kind: monitoring.LinkKind, target_id: Id, session: SessionDep, user: CurrentUser
) -> Response:
    """Stop counting an activity for the project."""
    monitoring.unlink_activity(session, user, project_id, kind, target_id)
    return Response(status_code=204)


@router.get("/projects/{project_id}/reports", responses=errors(404))
def list_reports(project_id: Id, session: SessionDep, user: CurrentUser) -> list[ReportRead]:
    """The project's frozen periodic reports, latest period and version first."""
    project = monitoring.get_project(session, user, project_id)
    return [report_read(r) for r in monitoring.project_reports(session, project)]


@router.post(
    "/projects/{project_id}/reports/{period}", status_code=201, responses=errors(403, 404, 422)
)
def issue_report(
    project_id: Id,
    period: PeriodNumber,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    today: TodayDep,
) -> ReportRead:
    """Freeze every indicator's value for a period that has started, as its next version."""
    report = monitoring.issue_report(session, user, project_id, period, now=now, today=today)
    return report_read(report)
