"""The panel's ranking and selection of a call, from the consensus scores and the eligibility
frozen at submission, with the call's selection settings, through ``engines.selection``; every
proposal's decision is stored with its reason. In a cascade call an application whose SME was
already funded for the same activity by another call is out, with that reason (``cascade``).
The officer may rank again until the selection is published; then each applicant, and every
member of the consortium that sent the proposal, sees that proposal's outcome and evaluation
summary. A grant awarded below the request (``payments.award_grant``, ADR 0032) is what the
next ranking weighs against the budget, and it is kept while the application stays selected.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    ConsensusReport,
    EvaluationPanel,
    ProgrammeCall,
    Proposal,
    ProposalDecision,
    User,
)
from clusterbridge.db.repositories import evaluation as repository
from clusterbridge.domain.enums import ProposalOutcome
from clusterbridge.engines.selection.problem import Proposal as EngineProposal
from clusterbridge.engines.selection.problem import SelectionProblem
from clusterbridge.engines.selection.select import SelectionResult
from clusterbridge.services.selection.access import (
    EvaluationNotFoundError,
    EvaluationStateError,
    is_officer,
    require_closed,
    require_officer,
    require_unpublished,
)
from clusterbridge.services.selection.assignment import get_call_or_404
from clusterbridge.services.selection.cascade import double_funding
from clusterbridge.services.selection.evaluation import criteria_of
from clusterbridge.services.selection.files import parse_selection
from clusterbridge.services.selection.notices import SelectionMail, queue_letters
from clusterbridge.services.selection.proposals import sees_proposal
from clusterbridge.services.selection.solving import rank_and_select

#: The strand of a proposal that names none (a call without strands).
NO_STRAND = "-"


@dataclass(frozen=True, slots=True)
class CallSelection:
    """A call's selection as the officer sees it: the panel, the decisions (passing proposals
    by rank, then those out), the ties left with the proposals' labels, and the consensus
    reports by proposal id."""

    call: ProgrammeCall
    panel: EvaluationPanel | None
    decisions: tuple[ProposalDecision, ...]
    ties_left: tuple[tuple[str, ...], ...]
    consensus: dict[int, ConsensusReport]

    @property
    def selected(self) -> tuple[ProposalDecision, ...]:
        """The selected proposals in the order they were taken."""
        chosen = [d for d in self.decisions if d.outcome is ProposalOutcome.SELECTED]
        return tuple(sorted(chosen, key=lambda d: d.taken_order or 0))


def labels_of(proposals: Sequence[Proposal]) -> dict[int, str]:
    """What the engine and the reasons call each proposal: its acronym, or the acronym and
    the id where two proposals share an acronym."""
    counts = Counter(p.acronym for p in proposals)
    return {p.id: p.acronym if counts[p.acronym] == 1 else f"{p.acronym}-{p.id}" for p in proposals}


def rank_call(session: Session, actor: User, call_id: int, *, now: datetime) -> CallSelection:
    """Rank and select the call's submitted proposals (see the module), replacing an earlier
    ranking. Refused before the call's deadline (`access.require_closed`), when an eligible
    proposal has no submitted consensus, or once the selection is published
    (`EvaluationStateError`); invalid selection settings are an
    `InvalidInputError`. Writes the decisions and the panel."""
    require_officer(actor, doing="rank proposals")
    call = get_call_or_404(session, call_id)
    panel = repository.get_panel(session, call_id) or EvaluationPanel(call_id=call_id)
    require_unpublished(panel)
    require_closed(call, now=now, doing="proposals are ranked")
    proposals = repository.submitted_proposals(session, call_id)
    consensus = {c.proposal_id: c for c in repository.consensus_of_call(session, call_id)}
    funded = double_funding(session, call, proposals)
    missing = tuple(
        p.acronym
        for p in proposals
        if p.eligible is True
        and p.id not in funded
        and (p.id not in consensus or consensus[p.id].scores is None)
    )
    if missing:
        raise EvaluationStateError("The consensus is not submitted yet for", missing)
    labels = labels_of(proposals)
    awards = _awards(session, proposals)
    problem = _problem(call, proposals, consensus, labels, (funded, awards))
    result = rank_and_select(problem)
    _store(session, proposals, consensus, labels, result, funded=funded, awards=awards)
    ids = {label: key for key, label in labels.items()}
    panel.ranked_at = now
    panel.ties_left = [[ids[label] for label in tie] for tie in result.ties_left]
    panel.shortfalls = [str(s) for s in result.shortfalls]
    panel.budget_used = result.budget_used
    session.add(panel)
    session.flush()
    return call_selection(session, actor, call_id)


def _awards(session: Session, proposals: Sequence[Proposal]) -> dict[int, Decimal]:
    """The grants awarded below the request at the last ranking, by proposal id."""
    decisions = repository.decisions_of(session, [p.id for p in proposals])
    return {d.proposal_id: d.awarded_grant for d in decisions if d.awarded_grant is not None}


def _problem(
    call: ProgrammeCall,
    proposals: Sequence[Proposal],
    consensus: dict[int, ConsensusReport],
    labels: dict[int, str],
    known: tuple[dict[int, str], dict[int, Decimal]],
) -> SelectionProblem:
    """The engine's problem: each proposal weighs its award when it has one (ADR 0032), an
    application already funded (``known[0]``) goes in as not eligible."""
    funded, awards = known
    settings = parse_selection({**call.selection, "proposals": []}, source=call.identifier)
    evaluated = {p.id for p in proposals if p.eligible is True and p.id not in funded}
    entries = tuple(
        EngineProposal(
            id=labels[p.id],
            strand=p.strand or NO_STRAND,
            requested=awards.get(p.id, p.requested_grant),
            eligible=p.id in evaluated,
            scores={k: Decimal(v) for k, v in (consensus[p.id].scores or {}).items()}
            if p.id in evaluated
            else {},
        )
        for p in proposals
    )
    return replace(settings, proposals=entries)


def _store(
    session: Session,
    proposals: Sequence[Proposal],
    consensus: dict[int, ConsensusReport],
    labels: dict[int, str],
    result: SelectionResult,
    *,
    funded: dict[int, str],
    awards: dict[int, Decimal],
) -> None:
    """Store one decision per proposal; a proposal already funded for its activity is out
    with that reason instead of the engine's; an award is kept while its proposal is selected."""
    repository.delete_decisions(session, [p.id for p in proposals])
    session.flush()
    taken = {label: number for number, label in enumerate(result.selected, start=1)}
    reserve = {label: number for number, label in enumerate(result.reserve, start=1)}
    for proposal, decision in zip(proposals, result.decisions, strict=True):
        scores = consensus[proposal.id].scores if proposal.id in consensus else None
        total = sum((Decimal(v) for v in (scores or {}).values()), Decimal(0))
        out = proposal.id in funded
        chosen = str(decision.outcome) == ProposalOutcome.SELECTED.value
        session.add(
            ProposalDecision(
                proposal_id=proposal.id,
                outcome=ProposalOutcome(str(decision.outcome)),
                reason=funded.get(proposal.id, decision.reason),
                rank=decision.rank,
                total=total if scores and proposal.eligible is True and not out else None,
                taken_order=taken.get(labels[proposal.id]),
                reserve_position=reserve.get(labels[proposal.id]),
                awarded_grant=awards.get(proposal.id) if chosen else None,
            )
        )


