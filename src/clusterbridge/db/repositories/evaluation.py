"""Queries of the evaluation: calls and their submitted proposals, the pool of experts, the
panel, assignments with their reports, consensus reports and decisions."""

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from clusterbridge.db.models import (
    ConsensusReport,
    EvaluationAssignment,
    EvaluationPanel,
    Expert,
    ExpertDeclaration,
    OrganisationMember,
    ProgrammeCall,
    Proposal,
    ProposalDecision,
)
from clusterbridge.db.repositories.selection import sent_by_members
from clusterbridge.domain.enums import ProposalState


def get_call(session: Session, call_id: int) -> ProgrammeCall | None:
    """The call with this id."""
    return session.get(ProgrammeCall, call_id)


def list_calls(session: Session) -> list[ProgrammeCall]:
    """Every authored call, newest first."""
    return list(session.scalars(sa.select(ProgrammeCall).order_by(ProgrammeCall.id.desc())))


def submitted_proposals(session: Session, call_id: int) -> list[Proposal]:
    """The call's submitted proposals by id, with their partners as submitted, their SME (to
    a cascade call) and their applicant."""
    statement = (
        sa.select(Proposal)
        .where(Proposal.call_id == call_id, Proposal.state == ProposalState.SUBMITTED)
        .options(
            selectinload(Proposal.partners),
            joinedload(Proposal.organisation),
            joinedload(Proposal.applicant),
        )
        .order_by(Proposal.id)
    )
    return list(session.scalars(statement))


def get_proposal(session: Session, proposal_id: int) -> Proposal | None:
    """The proposal with its call and applicant."""
    statement = (
        sa.select(Proposal)
        .where(Proposal.id == proposal_id)
        .options(joinedload(Proposal.call), joinedload(Proposal.applicant))
    )
    return session.scalars(statement).one_or_none()


def proposals_of_applicant(session: Session, user_id: int) -> list[Proposal]:
    """The submitted proposals a user sent or whose sending consortium (or SME) they are a
    member of, with their calls, newest first."""
    sent = sa.or_(Proposal.applicant_id == user_id, sent_by_members(user_id))
    statement = (
        sa.select(Proposal)
        .where(sent, Proposal.state == ProposalState.SUBMITTED)
        .options(joinedload(Proposal.call))
        .order_by(Proposal.id.desc())
    )
    return list(session.scalars(statement))


def list_experts(session: Session) -> list[Expert]:
    """The pool, by name, with each expert's account and organisation."""
    statement = (
        sa.select(Expert)
        .options(joinedload(Expert.user), joinedload(Expert.organisation))
        .join(Expert.user)
        .order_by(sa.text("user_account.name"), Expert.id)
    )
    return list(session.scalars(statement))


def memberships_of(session: Session, user_ids: list[int]) -> dict[int, frozenset[int]]:
    """The organisations each of these users is a member of, by user id (none: left out)."""
    if not user_ids:
        return {}
    statement = sa.select(OrganisationMember.user_id, OrganisationMember.organisation_id).where(
        OrganisationMember.user_id.in_(sorted(set(user_ids)))
    )
    found: dict[int, set[int]] = {}
    for user_id, organisation_id in session.execute(statement):
        found.setdefault(user_id, set()).add(organisation_id)
    return {key: frozenset(value) for key, value in found.items()}


def get_expert(session: Session, expert_id: int) -> Expert | None:
    """The expert with their account and organisation."""
    statement = (
        sa.select(Expert)
        .where(Expert.id == expert_id)
        .options(joinedload(Expert.user), joinedload(Expert.organisation))
    )
    return session.scalars(statement).one_or_none()


def expert_of_user(session: Session, user_id: int) -> Expert | None:
    """The user's place in the pool, if any."""
    return session.scalars(sa.select(Expert).where(Expert.user_id == user_id)).one_or_none()


def declarations_for(session: Session, proposal_ids: list[int]) -> list[ExpertDeclaration]:
    """The conflicts experts declared for these proposals, with the experts' accounts."""
    if not proposal_ids:
        return []
    statement = (
        sa.select(ExpertDeclaration)
        .where(ExpertDeclaration.proposal_id.in_(proposal_ids))
        .options(joinedload(ExpertDeclaration.expert).joinedload(Expert.user))
        .order_by(ExpertDeclaration.id)
    )
    return list(session.scalars(statement))


def get_declaration(session: Session, expert_id: int, proposal_id: int) -> ExpertDeclaration | None:
    """The expert's declaration for the proposal."""
    statement = sa.select(ExpertDeclaration).where(
        ExpertDeclaration.expert_id == expert_id, ExpertDeclaration.proposal_id == proposal_id
    )
    return session.scalars(statement).one_or_none()


def get_panel(session: Session, call_id: int) -> EvaluationPanel | None:
    """The call's panel, if the evaluation has started."""
    statement = sa.select(EvaluationPanel).where(EvaluationPanel.call_id == call_id)
    return session.scalars(statement).one_or_none()


_ASSIGNMENT = (
    joinedload(EvaluationAssignment.expert).joinedload(Expert.user),
    joinedload(EvaluationAssignment.proposal),
)


def assignments_of_call(session: Session, call_id: int) -> list[EvaluationAssignment]:
    """Every assignment of the call's proposals, by proposal then id, with expert and account."""
    statement = (
        sa.select(EvaluationAssignment)
        .join(EvaluationAssignment.proposal)
        .where(Proposal.call_id == call_id)
        .options(*_ASSIGNMENT)
        .order_by(EvaluationAssignment.proposal_id, EvaluationAssignment.id)
    )
    return list(session.scalars(statement))


