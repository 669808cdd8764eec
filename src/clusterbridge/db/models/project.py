"""Funded projects and who took part in them (from CORDIS): the evidence behind profiles."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin
from clusterbridge.db.models.organisation import Organisation


class Project(IdMixin, Base):
    """A funded project, e.g. a Horizon Europe grant."""

    __tablename__ = "project"

    #: The grant agreement number (CORDIS ``projectID``).
    grant_id: Mapped[str] = mapped_column(sa.String(20), unique=True)
    acronym: Mapped[str] = mapped_column(sa.String(100), default="")
    title: Mapped[str] = mapped_column(sa.String(500))
    programme: Mapped[str | None] = mapped_column(sa.String(40))
    topic: Mapped[str | None] = mapped_column(sa.String(120))
    funding_scheme: Mapped[str | None] = mapped_column(sa.String(60))
    start_date: Mapped[date | None] = mapped_column(index=True)
    end_date: Mapped[date | None]
    keywords: Mapped[str] = mapped_column(sa.Text, default="")
    objective: Mapped[str] = mapped_column(sa.Text, default="")

    participations: Mapped[list["Participation"]] = relationship(
        back_populates="project", lazy="raise", cascade="all, delete-orphan"
    )


class Participation(IdMixin, Base):
    """An organisation's part in a project: coordinator, participant, associated partner..."""

    __tablename__ = "participation"
    __table_args__ = (sa.UniqueConstraint("project_id", "organisation_id", "role"),)

    project_id: Mapped[int] = mapped_column(sa.ForeignKey("project.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    #: The CORDIS role: coordinator, participant, associatedPartner or thirdParty.
    role: Mapped[str] = mapped_column(sa.String(30))
    #: The SME flag the organisation declared for this participation.
    sme: Mapped[bool | None]
    ec_contribution_eur: Mapped[float | None]

    project: Mapped[Project] = relationship(back_populates="participations", lazy="raise")
    organisation: Mapped[Organisation] = relationship(lazy="raise")
