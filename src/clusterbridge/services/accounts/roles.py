"""Roles: an administrator lists the accounts and grants or revokes the event organiser role.

The organiser role is given to (and taken from) organisation members and cluster managers; an
administrator or a programme officer keeps their own role (administrators create events
anyway). Revoking it makes the account an organisation member. Events an organiser ran stay
theirs.
"""

from sqlalchemy.orm import Session

from clusterbridge.db.models import User
from clusterbridge.db.repositories import users as repository
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import (
    AccessDeniedError,
    DomainError,
)

#: Roles that may be turned into the event organiser role.
GRANTABLE_FROM: frozenset[UserRole] = frozenset(
    {UserRole.ORGANISATION_MEMBER, UserRole.CLUSTER_MANAGER}
)
#: The role an organiser goes back to when the role is revoked.
REVOKED_ROLE = UserRole.ORGANISATION_MEMBER


class AccountNotFoundError(DomainError):
    """No account with this id."""

    status = 404

    def __init__(self, user_id: int) -> None:
        self.user_id = user_id
        super().__init__(f"There is no account {user_id}")


class RoleChangeError(DomainError):
    """The account's role cannot change this way (an administrator, a programme officer, or
    an organiser's role taken from someone who is none)."""

    status = 409


def require_administrator(actor: User) -> None:
    """AccessDeniedError (403) unless ``actor`` is an administrator."""
    if actor.role is not UserRole.ADMINISTRATOR:
        raise AccessDeniedError("Only administrators manage accounts")


def list_accounts(session: Session, actor: User) -> list[User]:
    """Every account, by name (administrators only, else 403). Reads only."""
    require_administrator(actor)
    return repository.list_users(session)


def grant_event_organiser(session: Session, actor: User, user_id: int) -> User:
    """Make the account ``user_id`` an event organiser (administrators only, else 403).
    Granting it again changes nothing. AccountNotFoundError (404) for an unknown account;
    RoleChangeError (409) for an administrator or a programme officer. Flushes."""
    user = _target(session, actor, user_id)
    if user.role is UserRole.EVENT_ORGANISER:
        return user
    if user.role not in GRANTABLE_FROM:
        raise RoleChangeError(f"{user.name} is {_role_words(user.role)}: that role stays")
    user.role = UserRole.EVENT_ORGANISER
    session.flush()
    return user


def revoke_event_organiser(session: Session, actor: User, user_id: int) -> User:
    """Make the event organiser ``user_id`` an organisation member again (administrators only,
    else 403); the events they ran stay theirs. AccountNotFoundError (404) for an unknown
    account;
    RoleChangeError (409) when the account is no event organiser. Flushes."""
    user = _target(session, actor, user_id)
    if user.role is not UserRole.EVENT_ORGANISER:
        raise RoleChangeError(f"{user.name} is {_role_words(user.role)}, not an event organiser")
    user.role = REVOKED_ROLE
    session.flush()
    return user


def _target(session: Session, actor: User, user_id: int) -> User:
    require_administrator(actor)
    user = repository.get_user(session, user_id)
    if user is None:
        raise AccountNotFoundError(user_id)
    return user


def _role_words(role: UserRole) -> str:
    words = role.value.replace("_", " ")
    return f"an {words}" if words[0] in "aeiou" else f"a {words}"
