"""Who may do what in the evaluation, and its errors.

Programme officers (and administrators) run the evaluation of every authored call. Experts
reach only their own assignments; applicants, and the users of the organisations of the
consortium (or SME) that sent a proposal, only that proposal's outcome once the selection is
published (``proposals.sees_proposal``). Anything else a user may not see is answered as if it did not exist.
"""

from clusterbridge.db.models import User
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import AccessDeniedError, ConflictError, DomainError

#: The roles that run evaluations.
OFFICER_ROLES = frozenset({UserRole.PROGRAMME_OFFICER, UserRole.ADMINISTRATOR})


class EvaluationNotFoundError(DomainError):
    """A call, proposal, expert or assignment that does not exist, or that the user may not
    see."""

    status = 404


class EvaluationStateError(ConflictError):
    """A step the evaluation's state does not allow now (reports already written, consensus
    missing, the selection already published...); ``reasons`` lists what stands in the way."""

    def __init__(self, message: str, reasons: tuple[str, ...] = ()) -> None:
        super().__init__(message if not reasons else f"{message}: {'; '.join(reasons)}")
        self.reasons = reasons


def is_officer(user: User) -> bool:
    """Whether the user runs evaluations (an active programme officer or administrator)."""
    return user.is_active and user.role in OFFICER_ROLES


def require_officer(user: User, *, doing: str) -> None:
    """Raise ``AccessDeniedError`` unless the user runs evaluations."""
    if not is_officer(user):
        raise AccessDeniedError(f"Only programme officers may {doing}.")
