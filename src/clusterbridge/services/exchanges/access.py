"""Who may act for a partnership, who may read its pages, and the errors of the exchange
workflow."""

from sqlalchemy.orm import Session

from clusterbridge.db.models import User
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import AccessDeniedError, DomainError
from clusterbridge.services.exchanges.oversight import oversees


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


def reads_partnership(session: Session, user: User, partnership_id: int) -> bool:
    """Whether the user may read the partnership's page, dashboard and participants: those
    who act for it, and programme officers (who read only: `oversight`)."""
    return oversees(user) or acts_for(session, user, partnership_id)


def require_reads_partnership(
    session: Session, user: User, partnership_id: int, *, doing: str
) -> None:
    """Raise ``AccessDeniedError`` unless the user may read the partnership's pages."""
    if not reads_partnership(session, user, partnership_id):
        raise AccessDeniedError(
            f"Only the partnership's members and programme officers may {doing}."
        )
