"""Individual reports and consensus reports.

An expert writes one report per assignment: a score between 0 and the criterion's maximum and
a comment for every award criterion of the call. The officer chooses a rapporteur among the
proposal's experts; once every individual report is in, the rapporteur drafts the consensus,
with the individual scores beside it. Until the consensus is submitted an expert sees only
their own report; the rapporteur sees the others' once all are in, to draft the consensus.
Reports can be changed until the consensus is submitted; the consensus until the selection is
published.

An expert who declared a conflict of interest with a proposal is off it (``experts.
declare_conflict``): their report is refused and does not count, they cannot be its
rapporteur and they no longer read the proposal; the officer assigns again to replace them.
So is an expert whose conflict the registry shows after they were assigned (their
organisation or account in the consortium, a joint project in the window; ``experts.
assigned_off``), as of the day of the request and until the consensus is submitted.
An assigned expert without a conflict reads the proposal they evaluate: its text, partners
as submitted and documents.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    ConsensusReport,
    EvaluationAssignment,
    ExpertDeclaration,
    ProgrammeCall,
    Proposal,
    User,
)
from clusterbridge.db.repositories import evaluation as repository
from clusterbridge.db.repositories import selection as selection_repository
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.numbers import read_decimal
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.engines.selection.problem import Criterion
from clusterbridge.services.selection.access import (
    EvaluationNotFoundError,
    EvaluationStateError,
    NotRapporteurError,
    is_officer,
    require_officer,
)
from clusterbridge.services.selection.experts import (
    Off,
    assigned_off,
    call_conflicts,
    proposal_off,
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
    consensus; never those of experts who declared a conflict), the consensus, whether the
    user is its rapporteur, the conflicts declared (the user's own; every one for an officer)
    and whether the user may read the proposal's text, partners and documents."""

    proposal: Proposal
    criteria: tuple[Criterion, ...]
    mine: EvaluationAssignment | None
    reports: tuple[EvaluationAssignment, ...]
    consensus: ConsensusReport | None
    rapporteur: bool
    all_in: bool
    declarations: tuple[ExpertDeclaration, ...] = ()
    reads_proposal: bool = False
    #: The assigned experts off the proposal by a conflict found from the registry, by name,
    #: with its reason (every one for an officer; the user's own for an expert).
    conflicted: tuple[tuple[str, str], ...] = ()
    #: Why the user is off the proposal, if they are (declared or found).
    off: Off | None = None

    @property
    def declared(self) -> ExpertDeclaration | None:
        """The conflict the user declared with the proposal (an expert's view), if any."""
        if self.mine is None:
            return None
        return next((d for d in self.declarations if d.expert_id == self.mine.expert_id), None)

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
    criteria: Sequence[Criterion], typed: Scored, *, what: str = "report"
) -> tuple[dict[str, str], dict[str, str]]:
    """The scores (as decimal text) and comments of a report (or of the consensus, ``what``
    its name in the message), every criterion with a score between 0 and its maximum (at most
    two decimals) and a comment; otherwise an `InvalidInputError` naming each field
    (``scores.relevance``, ``comments.relevance``)."""
    issues: list[InputIssue] = _unknown_criteria(criteria, typed)
    scores: dict[str, str] = {}
    comments: dict[str, str] = {}
    for criterion in criteria:
        text = typed.scores.get(criterion.id, "").strip()
        score = _score(text, criterion.max)
        if isinstance(score, str):
            issues.append(InputIssue("", f"scores.{criterion.id}", score))
        else:
            scores[criterion.id] = str(score)
        comments[criterion.id] = typed.comments.get(criterion.id, "").strip()
        if not comments[criterion.id]:
            issues.append(InputIssue("", f"comments.{criterion.id}", "is required"))
        elif len(comments[criterion.id]) > MAX_COMMENT:
            reason = too_long_reason(MAX_COMMENT, len(comments[criterion.id]))
            issues.append(InputIssue("", f"comments.{criterion.id}", reason))
    if issues:
        raise InvalidInputError(f"The {what} is not complete:", issues)
    return scores, comments


def _unknown_criteria(criteria: Sequence[Criterion], typed: Scored) -> list[InputIssue]:
    """One issue per score or comment given for a criterion the call does not have."""
    known = [c.id for c in criteria]
    reason = f"not a criterion of the call; its criteria are {', '.join(known)}"
    return [
        InputIssue("", f"{field}.{key}", reason)
        for field, given in (("scores", typed.scores), ("comments", typed.comments))
        for key in given
        if key not in known
    ]


def _score(text: str, most: Decimal) -> Decimal | str:
    """The score typed, or why it is not a number between 0 and ``most`` with at most two
    decimals: "is required", the reason of every form's reader (`read_decimal`: "inf" is not a
    number, "1e-400" too small to store, "1.000" ambiguous), the range ("must be between 0
    and 30, not 31", as every range reads) or the decimals."""
    if not text:
        return "is required"
    value = read_decimal(text)
    if isinstance(value, str):
        return value
    if not 0 <= value <= most:
        return f"must be between 0 and {most:,}, not {text}"
    if value != value.quantize(Decimal("0.01")):
        return f"must have at most two decimals, not {text}"
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def my_assignments(session: Session, user: User) -> list[EvaluationAssignment]:
    """The signed-in expert's assignments (none for a user outside the pool)."""
    expert = repository.expert_of_user(session, user.id)
    return [] if expert is None else repository.assignments_of_expert(session, expert.id)


