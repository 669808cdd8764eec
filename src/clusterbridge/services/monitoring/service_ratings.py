"""The SME's own view of a service it received: a score of 1 to 5 and a comment, one per
receiving organisation and delivery, given (and changed) by the organisation's own users.

An organisation's members see the deliveries it received, or whose training it took part in,
from every project; the administrators see them too but do not rate in its name."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import ServiceDelivery, ServiceRating, User
from clusterbridge.db.repositories import organisations as organisation_rows
from clusterbridge.db.repositories import sme_services as repository
from clusterbridge.domain.errors import DomainError, InputIssue, InvalidInputError
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.domain.sme_services import MAX_RATING, MIN_RATING
from clusterbridge.services.monitoring.access import own_organisation

MAX_COMMENT = 2000


class DeliveryNotFoundError(DomainError):
    """No such delivery, or one the user may not see or rate."""

    status = 404


@dataclass(frozen=True, slots=True)
class ReceivedService:
    """A delivery as the receiving organisation sees it, with its own rating if given."""

    delivery: ServiceDelivery
    rating: ServiceRating | None


def receiver_ids(delivery: ServiceDelivery) -> set[int]:
    """The organisations that received ``delivery``: its recipient, or the organisations of
    its training participants (participants loaded)."""
    if delivery.organisation_id is not None:
        return {delivery.organisation_id}
    return {p.organisation_id for p in delivery.participants if p.organisation_id is not None}


def received_services(
    session: Session, user: User | None, organisation_id: int
) -> list[ReceivedService]:
    """The deliveries the organisation received, newest first, each with the organisation's
    rating, for its members and the administrators (``AssessmentNotFoundError`` for others).
    Reads only."""
    organisation = own_organisation(session, user, organisation_id)
    return [
        ReceivedService(
            delivery,
            next((r for r in delivery.ratings if r.organisation_id == organisation.id), None),
        )
        for delivery in repository.deliveries_to(session, organisation.id)
    ]


def may_rate(session: Session, user: User | None, organisation_id: int) -> bool:
    """Whether ``user`` rates in the organisation's name: one of its own members."""
    if user is None or not user.is_active:
        return False
    return organisation_rows.is_member(session, organisation_id, user.id)


def rate_delivery(
    session: Session,
    actor: User,
    delivery_id: int,
    *,
    organisation_id: int,
    score: int,
    comment: str,
    now: datetime,
) -> ServiceRating:
    """Give or change the organisation's rating of a delivery it received. Only the
    organisation's members rate (``DeliveryNotFoundError`` for anybody else, and for a
    delivery the organisation did not receive); the score is 1 to 5 and the comment at most
    ``MAX_COMMENT`` characters (``InvalidInputError``). Flushes."""
    delivery = repository.delivery(session, delivery_id)
    if (
        delivery is None
        or organisation_id not in receiver_ids(delivery)
        or not may_rate(session, actor, organisation_id)
    ):
        raise DeliveryNotFoundError("No such service received by your organisation.")
    issues: list[InputIssue] = []
    if not MIN_RATING <= score <= MAX_RATING:
        issues.append(InputIssue("", "score", f"must be {MIN_RATING} to {MAX_RATING}"))
    if len(comment) > MAX_COMMENT:
        issues.append(InputIssue("", "comment", too_long_reason(MAX_COMMENT, len(comment))))
    if issues:
        raise InvalidInputError("The rating was not saved", issues)
    rating = repository.rating(session, delivery.id, organisation_id)
    if rating is None:
        rating = ServiceRating(organisation_id=organisation_id)
        delivery.ratings.append(rating)
    rating.score, rating.comment = score, comment.strip()
    rating.rated_by_id, rating.rated_at = actor.id, now
    session.flush()
    return rating
