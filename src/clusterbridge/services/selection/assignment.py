"""Assigning experts to a call's proposals: k experts per eligible proposal, at most a given
load per expert, no conflict of interest, the greatest total fit, by the exact min-cost flow
of ``engines.selection`` (docs/adr/0018-ranking-selection-and-assignment.md). When no such
assignment exists, the engine's explanation (which proposals cannot be covered) is the error.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    EvaluationAssignment,
    EvaluationPanel,
    Expert,
    ProgrammeCall,
    Proposal,
    User,
)
from clusterbridge.db.repositories import evaluation as repository
from clusterbridge.engines.selection.assignment import AssignmentProblem, AssignStatus, Deficiency
from clusterbridge.engines.selection.conflicts import Conflict, ConflictKind
from clusterbridge.services.selection.access import (
    EvaluationNotFoundError,
    EvaluationStateError,
    require_closed,
    require_officer,
    require_unpublished,
)
from clusterbridge.services.selection.experts import Off, assigned_off, call_conflicts
from clusterbridge.services.selection.fit import fits
from clusterbridge.services.selection.solving import assign

#: Why an assignment is refused when the call has no proposal to evaluate.
NOTHING_TO_ASSIGN = "There is nothing to assign: the call has no eligible submitted proposal"
#: Why an assignment is refused when the pool of experts is empty.
NOBODY_TO_ASSIGN = "There is nobody to assign: the pool of experts is empty; add experts first"


class AssignmentInfeasibleError(EvaluationStateError):
    """No assignment gives every eligible proposal its experts; ``reasons`` says which
    proposals cannot be covered and why."""


@dataclass(frozen=True, slots=True)
class CallPanel:
    """What the officer's page of a call's evaluation shows: the call, its panel (``None``
    before the first assignment), the submitted proposals, the pool, the conflicts between
    them (as of the day it was read) and the assignments with their fit; ``settled``: the
    proposals whose consensus is submitted."""

    call: ProgrammeCall
    panel: EvaluationPanel | None
    proposals: tuple[Proposal, ...]
    experts: tuple[Expert, ...]
    conflicts: tuple[Conflict, ...]
    assignments: tuple[EvaluationAssignment, ...]
    settled: frozenset[int] = frozenset()

    def evaluated(self) -> tuple[Proposal, ...]:
        """The proposals the experts evaluate: the eligible ones."""
        return tuple(p for p in self.proposals if p.eligible is True)

    def conflicts_of(self, proposal_id: int) -> tuple[Conflict, ...]:
        """The conflicts with one proposal."""
        return tuple(c for c in self.conflicts if c.proposal == str(proposal_id))

    def declared(self) -> frozenset[tuple[int, int]]:
        """The (expert id, proposal id) pairs of the conflicts experts declared."""
        return frozenset(
            (int(c.expert), int(c.proposal))
            for c in self.conflicts
            if c.kind is ConflictKind.DECLARED
        )

    def off(self) -> dict[tuple[int, int], Off]:
        """The assigned experts off their proposal, declared or found from the registry
        (`experts.assigned_off`), by (expert id, proposal id)."""
        return assigned_off(self.conflicts, self.assignments, settled=self.settled)

    def assigned_to(self, proposal_id: int) -> tuple[EvaluationAssignment, ...]:
        """The proposal's assignments."""
        return tuple(a for a in self.assignments if a.proposal_id == proposal_id)


def get_call_or_404(session: Session, call_id: int) -> ProgrammeCall:
    """The call, or `EvaluationNotFoundError`."""
    call = repository.get_call(session, call_id)
    if call is None:
        raise EvaluationNotFoundError("No such call")
    return call


