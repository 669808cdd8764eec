"""The organisation registry: clusters, SMEs, technology centres and everyone else."""

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin, TimestampMixin
from clusterbridge.db.types import str_enum
from clusterbridge.domain.enums import (
    OrgType,
    RecordSource,
    SmeProfile,
    TechnologyDirection,
    ValueOrigin,
)
from clusterbridge.reference.enums import RegionCategory

if TYPE_CHECKING:
    from clusterbridge.db.models.user import User


class Organisation(IdMixin, TimestampMixin, Base):
    """One organisation. ``None`` means not known, as in the eligibility snapshots."""

    __tablename__ = "organisation"
    __table_args__ = (
        sa.Index("ix_organisation_name_key_country", "name_key", "country"),
        sa.CheckConstraint("length(country) = 2", name="country_code"),
    )

    #: The 9-digit Participant Identification Code of the EU Funding & Tenders portal.
    pic: Mapped[str | None] = mapped_column(sa.String(9), unique=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    #: ``name`` folded for matching re-imports by name and country (see services.registry).
    name_key: Mapped[str] = mapped_column(sa.String(300))
    short_name: Mapped[str | None] = mapped_column(sa.String(100))
    type: Mapped[OrgType | None] = mapped_column(str_enum(OrgType, name="org_type"), index=True)
    is_sme: Mapped[bool | None]
    #: The activity type CORDIS gives a record imported from it (PRC, HES, REC, PUB, OTH): the
    #: evidence of a type derived from the name names it (ADR 0038).
    cordis_activity: Mapped[str | None] = mapped_column(sa.String(3))
    sme_profile: Mapped[SmeProfile | None] = mapped_column(str_enum(SmeProfile))
    #: Whether ``sme_profile`` was derived from the projects or declared by the members.
    sme_profile_origin: Mapped[ValueOrigin | None] = mapped_column(str_enum(ValueOrigin))
    #: Why a derived ``sme_profile`` is what it is, in words ("3 of 4 projects develop ...").
    sme_profile_evidence: Mapped[str | None] = mapped_column(sa.Text)
    #: A canonical EU country code (EL, UK, DE...).
    country: Mapped[str] = mapped_column(sa.String(2), index=True)
    nuts: Mapped[str | None] = mapped_column(sa.String(5))
    #: The NUTS-2 region's category in each period, resolved from ``nuts`` when it is saved.
    category_2021_2027: Mapped[RegionCategory | None] = mapped_column(
        str_enum(RegionCategory, name="region_category_2021_2027"), index=True
    )
    category_2014_2020: Mapped[RegionCategory | None] = mapped_column(
        str_enum(RegionCategory, name="region_category_2014_2020")
    )
    city: Mapped[str | None] = mapped_column(sa.String(100))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    website: Mapped[str | None] = mapped_column(sa.String(300))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    legal_entity: Mapped[bool | None]
    #: Registered on the European Cluster Collaboration Platform.
    eccp_registered: Mapped[bool | None]
    #: What the organisation says about itself.
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: What it worked on, built from its projects (titles, objectives, keywords).
    profile: Mapped[str] = mapped_column(sa.Text, default="")
    source: Mapped[RecordSource] = mapped_column(
        str_enum(RecordSource), default=RecordSource.MANUAL
    )
    #: The fields the members changed (``services.registry.FIELDS`` names): a re-import from
    #: the record's source never overwrites them.
    declared_fields: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    ecosystems: Mapped[list["OrganisationEcosystem"]] = relationship(
        back_populates="organisation", lazy="raise", cascade="all, delete-orphan"
    )
    technologies: Mapped[list["OrganisationTechnology"]] = relationship(
        back_populates="organisation", lazy="raise", cascade="all, delete-orphan"
    )
    clusters: Mapped[list["ClusterMembership"]] = relationship(
        foreign_keys="ClusterMembership.member_id",
        back_populates="member",
        lazy="raise",
        cascade="all, delete-orphan",
    )
    members: Mapped[list["ClusterMembership"]] = relationship(
        foreign_keys="ClusterMembership.cluster_id",
        back_populates="cluster",
        lazy="raise",
        cascade="all, delete-orphan",
    )
    users: Mapped[list["OrganisationMember"]] = relationship(
        back_populates="organisation", lazy="raise", cascade="all, delete-orphan"
    )


class OrganisationEcosystem(Base):
    """An industrial ecosystem (slug of the reference list) an organisation works in."""

    __tablename__ = "organisation_ecosystem"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    ecosystem: Mapped[str] = mapped_column(sa.String(40), primary_key=True, index=True)
    origin: Mapped[ValueOrigin] = mapped_column(str_enum(ValueOrigin), default=ValueOrigin.DECLARED)
    #: For a derived value, the projects it rests on in words ("3 projects, e.g. SoliDAIR").
    evidence: Mapped[str | None] = mapped_column(sa.Text)

    organisation: Mapped[Organisation] = relationship(back_populates="ecosystems", lazy="raise")


class OrganisationTechnology(IdMixin, Base):
    """A technology an organisation offers or needs: free text, and a vocabulary code if any."""

    __tablename__ = "organisation_technology"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "direction", "label"),)

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    direction: Mapped[TechnologyDirection] = mapped_column(str_enum(TechnologyDirection))
    label: Mapped[str] = mapped_column(sa.String(200))
    #: The code in the controlled vocabulary, when the label is one of its terms.
    code: Mapped[str | None] = mapped_column(sa.String(60), index=True)
    origin: Mapped[ValueOrigin] = mapped_column(str_enum(ValueOrigin), default=ValueOrigin.DECLARED)
    #: For a derived value, the projects it rests on in words ("3 projects, e.g. SoliDAIR").
    evidence: Mapped[str | None] = mapped_column(sa.Text)

    organisation: Mapped[Organisation] = relationship(back_populates="technologies", lazy="raise")


class ClusterMembership(Base):
    """``member`` (typically an SME) is a member of the cluster organisation ``cluster``."""

    __tablename__ = "cluster_membership"
    __table_args__ = (sa.CheckConstraint("cluster_id <> member_id", name="not_own_member"),)

    cluster_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    cluster: Mapped[Organisation] = relationship(
        foreign_keys=[cluster_id], back_populates="members", lazy="raise"
    )
    member: Mapped[Organisation] = relationship(
        foreign_keys=[member_id], back_populates="clusters", lazy="raise"
    )


class OrganisationMember(Base):
    """A user who belongs to an organisation, and so may edit its record."""

    __tablename__ = "organisation_member"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    organisation: Mapped[Organisation] = relationship(back_populates="users", lazy="raise")
    user: Mapped["User"] = relationship(back_populates="organisations", lazy="raise")


class ClusterMembershipRequest(IdMixin, TimestampMixin, Base):
    """``member`` asks to be listed as a member of the cluster organisation ``cluster``; the
    cluster's own members accept (a ``ClusterMembership`` is made) or refuse it. Deleted once
    decided."""

    __tablename__ = "cluster_membership_request"
    __table_args__ = (
        sa.CheckConstraint("cluster_id <> member_id", name="not_own_member"),
        sa.UniqueConstraint("cluster_id", "member_id"),
    )

    cluster_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    cluster: Mapped[Organisation] = relationship(foreign_keys=[cluster_id], lazy="raise")
    member: Mapped[Organisation] = relationship(foreign_keys=[member_id], lazy="raise")
    requested_by: Mapped["User | None"] = relationship(lazy="raise")
