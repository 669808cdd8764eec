"""Signed-in browsers as rows: a session ends on the server when its user signs out, and every
session and API token of a user ends when the password changes (ADR 0016)."""

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import ApiToken, User, WebSession

#: How long a browser stays signed in without signing in again.
SESSION_LIFETIME = timedelta(days=14)


def start_session(session: Session, user: User, *, now: datetime) -> str:
    """Record a new signed-in browser of ``user`` and return its key, for the cookie (only its
    SHA-256 is stored). Deletes the user's expired sessions on the way. Flushes."""
    session.execute(
        sa.delete(WebSession).where(WebSession.user_id == user.id, WebSession.expires_at <= now)
    )
    key = secrets.token_urlsafe(32)
    session.add(
        WebSession(user_id=user.id, key_hash=_digest(key), expires_at=now + SESSION_LIFETIME)
    )
    session.flush()
    return key


def get_session_user(session: Session, key: str, *, now: datetime) -> User | None:
    """The active user of the unexpired session with this key, or None. Reads only."""
    statement = (
        sa.select(User)
        .join(WebSession, WebSession.user_id == User.id)
        .where(WebSession.key_hash == _digest(key), WebSession.expires_at > now)
    )
    user = session.scalars(statement).one_or_none()
    return user if user is not None and user.is_active else None


def end_session(session: Session, key: str) -> None:
    """End the session with this key (an unknown key is ignored): a copy of its cookie no
    longer signs anybody in."""
    session.execute(sa.delete(WebSession).where(WebSession.key_hash == _digest(key)))


def end_every_session(session: Session, user: User, *, now: datetime) -> None:
    """Sign ``user`` out everywhere: delete every web session and revoke every API token (as
    of ``now``). Used when the password changes or is reset."""
    session.execute(sa.delete(WebSession).where(WebSession.user_id == user.id))
    session.execute(
        sa.update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()
