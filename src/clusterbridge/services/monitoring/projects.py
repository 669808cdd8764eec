"""Monitored projects: a Eurocluster, an alliance or a partnership that reports its impact.

The users of its partner organisations manage it; administrators too. Programme officers see
every project without changing it; nobody else learns that a project exists."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from clusterbridge.db.models import MonitoredProject, MonitoredProjectMember, Organisation, User
from clusterbridge.db.repositories import monitored_projects as repository
from clusterbridge.db.repositories import organisations as organisation_repository
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import (
    AccessDeniedError,
    ConflictError,
    DomainError,
    InputIssue,
    InvalidInputError,
)
from clusterbridge.domain.monitoring import (
    LATEST_START,
    MAX_PERIOD_MONTHS,
    MAX_PROJECT_YEARS,
    Period,
    ProjectKind,
    ProjectRole,
    add_months,
    reporting_periods,
)
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services import registry
from clusterbridge.services.text import required_text_reason

#: Who sees every project.
READER_ROLES = frozenset({UserRole.ADMINISTRATOR, UserRole.PROGRAMME_OFFICER})
MAX_NAME = 300
MAX_ACRONYM = 60
MAX_DESCRIPTION = 5000


class ProjectNotFoundError(DomainError):
    """No such project, or one the user may not see."""

    status = 404


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectDetails:
    """What describes a project and cuts its reporting periods."""

    name: str
    acronym: str
    kind: ProjectKind
    start_date: date
    end_date: date
    period_months: int
    description: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectDraft(ProjectDetails):
    """What a user gives to create a project; ``coordinator_id`` is an organisation of the
    user's (any organisation for an administrator)."""

    coordinator_id: int


def create_project(session: Session, actor: User, draft: ProjectDraft) -> MonitoredProject:
    """Create a project with its coordinator organisation, after checking every field
    (``InvalidInputError`` naming each field at fault). Flushes; the caller commits."""
    issues = check_project_details(session, draft, project_id=None)
    if not _may_coordinate(session, actor, draft.coordinator_id):
        issues.append(InputIssue("", "coordinator_id", "is not one of your organisations"))
    if issues:
        raise InvalidInputError("The project was not created", issues)
    project = MonitoredProject(created_by_id=actor.id)
    _apply(project, draft)
    project.members = [
        MonitoredProjectMember(organisation_id=draft.coordinator_id, role=ProjectRole.COORDINATOR)
    ]
    session.add(project)
    session.flush()
    return project


def update_project(
    session: Session, actor: User, project_id: int, details: ProjectDetails
) -> MonitoredProject:
    """Change a project's details (its partners stay), checked as at creation; new dates or
    period length re-cut its reporting periods. Flushes."""
    project = managed_project(session, actor, project_id)
    issues = check_project_details(session, details, project_id=project.id)
    if issues:
        raise InvalidInputError("The project was not changed", issues)
    _apply(project, details)
    session.flush()
    return project


def _apply(project: MonitoredProject, details: ProjectDetails) -> None:
    project.name = " ".join(details.name.split())
    project.acronym = details.acronym.strip()
    project.kind = details.kind
    project.description = details.description.strip()
    project.start_date = details.start_date
    project.end_date = details.end_date
    project.period_months = details.period_months


def check_project_details(
    session: Session, details: ProjectDetails, *, project_id: int | None
) -> list[InputIssue]:
    """An issue for each of ``details`` that ``create_project`` and ``update_project`` refuse
    (``project_id``: the project changed, whose own acronym is not taken). Reads only."""
    issues: list[InputIssue] = []
    if reason := required_text_reason(details.name, MAX_NAME):
        issues.append(InputIssue("", "name", reason))
    acronym = details.acronym.strip()
    if reason := required_text_reason(acronym, MAX_ACRONYM):
        issues.append(InputIssue("", "acronym", reason))
    elif repository.acronym_taken(session, acronym, other_than=project_id):
        issues.append(InputIssue("", "acronym", f'"{acronym}" is the acronym of another project'))
    if details.start_date > LATEST_START:
        issues.append(InputIssue("", "start_date", f"is after {LATEST_START}"))
    elif details.end_date < details.start_date:
        issues.append(InputIssue("", "end_date", "is before the start date"))
    elif details.end_date >= add_months(details.start_date, 12 * MAX_PROJECT_YEARS):
        issues.append(InputIssue("", "end_date", f"is more than {MAX_PROJECT_YEARS} years on"))
    if len(details.description.strip()) > MAX_DESCRIPTION:
        reason = too_long_reason(MAX_DESCRIPTION, len(details.description.strip()))
        issues.append(InputIssue("", "description", reason))
    if not 1 <= details.period_months <= MAX_PERIOD_MONTHS:
        issues.append(
            InputIssue("", "period_months", f"must be between 1 and {MAX_PERIOD_MONTHS} months")
        )
    return issues


