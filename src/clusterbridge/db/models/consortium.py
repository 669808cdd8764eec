"""Consortia being assembled for a call, their partners and the users who may see them."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin, TimestampMixin
from clusterbridge.db.models.job import Job
from clusterbridge.db.models.organisation import Organisation
from clusterbridge.db.models.user import User
from clusterbridge.db.types import str_enum
from clusterbridge.domain.enums import OrgType, Role, SmeProfile


class Consortium(IdMixin, TimestampMixin, Base):
    """A consortium in the making: which call and strand, and what it will ask for."""

    __tablename__ = "consortium"
    __table_args__ = (
        sa.CheckConstraint("duration_months IS NULL OR duration_months > 0", name="duration"),
        sa.CheckConstraint(
            "requested_grant_eur IS NULL OR requested_grant_eur > 0", name="requested_grant"
        ),
    )

    name: Mapped[str] = mapped_column(sa.String(200))
    #: A call id of the catalogue; calls are data files, not rows.
    call_id: Mapped[str | None] = mapped_column(sa.String(100))
    strand: Mapped[str | None] = mapped_column(sa.String(40))
    duration_months: Mapped[int | None]
    requested_grant_eur: Mapped[int | None] = mapped_column(sa.BigInteger)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    #: Shared consortia are visible (not editable) to every signed-in user.
    shared: Mapped[bool] = mapped_column(default=False)

    owner: Mapped[User] = relationship(lazy="raise")
    partners: Mapped[list["ConsortiumPartner"]] = relationship(
        back_populates="consortium",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ConsortiumPartner.position",
    )
    members: Mapped[list["ConsortiumMember"]] = relationship(
        back_populates="consortium", lazy="raise", cascade="all, delete-orphan"
    )


_COORDINATOR = sa.text("role = 'coordinator'")


class ConsortiumPartner(IdMixin, Base):
    """A partner: an organisation of the registry, or one typed in or uploaded.

    For a registry organisation the organisation's record supplies the data and the columns
    here stay empty; otherwise ``name`` and ``country`` are required.
    """

    __tablename__ = "consortium_partner"
    __table_args__ = (
        sa.CheckConstraint(
            "organisation_id IS NOT NULL OR (name IS NOT NULL AND country IS NOT NULL)",
            name="registry_or_named",
        ),
        sa.UniqueConstraint("consortium_id", "organisation_id"),
        # One coordinator per consortium (revision 0011).
        sa.Index(
            "uq_consortium_partner_coordinator",
            "consortium_id",
            unique=True,
            sqlite_where=_COORDINATOR,
            postgresql_where=_COORDINATOR,
        ),
    )

    consortium_id: Mapped[int] = mapped_column(sa.ForeignKey("consortium.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int]
    role: Mapped[Role | None] = mapped_column(str_enum(Role))
    name: Mapped[str | None] = mapped_column(sa.String(300))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    nuts: Mapped[str | None] = mapped_column(sa.String(5))
    type: Mapped[OrgType | None] = mapped_column(str_enum(OrgType, name="partner_org_type"))
    sme_profile: Mapped[SmeProfile | None] = mapped_column(
        str_enum(SmeProfile, name="partner_sme_profile")
    )
    legal_entity: Mapped[bool | None]
    eccp_registered: Mapped[bool | None]
    pic: Mapped[str | None] = mapped_column(sa.String(9))

    consortium: Mapped[Consortium] = relationship(back_populates="partners", lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(lazy="raise")


class ConsortiumMember(Base):
    """A user who may see a consortium, and edit it if ``can_edit``."""

    __tablename__ = "consortium_member"

    consortium_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consortium.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    can_edit: Mapped[bool] = mapped_column(default=True)

    consortium: Mapped[Consortium] = relationship(back_populates="members", lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")


class ConsortiumInvitation(IdMixin, TimestampMixin, Base):
    """An invitation, by e-mail address, to become a member of a consortium. The owner sees it
    as pending whether or not the address has an account; the person with that address accepts
    or declines it once signed in."""

    __tablename__ = "consortium_invitation"
    __table_args__ = (sa.UniqueConstraint("consortium_id", "email"),)

    consortium_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consortium.id", ondelete="CASCADE"), index=True
    )
    #: Lower-cased.
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    can_edit: Mapped[bool] = mapped_column(default=False)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    consortium: Mapped[Consortium] = relationship(lazy="raise")


class ProposalConsortium(Base):
    """The consortium made from proposal ``proposal`` (its number) of the builder job
    ``job_id``: one at most per proposal, so that sending the form again opens it instead of
    making another. Goes with the consortium or the job (pruned)."""

    __tablename__ = "proposal_consortium"

    job_id: Mapped[int] = mapped_column(
        sa.ForeignKey("job.id", ondelete="CASCADE"), primary_key=True
    )
    proposal: Mapped[int] = mapped_column(primary_key=True)
    consortium_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consortium.id", ondelete="CASCADE"), unique=True
    )

    job: Mapped[Job] = relationship(lazy="raise")
    consortium: Mapped[Consortium] = relationship(lazy="raise")
