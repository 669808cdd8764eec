"""Bodies of the evaluation endpoints: the pool of experts, a call's panel, reports, the
consensus, and the ranking and selection."""

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from clusterbridge.api.schemas.money import Money
from clusterbridge.api.schemas.selection import DocumentRead, ProposalPartnerRead
from clusterbridge.db.models import EvaluationAssignment, Expert, ProposalDecision
from clusterbridge.domain.enums import ProposalOutcome
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.selection import experts
from clusterbridge.services.selection.assignment import CallPanel
from clusterbridge.services.selection.evaluation import ProposalEvaluation
from clusterbridge.services.selection.experts import Off
from clusterbridge.services.selection.outcome import CallSelection, SummaryReport

MAX_CRITERIA = 20
#: The most experts per proposal and proposals per expert an officer may ask for.
MAX_PER = 100


class ExpertCreate(BaseModel):
    """An account put in the pool (or its expertise updated)."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254)
    organisation_pic: str = Field("", max_length=9, description="Empty: independent")
    expertise: str = Field("", max_length=experts.MAX_EXPERTISE)
    ecosystems: list[str] = Field(default_factory=list, max_length=30)
    technologies: list[str] = Field(default_factory=list, max_length=30)


class ExpertRead(BaseModel):
    """An expert of the pool."""

    id: int
    user_id: int
    name: str
    email: str
    organisation: str | None
    expertise: str
    ecosystems: list[str]
    technologies: list[str]


def expert_of(expert: Expert) -> ExpertRead:
    """The API's view of an expert (user and organisation loaded)."""
    return ExpertRead(
        id=expert.id,
        user_id=expert.user_id,
        name=expert.user.name,
        email=expert.user.email,
        organisation=expert.organisation.name if expert.organisation else None,
        expertise=expert.expertise,
        ecosystems=expert.ecosystems,
        technologies=expert.technologies,
    )


class AssignmentCreate(BaseModel):
    """How many experts each proposal needs and how many proposals an expert takes at most."""

    model_config = ConfigDict(extra="forbid")

    per_proposal: int = Field(ge=1, le=MAX_PER)
    max_load: int = Field(ge=1, le=MAX_PER)


class ConflictRead(BaseModel):
    """A conflict of interest and its reason."""

    expert_id: int
    proposal_id: int
    kind: str
    reason: str


class AssignmentRead(BaseModel):
    """An expert on a proposal, the fit and the words it rests on, whether the report is
    in, and (``off``) why the expert is off the proposal, if they are: ``declared: ...``
    for a declared conflict, else the conflicts the registry shows now (their report does
    not count; assigning again replaces them)."""

    id: int
    proposal_id: int
    expert_id: int
    expert: str
    fit: float
    fit_words: list[str]
    submitted: bool
    off: str | None = None


def assignment_of(assignment: EvaluationAssignment, off: Off | None = None) -> AssignmentRead:
    """The API's view of an assignment (expert and account loaded)."""
    return AssignmentRead(
        id=assignment.id,
        proposal_id=assignment.proposal_id,
        expert_id=assignment.expert_id,
        expert=assignment.expert.user.name,
        fit=assignment.fit,
        fit_words=assignment.fit_words,
        submitted=assignment.submitted_at is not None,
        off=None if off is None else (f"declared: {off.reason}" if off.declared else off.reason),
    )


class PanelProposal(BaseModel):
    """A submitted proposal in the panel's view."""

    id: int
    acronym: str
    strand: str | None
    requested_grant: Money
    eligible: bool | None


class PanelRead(BaseModel):
    """A call's evaluation as the officer sees it."""

    call_id: int
    per_proposal: int | None
    max_load: int | None
    proposals: list[PanelProposal]
    experts: list[ExpertRead]
    conflicts: list[ConflictRead]
    assignments: list[AssignmentRead]


