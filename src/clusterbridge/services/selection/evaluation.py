"""Individual reports and consensus reports.

An expert writes one report per assignment: a score between 0 and the criterion's maximum and
a comment for every award criterion of the call. The officer chooses a rapporteur among the
proposal's experts; once every individual report is in, the rapporteur drafts the consensus,
with the individual scores beside it. Until the consensus is submitted an expert sees only
their own report; the rapporteur sees the others' once all are in, to draft the consensus.
Reports can be changed until the consensus is submitted; the consensus until the selection is
published.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    ConsensusReport,
    EvaluationAssignment,
    ProgrammeCall,
    Proposal,
    User,
)
from clusterbridge.db.repositories import evaluation as repository
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.engines.selection.problem import Criterion
from clusterbridge.services.selection.access import (
    EvaluationNotFoundError,
    EvaluationStateError,
    is_officer,
    require_officer,
)
from clusterbridge.services.selection.files import parse_selection

#: The longest comment kept per criterion.
MAX_COMMENT = 5000


@dataclass(frozen=True, slots=True)
class Scored:
    """Scores and comments per criterion, as typed (validated by ``check_scores``)."""

    scores: Mapping[str, str]
    comments: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class ProposalEvaluation:
    """One proposal's evaluation as a user may see it: the criteria, the assignment of the
    user (``None`` for an officer), the reports the user may read (their own only, until the
    consensus), the consensus, and whether the user is its rapporteur."""

    proposal: Proposal
    criteria: tuple[Criterion, ...]
    mine: EvaluationAssignment | None
    reports: tuple[EvaluationAssignment, ...]
    consensus: ConsensusReport | None
    rapporteur: bool
    all_in: bool

    @property
    def call(self) -> ProgrammeCall:
        """The proposal's call."""
        return self.proposal.call


def criteria_of(call: ProgrammeCall) -> tuple[Criterion, ...]:
    """The call's award criteria, from its selection settings (an `InvalidInputError` when
    the settings are not valid)."""
    settings = {**call.selection, "proposals": []}
    return parse_selection(settings, source=f"the call {call.identifier}").criteria


def check_scores(
    criteria: Sequence[Criterion], typed: Scored
) -> tuple[dict[str, str], dict[str, str]]:
    """The scores (as decimal text) and comments of a report, every criterion with a score
    between 0 and its maximum (at most two decimals) and a comment; otherwise an
    `InvalidInputError` naming each field (``scores.relevance``, ``comments.relevance``)."""
    issues: list[InputIssue] = []
    scores: dict[str, str] = {}
    comments: dict[str, str] = {}
    for criterion in criteria:
        text = typed.scores.get(criterion.id, "").strip()
        score = _score(text, criterion.max)
        if score is None:
            reason = f"a number between 0 and {criterion.max}"
            issues.append(InputIssue("", f"scores.{criterion.id}", reason))
        else:
            scores[criterion.id] = str(score)
        comments[criterion.id] = typed.comments.get(criterion.id, "").strip()
        if not comments[criterion.id]:
            issues.append(InputIssue("", f"comments.{criterion.id}", "a comment is required"))
        elif len(comments[criterion.id]) > MAX_COMMENT:
            reason = f"at most {MAX_COMMENT} characters"
            issues.append(InputIssue("", f"comments.{criterion.id}", reason))
    if issues:
        raise InvalidInputError("The report is not complete:", issues)
    return scores, comments


def _score(text: str, most: Decimal) -> Decimal | None:
    """The score typed, or None when it is not a number between 0 and ``most`` with at most
    two decimals."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or not 0 <= value <= most:
        return None
    if value != value.quantize(Decimal("0.01")):
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def my_assignments(session: Session, user: User) -> list[EvaluationAssignment]:
    """The signed-in expert's assignments (none for a user outside the pool)."""
    expert = repository.expert_of_user(session, user.id)
    return [] if expert is None else repository.assignments_of_expert(session, expert.id)


