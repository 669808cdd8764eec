"""Queries on consortia, their partners and members.

Every loader eager-loads what the consortium pages and the eligibility check read: the partners
with their registry organisations, and the members. Relationships are ``lazy="raise"``, so a
caller that needs something else must ask for it here.
"""

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from clusterbridge.db.models import (
    Consortium,
    ConsortiumMember,
    ConsortiumPartner,
    Organisation,
    Outcome,
    Proposal,
    ProposalConsortium,
)


def _full() -> tuple[LoaderOption, ...]:
    return (
        selectinload(Consortium.partners).selectinload(ConsortiumPartner.organisation),
        selectinload(Consortium.members).selectinload(ConsortiumMember.user),
    )


def get_consortium(session: Session, consortium_id: int) -> Consortium | None:
    """The consortium with its partners (and their organisations) and members, or None."""
    statement = sa.select(Consortium).where(Consortium.id == consortium_id).options(*_full())
    return session.scalars(statement).one_or_none()


def find_proposal_consortium_id(session: Session, job_id: int, proposal: int) -> int | None:
    """The id of the consortium made from proposal ``proposal`` of the builder job
    ``job_id``, or None when none was (or it was deleted since)."""
    statement = sa.select(ProposalConsortium.consortium_id).where(
        ProposalConsortium.job_id == job_id, ProposalConsortium.proposal == proposal
    )
    return session.scalars(statement).one_or_none()


def is_referenced(session: Session, consortium_id: int) -> bool:
    """Whether something points at the consortium: a proposal made from it (draft or sent), a
    recorded outcome, or the builder's proposal it was made from."""
    referrers = (
        sa.select(Proposal.id).where(Proposal.consortium_id == consortium_id),
        sa.select(Outcome.id).where(Outcome.consortium_id == consortium_id),
        sa.select(ProposalConsortium.consortium_id).where(
            ProposalConsortium.consortium_id == consortium_id
        ),
    )
    return any(session.scalars(statement.limit(1)).first() is not None for statement in referrers)


def list_proposal_consortia(session: Session, job_id: int) -> dict[int, Consortium]:
    """The consortia made from proposals of the builder job ``job_id`` (and not deleted since),
    by proposal number, with their members."""
    statement = (
        sa.select(ProposalConsortium.proposal, Consortium)
        .join(Consortium, Consortium.id == ProposalConsortium.consortium_id)
        .where(ProposalConsortium.job_id == job_id)
        .options(selectinload(Consortium.members))
    )
    return {row[0]: row[1] for row in session.execute(statement)}


def list_consortia(
    session: Session, *, visible_to: int | None, shared_too: bool = True
) -> list[Consortium]:
    """Consortia, newest first, with partners, organisations and members loaded.

    ``visible_to`` a user id: only the consortia that user owns, is a member of, or (unless
    ``shared_too`` is false) that are shared; None: every consortium.
    """
    statement = sa.select(Consortium).options(*_full())
    if visible_to is not None:
        membership = sa.select(ConsortiumMember.consortium_id).where(
            ConsortiumMember.user_id == visible_to
        )
        seen = [Consortium.owner_id == visible_to, Consortium.id.in_(membership)]
        if shared_too:
            seen.append(Consortium.shared.is_(True))
        statement = statement.where(sa.or_(*seen))
    statement = statement.order_by(Consortium.created_at.desc(), Consortium.id.desc())
    return list(session.scalars(statement))


def get_organisation(session: Session, organisation_id: int) -> Organisation | None:
    """The registry organisation with this id, or None."""
    return session.get(Organisation, organisation_id)


def get_organisations_by_pic(session: Session, pics: Collection[str]) -> dict[str, Organisation]:
    """The registry organisations with these PICs, by PIC (unknown PICs are left out)."""
    if not pics:
        return {}
    statement = sa.select(Organisation).where(Organisation.pic.in_(sorted(pics)))
    return {organisation.pic or "": organisation for organisation in session.scalars(statement)}
