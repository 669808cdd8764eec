"""Queries on the calls authored in the app and on the proposals sent to them.

A proposal is loaded with what its pages read: its call, applicant, consortium, partners as
submitted and documents (without their bytes, which only a download reads)."""

from collections.abc import Iterable
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload, undefer
from sqlalchemy.orm.interfaces import LoaderOption

from clusterbridge.db.models import (
    CascadePayment,
    ConsortiumPartner,
    EvaluationPanel,
    OrganisationMember,
    ProgrammeCall,
    Proposal,
    ProposalDecision,
    ProposalDocument,
    ProposalPartner,
)
from clusterbridge.db.repositories.locks import hold_row
from clusterbridge.domain.enums import ProposalOutcome, ProposalState


def _proposal_loads() -> tuple[LoaderOption, ...]:
    return (
        joinedload(Proposal.call),
        joinedload(Proposal.applicant),
        joinedload(Proposal.consortium),
        joinedload(Proposal.organisation),
        selectinload(Proposal.documents),
        selectinload(Proposal.partners),
    )


def get_call(session: Session, call_id: int) -> ProgrammeCall | None:
    """The authored call with this id, or None."""
    return session.get(ProgrammeCall, call_id)


def find_call(session: Session, identifier: str) -> ProgrammeCall | None:
    """The authored call with this identifier (case-insensitive), or None."""
    wanted = identifier.strip().casefold()
    statement = sa.select(ProgrammeCall).where(sa.func.lower(ProgrammeCall.identifier) == wanted)
    return session.scalars(statement).first()


def list_calls(session: Session, *, published_only: bool) -> list[ProgrammeCall]:
    """The authored calls (only the published ones with ``published_only``), by identifier."""
    statement = sa.select(ProgrammeCall).order_by(ProgrammeCall.identifier)
    if published_only:
        statement = statement.where(ProgrammeCall.published_at.is_not(None))
    return list(session.scalars(statement))


def selection_published(session: Session, call_id: int) -> bool:
    """Whether the selection of the call is published."""
    statement = sa.select(EvaluationPanel.id).where(
        EvaluationPanel.call_id == call_id, EvaluationPanel.published_at.is_not(None)
    )
    return session.scalars(statement).first() is not None


def has_sent_proposals(session: Session, call_id: int) -> bool:
    """Whether a proposal was ever sent to the call (submitted, or withdrawn after that)."""
    statement = sa.select(Proposal.id).where(
        Proposal.call_id == call_id, Proposal.state != ProposalState.DRAFT
    )
    return session.scalars(statement.limit(1)).first() is not None


def published_selections(session: Session, call_ids: Iterable[int]) -> set[int]:
    """The calls among ``call_ids`` whose selection is published (one query)."""
    statement = sa.select(EvaluationPanel.call_id).where(
        EvaluationPanel.call_id.in_(list(call_ids)), EvaluationPanel.published_at.is_not(None)
    )
    return set(session.scalars(statement))


def get_proposal(session: Session, proposal_id: int) -> Proposal | None:
    """The proposal with its call, applicant, consortium and documents, or None."""
    statement = sa.select(Proposal).where(Proposal.id == proposal_id).options(*_proposal_loads())
    return session.scalars(statement).unique().one_or_none()


def has_partner(organisations: sa.Select[int] | list[int]) -> sa.ColumnElement[bool]:
    """Whether one of ``organisations`` (ids, or a query of ids) is a partner of a proposal:
    its SME (to a cascade call) or, once it is sent, one of its partners as submitted
    (``proposal_partner``); while it is a draft, a partner of its consortium now."""
    submitted = sa.select(ProposalPartner.proposal_id).where(
        ProposalPartner.organisation_id.in_(organisations)
    )
    consortia = sa.select(ConsortiumPartner.consortium_id).where(
        ConsortiumPartner.organisation_id.in_(organisations)
    )
    draft = Proposal.state == ProposalState.DRAFT
    return sa.or_(
        Proposal.organisation_id.in_(organisations),
        sa.and_(~draft, Proposal.id.in_(submitted)),
        sa.and_(draft, Proposal.consortium_id.in_(consortia)),
    )


def sent_by_members(user_id: int) -> sa.ColumnElement[bool]:
    """Whether a proposal was sent (it is not a draft) by a consortium with a partner, as
    submitted, that is an organisation of the user, or, to a cascade call, by the user's
    organisation."""
    organisations = sa.select(OrganisationMember.organisation_id).where(
        OrganisationMember.user_id == user_id
    )
    return sa.and_(Proposal.state != ProposalState.DRAFT, has_partner(organisations))


def is_proposal_member(session: Session, proposal_id: int, user_id: int) -> bool:
    """Whether the proposal was sent by a consortium (or an SME) the user is a member of
    (`sent_by_members`)."""
    statement = sa.select(Proposal.id).where(Proposal.id == proposal_id, sent_by_members(user_id))
    return session.scalars(statement).first() is not None


