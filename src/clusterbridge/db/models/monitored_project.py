"""Monitored projects: a Eurocluster, an alliance or a partnership that reports its impact on
the platform (its indicators, services to SMEs and analyses hang from it), with its partners."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin, TimestampMixin
from clusterbridge.db.models.organisation import Organisation
from clusterbridge.db.types import str_enum
from clusterbridge.domain.monitoring import ProjectKind, ProjectRole


class MonitoredProject(IdMixin, TimestampMixin, Base):
    """A funded initiative followed on the platform. ``project_id`` links it to its CORDIS
    grant where there is one; ``proposal_id`` to the proposal selected on the platform."""

    __tablename__ = "monitored_project"
    __table_args__ = (
        sa.CheckConstraint("end_date >= start_date", name="dates_in_order"),
        sa.CheckConstraint("period_months BETWEEN 1 AND 36", name="period_range"),
    )

    name: Mapped[str] = mapped_column(sa.String(300))
    acronym: Mapped[str] = mapped_column(sa.String(60), unique=True)
    kind: Mapped[ProjectKind] = mapped_column(str_enum(ProjectKind))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    start_date: Mapped[date]
    end_date: Mapped[date]
    #: The length of a reporting period, in months, counted from ``start_date``.
    period_months: Mapped[int]
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("project.id", ondelete="SET NULL"))
    proposal_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    members: Mapped[list["MonitoredProjectMember"]] = relationship(
        back_populates="project", lazy="raise", cascade="all, delete-orphan"
    )


class MonitoredProjectMember(Base):
    """An organisation taking part in a monitored project. The users of its organisations
    manage the project."""

    __tablename__ = "monitored_project_member"

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("monitored_project.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[ProjectRole] = mapped_column(str_enum(ProjectRole))

    project: Mapped[MonitoredProject] = relationship(back_populates="members", lazy="raise")
    organisation: Mapped[Organisation] = relationship(lazy="raise")
