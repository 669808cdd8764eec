"""Requests between visitors and hosts: a validated visitor without an exchange asks a
validated host in another country (a message); the host accepts or declines, each side is
mailed. An accepted request makes the pair acceptable to both in the partnership's
assignment (``assignment.run_assignment``) and lets the visitor's partnership set it up."""

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clusterbridge.db.models import ExchangeParticipant, ExchangeRequest, User
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.enums import ExchangeRole, RequestState, ValidationState
from clusterbridge.domain.errors import AccessDeniedError, InputIssue, InvalidInputError
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.exchanges.access import (
    ExchangeConflictError,
    ExchangeNotFoundError,
    acts_for,
    reads_partnership,
)
from clusterbridge.services.exchanges.enrolment import MAX_TEXT
from clusterbridge.services.exchanges.notifications import (
    ExchangeNotifier,
    tell_partnership,
    tell_users,
)


def ask_host(
    session: Session,
    actor: User,
    visitor_id: int,
    *,
    host_id: int,
    message: str,
    notifier: ExchangeNotifier,
) -> ExchangeRequest:
    """The visitor (its contact or its partnership) asks the host for an exchange. Both must
    be validated, in two countries, the visitor without an exchange (visit once) and without
    an open request to this host (``ExchangeConflictError``; the database keeps one open
    request per pair). The host's contact is mailed."""
    visitor, host = _participant(session, visitor_id), _participant(session, host_id)
    if not _speaks_for(session, actor, visitor):
        raise AccessDeniedError("Only the visitor or its partnership asks a host.")
    text = _message(message, "message", required=True)
    _check_pair(session, visitor, host)
    # Named before the flush: a failed flush expires the participants.
    conflict = f"{visitor.organisation.name} already asked {host.organisation.name}"
    request = ExchangeRequest(visitor=visitor, host=host, message=text, is_open=True)
    session.add(request)
    try:
        session.flush()
    except IntegrityError:
        # The session is unusable now; the unit of work rolls back at the edge.
        raise ExchangeConflictError(f"{conflict}: wait for the answer.") from None
    tell_users(
        session,
        notifier,
        [host.contact],
        subject=f"{visitor.organisation.name} asks you to host an exchange",
        body=(
            f"{visitor.organisation.name} ({visitor.country}) would like to visit "
            f"{host.organisation.name}:\n\n{text}\n\n"
            f"Accept or decline here: {notifier.participant_link(host)}"
        ),
    )
    return request


def answer_request(
    session: Session,
    actor: User,
    request_id: int,
    *,
    accept: bool,
    answer: str,
    now: datetime,
    notifier: ExchangeNotifier,
) -> ExchangeRequest:
    """The host (its contact or its partnership) accepts or declines an open request
    (``ExchangeConflictError`` once answered). The visitor's contact and partnership are
    mailed; an accepted request lets the visitor's partnership set up the exchange."""
    request = repository.get_request(session, request_id)
    if request is None:
        raise ExchangeNotFoundError(f"No request {request_id}.")
    if not _speaks_for(session, actor, request.host):
        raise AccessDeniedError("Only the host or its partnership answers a request.")
    if request.state is not RequestState.OPEN:
        raise ExchangeConflictError(f"The request was already {request.state}.")
    text = _message(answer, "answer", required=False)
    request.state = RequestState.ACCEPTED if accept else RequestState.DECLINED
    request.is_open = None
    request.answer = text
    request.answered_at = now
    session.flush()
    _tell_answer(session, notifier, request)
    return request


def participant_requests(
    session: Session, actor: User, participant_id: int
) -> list[ExchangeRequest]:
    """The requests a participant sent (a visitor) or received (a host), newest first, for
    its contact, its partnership's members and administrators, and programme officers, who
    read them only."""
    participant = _participant(session, participant_id)
    if participant.contact_id != actor.id and not reads_partnership(
        session, actor, participant.partnership_id
    ):
        raise AccessDeniedError(
            "Only the participant, its partnership and programme officers see its requests."
        )
    return repository.requests_of(session, participant_id)


def _tell_answer(session: Session, notifier: ExchangeNotifier, request: ExchangeRequest) -> None:
    visitor, host = request.visitor, request.host
    word = "accepted" if request.state is RequestState.ACCEPTED else "declined"
    subject = f"{host.organisation.name} {word} the visit of {visitor.organisation.name}"
    body = (
        f"{host.organisation.name} {word} the request of {visitor.organisation.name}."
        + (f"\n\nTheir answer: {request.answer}" if request.answer else "")
        + (
            f"\n\n{visitor.partnership.name} can now set up the exchange."
            if request.state is RequestState.ACCEPTED
            else ""
        )
        + f"\n\nThe visitor's profile: {notifier.participant_link(visitor)}"
    )
    tell_users(session, notifier, [visitor.contact], subject=subject, body=body)
    if request.state is RequestState.ACCEPTED:
        tell_partnership(session, notifier, visitor.partnership_id, subject=subject, body=body)


def _participant(session: Session, participant_id: int) -> ExchangeParticipant:
    participant = repository.get_participant(session, participant_id)
    if participant is None:
        raise ExchangeNotFoundError(f"No participant {participant_id}.")
    return participant


def _speaks_for(session: Session, actor: User, participant: ExchangeParticipant) -> bool:
    return participant.contact_id == actor.id or acts_for(
        session, actor, participant.partnership_id
    )


def _check_pair(session: Session, visitor: ExchangeParticipant, host: ExchangeParticipant) -> None:
    if visitor.role is not ExchangeRole.VISITOR or host.role is not ExchangeRole.HOST:
        raise ExchangeConflictError("A request goes from a visitor to a host.")
    states = {visitor.state, host.state}
    if states != {ValidationState.VALIDATED}:
        raise ExchangeConflictError("Both the visitor and the host must be validated.")
    if visitor.country == host.country:
        raise ExchangeConflictError(
            f"An exchange is between two countries: both are in {host.country}."
        )
    if visitor.id in repository.visitors_with_exchange(session):
        raise ExchangeConflictError(
            f"{visitor.organisation.name} already has an exchange: a visitor takes part once."
        )


def _message(value: str, field: str, *, required: bool) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidInputError(
            "The request cannot be sent.", [InputIssue("", field, "is required")]
        )
    if len(text) > MAX_TEXT:
        why = too_long_reason(MAX_TEXT, len(text))
        raise InvalidInputError("The request cannot be sent.", [InputIssue("", field, why)])
    return text
