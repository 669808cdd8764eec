"""Services to SMEs' JSON: a project's catalogue service, a delivery (a training with its
participants), a rating, a delivery as the receiving organisation sees it."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from clusterbridge.db.models import ProjectService, ServiceDelivery, ServiceRating
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.domain.sme_services import (
    MAX_PEOPLE,
    MAX_QUANTITY,
    MAX_RATING,
    MIN_RATING,
    ServiceKind,
    ServiceUnit,
    hours_of,
)
from clusterbridge.services import monitoring
from clusterbridge.services.monitoring import deliveries, service_catalogue, service_ratings


class ServiceCreate(BaseModel):
    """A service to add to a project's catalogue."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=service_catalogue.MAX_SERVICE_NAME)
    kind: ServiceKind
    unit: ServiceUnit
    description: str = Field(default="", max_length=service_catalogue.MAX_DESCRIPTION)

    def draft(self) -> monitoring.ServiceDraft:
        """The service's draft."""
        return monitoring.ServiceDraft(**self.model_dump())


class ServiceRead(BaseModel):
    """A service of a project's catalogue."""

    id: int
    project_id: int
    name: str
    kind: ServiceKind
    unit: ServiceUnit
    description: str


class ParticipantWrite(BaseModel):
    """A training participant: an organisation with ``people`` trained, or a person's
    ``name`` (of ``organisation_id``, if given)."""

    model_config = ConfigDict(extra="forbid")

    organisation_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    people: int = Field(default=1, ge=1, le=MAX_PEOPLE)
    name: str | None = Field(default=None, min_length=1, max_length=deliveries.MAX_PERSON)


class DeliveryCreate(BaseModel):
    """A delivery to record: ``organisation_id`` for most services, ``participants`` for a
    training; ``unit`` defaults to the service's."""

    model_config = ConfigDict(extra="forbid")

    service_id: int = Field(ge=1, le=MAX_ID)
    delivered_on: date
    quantity: Decimal = Field(gt=0, le=MAX_QUANTITY, decimal_places=2)
    unit: ServiceUnit | None = None
    delivered_by_id: int = Field(ge=1, le=MAX_ID)
    delivered_by_person: str = Field(default="", max_length=deliveries.MAX_PERSON)
    organisation_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    follow_up: str = Field(default="", max_length=deliveries.MAX_FOLLOW_UP)
    participants: list[ParticipantWrite] = Field(
        default_factory=list, max_length=deliveries.MAX_PARTICIPANTS
    )

    def draft(self) -> monitoring.DeliveryDraft:
        """The service's draft."""
        values = self.model_dump(exclude={"participants"})
        people = tuple(monitoring.ParticipantDraft(**p.model_dump()) for p in self.participants)
        return monitoring.DeliveryDraft(**values, participants=people)


class ParticipantRead(BaseModel):
    """A training participant."""

    organisation_id: int | None
    organisation: str | None
    people: int
    name: str | None


class RatingRead(BaseModel):
    """A receiving organisation's rating of a delivery."""

    delivery_id: int
    organisation_id: int
    score: int
    comment: str
    rated_at: datetime


class DeliveryRead(BaseModel):
    """A delivery, with its hours (days at 8 hours) and the ratings received."""

    id: int
    service_id: int
    service: str
    kind: ServiceKind
    delivered_on: date
    quantity: Decimal
    unit: ServiceUnit
    hours: Decimal
    organisation_id: int | None
    organisation: str | None
    delivered_by_id: int | None
    delivered_by: str | None
    delivered_by_person: str
    follow_up: str
    participants: list[ParticipantRead]
    ratings: list[RatingRead]


class RatingWrite(BaseModel):
    """An organisation's rating of a delivery it received."""

    model_config = ConfigDict(extra="forbid")

    organisation_id: int = Field(ge=1, le=MAX_ID)
    score: int = Field(ge=MIN_RATING, le=MAX_RATING)
    comment: str = Field(default="", max_length=service_ratings.MAX_COMMENT)


class ReceivedRead(BaseModel):
    """A delivery the organisation received, with its own rating."""

    project: str
    delivery: DeliveryRead
    rating: RatingRead | None


def service_of(service: ProjectService) -> ServiceRead:
    """The JSON of a catalogue service."""
    return ServiceRead(
        id=service.id, project_id=service.project_id, name=service.name, kind=service.kind,
        unit=service.unit, description=service.description,
    )  # fmt: skip


def rating_of(rating: ServiceRating) -> RatingRead:
    """The JSON of a rating."""
    return RatingRead(
        delivery_id=rating.delivery_id, organisation_id=rating.organisation_id,
        score=rating.score, comment=rating.comment, rated_at=rating.rated_at,
    )  # fmt: skip


def delivery_of(delivery: ServiceDelivery) -> DeliveryRead:
    """The JSON of a delivery loaded with its service, organisations, participants and
    ratings."""
    participants = [
        ParticipantRead(
            organisation_id=p.organisation_id, people=p.people, name=p.name,
            organisation=p.organisation.name if p.organisation else None,
        )
        for p in delivery.participants
    ]  # fmt: skip
    return DeliveryRead(
        id=delivery.id, service_id=delivery.service_id, service=delivery.service.name,
        kind=delivery.service.kind, delivered_on=delivery.delivered_on,
        quantity=delivery.quantity, unit=delivery.unit,
        hours=hours_of(delivery.quantity, delivery.unit),
        organisation_id=delivery.organisation_id,
        organisation=delivery.organisation.name if delivery.organisation else None,
        delivered_by_id=delivery.delivered_by_id,
        delivered_by=delivery.delivered_by.name if delivery.delivered_by else None,
        delivered_by_person=delivery.delivered_by_person, follow_up=delivery.follow_up,
        participants=participants, ratings=[rating_of(r) for r in delivery.ratings],
    )  # fmt: skip