def my_declared(session: Session, user: User) -> set[int]:
    """The ids of the proposals the signed-in expert declared a conflict of interest with."""
    expert = repository.expert_of_user(session, user.id)
    if expert is None:
        return set()
    return {d.proposal_id for d in repository.declarations_of_expert(session, expert.id)}


def my_conflicts_found(session: Session, user: User, *, today: date) -> dict[int, str]:
    """The proposals assigned to the signed-in expert that the registry shows them in
    conflict with as of ``today`` (`experts.assigned_off`, declared ones left out), by id,
    with the reason; they are off those until the officer replaces them."""
    expert = repository.expert_of_user(session, user.id)
    if expert is None:
        return {}
    assignments = repository.assignments_of_expert(session, expert.id)
    proposals = [a.proposal for a in assignments]
    conflicts = call_conflicts(session, [expert], proposals, on=today)
    settled = repository.settled_among(session, [p.id for p in proposals])
    off = assigned_off(conflicts, assignments, settled=settled)
    return {proposal: why.reason for (_, proposal), why in off.items() if not why.declared}


def proposal_evaluation(
    session: Session, user: User, proposal_id: int, *, today: date
) -> ProposalEvaluation:
    """The proposal's evaluation as ``user`` may see it: an officer sees every report; an
    expert assigned to it sees their own, and the others' only as its rapporteur once all are
    in, or once the consensus is submitted. The reports of experts off it (a declared
    conflict, or one the registry shows as of ``today``, `experts.assigned_off`) are left out
    (and do not count towards "all in"). Anyone else: `EvaluationNotFoundError`."""
    proposal = selection_repository.get_proposal(session, proposal_id)
    if proposal is None:
        raise EvaluationNotFoundError("No such proposal among your assignments")
    assignments = repository.assignments_of_proposal(session, proposal_id)
    mine = next((a for a in assignments if a.expert.user_id == user.id), None)
    officer = is_officer(user)
    if mine is None and not officer:
        raise EvaluationNotFoundError("No such proposal among your assignments")
    declarations = tuple(repository.declarations_for(session, [proposal_id]))
    consensus = repository.consensus_of_proposal(session, proposal_id)
    settled = consensus is not None and consensus.submitted_at is not None
    off = proposal_off(session, proposal, assignments, on=today, settled=settled)
    counted = [a for a in assignments if a.expert_id not in off]
    all_in = bool(counted) and all(a.submitted_at is not None for a in counted)
    conflicted = mine is not None and mine.expert_id in off
    rapporteur = (
        mine is not None
        and not conflicted
        and consensus is not None
        and consensus.rapporteur_id == mine.id
    )
    open_to_all = officer or (consensus is not None and consensus.submitted_at is not None)
    visible = _visible(counted, mine, open_to_all=open_to_all or (rapporteur and all_in))
    return ProposalEvaluation(
        proposal=proposal,
        criteria=criteria_of(proposal.call),
        mine=mine,
        reports=tuple(a for a in visible if a.expert_id not in off),
        consensus=consensus,
        rapporteur=rapporteur,
        all_in=all_in,
        declarations=declarations
        if officer
        else tuple(d for d in declarations if mine and d.expert_id == mine.expert_id),
        reads_proposal=officer or not conflicted,
        conflicted=tuple(
            (a.expert.user.name, off[a.expert_id].reason)
            for a in assignments
            if a.expert_id in off and not off[a.expert_id].declared and (officer or a is mine)
        ),
        off=off.get(mine.expert_id) if mine is not None else None,
    )


def _visible(
    counted: list[EvaluationAssignment],
    mine: EvaluationAssignment | None,
    *,
    open_to_all: bool,
) -> list[EvaluationAssignment]:
    if open_to_all:
        return counted
    return [mine] if mine is not None else []


def submit_report(
    session: Session, user: User, proposal_id: int, typed: Scored, *, now: datetime, today: date
) -> EvaluationAssignment:
    """The signed-in expert's report on a proposal assigned to them (replacing an earlier
    one); refused once the consensus is submitted, and to an expert off the proposal: who
    declared a conflict of interest with it, or whose conflict the registry shows as of
    ``today`` (`EvaluationStateError`). Writes the assignment's report."""
    refuse_if_declared(session, user, proposal_id)
    view = proposal_evaluation(session, user, proposal_id, today=today)
    if view.mine is None:
        raise EvaluationNotFoundError("No such proposal among your assignments")
    refuse_if_off(view)
    if view.consensus is not None and view.consensus.submitted_at is not None:
        raise EvaluationStateError("The consensus is submitted; the reports cannot change")
    scores, comments = check_scores(view.criteria, typed)
    view.mine.scores, view.mine.comments, view.mine.submitted_at = scores, comments, now
    session.flush()
    return view.mine