def proposal_evaluation(session: Session, user: User, proposal_id: int) -> ProposalEvaluation:
    """The proposal's evaluation as ``user`` may see it: an officer sees every report; an
    expert assigned to it sees their own, and the others' only as its rapporteur once all are
    in, or once the consensus is submitted. Anyone else: `EvaluationNotFoundError`."""
    proposal = repository.get_proposal(session, proposal_id)
    if proposal is None:
        raise EvaluationNotFoundError("No such proposal among your assignments")
    assignments = repository.assignments_of_proposal(session, proposal_id)
    mine = next((a for a in assignments if a.expert.user_id == user.id), None)
    officer = is_officer(user)
    if mine is None and not officer:
        raise EvaluationNotFoundError("No such proposal among your assignments")
    consensus = repository.consensus_of_proposal(session, proposal_id)
    all_in = bool(assignments) and all(a.submitted_at is not None for a in assignments)
    rapporteur = mine is not None and consensus is not None and consensus.rapporteur_id == mine.id
    open_to_all = officer or (consensus is not None and consensus.submitted_at is not None)
    visible = assignments if open_to_all or (rapporteur and all_in) else [mine] if mine else []
    return ProposalEvaluation(
        proposal=proposal,
        criteria=criteria_of(proposal.call),
        mine=mine,
        reports=tuple(visible),
        consensus=consensus,
        rapporteur=rapporteur,
        all_in=all_in,
    )


def submit_report(
    session: Session, user: User, proposal_id: int, typed: Scored, *, now: datetime
) -> EvaluationAssignment:
    """The signed-in expert's report on a proposal assigned to them (replacing an earlier
    one); refused once the consensus is submitted. Writes the assignment's report."""
    view = proposal_evaluation(session, user, proposal_id)
    if view.mine is None:
        raise EvaluationNotFoundError("No such proposal among your assignments")
    if view.consensus is not None and view.consensus.submitted_at is not None:
        raise EvaluationStateError("The consensus is submitted; the reports cannot change")
    scores, comments = check_scores(view.criteria, typed)
    view.mine.scores, view.mine.comments, view.mine.submitted_at = scores, comments, now
    session.flush()
    return view.mine


def choose_rapporteur(
    session: Session, actor: User, proposal_id: int, assignment_id: int
) -> ConsensusReport:
    """The officer makes one of the proposal's experts its rapporteur (replacing another
    before the consensus is submitted). Writes the consensus report's row."""
    require_officer(actor, doing="choose rapporteurs")
    assignment = repository.get_assignment(session, assignment_id)
    if assignment is None or assignment.proposal_id != proposal_id:
        raise EvaluationNotFoundError("No such expert on this proposal")
    consensus = repository.consensus_of_proposal(session, proposal_id)
    if consensus is not None and consensus.submitted_at is not None:
        raise EvaluationStateError("The consensus is already submitted")
    consensus = consensus or ConsensusReport(proposal_id=proposal_id, rapporteur_id=assignment.id)
    consensus.rapporteur_id = assignment.id
    session.add(consensus)
    session.flush()
    return consensus


def submit_consensus(
    session: Session, user: User, proposal_id: int, typed: Scored, *, now: datetime
) -> ConsensusReport:
    """The rapporteur's consensus report, once every individual report is in; it can be
    changed until the selection is published. Writes the consensus report."""
    view = proposal_evaluation(session, user, proposal_id)
    if not view.rapporteur or view.consensus is None:
        raise EvaluationNotFoundError("You are not this proposal's rapporteur")
    if not view.all_in:
        missing = tuple(
            a.expert.user.name
            for a in repository.assignments_of_proposal(session, proposal_id)
            if a.submitted_at is None
        )
        raise EvaluationStateError("Not every individual report is in yet", missing)
    panel = repository.get_panel(session, view.proposal.call_id)
    if panel is not None and panel.published_at is not None:
        raise EvaluationStateError("The selection is published; the consensus cannot change")
    scores, comments = check_scores(view.criteria, typed)
    consensus = view.consensus
    consensus.scores, consensus.comments, consensus.submitted_at = scores, comments, now
    session.flush()
    return consensus
