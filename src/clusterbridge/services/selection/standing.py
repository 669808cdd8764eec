"""Where a proposal stands at the time of a request: whether its call is open, closed or its
selection published, the time left to the deadline, and, once the selection is published,
the proposal's outcome (selected with the amount awarded, on the reserve list, or out) with
its reason. The frozen eligibility report says how the call stood at submission; this says
how it stands now."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.db.models import Proposal, ProposalDecision
from clusterbridge.db.repositories import evaluation as repository
from clusterbridge.domain.enums import ProposalOutcome
from clusterbridge.reports.serialise import describe_time_left

#: The call's status once its selection is published (besides ``CallStatus``'s values).
PUBLISHED = "published"


@dataclass(frozen=True, slots=True)
class Standing:
    """A proposal's call status now (``open``, ``closed``, ``no_deadline`` or ``published``),
    the time left to the deadline in words (``None`` without one) and the decision once the
    selection is published (``None`` before, and for a proposal the panel did not rank)."""

    call_status: str
    time_left: str | None
    decision: ProposalDecision | None

    @property
    def awarded(self) -> Decimal | None:
        """The grant awarded to a selected proposal, else ``None``."""
        if self.decision is None or self.decision.outcome is not ProposalOutcome.SELECTED:
            return None
        return self.decision.awarded

    def eligibility_now(self, frozen: dict[str, Any] | None) -> dict[str, Any] | None:
        """The frozen eligibility report with its call's status and time left as of now."""
        if frozen is None or not isinstance(frozen.get("call"), dict):
            return frozen
        call = {**frozen["call"], "status": self.call_status, "time_left": self.time_left}
        return {**frozen, "call": call}


def standings(
    session: Session, proposals: Sequence[Proposal], *, now: datetime
) -> dict[int, Standing]:
    """Each proposal's standing at ``now``, by proposal id (two queries in all; the
    proposals' calls must be loaded)."""
    published = repository.published_calls(session, {p.call_id for p in proposals})
    shown = [p.id for p in proposals if p.call_id in published]
    decisions = {d.proposal_id: d for d in repository.decisions_of(session, shown)}
    found = {}
    for proposal in proposals:
        call = proposal.call
        left = None if call.closes_at is None else call.closes_at - now
        if call.id in published:
            status = PUBLISHED
        elif left is None:
            status = "no_deadline"
        else:
            status = "open" if left.total_seconds() > 0 else "closed"
        found[proposal.id] = Standing(status, describe_time_left(left), decisions.get(proposal.id))
    return found


def standing_of(session: Session, proposal: Proposal, *, now: datetime) -> Standing:
    """One proposal's standing at ``now`` (`standings`)."""
    return standings(session, [proposal], now=now)[proposal.id]
