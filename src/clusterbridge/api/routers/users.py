"""Accounts for administrators: the list, and granting or revoking the event organiser role.

Every route needs an administrator's API token (403 for anyone else).
"""

from typing import Annotated

from fastapi import APIRouter, Path

from clusterbridge.api.deps import CurrentUser, SessionDep
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.schemas.users import UserRead
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.accounts import roles

router = APIRouter(prefix="/users", tags=["users"], route_class=ExactNumbersRoute)

UserId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", responses=errors(403))
def list_users(session: SessionDep, user: CurrentUser) -> list[UserRead]:
    """Every account, by name (administrators only)."""
    return [UserRead.from_row(row) for row in roles.list_accounts(session, user)]


@router.put("/{user_id}/event-organiser", responses=errors(403, 409))
def grant_event_organiser(user_id: UserId, session: SessionDep, user: CurrentUser) -> UserRead:
    """Make an organisation member or cluster manager an event organiser (administrators
    only); 409 for an administrator or a programme officer."""
    return UserRead.from_row(roles.grant_event_organiser(session, user, user_id))


@router.delete("/{user_id}/event-organiser", responses=errors(403, 409))
def revoke_event_organiser(user_id: UserId, session: SessionDep, user: CurrentUser) -> UserRead:
    """Make an event organiser an organisation member again (administrators only); the events
    they ran stay theirs. 409 when the account is no event organiser."""
    return UserRead.from_row(roles.revoke_event_organiser(session, user, user_id))
