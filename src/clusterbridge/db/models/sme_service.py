"""Services to SMEs (issue 19, part 0): a monitored project's service catalogue, the
deliveries of its services to registry organisations, the participants of its training
sessions, and the ratings the receiving organisations give."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin, TimestampMixin, utcnow
from clusterbridge.db.models.monitored_project import MonitoredProject
from clusterbridge.db.models.organisation import Organisation
from clusterbridge.db.types import UTCDateTime, str_enum
from clusterbridge.domain.sme_services import ServiceKind, ServiceUnit

Quantity = sa.Numeric(8, 2)


class ProjectService(IdMixin, TimestampMixin, Base):
    """A service in a project's catalogue; its ``unit`` is the one its deliveries default
    to."""

    __tablename__ = "project_service"
    __table_args__ = (sa.UniqueConstraint("project_id", "name"),)

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("monitored_project.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[ServiceKind] = mapped_column(str_enum(ServiceKind))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    unit: Mapped[ServiceUnit] = mapped_column(str_enum(ServiceUnit))

    project: Mapped[MonitoredProject] = relationship(lazy="raise")


class ServiceDelivery(IdMixin, TimestampMixin, Base):
    """One delivery of a service on a day: to one organisation (``organisation_id``), or, for
    a training session, to its participants (``organisation_id`` empty). ``quantity`` in
    ``unit`` is the time spent (a session's duration); ``delivered_by_id`` is the partner of
    the project who delivered it."""

    __tablename__ = "service_delivery"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.Index("ix_service_delivery_service_day", "service_id", "delivered_on"),
    )

    service_id: Mapped[int] = mapped_column(sa.ForeignKey("project_service.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    delivered_on: Mapped[date]
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[ServiceUnit] = mapped_column(str_enum(ServiceUnit))
    delivered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL")
    )
    delivered_by_person: Mapped[str] = mapped_column(sa.String(200), default="")
    follow_up: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    service: Mapped[ProjectService] = relationship(lazy="raise")
    organisation: Mapped[Organisation | None] = relationship(
        lazy="raise", foreign_keys=[organisation_id]
    )
    delivered_by: Mapped[Organisation | None] = relationship(
        lazy="raise", foreign_keys=[delivered_by_id]
    )
    participants: Mapped[list["TrainingParticipant"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="TrainingParticipant.id"
    )
    ratings: Mapped[list["ServiceRating"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ServiceRating.id"
    )


class TrainingParticipant(IdMixin, Base):
    """A participant of a training session: an organisation with ``people`` trained (``name``
    empty), or one named person (``people`` 1), of an organisation or none."""

    __tablename__ = "training_participant"
    __table_args__ = (
        sa.CheckConstraint("people >= 1", name="people_positive"),
        sa.CheckConstraint("name IS NOT NULL OR organisation_id IS NOT NULL", name="someone"),
        sa.CheckConstraint("name IS NULL OR people = 1", name="named_is_one"),
    )

    delivery_id: Mapped[int] = mapped_column(
        sa.ForeignKey("service_delivery.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(sa.String(200))
    people: Mapped[int]

    organisation: Mapped[Organisation | None] = relationship(lazy="raise")


class ServiceRating(IdMixin, Base):
    """A receiving organisation's view of a delivery, given by one of its members: a score of
    1 to 5 and a comment. One per organisation and delivery; it can be changed."""

    __tablename__ = "service_rating"
    __table_args__ = (
        sa.UniqueConstraint("delivery_id", "organisation_id"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )

    delivery_id: Mapped[int] = mapped_column(
        sa.ForeignKey("service_delivery.id", ondelete="CASCADE")
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    rated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
