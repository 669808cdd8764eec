"""Exchanges between clusters (ClusterXchange, issue 17): partnerships, enrolled participants,
exchanges with their Commitment to Quality, closing report, evidence, validation and payment."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin, TimestampMixin
from clusterbridge.db.models.organisation import Organisation
from clusterbridge.db.models.user import User
from clusterbridge.db.types import UTCDateTime, str_enum
from clusterbridge.domain.enums import (
    ActivityType,
    ExchangeRole,
    ExchangeState,
    OrganisationKind,
    RequestState,
    ValidationState,
)

#: Money in euros with cents.
Money = sa.Numeric(10, 2)
#: The exchanges that count for "visit once": all but the cancelled.
_NOT_CANCELLED = sa.text("state <> 'cancelled'")


class ExchangePartnership(IdMixin, TimestampMixin, Base):
    """A funded consortium running the scheme: it validates its participants, assesses
    exchanges and pays its visitors."""

    __tablename__ = "exchange_partnership"

    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    country: Mapped[str] = mapped_column(sa.String(2))

    members: Mapped[list["ExchangePartnershipMember"]] = relationship(
        back_populates="partnership", lazy="raise", cascade="all, delete-orphan"
    )


class ExchangePartnershipMember(Base):
    """A user who acts for a partnership (validates, approves, pays)."""

    __tablename__ = "exchange_partnership_member"

    partnership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_partnership.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    partnership: Mapped[ExchangePartnership] = relationship(back_populates="members", lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")


class ExchangeParticipant(IdMixin, TimestampMixin, Base):
    """An organisation enrolled as a visitor or a host with the partnership it chose: its
    profile, the place distances are measured from, and the partnership's decision."""

    __tablename__ = "exchange_participant"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "role"),
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        sa.CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude"),
        sa.CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude"),
        sa.CheckConstraint(
            "(state = 'pending') = (decided_at IS NULL)", name="decided_unless_pending"
        ),
        sa.CheckConstraint(
            "available_from IS NULL OR available_until IS NULL OR available_from <= available_until",
            name="availability_order",
        ),
    )

    partnership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_partnership.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE")
    )
    #: The person who enrolled the organisation and receives its mail.
    contact_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[ExchangeRole] = mapped_column(str_enum(ExchangeRole))
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind))
    country: Mapped[str] = mapped_column(sa.String(2))
    #: Whether the organisation is a member of a cluster (None: not known).
    cluster_member: Mapped[bool | None]
    place: Mapped[str] = mapped_column(sa.String(200))
    latitude: Mapped[float]
    longitude: Mapped[float]
    motivation: Mapped[str] = mapped_column(sa.Text)
    activity_types: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    preferred_countries: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    preferred_sectors: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    available_from: Mapped[date | None]
    available_until: Mapped[date | None]
    #: How many visitors a host takes at once (1 for visitors, who do not host).
    capacity: Mapped[int] = mapped_column(default=1)
    #: Why a host the rules do not list is accepted case by case; empty: no exception.
    host_exception: Mapped[str] = mapped_column(sa.Text, default="")
    state: Mapped[ValidationState] = mapped_column(
        str_enum(ValidationState), default=ValidationState.PENDING
    )
    decision_reason: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    partnership: Mapped[ExchangePartnership] = relationship(lazy="raise")
    organisation: Mapped[Organisation] = relationship(lazy="raise")
    contact: Mapped[User] = relationship(foreign_keys=[contact_id], lazy="raise")


class ExchangePreference(Base):
    """One entry of a participant's ranked list of the other side (a visitor's hosts, a
    host's visitors), best first from rank 1; the partnership's assignment reads them."""

    __tablename__ = "exchange_preference"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", "rank"),
        sa.CheckConstraint("rank >= 1", name="rank_positive"),
        sa.CheckConstraint("participant_id <> preferred_id", name="not_oneself"),
    )

    participant_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_participant.id", ondelete="CASCADE"), primary_key=True
    )
    preferred_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_participant.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    rank: Mapped[int]


class ExchangeRequest(IdMixin, TimestampMixin, Base):
    """A visitor asks a host for an exchange, with a message; the host accepts or declines.

    ``is_open`` is true while the request waits for an answer and NULL once answered, so the
    unique constraint on (visitor, host, is_open) allows one open request per pair and any
    number of answered ones (NULLs repeat in a unique constraint on SQLite and PostgreSQL; the
    claims' pattern, ADR 0008's migration)."""

    __tablename__ = "exchange_request"
    __table_args__ = (
        sa.UniqueConstraint("visitor_id", "host_id", "is_open"),
        sa.CheckConstraint("visitor_id <> host_id", name="two_participants"),
        sa.CheckConstraint("(state = 'open') = (is_open IS NOT NULL)", name="open_while_open"),
        sa.CheckConstraint("is_open IS NULL OR is_open", name="open_is_true"),
        sa.CheckConstraint("(state = 'open') = (answered_at IS NULL)", name="answered"),
    )

    visitor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_participant.id", ondelete="CASCADE"), index=True
    )
    host_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_participant.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(sa.Text)
    state: Mapped[RequestState] = mapped_column(str_enum(RequestState), default=RequestState.OPEN)
    #: True while open, NULL once answered (see the class docstring). No default: the ORM
    #: would put it in place of an explicit None.
    is_open: Mapped[bool | None]
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    visitor: Mapped[ExchangeParticipant] = relationship(foreign_keys=[visitor_id], lazy="raise")
    host: Mapped[ExchangeParticipant] = relationship(foreign_keys=[host_id], lazy="raise")