def call_selection(session: Session, actor: User, call_id: int) -> CallSelection:
    """The call's ranking and selection so far (officers only)."""
    require_officer(actor, doing="see the ranking")
    call = get_call_or_404(session, call_id)
    panel = repository.get_panel(session, call_id)
    decisions = tuple(repository.decisions_of_call(session, call_id))
    names = {d.proposal_id: d.proposal.acronym for d in decisions}
    ties = tuple(
        tuple(names.get(key, str(key)) for key in tie) for tie in (panel.ties_left if panel else [])
    )
    consensus = {c.proposal_id: c for c in repository.consensus_of_call(session, call_id)}
    return CallSelection(call, panel, decisions, ties, consensus)


def publish_selection(
    session: Session, actor: User, call_id: int, *, now: datetime, mail: SelectionMail
) -> None:
    """Publish the ranked selection to the applicants; refused before the call's deadline,
    before the ranking, when a proposal was submitted since the ranking (to a call without a
    deadline) and a second time (`EvaluationStateError`). Writes the panel's publication time and mails each applicant their
    proposal's outcome (when the transaction commits)."""
    require_officer(actor, doing="publish the selection")
    call = get_call_or_404(session, call_id)
    panel = repository.get_panel(session, call_id)
    require_unpublished(panel)
    require_closed(call, now=now, doing="the selection is published")
    if panel is None or panel.ranked_at is None:
        raise EvaluationStateError("Rank the proposals before publishing the selection")
    ranked = {d.proposal_id for d in repository.decisions_of_call(session, call_id)}
    unranked = tuple(
        p.acronym for p in repository.submitted_proposals(session, call_id) if p.id not in ranked
    )
    if unranked:  # only a call without a deadline takes proposals after its ranking
        raise EvaluationStateError("Rank again: submitted since the ranking", unranked)
    panel.published_at = now
    session.flush()
    queue_letters(session, mail, call, repository.decisions_of_call(session, call_id))