def assignments_of_proposal(session: Session, proposal_id: int) -> list[EvaluationAssignment]:
    """The proposal's assignments by id, with expert and account."""
    statement = (
        sa.select(EvaluationAssignment)
        .where(EvaluationAssignment.proposal_id == proposal_id)
        .options(*_ASSIGNMENT)
        .order_by(EvaluationAssignment.id)
    )
    return list(session.scalars(statement))


def assignments_of_expert(session: Session, expert_id: int) -> list[EvaluationAssignment]:
    """The expert's assignments with their proposals (calls, SME and partners as submitted),
    newest call first."""
    proposal = joinedload(EvaluationAssignment.proposal)
    statement = (
        sa.select(EvaluationAssignment)
        .join(EvaluationAssignment.proposal)
        .where(EvaluationAssignment.expert_id == expert_id)
        .options(
            proposal.joinedload(Proposal.call),
            proposal.joinedload(Proposal.organisation),
            proposal.selectinload(Proposal.partners),
        )
        .order_by(Proposal.call_id.desc(), Proposal.id)
    )
    return list(session.scalars(statement))


def get_assignment(session: Session, assignment_id: int) -> EvaluationAssignment | None:
    """The assignment with its expert, account, proposal and call."""
    statement = (
        sa.select(EvaluationAssignment)
        .where(EvaluationAssignment.id == assignment_id)
        .options(
            joinedload(EvaluationAssignment.expert).joinedload(Expert.user),
            joinedload(EvaluationAssignment.proposal).joinedload(Proposal.call),
        )
    )
    return session.scalars(statement).one_or_none()


def delete_assignments(session: Session, proposal_ids: list[int]) -> None:
    """Remove the assignments (and consensus reports) of these proposals."""
    if not proposal_ids:
        return
    session.execute(sa.delete(ConsensusReport).where(ConsensusReport.proposal_id.in_(proposal_ids)))
    session.execute(
        sa.delete(EvaluationAssignment).where(EvaluationAssignment.proposal_id.in_(proposal_ids))
    )


def settled_among(session: Session, proposal_ids: list[int]) -> set[int]:
    """The ids of those proposals whose consensus is submitted."""
    if not proposal_ids:
        return set()
    statement = sa.select(ConsensusReport.proposal_id).where(
        ConsensusReport.proposal_id.in_(proposal_ids), ConsensusReport.submitted_at.is_not(None)
    )
    return set(session.scalars(statement))


def consensus_of_call(session: Session, call_id: int) -> list[ConsensusReport]:
    """The consensus reports of the call's proposals."""
    statement = (
        sa.select(ConsensusReport)
        .join(ConsensusReport.proposal)
        .where(Proposal.call_id == call_id)
        .order_by(ConsensusReport.proposal_id)
    )
    return list(session.scalars(statement))


def consensus_of_proposal(session: Session, proposal_id: int) -> ConsensusReport | None:
    """The proposal's consensus report (drafted or not)."""
    statement = sa.select(ConsensusReport).where(ConsensusReport.proposal_id == proposal_id)
    return session.scalars(statement).one_or_none()


def published_calls(session: Session, call_ids: set[int]) -> set[int]:
    """Which of these calls have their selection published."""
    if not call_ids:
        return set()
    statement = sa.select(EvaluationPanel.call_id).where(
        EvaluationPanel.call_id.in_(sorted(call_ids)), EvaluationPanel.published_at.is_not(None)
    )
    return set(session.scalars(statement))


def decisions_of(session: Session, proposal_ids: list[int]) -> list[ProposalDecision]:
    """The decisions of these proposals, with their proposals."""
    if not proposal_ids:
        return []
    statement = (
        sa.select(ProposalDecision)
        .where(ProposalDecision.proposal_id.in_(proposal_ids))
        .options(joinedload(ProposalDecision.proposal))
    )
    return list(session.scalars(statement))


def decisions_of_call(session: Session, call_id: int) -> list[ProposalDecision]:
    """The call's decisions with their proposals (and applicants), passing ones by rank, then
    those out."""
    statement = (
        sa.select(ProposalDecision)
        .join(ProposalDecision.proposal)
        .where(Proposal.call_id == call_id)
        .options(
            joinedload(ProposalDecision.proposal).joinedload(Proposal.applicant),
            joinedload(ProposalDecision.proposal).joinedload(Proposal.organisation),
        )
        .order_by(ProposalDecision.rank.is_(None), ProposalDecision.rank, Proposal.id)
    )
    return list(session.scalars(statement))


def decision_of_proposal(session: Session, proposal_id: int) -> ProposalDecision | None:
    """The proposal's decision, once the panel ranked the call."""
    statement = sa.select(ProposalDecision).where(ProposalDecision.proposal_id == proposal_id)
    return session.scalars(statement).one_or_none()


def delete_decisions(session: Session, proposal_ids: list[int]) -> None:
    """Remove the decisions of these proposals (before a new ranking)."""
    if proposal_ids:
        session.execute(
            sa.delete(ProposalDecision).where(ProposalDecision.proposal_id.in_(proposal_ids))
        )


def declarations_of_expert(session: Session, expert_id: int) -> list[ExpertDeclaration]:
    """The conflicts the expert declared, oldest first."""
    statement = (
        sa.select(ExpertDeclaration)
        .where(ExpertDeclaration.expert_id == expert_id)
        .order_by(ExpertDeclaration.id)
    )
    return list(session.scalars(statement))


def clear_report(session: Session, assignment: EvaluationAssignment) -> None:
    """Withdraw the assignment's report (scores and comments as SQL NULL, not JSON null)."""
    session.flush()
    session.execute(
        sa.update(EvaluationAssignment)
        .where(EvaluationAssignment.id == assignment.id)
        .values(scores=sa.null(), comments=sa.null(), submitted_at=None)
    )
    session.expire(assignment, ["scores", "comments", "submitted_at"])
