"""Queries on exchange partnerships, participants and exchanges (ClusterXchange)."""

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from clusterbridge.db.models import (
    Exchange,
    ExchangeParticipant,
    ExchangePartnership,
    ExchangePartnershipMember,
    ExchangePreference,
    ExchangeRequest,
    Organisation,
    User,
)
from clusterbridge.domain.enums import (
    ExchangeRole,
    ExchangeState,
    OrgType,
    RequestState,
    ValidationState,
)

_PARTICIPANT = (
    joinedload(ExchangeParticipant.organisation),
    joinedload(ExchangeParticipant.partnership),
    joinedload(ExchangeParticipant.contact),
)


def _exchange_options() -> tuple[object, ...]:
    visitor, host = joinedload(Exchange.visitor), joinedload(Exchange.host)
    return (
        visitor.joinedload(ExchangeParticipant.organisation),
        visitor.joinedload(ExchangeParticipant.partnership),
        visitor.joinedload(ExchangeParticipant.contact),
        host.joinedload(ExchangeParticipant.organisation),
        host.joinedload(ExchangeParticipant.partnership),
        host.joinedload(ExchangeParticipant.contact),
        selectinload(Exchange.evidence),
    )


def get_partnership(session: Session, partnership_id: int) -> ExchangePartnership | None:
    """The partnership with this id, or None."""
    return session.get(ExchangePartnership, partnership_id)


def is_partnership_member(session: Session, partnership_id: int, user_id: int) -> bool:
    """Whether the user acts for the partnership."""
    statement = sa.select(ExchangePartnershipMember.user_id).where(
        ExchangePartnershipMember.partnership_id == partnership_id,
        ExchangePartnershipMember.user_id == user_id,
    )
    return session.scalar(statement) is not None


def partnership_members(session: Session, partnership_id: int) -> list[User]:
    """The active users who act for the partnership, by e-mail."""
    statement = (
        sa.select(User)
        .join(ExchangePartnershipMember, ExchangePartnershipMember.user_id == User.id)
        .where(ExchangePartnershipMember.partnership_id == partnership_id, User.is_active)
        .order_by(User.email)
    )
    return list(session.scalars(statement))


def get_participant(session: Session, participant_id: int) -> ExchangeParticipant | None:
    """The participant with its organisation, partnership and contact loaded, or None."""
    statement = (
        sa.select(ExchangeParticipant)
        .where(ExchangeParticipant.id == participant_id)
        .options(*_PARTICIPANT)
    )
    return session.scalars(statement).unique().one_or_none()


def find_participant(
    session: Session, organisation_id: int, role: ExchangeRole
) -> ExchangeParticipant | None:
    """The organisation's enrolment in this role, or None."""
    statement = sa.select(ExchangeParticipant).where(
        ExchangeParticipant.organisation_id == organisation_id, ExchangeParticipant.role == role
    )
    return session.scalars(statement).one_or_none()


def list_participants(
    session: Session,
    *,
    partnership_id: int | None = None,
    state: ValidationState | None = None,
    role: ExchangeRole | None = None,
) -> list[ExchangeParticipant]:
    """Participants, oldest enrolment first, filtered by partnership, state and role."""
    statement = sa.select(ExchangeParticipant).options(*_PARTICIPANT)
    if partnership_id is not None:
        statement = statement.where(ExchangeParticipant.partnership_id == partnership_id)
    if state is not None:
        statement = statement.where(ExchangeParticipant.state == state)
    if role is not None:
        statement = statement.where(ExchangeParticipant.role == role)
    statement = statement.order_by(ExchangeParticipant.created_at, ExchangeParticipant.id)
    return list(session.scalars(statement).unique())


def get_exchange(session: Session, exchange_id: int) -> Exchange | None:
    """The exchange with both participants (organisation, partnership, contact) and its
    evidence loaded, or None."""
    statement = sa.select(Exchange).where(Exchange.id == exchange_id)
    statement = statement.options(*_exchange_options())  # type: ignore[arg-type]
    return session.scalars(statement).unique().one_or_none()


def count_visits(session: Session, visitor_id: int) -> int:
    """How many exchanges the visitor has, cancelled ones aside (they did not happen)."""
    statement = sa.select(sa.func.count()).where(
        Exchange.visitor_id == visitor_id, Exchange.state != ExchangeState.CANCELLED
    )
    return int(session.scalar(statement) or 0)


def host_stays(session: Session, host_id: int) -> list[tuple[date, date]]:
    """The first and last days of every exchange of the host not cancelled."""
    statement = sa.select(Exchange.start_date, Exchange.end_date).where(
        Exchange.host_id == host_id, Exchange.state != ExchangeState.CANCELLED
    )
    return [(start, end) for start, end in session.execute(statement)]