def panel_of(panel: CallPanel) -> PanelRead:
    """The API's view of a call's panel."""
    off = panel.off()
    return PanelRead(
        call_id=panel.call.id,
        per_proposal=panel.panel.per_proposal if panel.panel else None,
        max_load=panel.panel.max_load if panel.panel else None,
        proposals=[
            PanelProposal(
                id=p.id,
                acronym=p.acronym,
                strand=p.strand,
                requested_grant=p.requested_grant,
                eligible=p.eligible,
            )
            for p in panel.proposals
        ],
        experts=[expert_of(e) for e in panel.experts],
        conflicts=[
            ConflictRead(
                expert_id=int(c.expert),
                proposal_id=int(c.proposal),
                kind=str(c.kind),
                reason=c.reason,
            )
            for c in panel.conflicts
        ],
        assignments=[
            assignment_of(a, off.get((a.expert_id, a.proposal_id))) for a in panel.assignments
        ],
    )


class ReportWrite(BaseModel):
    """A report: a score and a comment for every criterion of the call."""

    model_config = ConfigDict(extra="forbid")

    scores: dict[str, Decimal] = Field(max_length=MAX_CRITERIA)
    comments: dict[str, str] = Field(max_length=MAX_CRITERIA)


class RapporteurWrite(BaseModel):
    """The assignment whose expert drafts the consensus."""

    model_config = ConfigDict(extra="forbid")

    assignment_id: int = Field(ge=1, le=MAX_ID)


class DeclarationWrite(BaseModel):
    """A conflict of interest the signed-in expert declares."""

    model_config = ConfigDict(extra="forbid")

    statement: str = Field(min_length=1, max_length=experts.MAX_EXPERTISE)


class ReportRead(BaseModel):
    """An individual or consensus report."""

    expert: str | None
    scores: dict[str, str] | None
    comments: dict[str, str] | None
    submitted_at: datetime | None


class DeclarationRead(BaseModel):
    """A conflict of interest an expert declared with the proposal, in their words."""

    expert: str
    statement: str
    declared_at: datetime


class ConflictFoundRead(BaseModel):
    """An assigned expert's conflict of interest with the proposal, found from the registry
    after they were assigned: they are off it."""

    expert: str
    reason: str


class EvaluationRead(BaseModel):
    """A proposal's evaluation as the user may see it. Its experts (without a declared
    conflict) and officers read the proposal: its strand, grant, duration, partners as
    submitted and documents (their bytes at ``/api/proposals/{id}/documents/{document_id}``);
    an expert who declared a conflict gets only its acronym and title, and
    ``conflict_declared``."""

    proposal_id: int
    acronym: str
    title: str
    summary: str
    strand: str | None = None
    requested_grant: Decimal | None = None
    duration_months: int | None = None
    partners: list[ProposalPartnerRead] = Field(default_factory=list)
    documents: list[DocumentRead] = Field(default_factory=list)
    criteria: list[dict[str, Decimal | str | None]]
    mine: ReportRead | None
    reports: list[ReportRead]
    rapporteur: bool
    consensus: ReportRead | None
    conflict_declared: bool = False
    declarations: list[DeclarationRead] = Field(default_factory=list)
    #: The assigned experts off the proposal by a conflict of interest the registry shows
    #: now (every one for an officer; an expert's own), with its reason.
    conflicts_found: list[ConflictFoundRead] = Field(default_factory=list)


def evaluation_of(view: ProposalEvaluation) -> EvaluationRead:
    """The API's view of a proposal's evaluation."""
    consensus = view.consensus
    proposal, reads = view.proposal, view.reads_proposal
    return EvaluationRead(
        proposal_id=proposal.id,
        acronym=proposal.acronym,
        title=proposal.title,
        summary=proposal.summary if reads else "",
        strand=proposal.strand if reads else None,
        requested_grant=proposal.requested_grant if reads else None,
        duration_months=proposal.duration_months if reads else None,
        partners=[ProposalPartnerRead.from_row(p) for p in proposal.partners] if reads else [],
        documents=[DocumentRead.from_row(d) for d in proposal.documents] if reads else [],
        conflict_declared=view.declared is not None,
        declarations=[
            DeclarationRead(
                expert=d.expert.user.name, statement=d.statement, declared_at=d.created_at
            )
            for d in view.declarations
        ],
        conflicts_found=[ConflictFoundRead(expert=e, reason=r) for e, r in view.conflicted],
        criteria=[{"id": c.id, "max": c.max, "threshold": c.threshold} for c in view.criteria],
        mine=_report(view.mine) if view.mine else None,
        reports=[_report(a) for a in view.reports],
        rapporteur=view.rapporteur,
        consensus=None
        if consensus is None
        else ReportRead(
            expert=None,
            scores=consensus.scores,
            comments=consensus.comments,
            submitted_at=consensus.submitted_at,
        ),
    )