#: Why an expert who declared a conflict cannot report on the proposal.
DECLARED_CONFLICT = (
    "You declared a conflict of interest with this proposal: you are off its evaluation, "
    "your report is not taken, and the programme officer assigns another expert"
)


#: Why an expert whose conflict the registry shows cannot report on the proposal.
FOUND_CONFLICT = (
    "You have a conflict of interest with this proposal ({reason}): you are off its "
    "evaluation, your report is not taken, and the programme officer assigns another expert"
)


def refuse_if_off(view: ProposalEvaluation) -> None:
    """Raise `EvaluationStateError` when the user is off the proposal of ``view`` by a
    conflict found from the registry (``FOUND_CONFLICT`` with its reason) or declared."""
    if view.off is None:
        return
    if view.off.declared:
        raise EvaluationStateError(DECLARED_CONFLICT)
    raise EvaluationStateError(FOUND_CONFLICT.format(reason=view.off.reason))


def refuse_if_declared(session: Session, user: User, proposal_id: int) -> None:
    """Raise `EvaluationStateError` (``DECLARED_CONFLICT``) when the user, as an expert,
    declared a conflict of interest with the proposal."""
    expert = repository.expert_of_user(session, user.id)
    if expert is not None and repository.get_declaration(session, expert.id, proposal_id):
        raise EvaluationStateError(DECLARED_CONFLICT)


def choose_rapporteur(
    session: Session, actor: User, proposal_id: int, assignment_id: int, *, today: date
) -> ConsensusReport:
    """The officer makes one of the proposal's experts its rapporteur (replacing another
    before the consensus is submitted); an expert who declared a conflict with it, or whose
    conflict the registry shows as of ``today``, cannot be (`EvaluationStateError`). Writes
    the consensus report's row."""
    require_officer(actor, doing="choose rapporteurs")
    assignment = repository.get_assignment(session, assignment_id)
    if assignment is None or assignment.proposal_id != proposal_id:
        raise EvaluationNotFoundError("No such expert on this proposal")
    if repository.get_declaration(session, assignment.expert_id, proposal_id) is not None:
        raise EvaluationStateError(
            f"{assignment.expert.user.name} declared a conflict of interest with "
            f"{assignment.proposal.acronym} and cannot be its rapporteur; choose another expert"
        )
    consensus = repository.consensus_of_proposal(session, proposal_id)
    if consensus is not None and consensus.submitted_at is not None:
        raise EvaluationStateError("The consensus is already submitted")
    _refuse_off_rapporteur(session, assignment, today=today)
    consensus = consensus or ConsensusReport(proposal_id=proposal_id, rapporteur_id=assignment.id)
    consensus.rapporteur_id = assignment.id
    session.add(consensus)
    session.flush()
    return consensus


def _refuse_off_rapporteur(
    session: Session, assignment: EvaluationAssignment, *, today: date
) -> None:
    proposal = selection_repository.get_proposal(session, assignment.proposal_id)
    if proposal is None:
        raise EvaluationNotFoundError("No such expert on this proposal")
    off = proposal_off(session, proposal, [assignment], on=today, settled=False)
    if assignment.expert_id in off:
        raise EvaluationStateError(
            f"{assignment.expert.user.name} has a conflict of interest with "
            f"{proposal.acronym} ({off[assignment.expert_id].reason}) and cannot be its "
            "rapporteur; choose another expert"
        )


def submit_consensus(
    session: Session, user: User, proposal_id: int, typed: Scored, *, now: datetime, today: date
) -> ConsensusReport:
    """The rapporteur's consensus report, once every individual report is in; it can be
    changed until the selection is published. An expert of the proposal who is not its
    rapporteur gets `NotRapporteurError` (403); its rapporteur, once off it by a conflict the
    registry shows as of ``today``, `EvaluationStateError` (409). Writes the consensus
    report."""
    view = proposal_evaluation(session, user, proposal_id, today=today)
    consensus, mine = view.consensus, view.mine
    if consensus and mine and consensus.submitted_at is None and consensus.rapporteur_id == mine.id:
        refuse_if_off(view)
    if not view.rapporteur or view.consensus is None:
        raise NotRapporteurError(
            "Only the proposal's rapporteur, whom the programme officer chooses among its "
            "experts, submits the consensus; you are not its rapporteur"
        )
    if not view.all_in:
        assignments = repository.assignments_of_proposal(session, proposal_id)
        off = proposal_off(session, view.proposal, assignments, on=today, settled=False)
        missing = tuple(
            a.expert.user.name
            for a in assignments
            if a.submitted_at is None and a.expert_id not in off
        )
        raise EvaluationStateError("Not every individual report is in yet", missing)
    panel = repository.get_panel(session, view.proposal.call_id)
    if panel is not None and panel.published_at is not None:
        raise EvaluationStateError("The selection is published; the consensus cannot change")
    scores, comments = check_scores(view.criteria, typed, what="consensus")
    consensus = view.consensus
    consensus.scores, consensus.comments, consensus.submitted_at = scores, comments, now
    session.flush()
    return consensus
