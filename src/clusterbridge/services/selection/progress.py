"""How far a call's evaluation has come, for the programme officer: per submitted proposal
its experts (with their fit and whether their report is in), the experts off it until the
officer assigns again (who declared a conflict with it, or whose conflict the registry shows
now, `experts.assigned_off`), its rapporteur, whether the
consensus is submitted and, once the panel ranked, its decision; with the panel's dates.
Read only; the ``evaluation status`` command and any overview read it."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    EvaluationAssignment,
    EvaluationPanel,
    ProgrammeCall,
    Proposal,
    ProposalDecision,
    User,
)
from clusterbridge.db.repositories import evaluation as repository
from clusterbridge.engines.selection.conflicts import ConflictKind
from clusterbridge.services.selection.assignment import call_panel


@dataclass(frozen=True, slots=True)
class ProposalProgress:
    """One submitted proposal's evaluation so far."""

    proposal: Proposal
    #: Its experts' assignments (each with its fit and, once written, its report).
    assignments: tuple[EvaluationAssignment, ...]
    #: The name of the rapporteur, once chosen.
    rapporteur: str | None
    consensus_submitted: bool
    conflicts: int
    decision: ProposalDecision | None
    #: The experts who declared a conflict with it, by name, with their statements (they
    #: are off it; their assignments, until replaced, are not in ``assignments``).
    declared: tuple[tuple[str, str], ...] = ()
    #: Those of them still assigned to it, waiting to be replaced by assigning again.
    waiting: tuple[str, ...] = ()
    #: The assigned experts with a conflict of interest found from the registry since they
    #: were assigned, by name, with its reason (off it, like ``declared``).
    conflicted: tuple[tuple[str, str], ...] = ()

    @property
    def reports_in(self) -> int:
        """How many of its experts submitted their report."""
        return sum(1 for a in self.assignments if a.submitted_at is not None)


@dataclass(frozen=True, slots=True)
class CallProgress:
    """A call's evaluation so far: its panel (``None`` before the first assignment) and its
    submitted proposals in the order of submission."""

    call: ProgrammeCall
    panel: EvaluationPanel | None
    proposals: tuple[ProposalProgress, ...]


def call_progress(session: Session, actor: User, call_id: int, *, today: date) -> CallProgress:
    """The evaluation of the call so far (officers only, else `AccessDeniedError`; an unknown
    call is `EvaluationNotFoundError`); conflicts of interest as of ``today``."""
    overview = call_panel(session, actor, call_id, today=today)
    consensus = {c.proposal_id: c for c in repository.consensus_of_call(session, call_id)}
    decisions = {d.proposal_id: d for d in repository.decisions_of_call(session, call_id)}
    off = overview.off()
    names = {
        a.id: a.expert.user.name
        for a in overview.assignments
        if (a.expert_id, a.proposal_id) not in off
    }
    people = {e.id: e.user.name for e in overview.experts}
    rows = []
    for proposal in overview.proposals:
        report = consensus.get(proposal.id)
        rows.append(
            ProposalProgress(
                proposal=proposal,
                assignments=tuple(
                    a
                    for a in overview.assigned_to(proposal.id)
                    if (a.expert_id, proposal.id) not in off
                ),
                declared=tuple(
                    (people[int(c.expert)], c.reason.removeprefix("declared: "))
                    for c in overview.conflicts_of(proposal.id)
                    if c.kind is ConflictKind.DECLARED
                ),
                conflicted=tuple(
                    (people[expert], why.reason)
                    for (expert, key), why in off.items()
                    if key == proposal.id and not why.declared
                ),
                waiting=tuple(
                    people[a.expert_id]
                    for a in overview.assigned_to(proposal.id)
                    if (why := off.get((a.expert_id, proposal.id))) is not None and why.declared
                ),
                rapporteur=None if report is None else names.get(report.rapporteur_id),
                consensus_submitted=report is not None and report.submitted_at is not None,
                conflicts=len(overview.conflicts_of(proposal.id)),
                decision=decisions.get(proposal.id),
            )
        )
    return CallProgress(overview.call, overview.panel, tuple(rows))