@dataclass(frozen=True, slots=True)
class SummaryReport:
    """What the evaluation summary report of one proposal shows."""

    proposal: Proposal
    criteria: tuple[tuple[str, Decimal, Decimal | None, str | None, str | None], ...]
    total: Decimal | None
    decision: ProposalDecision
    out_of: int


def summary_report(session: Session, user: User, proposal_id: int) -> SummaryReport:
    """A proposal's evaluation summary: the consensus score and comment per criterion (id,
    maximum, threshold, score, comment), the total and the decision. For officers once the
    panel ranked; for the proposal's applicant and the members of the consortium (or SME) that
    sent it (`proposals.sees_proposal`) once the selection is published; anyone else gets
    `EvaluationNotFoundError`."""
    proposal = repository.get_proposal(session, proposal_id)
    decision = repository.decision_of_proposal(session, proposal_id)
    panel = None if proposal is None else repository.get_panel(session, proposal.call_id)
    published = panel is not None and panel.published_at is not None
    own = proposal is not None and sees_proposal(session, user, proposal)
    if proposal is None or decision is None or not (is_officer(user) or (own and published)):
        raise EvaluationNotFoundError("No evaluation summary for this proposal")
    consensus = repository.consensus_of_proposal(session, proposal_id)
    scores = (consensus.scores if consensus else None) or {}
    comments = (consensus.comments if consensus else None) or {}
    rows = tuple(
        (c.id, c.max, c.threshold, scores.get(c.id), comments.get(c.id))
        for c in criteria_of(proposal.call)
    )
    ranked = sum(
        1 for d in repository.decisions_of_call(session, proposal.call_id) if d.rank is not None
    )
    return SummaryReport(proposal, rows, decision.total, decision, ranked)


def my_outcomes(session: Session, user: User) -> list[tuple[Proposal, ProposalDecision | None]]:
    """The submitted proposals the user sent or whose consortium (or SME) they are a member
    of, each with its decision once the selection of its call is published (``None``
    before)."""
    proposals = repository.proposals_of_applicant(session, user.id)
    published = repository.published_calls(session, {p.call_id for p in proposals})
    shown = [p.id for p in proposals if p.call_id in published]
    decisions = {d.proposal_id: d for d in repository.decisions_of(session, shown)}
    return [(p, decisions.get(p.id)) for p in proposals]