def list_partnership_exchanges(session: Session, partnership_id: int) -> list[Exchange]:
    """Every exchange whose visitor or host belongs to the partnership, by start date."""
    visitor_ids = sa.select(ExchangeParticipant.id).where(
        ExchangeParticipant.partnership_id == partnership_id
    )
    statement = (
        sa.select(Exchange)
        .where(sa.or_(Exchange.visitor_id.in_(visitor_ids), Exchange.host_id.in_(visitor_ids)))
        .options(*_exchange_options())  # type: ignore[arg-type]
        .order_by(Exchange.start_date, Exchange.id)
    )
    return list(session.scalars(statement).unique())


def find_partnership_by_name(session: Session, name: str) -> ExchangePartnership | None:
    """The partnership called ``name``, or None."""
    statement = sa.select(ExchangePartnership).where(ExchangePartnership.name == name)
    return session.scalars(statement).one_or_none()


def located_organisations(
    session: Session, *, types: tuple[OrgType, ...], countries: frozenset[str], limit: int
) -> list[Organisation]:
    """Up to ``limit`` organisations of these types and countries with coordinates, by id."""
    statement = (
        sa.select(Organisation)
        .where(
            Organisation.type.in_(types),
            Organisation.country.in_(sorted(countries)),
            Organisation.latitude.is_not(None),
            Organisation.longitude.is_not(None),
        )
        .order_by(Organisation.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def list_partnerships(session: Session) -> list[ExchangePartnership]:
    """Every partnership, by name."""
    return list(session.scalars(sa.select(ExchangePartnership).order_by(ExchangePartnership.name)))


def partnerships_of_member(session: Session, user_id: int) -> list[ExchangePartnership]:
    """The partnerships the user acts for, by name."""
    statement = (
        sa.select(ExchangePartnership)
        .join(ExchangePartnershipMember)
        .where(ExchangePartnershipMember.user_id == user_id)
        .order_by(ExchangePartnership.name)
    )
    return list(session.scalars(statement))


def participants_of_contact(session: Session, user_id: int) -> list[ExchangeParticipant]:
    """The enrolments the user made, oldest first."""
    statement = (
        sa.select(ExchangeParticipant)
        .where(ExchangeParticipant.contact_id == user_id)
        .options(*_PARTICIPANT)
        .order_by(ExchangeParticipant.id)
    )
    return list(session.scalars(statement).unique())


def exchanges_of_contact(session: Session, user_id: int) -> list[Exchange]:
    """The exchanges whose visitor or host the user enrolled, by start date."""
    mine = sa.select(ExchangeParticipant.id).where(ExchangeParticipant.contact_id == user_id)
    statement = (
        sa.select(Exchange)
        .where(sa.or_(Exchange.visitor_id.in_(mine), Exchange.host_id.in_(mine)))
        .options(*_exchange_options())  # type: ignore[arg-type]
        .order_by(Exchange.start_date, Exchange.id)
    )
    return list(session.scalars(statement).unique())


def unpaid_exchanges(session: Session, *, due_by: date) -> list[Exchange]:
    """Validated exchanges not paid yet whose payment is due on or before ``due_by``."""
    statement = (
        sa.select(Exchange)
        .where(Exchange.state == ExchangeState.VALIDATED, Exchange.payment_due <= due_by)
        .options(*_exchange_options())  # type: ignore[arg-type]
        .order_by(Exchange.payment_due, Exchange.id)
    )
    return list(session.scalars(statement).unique())


def count_unpaid_exchanges(session: Session, *, late_before: date) -> tuple[int, int]:
    """How many validated exchanges are not paid yet, and how many of them were due before
    ``late_before`` (one query)."""
    late = sa.func.count(sa.case((Exchange.payment_due < late_before, 1)))
    statement = sa.select(sa.func.count(), late).where(Exchange.state == ExchangeState.VALIDATED)
    unpaid, overdue = session.execute(statement).one()
    return int(unpaid), int(overdue)


def replace_preferences(session: Session, participant_id: int, ranked: list[int]) -> None:
    """Replace the participant's ranked list (rank 1 first)."""
    session.execute(
        sa.delete(ExchangePreference).where(ExchangePreference.participant_id == participant_id)
    )
    session.add_all(
        ExchangePreference(participant_id=participant_id, preferred_id=other, rank=rank)
        for rank, other in enumerate(ranked, start=1)
    )
    session.flush()


def preferences_of(session: Session, participant_ids: list[int]) -> dict[int, list[int]]:
    """Each participant's ranked list (ids, best first); participants without one are absent."""
    statement = (
        sa.select(ExchangePreference.participant_id, ExchangePreference.preferred_id)
        .where(ExchangePreference.participant_id.in_(participant_ids))
        .order_by(ExchangePreference.participant_id, ExchangePreference.rank)
    )
    lists: dict[int, list[int]] = {}
    for participant, preferred in session.execute(statement):
        lists.setdefault(participant, []).append(preferred)
    return lists


def visitors_with_exchange(session: Session) -> set[int]:
    """The visitors who already have an exchange (not cancelled)."""
    statement = sa.select(Exchange.visitor_id).where(Exchange.state != ExchangeState.CANCELLED)
    return set(session.scalars(statement))


def _request_options() -> tuple[object, ...]:
    visitor, host = joinedload(ExchangeRequest.visitor), joinedload(ExchangeRequest.host)
    return (
        visitor.joinedload(ExchangeParticipant.organisation),
        visitor.joinedload(ExchangeParticipant.partnership),
        visitor.joinedload(ExchangeParticipant.contact),
        host.joinedload(ExchangeParticipant.organisation),
        host.joinedload(ExchangeParticipant.partnership),
        host.joinedload(ExchangeParticipant.contact),
    )


def get_request(session: Session, request_id: int) -> ExchangeRequest | None:
    """The request with both participants (organisation, partnership, contact), or None."""
    statement = sa.select(ExchangeRequest).where(ExchangeRequest.id == request_id)
    statement = statement.options(*_request_options())  # type: ignore[arg-type]
    return session.scalars(statement).unique().one_or_none()


def requests_of(session: Session, participant_id: int) -> list[ExchangeRequest]:
    """The requests a participant sent or received, newest first, both sides loaded."""
    statement = (
        sa.select(ExchangeRequest)
        .where(
            sa.or_(
                ExchangeRequest.visitor_id == participant_id,
                ExchangeRequest.host_id == participant_id,
            )
        )
        .order_by(ExchangeRequest.created_at.desc(), ExchangeRequest.id.desc())
    )
    statement = statement.options(*_request_options())  # type: ignore[arg-type]
    return list(session.scalars(statement).unique())


def accepted_pairs(session: Session, participant_ids: list[int]) -> list[tuple[int, int]]:
    """(visitor id, host id) of the accepted requests of these participants, oldest first."""
    statement = (
        sa.select(ExchangeRequest.visitor_id, ExchangeRequest.host_id)
        .where(
            ExchangeRequest.state == RequestState.ACCEPTED,
            ExchangeRequest.visitor_id.in_(participant_ids),
            ExchangeRequest.host_id.in_(participant_ids),
        )
        .order_by(ExchangeRequest.id)
    )
    return [(row[0], row[1]) for row in session.execute(statement)]


def accepted_requests_of_visitors(session: Session, partnership_id: int) -> list[ExchangeRequest]:
    """The accepted requests of the partnership's visitors, oldest answer first, both sides
    loaded."""
    visitors = sa.select(ExchangeParticipant.id).where(
        ExchangeParticipant.partnership_id == partnership_id
    )
    statement = (
        sa.select(ExchangeRequest)
        .where(
            ExchangeRequest.state == RequestState.ACCEPTED,
            ExchangeRequest.visitor_id.in_(visitors),
        )
        .order_by(ExchangeRequest.answered_at, ExchangeRequest.id)
    )
    statement = statement.options(*_request_options())  # type: ignore[arg-type]
    return list(session.scalars(statement).unique())


def _listed_exchanges(partnership_id: int | None, state: ExchangeState | None) -> sa.Select[Any]:
    statement = sa.select(Exchange)
    if partnership_id is not None:
        members = sa.select(ExchangeParticipant.id).where(
            ExchangeParticipant.partnership_id == partnership_id
        )
        statement = statement.where(
            sa.or_(Exchange.visitor_id.in_(members), Exchange.host_id.in_(members))
        )
    if state is not None:
        statement = statement.where(Exchange.state == state)
    return statement


def count_exchanges(
    session: Session, *, partnership_id: int | None = None, state: ExchangeState | None = None
) -> int:
    """How many exchanges ``list_exchanges`` finds with these filters."""
    found = _listed_exchanges(partnership_id, state).subquery()
    return int(session.scalar(sa.select(sa.func.count()).select_from(found)) or 0)


def list_exchanges(
    session: Session,
    *,
    partnership_id: int | None = None,
    state: ExchangeState | None = None,
    offset: int = 0,
    limit: int,
) -> list[Exchange]:
    """Exchanges by start date (then id), both participants and the evidence loaded: those
    whose visitor or host belongs to the partnership, in this state, when given; ``limit`` of
    them from ``offset``."""
    statement = (
        _listed_exchanges(partnership_id, state)
        .options(*_exchange_options())  # type: ignore[arg-type]
        .order_by(Exchange.start_date, Exchange.id)
        .offset(offset)
        .limit(limit)
    )
    return list(session.scalars(statement).unique())
