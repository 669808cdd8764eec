"""Monitored projects' JSON: a project with its partners and reporting periods, a new project,
a partner to add."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from clusterbridge.db.models import MonitoredProject
from clusterbridge.domain.monitoring import (
    DEFAULT_PERIOD_MONTHS,
    MAX_PERIOD_MONTHS,
    Period,
    ProjectKind,
    ProjectRole,
)
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import monitoring


class ProjectUpdate(BaseModel):
    """A project's details."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=monitoring.MAX_NAME)
    acronym: str = Field(min_length=1, max_length=monitoring.MAX_ACRONYM)
    kind: ProjectKind
    description: str = Field(default="", max_length=monitoring.MAX_DESCRIPTION)
    start_date: date
    end_date: date
    period_months: int = Field(default=DEFAULT_PERIOD_MONTHS, ge=1, le=MAX_PERIOD_MONTHS)

    def details(self) -> monitoring.ProjectDetails:
        """The service's details."""
        return monitoring.ProjectDetails(**self.model_dump())


class ProjectCreate(ProjectUpdate):
    """A project to follow, coordinated by one of the caller's organisations."""

    coordinator_id: int = Field(ge=1, le=MAX_ID)

    def draft(self) -> monitoring.ProjectDraft:
        """The service's draft."""
        return monitoring.ProjectDraft(**self.model_dump())


class PartnerAdd(BaseModel):
    """A registry organisation to add as a partner."""

    model_config = ConfigDict(extra="forbid")

    organisation_id: int = Field(ge=1, le=MAX_ID)


class PartnerRead(BaseModel):
    """A partner organisation of a project."""

    organisation_id: int
    name: str
    country: str | None
    role: ProjectRole


class PeriodRead(BaseModel):
    """A reporting period, both ends included."""

    number: int
    start: date
    end: date


class ProjectRead(BaseModel):
    """A monitored project."""

    id: int
    name: str
    acronym: str
    kind: ProjectKind
    description: str
    start_date: date
    end_date: date
    period_months: int
    partners: list[PartnerRead]
    periods: list[PeriodRead]


def period_of(period: Period) -> PeriodRead:
    """The JSON of a reporting period."""
    return PeriodRead(number=period.number, start=period.start, end=period.end)


def project_of(project: MonitoredProject) -> ProjectRead:
    """The JSON of a project whose partners are loaded."""
    partners = [
        PartnerRead(
            organisation_id=m.organisation_id, name=m.organisation.name,
            country=m.organisation.country, role=m.role,
        )
        for m in sorted(project.members, key=lambda m: (m.role, m.organisation.name))
    ]  # fmt: skip
    return ProjectRead(
        id=project.id, name=project.name, acronym=project.acronym, kind=project.kind,
        description=project.description, start_date=project.start_date,
        end_date=project.end_date, period_months=project.period_months, partners=partners,
        periods=[period_of(p) for p in monitoring.project_periods(project)],
    )  # fmt: skip
