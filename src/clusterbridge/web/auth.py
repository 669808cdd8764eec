"""Who is signed in: the key of a server-side session, kept in the signed session cookie.

The cookie holds a random key; the session is a row (``services.accounts.sessions``), so signing
out or changing the password ends it on the server and a copied cookie stops working.
"""

import logging
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from clusterbridge.api.deps import NowDep, SessionDep
from clusterbridge.db.models import User
from clusterbridge.db.session import Database
from clusterbridge.domain.errors import DomainError
from clusterbridge.services.accounts import sessions

SESSION_KEY = "session_key"

logger = logging.getLogger(__name__)


class SignInRequiredError(DomainError):
    """A page that needs a signed-in user; the web app answers with a redirect to sign in."""

    status = 401


def sign_in(request: Request, session: Session, user: User, *, now: datetime) -> None:
    """Start a session for ``user``; the cookie is renewed to prevent fixation, and a session
    this browser had before ends."""
    sign_out(request, session)
    request.session[SESSION_KEY] = sessions.start_session(session, user, now=now)


def sign_out(request: Request, session: Session) -> None:
    """End this browser's session, on the server too, and clear the cookie."""
    key = request.session.get(SESSION_KEY)
    if isinstance(key, str):
        sessions.end_session(session, key)
    request.session.clear()


def get_web_user(request: Request, session: SessionDep, now: NowDep) -> User | None:
    """The signed-in, active user, or None."""
    key = request.session.get(SESSION_KEY)
    if not isinstance(key, str):
        return None
    user = sessions.get_session_user(session, key, now=now)
    if user is None:
        request.session.pop(SESSION_KEY, None)
    return user


def find_web_user(request: Request, database: Database, *, now: datetime) -> User | None:
    """The signed-in, active user of ``request``, read in a session of its own, for a page made
    outside the routes (an error page, whose request may have failed before or after signing
    in): None without a session, with an ended one, or when the database cannot say (logged;
    the page is made anyway). Reads only."""
    key = request.session.get(SESSION_KEY) if "session" in request.scope else None
    if not isinstance(key, str):
        return None
    try:
        with database.sessions() as session:
            return sessions.get_session_user(session, key, now=now)
    except SQLAlchemyError:
        logger.exception("The signed-in user of an error page could not be read")
        return None


WebUser = Annotated[User | None, Depends(get_web_user)]


def require_web_user(user: WebUser) -> User:
    """The signed-in user; otherwise the request is sent to the sign-in page."""
    if user is None:
        raise SignInRequiredError("Please sign in")
    return user


SignedInUser = Annotated[User, Depends(require_web_user)]
