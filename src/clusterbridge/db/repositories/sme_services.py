"""Queries of services to SMEs: a project's catalogue, its deliveries (loaded with what their
pages show), an organisation's deliveries received, and the rows the counts add up."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from clusterbridge.db.models import (
    MonitoredProject,
    ProjectService,
    ServiceDelivery,
    ServiceRating,
    TrainingParticipant,
)
from clusterbridge.domain.sme_services import ServiceKind, ServiceUnit


def services(session: Session, project_id: int) -> list[ProjectService]:
    """The project's catalogue, by name."""
    statement = (
        sa.select(ProjectService)
        .where(ProjectService.project_id == project_id)
        .order_by(ProjectService.name, ProjectService.id)
    )
    return list(session.scalars(statement))


def service(session: Session, service_id: int) -> ProjectService | None:
    """One service of any project."""
    return session.get(ProjectService, service_id)


def service_by_name(session: Session, project_id: int, name: str) -> ProjectService | None:
    """The project's service of this name, compared case-insensitively."""
    statement = sa.select(ProjectService).where(
        ProjectService.project_id == project_id,
        sa.func.lower(ProjectService.name) == name.lower(),
    )
    return session.scalars(statement).first()


def project_by_acronym(session: Session, acronym: str) -> MonitoredProject | None:
    """The project of this acronym, compared case-insensitively."""
    statement = sa.select(MonitoredProject).where(
        sa.func.lower(MonitoredProject.acronym) == acronym.strip().lower()
    )
    return session.scalars(statement).one_or_none()


def _loaded() -> tuple[sa.orm.interfaces.LoaderOption, ...]:
    return (
        joinedload(ServiceDelivery.service),
        joinedload(ServiceDelivery.organisation),
        joinedload(ServiceDelivery.delivered_by),
        selectinload(ServiceDelivery.participants).joinedload(TrainingParticipant.organisation),
        selectinload(ServiceDelivery.ratings),
    )


def deliveries(
    session: Session,
    project_id: int,
    *,
    service_id: int | None = None,
    kind: ServiceKind | None = None,
    delivered_by_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int | None = None,
) -> list[ServiceDelivery]:
    """The project's deliveries that pass every filter given (``start`` and ``end`` both
    included), newest first, with their service, organisations, participants and ratings."""
    statement = (
        sa.select(ServiceDelivery)
        .join(ProjectService, ProjectService.id == ServiceDelivery.service_id)
        .where(ProjectService.project_id == project_id)
        .options(*_loaded())
        .order_by(ServiceDelivery.delivered_on.desc(), ServiceDelivery.id.desc())
        .limit(limit)
        .execution_options(populate_existing=True)
    )
    conditions = {
        ServiceDelivery.service_id: service_id,
        ProjectService.kind: kind,
        ServiceDelivery.delivered_by_id: delivered_by_id,
    }
    for column, value in conditions.items():
        if value is not None:
            statement = statement.where(column == value)
    if start is not None:
        statement = statement.where(ServiceDelivery.delivered_on >= start)
    if end is not None:
        statement = statement.where(ServiceDelivery.delivered_on <= end)
    return list(session.scalars(statement).unique())


def delivery(session: Session, delivery_id: int) -> ServiceDelivery | None:
    """One delivery with what its pages show."""
    statement = (
        sa.select(ServiceDelivery)
        .where(ServiceDelivery.id == delivery_id)
        .options(*_loaded())
        .execution_options(populate_existing=True)
    )
    return session.scalars(statement).unique().one_or_none()


def deliveries_to(session: Session, organisation_id: int) -> list[ServiceDelivery]:
    """The deliveries an organisation received, or whose training it took part in, newest
    first, loaded, and their services' projects too."""
    as_participant = sa.select(TrainingParticipant.delivery_id).where(
        TrainingParticipant.organisation_id == organisation_id
    )
    statement = (
        sa.select(ServiceDelivery)
        .where(
            sa.or_(
                ServiceDelivery.organisation_id == organisation_id,
                ServiceDelivery.id.in_(as_participant),
            )
        )
        .options(*_loaded(), joinedload(ServiceDelivery.service).joinedload(ProjectService.project))
        .order_by(ServiceDelivery.delivered_on.desc(), ServiceDelivery.id.desc())
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(statement).unique())


def rating(session: Session, delivery_id: int, organisation_id: int) -> ServiceRating | None:
    """The organisation's rating of the delivery."""
    statement = sa.select(ServiceRating).where(
        ServiceRating.delivery_id == delivery_id,
        ServiceRating.organisation_id == organisation_id,
    )
    return session.scalars(statement).one_or_none()


def _in_range(project_id: int, start: date, end: date) -> sa.Select[int]:
    """The ids of the project's deliveries from ``start`` to ``end``, both included."""
    return (
        sa.select(ServiceDelivery.id)
        .join(ProjectService, ProjectService.id == ServiceDelivery.service_id)
        .where(
            ProjectService.project_id == project_id,
            ServiceDelivery.delivered_on >= start,
            ServiceDelivery.delivered_on <= end,
        )
    )


def count_deliveries(session: Session, project_id: int, start: date, end: date) -> int:
    """How many deliveries the project made from ``start`` to ``end``."""
    statement = sa.select(sa.func.count()).select_from(_in_range(project_id, start, end).subquery())
    return session.scalar(statement) or 0


def quantities(
    session: Session, project_id: int, start: date, end: date
) -> list[tuple[Decimal, ServiceUnit]]:
    """The summed quantities of the project's deliveries from ``start`` to ``end``, per
    unit."""
    statement = (
        sa.select(sa.func.sum(ServiceDelivery.quantity), ServiceDelivery.unit)
        .where(ServiceDelivery.id.in_(_in_range(project_id, start, end)))
        .group_by(ServiceDelivery.unit)
    )
    return [(Decimal(total), unit) for total, unit in session.execute(statement)]


def recipient_ids(session: Session, project_id: int, start: date, end: date) -> set[int]:
    """The organisations that received a delivery of the project from ``start`` to ``end``,
    or took part in one of its training sessions then."""
    ranged = _in_range(project_id, start, end)
    received = sa.select(ServiceDelivery.organisation_id).where(
        ServiceDelivery.id.in_(ranged), ServiceDelivery.organisation_id.is_not(None)
    )
    trained = sa.select(TrainingParticipant.organisation_id).where(
        TrainingParticipant.delivery_id.in_(ranged),
        TrainingParticipant.organisation_id.is_not(None),
    )
    return {row for row in session.scalars(sa.union(received, trained)) if row is not None}


def training_participants(
    session: Session, project_id: int, start: date, end: date
) -> list[TrainingParticipant]:
    """The participants of the project's training sessions from ``start`` to ``end``."""
    statement = (
        sa.select(TrainingParticipant)
        .join(ServiceDelivery, ServiceDelivery.id == TrainingParticipant.delivery_id)
        .join(ProjectService, ProjectService.id == ServiceDelivery.service_id)
        .where(
            TrainingParticipant.delivery_id.in_(_in_range(project_id, start, end)),
            ProjectService.kind == ServiceKind.TRAINING,
        )
        .order_by(TrainingParticipant.id)
    )
    return list(session.scalars(statement))