def _report(assignment: EvaluationAssignment) -> ReportRead:
    return ReportRead(
        expert=assignment.expert.user.name,
        scores=assignment.scores,
        comments=assignment.comments,
        submitted_at=assignment.submitted_at,
    )


class MyAssignmentRead(BaseModel):
    """One of the signed-in expert's assignments."""

    proposal_id: int
    acronym: str
    call: str
    submitted: bool
    conflict_declared: bool = False
    #: Why the registry shows the expert in conflict with it now, if it does.
    conflict_found: str | None = None


class DecisionRead(BaseModel):
    """A proposal's outcome and why."""

    proposal_id: int
    acronym: str
    outcome: ProposalOutcome
    reason: str
    rank: int | None
    total: Decimal | None
    selection_order: int | None
    reserve_position: int | None
    #: The grant awarded to a selected proposal (the grant requested unless set lower).
    awarded: Money | None = None


def decision_of(decision: ProposalDecision) -> DecisionRead:
    """The API's view of a decision (proposal loaded)."""
    return DecisionRead(
        proposal_id=decision.proposal_id,
        acronym=decision.proposal.acronym,
        outcome=decision.outcome,
        reason=decision.reason,
        rank=decision.rank,
        total=decision.total,
        selection_order=decision.taken_order,
        reserve_position=decision.reserve_position,
        awarded=decision.awarded if decision.outcome is ProposalOutcome.SELECTED else None,
    )


class OutcomeRead(BaseModel):
    """An applicant's proposal and its decision (``None`` until the selection is
    published)."""

    proposal_id: int
    acronym: str
    call: str
    decision: DecisionRead | None


class SelectionRead(BaseModel):
    """A call's ranking and selection."""

    call_id: int
    ranked_at: datetime | None
    published_at: datetime | None
    decisions: list[DecisionRead]
    selected: list[int]
    ties_left: list[list[str]]
    shortfalls: list[str]
    budget_used: Money | None


def selection_of(selection: CallSelection) -> SelectionRead:
    """The API's view of a call's selection."""
    panel = selection.panel
    return SelectionRead(
        call_id=selection.call.id,
        ranked_at=panel.ranked_at if panel else None,
        published_at=panel.published_at if panel else None,
        decisions=[decision_of(d) for d in selection.decisions],
        selected=[d.proposal_id for d in selection.selected],
        ties_left=[list(tie) for tie in selection.ties_left],
        shortfalls=panel.shortfalls if panel else [],
        budget_used=panel.budget_used if panel else None,
    )


class SummaryRead(BaseModel):
    """A proposal's evaluation summary."""

    proposal_id: int
    acronym: str
    scores: dict[str, str | None]
    comments: dict[str, str | None]
    total: Decimal | None
    outcome: ProposalOutcome
    reason: str
    rank: int | None


def summary_of(report: SummaryReport) -> SummaryRead:
    """The API's view of an evaluation summary."""
    return SummaryRead(
        proposal_id=report.proposal.id,
        acronym=report.proposal.acronym,
        scores={line[0]: line[3] for line in report.criteria},
        comments={line[0]: line[4] for line in report.criteria},
        total=report.total,
        outcome=report.decision.outcome,
        reason=report.decision.reason,
        rank=report.decision.rank,
    )
