"""What waits for a programme officer (or an administrator) on their home page: the calls to
evaluate and the cascade calls with payments to make; and, for any expert, the reports still
to write."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import ProgrammeCall, User
from clusterbridge.db.repositories import selection as repository
from clusterbridge.services.selection.access import is_officer
from clusterbridge.services.selection.calls import is_open
from clusterbridge.services.selection.cascade import is_cascade
from clusterbridge.services.selection.evaluation import my_assignments, my_declared
from clusterbridge.services.selection.payments import call_payments


@dataclass(frozen=True, slots=True)
class PaymentsDue:
    """A cascade call whose selection is published, with how many of its selected
    applications still have money to receive."""

    call: ProgrammeCall
    applications: int


def calls_to_evaluate(session: Session, actor: User, *, now: datetime) -> list[ProgrammeCall]:
    """For an officer, the published calls closed at ``now`` whose selection is not published
    yet (their proposals wait for the evaluation and the panel), by identifier; empty for
    anyone else. Reads only."""
    if not is_officer(actor):
        return []
    closed = [
        row
        for row in repository.list_calls(session, published_only=True)
        if not is_open(row, now=now)
    ]
    published = repository.published_selections(session, [row.id for row in closed])
    return [row for row in closed if row.id not in published]


def payments_due(session: Session, actor: User) -> list[PaymentsDue]:
    """For an officer, the cascade calls whose selection is published and that have selected
    applications not paid in full, by identifier, with how many; empty for anyone else.
    Reads only (one query per cascade call with a published selection)."""
    if not is_officer(actor):
        return []
    rows = [r for r in repository.list_calls(session, published_only=True) if is_cascade(r)]
    published = repository.published_selections(session, [row.id for row in rows])
    found = []
    for row in rows:
        if row.id in published:
            left = sum(a.left > 0 for a in call_payments(session, actor, row.id))
            if left:
                found.append(PaymentsDue(row, left))
    return found


def reports_to_write(session: Session, actor: User) -> int:
    """How many of ``actor``'s assignments as an expert have no report yet, those they
    declared a conflict of interest with left out (0 outside the pool). Reads only."""
    declared = my_declared(session, actor)
    return sum(
        a.submitted_at is None and a.proposal_id not in declared
        for a in my_assignments(session, actor)
    )
