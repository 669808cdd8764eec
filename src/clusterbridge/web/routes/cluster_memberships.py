"""A cluster's answers to organisations that list themselves as its members.

The requests show on the cluster's page (``organisations/_membership_requests.html``) to its
members and the administrators, with Accept and Refuse.
"""

from typing import Annotated

from fastapi import Path
from fastapi.responses import RedirectResponse

from clusterbridge.api.deps import ClaimNotifierDep, SessionDep
from clusterbridge.api.schemas.organisations import MAX_ID
from clusterbridge.services import registry
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.routing import web_router

router = web_router(prefix="/organisations")

RequestId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("/membership-requests/{request_id}/accept")
def accept(
    request_id: RequestId, user: SignedInUser, session: SessionDep, notifier: ClaimNotifierDep
) -> RedirectResponse:
    """Accept the organisation as a member of the cluster."""
    cluster = registry.decide_membership_request(
        session, user, request_id, accept=True, notifier=notifier
    )
    return RedirectResponse(f"/organisations/{cluster.id}#membership-requests", status_code=303)


@router.post("/membership-requests/{request_id}/refuse")
def refuse(
    request_id: RequestId, user: SignedInUser, session: SessionDep, notifier: ClaimNotifierDep
) -> RedirectResponse:
    """Refuse the organisation as a member of the cluster."""
    cluster = registry.decide_membership_request(
        session, user, request_id, accept=False, notifier=notifier
    )
    return RedirectResponse(f"/organisations/{cluster.id}#membership-requests", status_code=303)
