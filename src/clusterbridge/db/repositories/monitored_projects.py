"""Queries of monitored projects and their partner organisations."""

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from clusterbridge.db.models import (
    MonitoredProject,
    MonitoredProjectMember,
    OrganisationMember,
)


def project(session: Session, project_id: int) -> MonitoredProject | None:
    """One project with its partners and their organisations loaded."""
    statement = (
        sa.select(MonitoredProject)
        .where(MonitoredProject.id == project_id)
        .options(
            selectinload(MonitoredProject.members).joinedload(MonitoredProjectMember.organisation)
        )
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).one_or_none()


def projects(session: Session, *, user_id: int | None) -> list[MonitoredProject]:
    """Every project (``user_id`` None), or those with a partner the user is a member of; by
    acronym, partners loaded."""
    statement = (
        sa.select(MonitoredProject)
        .options(
            selectinload(MonitoredProject.members).joinedload(MonitoredProjectMember.organisation)
        )
        .order_by(MonitoredProject.acronym)
    )
    if user_id is not None:
        statement = statement.where(MonitoredProject.id.in_(_projects_of_user(user_id)))
    return list(session.scalars(statement))


def is_manager(session: Session, project_id: int, user_id: int) -> bool:
    """Whether the user is a member of one of the project's partner organisations."""
    statement = sa.select(sa.literal(1)).where(
        MonitoredProject.id == project_id, MonitoredProject.id.in_(_projects_of_user(user_id))
    )
    return session.execute(statement).first() is not None


def acronym_taken(session: Session, acronym: str, *, other_than: int | None = None) -> bool:
    """Whether another project has this acronym (compared case-insensitively)."""
    statement = sa.select(MonitoredProject.id).where(
        sa.func.lower(MonitoredProject.acronym) == acronym.lower()
    )
    if other_than is not None:
        statement = statement.where(MonitoredProject.id != other_than)
    return session.execute(statement).first() is not None


def organisation_ids(session: Session, project_id: int) -> list[int]:
    """The ids of the project's partner organisations."""
    statement = sa.select(MonitoredProjectMember.organisation_id).where(
        MonitoredProjectMember.project_id == project_id
    )
    return list(session.scalars(statement))


def _projects_of_user(user_id: int) -> sa.Select[int]:
    return (
        sa.select(MonitoredProjectMember.project_id)
        .join(
            OrganisationMember,
            OrganisationMember.organisation_id == MonitoredProjectMember.organisation_id,
        )
        .where(OrganisationMember.user_id == user_id)
    )


def member(
    session: Session, project_id: int, organisation_id: int
) -> MonitoredProjectMember | None:
    """One partner of the project."""
    return session.get(MonitoredProjectMember, (project_id, organisation_id))
