"""Monitored projects with services to SMEs: a project, a catalogue service, a delivery."""

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    MonitoredProject,
    MonitoredProjectMember,
    Organisation,
    ProjectService,
    ServiceDelivery,
    TrainingParticipant,
)
from clusterbridge.domain.monitoring import ProjectKind, ProjectRole
from clusterbridge.domain.sme_services import ServiceKind, ServiceUnit


def make_project(
    session: Session,
    *,
    coordinator: Organisation,
    partners: tuple[Organisation, ...] = (),
    acronym: str = "EMA",
    start: date = date(2025, 1, 1),
    end: date = date(2026, 12, 31),
) -> MonitoredProject:
    """A Eurocluster coordinated by ``coordinator`` with ``partners``, flushed."""
    project = MonitoredProject(
        name=f"{acronym} project", acronym=acronym, kind=ProjectKind.EUROCLUSTER,
        description="", start_date=start, end_date=end, period_months=6,
    )  # fmt: skip
    project.members = [
        MonitoredProjectMember(organisation_id=coordinator.id, role=ProjectRole.COORDINATOR),
        *(MonitoredProjectMember(organisation_id=p.id, role=ProjectRole.PARTNER) for p in partners),
    ]
    session.add(project)
    session.flush()
    return project


def make_service(
    session: Session,
    project: MonitoredProject,
    *,
    name: str = "Robot cell audit",
    kind: ServiceKind = ServiceKind.TECHNICAL_ASSISTANCE,
    unit: ServiceUnit = ServiceUnit.HOURS,
) -> ProjectService:
    """A service of the project's catalogue, flushed."""
    service = ProjectService(project_id=project.id, name=name, kind=kind, unit=unit)
    session.add(service)
    session.flush()
    return service


def make_delivery(
    session: Session,
    service: ProjectService,
    *,
    by: Organisation,
    to: Organisation | None = None,
    on: date = date(2025, 3, 4),
    quantity: str = "4",
    unit: ServiceUnit | None = None,
    participants: tuple[tuple[Organisation | None, int, str | None], ...] = (),
) -> ServiceDelivery:
    """A delivery of ``service`` by ``by`` to ``to`` (or, for a training, to
    ``participants``: (organisation, people, name) each), flushed."""
    delivery = ServiceDelivery(
        service_id=service.id, organisation_id=to.id if to else None, delivered_on=on,
        quantity=Decimal(quantity), unit=unit or service.unit, delivered_by_id=by.id,
    )  # fmt: skip
    delivery.participants = [
        TrainingParticipant(organisation_id=org.id if org else None, people=people, name=name)
        for org, people, name in participants
    ]
    session.add(delivery)
    session.flush()
    return delivery
