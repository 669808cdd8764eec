"""What the exchange pages list: a user's organisations, enrolments, partnerships and
exchanges, and a partnership's queue and exchanges."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Exchange,
    ExchangeParticipant,
    ExchangePartnership,
    ExchangeRequest,
    Organisation,
    User,
)
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.db.repositories import organisations as organisation_repository
from clusterbridge.domain.enums import ExchangeRole, ValidationState
from clusterbridge.services.exchanges.access import (
    ExchangeNotFoundError,
    is_administrator,
    require_reads_partnership,
)


@dataclass(frozen=True, slots=True)
class Overview:
    """A user's side of the scheme: the organisations they may enrol, every partnership to
    choose from, their enrolments, the partnerships they act for and their exchanges."""

    organisations: list[Organisation]
    partnerships: list[ExchangePartnership]
    enrolments: list[ExchangeParticipant]
    acting_for: list[ExchangePartnership]
    exchanges: list[Exchange]


@dataclass(frozen=True, slots=True)
class AcceptedRequest:
    """A host's yes to one of the partnership's visitors, and whether the assignment counts
    the pair (both validated, the visitor without an exchange that is not cancelled)."""

    request: ExchangeRequest
    counted: bool


@dataclass(frozen=True, slots=True)
class PartnershipView:
    """A partnership's page: its queue, its validated visitors and every validated host (to
    set up exchanges), the requests hosts accepted from its visitors, and its exchanges."""

    partnership: ExchangePartnership
    pending: list[ExchangeParticipant]
    visitors: list[ExchangeParticipant]
    hosts: list[ExchangeParticipant]
    exchanges: list[Exchange]
    accepted: list[AcceptedRequest]


def overview(session: Session, user: User) -> Overview:
    """The user's overview (administrators act for every partnership)."""
    partnerships = repository.list_partnerships(session)
    acting = (
        partnerships
        if is_administrator(user)
        else repository.partnerships_of_member(session, user.id)
    )
    return Overview(
        organisations=organisation_repository.list_of_member_by_name(session, user.id),
        partnerships=partnerships,
        enrolments=repository.participants_of_contact(session, user.id),
        acting_for=acting,
        exchanges=repository.exchanges_of_contact(session, user.id),
    )


def partnership_view(session: Session, user: User, partnership_id: int) -> PartnershipView:
    """A partnership's page, for its members and administrators, and for programme officers
    to read (``AccessDeniedError`` for anyone else). Reads only."""
    partnership = repository.get_partnership(session, partnership_id)
    if partnership is None:
        raise ExchangeNotFoundError(f"No partnership {partnership_id}.")
    require_reads_partnership(session, user, partnership_id, doing="see this partnership's page")
    own = repository.list_participants(session, partnership_id=partnership_id)
    hosts = repository.list_participants(
        session, state=ValidationState.VALIDATED, role=ExchangeRole.HOST
    )
    return PartnershipView(
        partnership=partnership,
        pending=[p for p in own if p.state is ValidationState.PENDING],
        visitors=[
            p
            for p in own
            if p.state is ValidationState.VALIDATED and p.role is ExchangeRole.VISITOR
        ],
        hosts=hosts,
        exchanges=repository.list_partnership_exchanges(session, partnership_id),
        accepted=_accepted(session, partnership_id),
    )


def _accepted(session: Session, partnership_id: int) -> list[AcceptedRequest]:
    taken = repository.visitors_with_exchange(session)
    return [
        AcceptedRequest(
            request,
            request.visitor_id not in taken
            and request.visitor.state is ValidationState.VALIDATED
            and request.host.state is ValidationState.VALIDATED,
        )
        for request in repository.accepted_requests_of_visitors(session, partnership_id)
    ]
