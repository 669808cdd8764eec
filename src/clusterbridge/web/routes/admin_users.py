"""The administrator's accounts page: who may organise match-making events.

An administrator grants the event organiser role to an organisation member or a cluster
manager, and takes it back; every other role stays as it is.
"""

from typing import Annotated, Any

from fastapi import Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from clusterbridge.api.deps import SessionDep, StateDep
from clusterbridge.db.models import User
from clusterbridge.domain.errors import DomainError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.accounts import roles
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import render

router = web_router(prefix="/admin/users")

UserId = Annotated[int, Path(ge=1, le=MAX_ID)]
PAGE = "/admin/users"


@router.get("", response_class=HTMLResponse)
def users_page(
    request: Request, session: SessionDep, user: SignedInUser, state: StateDep
) -> HTMLResponse:
    """Every account with its role, and a button to grant or take back the organiser role."""
    context = _context(session, user, anyone=state.settings.anyone_can_create_events)
    return render(request, "admin/users.html", context, user=user)


@router.post("/{user_id}/event-organiser", response_model=None)
def grant(
    user_id: UserId, request: Request, session: SessionDep, user: SignedInUser, state: StateDep
) -> Response:
    """Make the account an event organiser, then back to the list."""
    try:
        changed = roles.grant_event_organiser(session, user, user_id)
    except roles.RoleChangeError as error:
        return _refused(
            request, session, user, error, anyone=state.settings.anyone_can_create_events
        )
    return RedirectResponse(f"{PAGE}?changed={changed.id}#user-{changed.id}", status_code=303)


@router.post("/{user_id}/event-organiser/revoke", response_model=None)
def revoke(
    user_id: UserId, request: Request, session: SessionDep, user: SignedInUser, state: StateDep
) -> Response:
    """Take the event organiser role back, then back to the list."""
    try:
        changed = roles.revoke_event_organiser(session, user, user_id)
    except roles.RoleChangeError as error:
        return _refused(
            request, session, user, error, anyone=state.settings.anyone_can_create_events
        )
    return RedirectResponse(f"{PAGE}?changed={changed.id}#user-{changed.id}", status_code=303)


def _context(session: SessionDep, user: User, *, anyone: bool) -> dict[str, Any]:
    return {
        "accounts": roles.list_accounts(session, user),
        "grantable": roles.GRANTABLE_FROM,
        "anyone_can_create_events": anyone,
    }


def _refused(
    request: Request, session: SessionDep, user: User, error: DomainError, *, anyone: bool
) -> HTMLResponse:
    context = {**_context(session, user, anyone=anyone), "error": str(error)}
    return render(request, "admin/users.html", context, user=user, status_code=error.status)
