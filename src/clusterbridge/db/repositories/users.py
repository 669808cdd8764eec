"""Queries on accounts and API tokens."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import ApiToken, User


def get_user(session: Session, user_id: int) -> User | None:
    """The user with this id, or None."""
    return session.get(User, user_id)


def get_user_by_email(session: Session, email: str) -> User | None:
    """The user with this (lower-cased) e-mail address, or None."""
    return session.scalars(sa.select(User).where(User.email == email)).one_or_none()


def count_users(session: Session) -> int:
    """How many accounts exist."""
    return session.scalar(sa.select(sa.func.count()).select_from(User)) or 0


def get_token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    """The token with this SHA-256, with its user loaded, or None."""
    statement = (
        sa.select(ApiToken)
        .where(ApiToken.token_hash == token_hash)
        .options(sa.orm.joinedload(ApiToken.user))
    )
    return session.scalars(statement).one_or_none()


def list_tokens(session: Session, user_id: int) -> list[ApiToken]:
    """A user's tokens, newest first."""
    statement = (
        sa.select(ApiToken)
        .where(ApiToken.user_id == user_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(session.scalars(statement))


def list_users(session: Session) -> list[User]:
    """Every account, by name then e-mail address."""
    statement = sa.select(User).order_by(sa.func.lower(User.name), User.email)
    return list(session.scalars(statement))
