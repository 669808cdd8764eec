"""Requests to be listed as a member of a cluster, which the cluster accepts or refuses.

An organisation's editor who lists a cluster in ``cluster_ids`` (``POST`` or ``PATCH
/organisations``) makes a request unless they are a member of the cluster or an administrator;
the cluster's members decide here. Listed before the organisations router.
"""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import BaseModel

from clusterbridge.api.deps import ClaimNotifierDep, CurrentUser, SessionDep
from clusterbridge.api.errors import error_responses
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.domain.errors import AccessDeniedError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import registry

router = APIRouter(prefix="/organisations", tags=["organisations"], route_class=ExactNumbersRoute)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
NO_CONTENT = 204
DECISION_ERRORS = error_responses(
    {401: "No valid API token.", 404: "No such request for a cluster you speak for."}
)


class MembershipRequestRead(BaseModel):
    """An organisation asking to be listed as a member of the cluster."""

    id: int
    cluster_id: int
    member_id: int
    member_name: str
    asked_at: datetime


@router.get(
    "/{organisation_id}/membership-requests",
    responses=error_responses(
        {401: "No valid API token.", 403: "Only the cluster's members and administrators."}
    ),
)
def list_membership_requests(
    organisation_id: Id, session: SessionDep, user: CurrentUser
) -> list[MembershipRequestRead]:
    """The organisations asking to be members of this cluster, oldest first."""
    if not registry.may_decide(session, user, organisation_id):
        raise AccessDeniedError("Only the cluster's members and administrators see its requests")
    return [
        MembershipRequestRead(
            id=row.id,
            cluster_id=row.cluster_id,
            member_id=row.member_id,
            member_name=row.member.name,
            asked_at=row.created_at,
        )
        for row in registry.list_requests_to(session, user, organisation_id)
    ]


@router.post(
    "/membership-requests/{request_id}/accept", status_code=NO_CONTENT, responses=DECISION_ERRORS
)
def accept_membership(
    request_id: Id, session: SessionDep, user: CurrentUser, notifier: ClaimNotifierDep
) -> Response:
    """Accept: the organisation becomes a member of the cluster; whoever asked is told."""
    registry.decide_membership_request(session, user, request_id, accept=True, notifier=notifier)
    return Response(status_code=NO_CONTENT)


@router.post(
    "/membership-requests/{request_id}/refuse", status_code=NO_CONTENT, responses=DECISION_ERRORS
)
def refuse_membership(
    request_id: Id, session: SessionDep, user: CurrentUser, notifier: ClaimNotifierDep
) -> Response:
    """Refuse: the organisation is not listed; whoever asked is told."""
    registry.decide_membership_request(session, user, request_id, accept=False, notifier=notifier)
    return Response(status_code=NO_CONTENT)