class Exchange(IdMixin, TimestampMixin, Base):
    """One visitor's stay at one host: the dates, the measured stay and its lump sum with the
    reasons, the Commitment to Quality and its four approvals, the closing report, validation
    and payment, or its cancellation. ``visitor_id`` is unique among the exchanges not
    cancelled: a visitor takes part once (a cancelled exchange did not happen, ADR 0017). The
    exchange counts for ``credited_partnership_id``, the visitor's partnership, which pays."""

    __tablename__ = "exchange"
    __table_args__ = (
        # Visit once, kept by the database; a cancelled exchange frees the visitor (0017).
        sa.Index(
            "uq_exchange_visitor_active",
            "visitor_id",
            unique=True,
            sqlite_where=_NOT_CANCELLED,
            postgresql_where=_NOT_CANCELLED,
        ),
        sa.CheckConstraint("end_date >= start_date", name="dates_in_order"),
        sa.CheckConstraint("visitor_id <> host_id", name="two_participants"),
        sa.CheckConstraint(
            "(state IN ('validated', 'paid')) = (validated_at IS NOT NULL)", name="validated"
        ),
        sa.CheckConstraint("(state = 'paid') = (paid_on IS NOT NULL)", name="paid"),
        sa.CheckConstraint(
            "state = 'cancelled' OR "
            "(state IN ('proposed', 'confirmed')) = (report_submitted_at IS NULL)",
            name="reported",
        ),
        sa.CheckConstraint(
            "(state = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancelled_when"
        ),
        sa.CheckConstraint("state <> 'cancelled' OR cancel_reason <> ''", name="cancel_reason"),
    )

    visitor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_participant.id", ondelete="CASCADE")
    )
    host_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_participant.id", ondelete="CASCADE"), index=True
    )
    credited_partnership_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange_partnership.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[ExchangeState] = mapped_column(
        str_enum(ExchangeState), default=ExchangeState.PROPOSED
    )
    start_date: Mapped[date]
    end_date: Mapped[date]
    activity_type: Mapped[ActivityType] = mapped_column(str_enum(ActivityType))
    working_days: Mapped[int]
    distance_km: Mapped[Decimal] = mapped_column(sa.Numeric(8, 1))
    threshold_eur: Mapped[Decimal] = mapped_column(Money)
    lump_sum_eur: Mapped[Decimal] = mapped_column(Money)
    halved: Mapped[bool]
    reasons: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    goals: Mapped[str] = mapped_column(sa.Text)
    objectives: Mapped[str] = mapped_column(sa.Text)
    agenda: Mapped[str] = mapped_column(sa.Text)
    visitor_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    host_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    visitor_partnership_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    host_partnership_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    report: Mapped[str] = mapped_column(sa.Text, default="")
    report_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    validated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    payment_due: Mapped[date | None]
    paid_on: Mapped[date | None]
    paid_amount_eur: Mapped[Decimal | None] = mapped_column(Money)
    payment_reference: Mapped[str] = mapped_column(sa.String(100), default="")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: Who called it off, in words (``the visitor``, ``the host's partnership``), and why.
    cancelled_by_party: Mapped[str] = mapped_column(sa.String(40), default="")
    cancel_reason: Mapped[str] = mapped_column(sa.Text, default="")

    visitor: Mapped[ExchangeParticipant] = relationship(foreign_keys=[visitor_id], lazy="raise")
    host: Mapped[ExchangeParticipant] = relationship(foreign_keys=[host_id], lazy="raise")
    evidence: Mapped[list["ExchangeEvidence"]] = relationship(
        back_populates="exchange", lazy="raise", cascade="all, delete-orphan"
    )


class ExchangeEvidence(IdMixin, Base):
    """A file the visitor uploaded with the closing report (a ticket, an invoice)."""

    __tablename__ = "exchange_evidence"
    __table_args__ = (sa.CheckConstraint("size > 0", name="not_empty"),)

    exchange_id: Mapped[int] = mapped_column(
        sa.ForeignKey("exchange.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    exchange: Mapped[Exchange] = relationship(back_populates="evidence", lazy="raise")