def call_panel(session: Session, actor: User, call_id: int, *, today: date) -> CallPanel:
    """The evaluation of a call as the officer sees it, conflicts of interest as of ``today``
    (the site's calendar date, ADR 0039): the joint projects' window ends then."""
    require_officer(actor, doing="run an evaluation")
    call = get_call_or_404(session, call_id)
    proposals = repository.submitted_proposals(session, call_id)
    experts = repository.list_experts(session)
    evaluated = [p for p in proposals if p.eligible is True]
    return CallPanel(
        call=call,
        panel=repository.get_panel(session, call_id),
        proposals=tuple(proposals),
        experts=tuple(experts),
        conflicts=call_conflicts(session, experts, evaluated, on=today),
        assignments=tuple(repository.assignments_of_call(session, call_id)),
        settled=frozenset(
            c.proposal_id
            for c in repository.consensus_of_call(session, call_id)
            if c.submitted_at is not None
        ),
    )


def assign_experts(
    session: Session,
    actor: User,
    call_id: int,
    *,
    per_proposal: int,
    max_load: int,
    now: datetime,
    today: date,
) -> CallPanel:
    """Assign ``per_proposal`` experts to each eligible submitted proposal of the call, at
    most ``max_load`` proposals per expert, with no conflict and the greatest total fit; the
    previous assignment is replaced; conflicts of interest as of ``today``. Once reports
    are written, only the experts off a proposal (a declared conflict, or one found from the
    registry since, `CallPanel.off`) are replaced. Refused (`EvaluationStateError`) before the call's
    deadline (proposals may still come in or be withdrawn, `access.require_closed`), once the
    selection is published, once a report is written, when the call has no eligible submitted
    proposal (nothing to assign) or the pool is empty, and when no assignment covers every proposal (`AssignmentInfeasibleError`: its
    reasons say which proposals cannot be covered). Writes the assignments and the panel's
    settings."""
    overview = call_panel(session, actor, call_id, today=today)
    require_unpublished(overview.panel)
    require_closed(overview.call, now=now, doing="experts are assigned")
    written = _written(overview.assignments)
    if written:
        off = _off(overview)
        if not off:
            raise EvaluationStateError(REPORTS_WRITTEN, written)
        return _replace_off(session, overview, off, max_load=max_load, now=now)
    if not overview.evaluated():
        raise EvaluationStateError(NOTHING_TO_ASSIGN)
    if not overview.experts:
        raise EvaluationStateError(NOBODY_TO_ASSIGN)
    table = fits(overview.experts, overview.evaluated())
    problem = AssignmentProblem(
        experts=tuple(str(e.id) for e in overview.experts),
        proposals=tuple(str(p.id) for p in overview.evaluated()),
        per_proposal=per_proposal,
        max_load=max_load,
        affinity=table.affinities(),
        conflicts=frozenset((c.expert, c.proposal) for c in overview.conflicts),
    )
    result = assign(problem)
    if result.status is AssignStatus.INFEASIBLE:
        names = {str(p.id): p.acronym for p in overview.proposals}
        people = {str(e.id): e.user.name for e in overview.experts}
        reasons = tuple(_explained(d, names, people) for d in result.deficiencies)
        raise AssignmentInfeasibleError("No assignment covers every proposal", reasons)
    repository.delete_assignments(session, [p.id for p in overview.evaluated()])
    session.flush()
    for pair in result.pairs:
        fit = table.fit(int(pair.expert), int(pair.proposal))
        session.add(
            EvaluationAssignment(
                proposal_id=int(pair.proposal),
                expert_id=int(pair.expert),
                fit=fit.value,
                fit_words=list(fit.words),
            )
        )
    panel = overview.panel or EvaluationPanel(call_id=call_id)
    panel.per_proposal, panel.max_load, panel.assigned_at = per_proposal, max_load, now
    session.add(panel)
    session.flush()
    assignments = tuple(repository.assignments_of_call(session, call_id))
    return replace(overview, panel=panel, assignments=assignments)


def assignment_refusal(session: Session, overview: CallPanel, *, now: datetime) -> str | None:
    """Why assigning (again) can only fail now, in words, or ``None`` when it may work: the
    selection is published, the deadline has not passed, or reports are written and no
    expert is off a proposal to be replaced (a declared conflict or one found from the
    registry, `CallPanel.off`)."""
    try:
        require_unpublished(overview.panel)
        require_closed(overview.call, now=now, doing="experts are assigned")
    except EvaluationStateError as error:
        return str(error)
    written = _written(overview.assignments)
    if written and not _off(overview):
        return (
            f"{REPORTS_WRITTEN}: {', '.join(written)}. The assignment stays as it is; "
            "an expert with a conflict of interest (declared, or found in the registry "
            "before the consensus) is replaced by assigning again."
        )
    return None


