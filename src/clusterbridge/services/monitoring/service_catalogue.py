"""A monitored project's catalogue of services to SMEs: what it offers (technical assistance,
business support for technology adoption, trainings and courses, recruitment and job
facilitation: the kinds the calls name, `domain.sme_services`), each counted in hours or days.

Seen by whoever sees the project; changed by its partners' people and the administrators."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from clusterbridge.db.models import ProjectService, User
from clusterbridge.db.repositories import sme_services as repository
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.domain.sme_services import ServiceKind, ServiceUnit
from clusterbridge.services.monitoring.projects import get_project, managed_project
from clusterbridge.services.text import required_text_reason

MAX_SERVICE_NAME = 200
MAX_DESCRIPTION = 5000


@dataclass(frozen=True, slots=True)
class ServiceDraft:
    """A service to add to a project's catalogue."""

    name: str
    kind: ServiceKind
    unit: ServiceUnit
    description: str = ""


def create_service(
    session: Session, actor: User, project_id: int, draft: ServiceDraft
) -> ProjectService:
    """Add a service to the project's catalogue (the user must manage the project). The name
    is trimmed and unique in the project, case aside (``InvalidInputError`` naming the field).
    Flushes."""
    project = managed_project(session, actor, project_id)
    name = " ".join(draft.name.split())
    issues = _service_issues(session, project.id, name=name, description=draft.description)
    if issues:
        raise InvalidInputError("The service was not added", issues)
    service = ProjectService(
        project_id=project.id,
        name=name,
        kind=draft.kind,
        unit=draft.unit,
        description=draft.description.strip(),
    )
    session.add(service)
    session.flush()
    return service


def check_service(
    session: Session, actor: User, project_id: int, *, name: str, description: str
) -> list[InputIssue]:
    """The problems `create_service` would find with this name and description, for a form
    whose kind or unit is not one, so that one answer names every bad field (the user must
    manage the project). Writes nothing."""
    project = managed_project(session, actor, project_id)
    return _service_issues(
        session, project.id, name=" ".join(name.split()), description=description
    )


def _service_issues(
    session: Session, project_id: int, *, name: str, description: str
) -> list[InputIssue]:
    issues: list[InputIssue] = []
    if reason := required_text_reason(name, MAX_SERVICE_NAME):
        issues.append(InputIssue("", "name", reason))
    elif repository.service_by_name(session, project_id, name) is not None:
        issues.append(InputIssue("", "name", f'"{name}" is in the catalogue already'))
    if len(description) > MAX_DESCRIPTION:
        issues.append(
            InputIssue("", "description", too_long_reason(MAX_DESCRIPTION, len(description)))
        )
    return issues


def list_services(session: Session, user: User | None, project_id: int) -> list[ProjectService]:
    """The project's catalogue by name, for whoever sees the project
    (``ProjectNotFoundError`` otherwise). Reads only."""
    project = get_project(session, user, project_id)
    return repository.services(session, project.id)
