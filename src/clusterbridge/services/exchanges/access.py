"""Who may act for a partnership, and the errors of the exchange workflow."""

from sqlalchemy.orm import Session

from clusterbridge.db.models import User
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import AccessDeniedError, DomainError


class ExchangeNotFoundError(DomainError):
    """A partnership, participant or exchange that does not exist."""

    status = 404


class ExchangeConflictError(DomainError):
    """A step the rules or the exchange's state do not allow now (visit once, capacity,
    approving twice, paying before validation...)."""

    status = 409


def is_administrator(user: User) -> bool:
    """Whether the user is an active administrator."""
    return user.is_active and user.role == UserRole.ADMINISTRATOR


def acts_for(session: Session, user: User, partnership_id: int) -> bool:
    """Whether the user may act for the partnership: its members and administrators."""
    if not user.is_active:
        return False
    return is_administrator(user) or repository.is_partnership_member(
        session, partnership_id, user.id
    )


def require_acts_for(session: Session, user: User, partnership_id: int, *, doing: str) -> None:
    """Raise ``AccessDeniedError`` unless the user may act for the partnership."""
    if not acts_for(session, user, partnership_id):
        raise AccessDeniedError(f"Only the partnership's members may {doing}.")
