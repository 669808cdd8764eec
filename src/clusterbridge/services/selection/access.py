"""Who may do what in the evaluation, and its errors.

Programme officers (and administrators) run the evaluation of every authored call. Experts
reach only their own assignments; applicants, and the users of the organisations of the
consortium (or SME) that sent a proposal, only that proposal's outcome once the selection is
published (``proposals.sees_proposal``). Anything else a user may not see is answered as if it did not exist.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from clusterbridge.db.models import EvaluationPanel, ProgrammeCall, User
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import AccessDeniedError, ConflictError, DomainError

#: Why a step is refused once the selection is published.
ALREADY_PUBLISHED = "The selection is already published"

#: The roles that run evaluations.
OFFICER_ROLES = frozenset({UserRole.PROGRAMME_OFFICER, UserRole.ADMINISTRATOR})


class EvaluationNotFoundError(DomainError):
    """A call, proposal, expert or assignment that does not exist, or that the user may not
    see."""

    status = 404


class NotRapporteurError(AccessDeniedError):
    """An expert of a proposal who is not its rapporteur tried a rapporteur's step."""


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


def require_closed(call: ProgrammeCall, *, now: datetime, doing: str) -> None:
    """Raise `EvaluationStateError` while the call takes proposals: a draft, or a call whose
    deadline has not passed at ``now`` (named in the call's time zone); ``doing`` says what
    waits for the deadline, e.g. "experts are assigned". A call without a deadline is not
    held back: publishing its selection closes it."""
    if call.published_at is None:
        raise EvaluationStateError(f"The call {call.identifier} is not published yet")
    if call.closes_at is None or now >= call.closes_at:
        return
    local = call.closes_at.astimezone(ZoneInfo(call.time_zone)).strftime("%d %B %Y %H:%M")
    raise EvaluationStateError(
        f"The call {call.identifier} takes proposals until its deadline, {local} "
        f"({call.time_zone}): {doing} after it"
    )


def require_unpublished(panel: EvaluationPanel | None) -> None:
    """Raise `EvaluationStateError` once the call's selection is published."""
    if panel is not None and panel.published_at is not None:
        raise EvaluationStateError(ALREADY_PUBLISHED)