def _may_coordinate(session: Session, actor: User, organisation_id: int) -> bool:
    try:
        organisation = registry.get_organisation(session, organisation_id)
    except registry.OrganisationNotFoundError:
        return False
    return registry.can_edit(session, actor, organisation)


def list_projects(session: Session, user: User) -> list[MonitoredProject]:
    """The projects ``user`` sees (see the module docstring), by acronym, partners loaded."""
    every = user.role in READER_ROLES
    return repository.projects(session, user_id=None if every else user.id)


def get_project(session: Session, user: User | None, project_id: int) -> MonitoredProject:
    """The project with its partners, if ``user`` may see it; ``ProjectNotFoundError``
    otherwise."""
    project = repository.project(session, project_id)
    if project is None or user is None or not user.is_active:
        raise ProjectNotFoundError("No such project among yours.")
    if user.role in READER_ROLES or repository.is_manager(session, project.id, user.id):
        return project
    raise ProjectNotFoundError("No such project among yours.")


def can_manage(session: Session, user: User | None, project: MonitoredProject) -> bool:
    """Whether ``user`` may change the project: administrators and the users of its partners."""
    if user is None or not user.is_active:
        return False
    if user.role == UserRole.ADMINISTRATOR:
        return True
    return repository.is_manager(session, project.id, user.id)


def managed_project(session: Session, user: User | None, project_id: int) -> MonitoredProject:
    """As ``get_project``, and the user must be able to change it (``AccessDeniedError``)."""
    project = get_project(session, user, project_id)
    if not can_manage(session, user, project):
        raise AccessDeniedError("Only the project's partners change it.")
    return project


def add_partner(
    session: Session, actor: User, project_id: int, organisation_id: int
) -> MonitoredProjectMember:
    """Add a registry organisation as a partner (``ConflictError`` if it is one already).
    Flushes."""
    project = managed_project(session, actor, project_id)
    try:
        registry.get_organisation(session, organisation_id)
    except registry.OrganisationNotFoundError as error:
        issue = InputIssue("", "organisation_id", "is not an organisation of the registry")
        raise InvalidInputError("The partner was not added", [issue]) from error
    if repository.member(session, project.id, organisation_id) is not None:
        raise ConflictError("This organisation is a partner already.")
    member = MonitoredProjectMember(
        project_id=project.id, organisation_id=organisation_id, role=ProjectRole.PARTNER
    )
    session.add(member)
    session.flush()
    return member


def remove_partner(session: Session, actor: User, project_id: int, organisation_id: int) -> None:
    """Remove a partner; the coordinator stays (``ConflictError``). Flushes."""
    project = managed_project(session, actor, project_id)
    member = repository.member(session, project.id, organisation_id)
    if member is None:
        raise ProjectNotFoundError("This organisation is not a partner of the project.")
    if member.role == ProjectRole.COORDINATOR:
        raise ConflictError("The coordinator stays a partner of its project.")
    session.delete(member)
    session.flush()


def project_periods(project: MonitoredProject) -> list[Period]:
    """The project's reporting periods, from its start to its end."""
    return reporting_periods(project.start_date, project.end_date, months=project.period_months)


def partner_ids(session: Session, project_id: int) -> list[int]:
    """The ids of the project's partner organisations."""
    return repository.organisation_ids(session, project_id)


def coordinator_choices(session: Session, user: User) -> list[Organisation]:
    """The organisations ``user`` may name as a new project's coordinator: their own."""
    return organisation_repository.list_of_member_by_name(session, user.id)