def list_proposals(
    session: Session, *, seen_by: int | None = None, call_id: int | None = None
) -> list[Proposal]:
    """Proposals a user wrote or whose sending consortium they are a member of
    (`sent_by_members`), or to one call (both filters when both are given), with what their
    lists show, newest first."""
    statement = sa.select(Proposal).options(*_proposal_loads())
    if seen_by is not None:
        statement = statement.where(
            sa.or_(Proposal.applicant_id == seen_by, sent_by_members(seen_by))
        )
    if call_id is not None:
        statement = statement.where(Proposal.call_id == call_id)
    statement = statement.order_by(Proposal.created_at.desc(), Proposal.id.desc())
    return list(session.scalars(statement).unique())


def get_document(session: Session, proposal_id: int, document_id: int) -> ProposalDocument | None:
    """A document of the proposal, with its bytes, or None."""
    statement = (
        sa.select(ProposalDocument)
        .where(ProposalDocument.id == document_id, ProposalDocument.proposal_id == proposal_id)
        .options(undefer(ProposalDocument.content))
    )
    return session.scalars(statement).one_or_none()


def requested_by_organisation(
    session: Session, call_id: int, organisation_id: int, *, excluding: int | None
) -> Decimal:
    """What the organisation asks of the call in its proposals not withdrawn (drafts too),
    leaving out the proposal ``excluding``."""
    statement = sa.select(sa.func.coalesce(sa.func.sum(Proposal.requested_grant), 0)).where(
        Proposal.call_id == call_id,
        Proposal.organisation_id == organisation_id,
        Proposal.state != ProposalState.WITHDRAWN,
    )
    if excluding is not None:
        statement = statement.where(Proposal.id != excluding)
    return Decimal(session.scalar(statement) or 0)


def funded_decisions(
    session: Session, organisation_ids: Iterable[int], *, excluding_call: int
) -> list[ProposalDecision]:
    """The decisions selecting proposals of these organisations in another call whose
    selection is published (funded), with their proposals and calls, by proposal id."""
    statement = (
        sa.select(ProposalDecision)
        .join(ProposalDecision.proposal)
        .join(EvaluationPanel, EvaluationPanel.call_id == Proposal.call_id)
        .where(
            Proposal.organisation_id.in_(list(organisation_ids)),
            Proposal.call_id != excluding_call,
            ProposalDecision.outcome == ProposalOutcome.SELECTED,
            EvaluationPanel.published_at.is_not(None),
        )
        .options(joinedload(ProposalDecision.proposal).joinedload(Proposal.call))
        .order_by(Proposal.id)
    )
    return list(session.scalars(statement).unique())


def payments_of_call(session: Session, call_id: int) -> list[CascadePayment]:
    """The payments to the call's applications, cancelled ones included, with who cancelled
    them, by day paid then id."""
    statement = (
        sa.select(CascadePayment)
        .join(CascadePayment.proposal)
        .where(Proposal.call_id == call_id)
        .options(joinedload(CascadePayment.cancelled_by))
        .order_by(CascadePayment.paid_on, CascadePayment.id)
    )
    return list(session.scalars(statement))


def payments_of_proposal(session: Session, proposal_id: int) -> list[CascadePayment]:
    """The payments to one application, cancelled ones included, with who cancelled them, by
    day paid then id."""
    statement = (
        sa.select(CascadePayment)
        .where(CascadePayment.proposal_id == proposal_id)
        .options(joinedload(CascadePayment.cancelled_by))
        .order_by(CascadePayment.paid_on, CascadePayment.id)
    )
    return list(session.scalars(statement))


def payments_of_proposals(session: Session, proposal_ids: list[int]) -> list[CascadePayment]:
    """The payments to these applications in one query, cancelled ones included, with who
    cancelled them, by day paid then id."""
    if not proposal_ids:
        return []
    statement = (
        sa.select(CascadePayment)
        .where(CascadePayment.proposal_id.in_(sorted(proposal_ids)))
        .options(joinedload(CascadePayment.cancelled_by))
        .order_by(CascadePayment.paid_on, CascadePayment.id)
    )
    return list(session.scalars(statement))


def lock_call(session: Session, call_id: int) -> None:
    """Keep every other request from recording or cancelling a payment to the call's
    applications until the caller's transaction ends: PostgreSQL locks the call's row
    (SELECT ... FOR UPDATE), SQLite takes its one write lock (with an UPDATE that changes
    nothing), waiting for a writer that has it. What the caller reads next is what the
    database holds under the lock: two payments recorded at once are checked one after the
    other (the total awarded, a reference used once per call)."""
    hold_row(session, ProgrammeCall, call_id, ProgrammeCall.updated_at)


def standing_payments_of_call(session: Session, call_id: int) -> list[CascadePayment]:
    """The payments not cancelled to the call's applications, with their application,
    oldest first."""
    statement = (
        sa.select(CascadePayment)
        .join(CascadePayment.proposal)
        .where(Proposal.call_id == call_id, CascadePayment.cancelled_at.is_(None))
        .options(contains_eager(CascadePayment.proposal))
        .order_by(CascadePayment.id)
    )
    return list(session.scalars(statement))


def get_payment(session: Session, proposal_id: int, payment_id: int) -> CascadePayment | None:
    """A payment to this application (None for another application's), with who cancelled
    it."""
    statement = (
        sa.select(CascadePayment)
        .where(CascadePayment.id == payment_id, CascadePayment.proposal_id == proposal_id)
        .options(joinedload(CascadePayment.cancelled_by))
    )
    return session.scalars(statement).first()
