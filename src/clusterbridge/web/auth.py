"""Who is signed in: the user id kept in the signed session cookie."""

from typing import Annotated

from fastapi import Depends, Request

from clusterbridge.api.deps import SessionDep
from clusterbridge.db.models import User
from clusterbridge.domain.errors import DomainError
from clusterbridge.services.accounts import users

SESSION_USER = "user_id"


class SignInRequiredError(DomainError):
    """A page that needs a signed-in user; the web app answers with a redirect to sign in."""

    status = 401


def sign_in(request: Request, user: User) -> None:
    """Start a session for ``user``; the session is renewed to prevent fixation."""
    request.session.clear()
    request.session[SESSION_USER] = user.id


def sign_out(request: Request) -> None:
    """End the session."""
    request.session.clear()


def get_web_user(request: Request, session: SessionDep) -> User | None:
    """The signed-in, active user, or None."""
    user_id = request.session.get(SESSION_USER)
    if not isinstance(user_id, int):
        return None
    user = users.get_active_user(session, user_id)
    if user is None:
        request.session.pop(SESSION_USER, None)
    return user


WebUser = Annotated[User | None, Depends(get_web_user)]


def require_web_user(user: WebUser) -> User:
    """The signed-in user; otherwise the request is sent to the sign-in page."""
    if user is None:
        raise SignInRequiredError("Please sign in")
    return user


SignedInUser = Annotated[User, Depends(require_web_user)]
