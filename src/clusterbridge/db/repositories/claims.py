"""Queries on claims (users asking to manage an organisation's record) and on the people a
claim is announced to."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from clusterbridge.db.models import OrganisationClaim, OrganisationMember, User
from clusterbridge.domain.enums import ClaimStatus, UserRole

#: What a listed claim shows: the organisation, who asked and who decided.
_LOADED = (
    joinedload(OrganisationClaim.organisation),
    joinedload(OrganisationClaim.requester),
    joinedload(OrganisationClaim.decided_by),
)


def get_claim(
    session: Session, claim_id: int, *, refresh: bool = False
) -> OrganisationClaim | None:
    """The claim with this id, its organisation, requester and decider loaded, or None.
    With ``refresh``, a claim already in the session is read again from the database."""
    statement = sa.select(OrganisationClaim).where(OrganisationClaim.id == claim_id)
    statement = statement.options(*_LOADED).execution_options(populate_existing=refresh)
    return session.scalars(statement).one_or_none()


def close_claim(
    session: Session,
    claim_id: int,
    *,
    status: ClaimStatus,
    reason: str,
    decided_by_id: int,
    decided_at: datetime,
) -> bool:
    """Decide a pending claim in one conditional UPDATE; False when it was no longer pending
    (someone decided it meanwhile: the row lock, or SQLite's single writer, orders the two)."""
    statement = (
        sa.update(OrganisationClaim)
        .where(OrganisationClaim.id == claim_id, OrganisationClaim.status == ClaimStatus.PENDING)
        .values(
            status=status,
            is_open=None,
            reason=reason,
            decided_by_id=decided_by_id,
            decided_at=decided_at,
        )
        .execution_options(synchronize_session=False)
    )
    result = session.execute(statement)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def latest_claim(
    session: Session, organisation_id: int, requester_id: int
) -> OrganisationClaim | None:
    """The newest claim of this user on this organisation (decider loaded), or None."""
    statement = (
        sa.select(OrganisationClaim)
        .where(
            OrganisationClaim.organisation_id == organisation_id,
            OrganisationClaim.requester_id == requester_id,
        )
        .options(joinedload(OrganisationClaim.decided_by))
        .order_by(OrganisationClaim.created_at.desc(), OrganisationClaim.id.desc())
        .limit(1)
    )
    return session.scalars(statement).one_or_none()


def list_for_organisation(
    session: Session, organisation_id: int, *, status: ClaimStatus | None = None
) -> list[OrganisationClaim]:
    """The claims on one organisation (of one status, if given), oldest first, loaded."""
    statement = sa.select(OrganisationClaim).where(
        OrganisationClaim.organisation_id == organisation_id
    )
    if status is not None:
        statement = statement.where(OrganisationClaim.status == status)
    statement = statement.options(*_LOADED).order_by(
        OrganisationClaim.created_at, OrganisationClaim.id
    )
    return list(session.scalars(statement))


def list_for_requester(session: Session, requester_id: int) -> list[OrganisationClaim]:
    """A user's claims on every organisation, newest first, loaded."""
    statement = (
        sa.select(OrganisationClaim)
        .where(OrganisationClaim.requester_id == requester_id)
        .options(*_LOADED)
        .order_by(OrganisationClaim.created_at.desc(), OrganisationClaim.id.desc())
    )
    return list(session.scalars(statement))


def list_by_status(session: Session, status: ClaimStatus) -> list[OrganisationClaim]:
    """Every claim of this status, oldest first, loaded."""
    statement = (
        sa.select(OrganisationClaim)
        .where(OrganisationClaim.status == status)
        .options(*_LOADED)
        .order_by(OrganisationClaim.created_at, OrganisationClaim.id)
    )
    return list(session.scalars(statement))


def active_members(session: Session, organisation_id: int) -> list[User]:
    """The active users who belong to the organisation, by id."""
    statement = (
        sa.select(User)
        .join(OrganisationMember, OrganisationMember.user_id == User.id)
        .where(OrganisationMember.organisation_id == organisation_id, User.is_active)
        .order_by(User.id)
    )
    return list(session.scalars(statement))


def active_administrators(session: Session) -> list[User]:
    """The active administrators, by id."""
    statement = (
        sa.select(User).where(User.role == UserRole.ADMINISTRATOR, User.is_active).order_by(User.id)
    )
    return list(session.scalars(statement))
