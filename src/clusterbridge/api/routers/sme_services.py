"""Services to SMEs: a project's catalogue and deliveries (seen by whoever sees the project,
recorded by its partners' people and the administrators; 404 for others), the deliveries an
organisation received (its members and the administrators) and their ratings (its own members
only, once per delivery, changeable)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from clusterbridge.api.deps import CurrentUser, NowDep, SessionDep
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.sme_services import (
    DeliveryCreate,
    DeliveryRead,
    RatingRead,
    RatingWrite,
    ReceivedRead,
    ServiceCreate,
    ServiceRead,
    delivery_of,
    rating_of,
    service_of,
)
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.domain.sme_services import ServiceKind
from clusterbridge.services import monitoring

router = APIRouter(tags=["services to SMEs"], route_class=ExactNumbersRoute)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]


@router.get("/projects/{project_id}/services", responses=errors(404))
def list_services(project_id: Id, session: SessionDep, user: CurrentUser) -> list[ServiceRead]:
    """The project's service catalogue, by name."""
    return [service_of(s) for s in monitoring.list_services(session, user, project_id)]


@router.post("/projects/{project_id}/services", status_code=201, responses=errors(403, 404, 422))
def create_service(
    project_id: Id, body: ServiceCreate, session: SessionDep, user: CurrentUser
) -> ServiceRead:
    """Add a service to the project's catalogue."""
    return service_of(monitoring.create_service(session, user, project_id, body.draft()))


@router.get("/projects/{project_id}/deliveries", responses=errors(404, 422))
def list_deliveries(
    *,
    project_id: Id,
    session: SessionDep,
    user: CurrentUser,
    service_id: OptionalId = None,
    kind: ServiceKind | None = None,
    delivered_by_id: OptionalId = None,
    start: date | None = None,
    end: date | None = None,
) -> list[DeliveryRead]:
    """The project's deliveries, newest first (at most 500), filtered by service, kind,
    delivering partner and dates (both included)."""
    filters = monitoring.DeliveryFilters(service_id, kind, delivered_by_id, start, end)
    return [delivery_of(d) for d in monitoring.list_deliveries(session, user, project_id, filters)]


@router.post("/projects/{project_id}/deliveries", status_code=201, responses=errors(403, 404, 422))
def record_delivery(
    project_id: Id, body: DeliveryCreate, session: SessionDep, user: CurrentUser
) -> DeliveryRead:
    """Record a delivery of one of the project's services (a training with its
    participants)."""
    return delivery_of(monitoring.record_delivery(session, user, project_id, body.draft()))


@router.get("/organisations/{organisation_id}/services-received", responses=errors(404))
def list_received(
    organisation_id: Id, session: SessionDep, user: CurrentUser
) -> list[ReceivedRead]:
    """The services the organisation received from every project, newest first, with its own
    ratings."""
    return [
        ReceivedRead(
            project=r.delivery.service.project.acronym, delivery=delivery_of(r.delivery),
            rating=rating_of(r.rating) if r.rating else None,
        )
        for r in monitoring.received_services(session, user, organisation_id)
    ]  # fmt: skip


@router.put("/deliveries/{delivery_id}/rating", responses=errors(404, 422))
def rate_delivery(
    delivery_id: Id, body: RatingWrite, session: SessionDep, user: CurrentUser, now: NowDep
) -> RatingRead:
    """Give or change the organisation's rating of a delivery it received (its own members
    only)."""
    rating = monitoring.rate_delivery(
        session, user, delivery_id, organisation_id=body.organisation_id, score=body.score,
        comment=body.comment, now=now,
    )  # fmt: skip
    return rating_of(rating)