#: Why assigning again is refused once reports are written and nobody declared a conflict.
REPORTS_WRITTEN = "Reports are already written for"


def _written(assignments: Sequence[EvaluationAssignment]) -> tuple[str, ...]:
    """The acronyms of the proposals with a report written."""
    return tuple(
        dict.fromkeys(a.proposal.acronym for a in assignments if a.submitted_at is not None)
    )


def _off(overview: CallPanel) -> list[EvaluationAssignment]:
    """The assignments of experts off their proposal (`CallPanel.off`)."""
    off = overview.off()
    return [a for a in overview.assignments if (a.expert_id, a.proposal_id) in off]


def _replace_off(
    session: Session,
    overview: CallPanel,
    off: Sequence[EvaluationAssignment],
    *,
    max_load: int,
    now: datetime,
) -> CallPanel:
    """Replace each expert off a proposal (`CallPanel.off`) by the expert of the greatest fit with the
    proposal who has no conflict with it, is not on it already and has fewer than
    ``max_load`` proposals; the other assignments and their reports are kept. When some
    proposal finds nobody, `AssignmentInfeasibleError` names it and nothing changes."""
    table = fits(overview.experts, overview.evaluated())
    barred = {(c.expert, c.proposal) for c in overview.conflicts}
    kept = [a for a in overview.assignments if a not in off]
    load = Counter(a.expert_id for a in kept)
    on = {(a.expert_id, a.proposal_id) for a in kept}
    chosen: list[tuple[EvaluationAssignment, Expert]] = []
    for leaving in off:
        free = [
            e
            for e in overview.experts
            if (str(e.id), str(leaving.proposal_id)) not in barred
            and (e.id, leaving.proposal_id) not in on
            and load[e.id] < max_load
        ]
        if not free:
            raise AssignmentInfeasibleError(
                f"Nobody can replace {leaving.expert.user.name} on {leaving.proposal.acronym}",
                (
                    "every other expert has a conflict of interest with it, is on it already "
                    f"or evaluates {max_load} proposals",
                ),
            )
        best = max(free, key=lambda e: (table.fit(e.id, leaving.proposal_id).value, -e.id))
        chosen.append((leaving, best))
        load[best.id] += 1
        on.add((best.id, leaving.proposal_id))
    for leaving, expert in chosen:
        fit = table.fit(expert.id, leaving.proposal_id)
        rapporteur = repository.consensus_of_proposal(session, leaving.proposal_id)
        if rapporteur is not None and rapporteur.rapporteur_id == leaving.id:
            session.delete(rapporteur)  # not submitted: the officer chooses another
        session.delete(leaving)
        session.add(
            EvaluationAssignment(proposal_id=leaving.proposal_id, expert_id=expert.id,
                                 fit=fit.value, fit_words=list(fit.words))
        )  # fmt: skip
    panel = overview.panel or EvaluationPanel(call_id=overview.call.id)
    panel.max_load, panel.assigned_at = max_load, now
    session.add(panel)
    session.flush()
    assignments = tuple(repository.assignments_of_call(session, overview.call.id))
    return replace(overview, panel=panel, assignments=assignments)


def _explained(deficiency: Deficiency, names: dict[str, str], people: dict[str, str]) -> str:
    proposals = ", ".join(names.get(p, p) for p in deficiency.proposals)
    if not deficiency.experts:
        return f"{proposals}: every expert has a conflict of interest"
    experts = ", ".join(people.get(e, e) for e in deficiency.experts)
    return (
        f"{proposals}: {deficiency.needed} evaluations are needed, and the experts without a "
        f"conflict ({experts}) can give at most {deficiency.available}"
    )
