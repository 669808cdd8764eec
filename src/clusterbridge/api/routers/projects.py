"""Monitored projects: the caller's projects (every one for programme officers and
administrators), a new project, and its partners (changed by its partners' people and the
administrators; 404 for those who may not see the project)."""

from typing import Annotated

from fastapi import APIRouter, Path, Response

from clusterbridge.api.deps import CurrentUser, SessionDep
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.projects import (
    PartnerAdd,
    ProjectCreate,
    ProjectRead,
    ProjectUpdate,
    project_of,
)
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import monitoring

router = APIRouter(prefix="/projects", tags=["projects"], route_class=ExactNumbersRoute)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("")
def list_projects(session: SessionDep, user: CurrentUser) -> list[ProjectRead]:
    """The projects the caller sees, by acronym."""
    return [project_of(p) for p in monitoring.list_projects(session, user)]


@router.post("", status_code=201, responses=errors(422))
def create_project(body: ProjectCreate, session: SessionDep, user: CurrentUser) -> ProjectRead:
    """Start following a project coordinated by one of the caller's organisations."""
    project = monitoring.create_project(session, user, body.draft())
    return project_of(monitoring.get_project(session, user, project.id))


@router.get("/{project_id}", responses=errors(404))
def get_project(project_id: Id, session: SessionDep, user: CurrentUser) -> ProjectRead:
    """One project with its partners and reporting periods."""
    return project_of(monitoring.get_project(session, user, project_id))


@router.put("/{project_id}", responses=errors(403, 404, 422))
def update_project(
    project_id: Id, body: ProjectUpdate, session: SessionDep, user: CurrentUser
) -> ProjectRead:
    """Change a project's details; its partners stay."""
    monitoring.update_project(session, user, project_id, body.details())
    return project_of(monitoring.get_project(session, user, project_id))


@router.post("/{project_id}/partners", status_code=201, responses=errors(403, 404, 409, 422))
def add_partner(
    project_id: Id, body: PartnerAdd, session: SessionDep, user: CurrentUser
) -> ProjectRead:
    """Add a registry organisation as a partner."""
    monitoring.add_partner(session, user, project_id, body.organisation_id)
    return project_of(monitoring.get_project(session, user, project_id))


@router.delete(
    "/{project_id}/partners/{organisation_id}", status_code=204, responses=errors(403, 404, 409)
)
def remove_partner(
    project_id: Id, organisation_id: Id, session: SessionDep, user: CurrentUser
) -> Response:
    """Remove a partner; the coordinator stays."""
    monitoring.remove_partner(session, user, project_id, organisation_id)
    return Response(status_code=204)
