"""Claiming an organisation's record: a company finds its record and asks to manage it instead
of creating a duplicate.

A signed-in user who cannot edit the organisation yet asks, with a short message saying who
they are. A member of the organisation (``OrganisationMember``) or an administrator approves
(the requester becomes a member, and so may edit the record: ``edit.can_edit``) or refuses,
with an optional reason; a refused user may ask again.

- One open claim per user and organisation, kept by the database (revision 0008): a second
  one is ClaimConflictError (409), as is a claim by someone who can already edit.
- A claim is seen by its requester, the organisation's members and administrators; to anyone
  else it does not exist (404), except on the administrators' command line, which lists every
  claim. Only members and administrators decide, never on their own claim (403).
- Mail is queued until the unit of work commits (``services.mail``): a new claim goes to the
  organisation's members or, when it has none, to the administrators; the decision goes to
  the requester.
"""

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation, OrganisationClaim, OrganisationMember, User
from clusterbridge.db.repositories import claims as repository
from clusterbridge.db.repositories import organisations as organisation_repository
from clusterbridge.domain.enums import ClaimStatus, UserRole
from clusterbridge.domain.errors import (
    AccessDeniedError,
    DomainError,
    InputIssue,
    InvalidInputError,
)
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.mail import Mail, queue_mail
from clusterbridge.services.registry.edit import OrganisationNotFoundError, can_edit
from clusterbridge.services.registry.notifier import ClaimNotifier
from clusterbridge.services.text import has_control_characters

MAX_MESSAGE_LENGTH = 1000
MAX_REASON_LENGTH = 1000


class ClaimNotFoundError(DomainError):
    """No claim with this id, or none the actor may see (the two are not told apart)."""

    status = 404

    def __init__(self, claim_id: int) -> None:
        super().__init__(f"There is no claim {claim_id}")


class ClaimConflictError(DomainError):
    """The claim cannot be made or decided in the state things are in."""

    status = 409


def create_claim(
    session: Session,
    actor: User,
    organisation_id: int,
    *,
    message: str,
    notifier: ClaimNotifier,
) -> OrganisationClaim:
    """``actor`` asks to manage the organisation, saying who they are in ``message``.

    Raises OrganisationNotFoundError (404); ClaimConflictError (409) when ``actor`` can
    already edit it or has an open claim on it (the database's unique constraint decides, so
    two requests at once make one claim; the session must then be rolled back, as the unit
    of work does); InvalidInputError (field ``message``) for an empty, over-long or garbled
    message. Mails the organisation's members, or the administrators when it has none.
    Flushes for the id.
    """
    organisation = _organisation(session, organisation_id)
    if can_edit(session, actor, organisation):
        raise ClaimConflictError(f"You can already edit {organisation.name}: nothing to claim")
    text = _text(message, "message", limit=MAX_MESSAGE_LENGTH, required=True)
    name = organisation.name  # a failed flush expires the session's objects
    claim = OrganisationClaim(
        organisation=organisation,
        requester=actor,
        message=text,
        status=ClaimStatus.PENDING,
        is_open=True,
        reason="",
    )
    session.add(claim)
    try:
        session.flush()
    except IntegrityError:
        # The session is unusable now; the unit of work rolls back at the edge, and the claim
        # asked for first stays.
        raise ClaimConflictError(
            f"You already asked to manage {name}: wait for the answer"
        ) from None
    _announce(session, notifier, claim)
    return claim


def decide_claim(
    session: Session,
    actor: User,
    claim_id: int,
    *,
    approve: bool,
    reason: str = "",
    now: datetime,
    notifier: ClaimNotifier,
    sees_every_claim: bool = False,
) -> OrganisationClaim:
    """Approve (the requester becomes a member of the organisation) or refuse a pending claim,
    as a member of the organisation or an administrator, with an optional ``reason``.

    Raises ClaimNotFoundError (404) when ``actor`` may not see the claim, or with
    ``sees_every_claim`` (the caller already sees them all: the administrators' command line,
    ``list_pending_claims``) when there is none; AccessDeniedError (403) for the requester
    themself and, with ``sees_every_claim``, for anyone else who may not decide (saying who
    may); ClaimConflictError (409) when it is already decided (also when someone else decided
    it a moment before); InvalidInputError (field ``reason``) for an over-long or garbled
    reason. Mails the requester. Flushes.
    """
    claim = _claim_to_decide(session, actor, claim_id, sees_every_claim=sees_every_claim)
    if claim.requester_id == actor.id:
        raise AccessDeniedError("You cannot decide on your own claim")
    if not can_edit(session, actor, claim.organisation):
        raise AccessDeniedError(
            f"{actor.email} may not decide claims on {claim.organisation.name}: only its members"
            " and the administrators may"
        )
    text = _text(reason, "reason", limit=MAX_REASON_LENGTH, required=False)
    status = ClaimStatus.APPROVED if approve else ClaimStatus.REFUSED
    if not repository.close_claim(
        session, claim.id, status=status, reason=text, decided_by_id=actor.id, decided_at=now
    ):
        raise ClaimConflictError(f"This claim is already {_current_status(session, claim_id)}")
    claim = repository.get_claim(session, claim_id, refresh=True) or claim
    if approve and not organisation_repository.is_member(
        session, claim.organisation_id, claim.requester_id
    ):
        session.add(OrganisationMember(organisation=claim.organisation, user=claim.requester))
    session.flush()
    _tell_requester(session, notifier, claim)
    return claim


def get_claim(session: Session, actor: User, claim_id: int) -> OrganisationClaim:
    """The claim, with its organisation, requester and decider, if ``actor`` may see it (its
    requester, the organisation's members, administrators); else ClaimNotFoundError (404)."""
    claim = repository.get_claim(session, claim_id)
    if claim is None or not (
        claim.requester_id == actor.id or can_edit(session, actor, claim.organisation)
    ):
        raise ClaimNotFoundError(claim_id)
    return claim


def list_organisation_claims(
    session: Session, actor: User, organisation_id: int, *, status: ClaimStatus | None = None
) -> list[OrganisationClaim]:
    """The claims on an organisation (of ``status``, if given), oldest first, for its members
    and administrators. OrganisationNotFoundError (404); AccessDeniedError (403) for anyone
    else. Reads only."""
    organisation = _organisation(session, organisation_id)
    if not can_edit(session, actor, organisation):
        raise AccessDeniedError("Only the organisation's members and administrators see its claims")
    return repository.list_for_organisation(session, organisation_id, status=status)


def list_my_claims(session: Session, actor: User) -> list[OrganisationClaim]:
    """``actor``'s claims on every organisation, newest first. Reads only."""
    return repository.list_for_requester(session, actor.id)


def my_organisations(session: Session, actor: User) -> list[Organisation]:
    """The organisations ``actor`` manages (is a member of), by name. Reads only."""
    return organisation_repository.list_of_member(session, actor.id)


def list_pending_claims(session: Session) -> list[OrganisationClaim]:
    """Every claim waiting for a decision, oldest first: for the administrators' command line,
    which has the database's rights (it checks none). Reads only."""
    return repository.list_by_status(session, ClaimStatus.PENDING)


def claims_to_decide(session: Session, actor: User) -> list[OrganisationClaim]:
    """Every claim waiting for a decision, oldest first, for an administrator's list (who may
    decide every one); AccessDeniedError (403) for anyone else. Reads only."""
    if actor.role != UserRole.ADMINISTRATOR or not actor.is_active:
        raise AccessDeniedError("Only administrators see every claim waiting for a decision")
    return list_pending_claims(session)


def latest_claim(
    session: Session, actor: User, organisation: Organisation
) -> OrganisationClaim | None:
    """``actor``'s newest claim on ``organisation`` (what its page tells them), or None."""
    return repository.latest_claim(session, organisation.id, actor.id)


def _organisation(session: Session, organisation_id: int) -> Organisation:
    organisation = organisation_repository.get_row(session, organisation_id)
    if organisation is None:
        raise OrganisationNotFoundError(organisation_id)
    return organisation


def _claim_to_decide(
    session: Session, actor: User, claim_id: int, *, sees_every_claim: bool
) -> OrganisationClaim:
    if not sees_every_claim:
        return get_claim(session, actor, claim_id)
    claim = repository.get_claim(session, claim_id)
    if claim is None:
        raise ClaimNotFoundError(claim_id)
    return claim


def _current_status(session: Session, claim_id: int) -> str:
    fresh = repository.get_claim(session, claim_id, refresh=True)
    return fresh.status.value if fresh is not None else "gone"


def _text(value: str, field: str, *, limit: int, required: bool) -> str:
    text = value.strip()
    if required and not text:
        reason = "is required: say who you are and how you belong to the organisation"
    elif len(text) > limit:
        reason = too_long_reason(limit, len(text))
    elif has_control_characters(text, multiline=True):
        reason = "must not contain control characters"
    else:
        return text
    raise InvalidInputError("The claim cannot be saved", [InputIssue("", field, reason)])


def _announce(session: Session, notifier: ClaimNotifier, claim: OrganisationClaim) -> None:
    """Mail the organisation's members about a new claim, or the administrators if it has
    none; each gets a message of their own (members do not see each other's addresses)."""
    organisation, requester = claim.organisation, claim.requester
    recipients = repository.active_members(session, organisation.id)
    to_whom = "you are a member of it"
    if not recipients:
        recipients = repository.active_administrators(session)
        to_whom = "it has no members yet and you are an administrator"
    subject = f"{requester.name} asks to manage {organisation.name}"
    body = (
        f"{requester.name} ({requester.email}) asks to manage the record of "
        f"{organisation.name} in clusterbridge. You are told because {to_whom}.\n\n"
        f"Their message:\n\n{claim.message}\n\n"
        f"Approve or refuse it here: {notifier.link(organisation)}\n"
    )
    mails = [Mail((user.email,), subject, f"Hello {user.name},\n\n{body}") for user in recipients]
    queue_mail(session, notifier.mailer, mails)


def _tell_requester(session: Session, notifier: ClaimNotifier, claim: OrganisationClaim) -> None:
    organisation, requester = claim.organisation, claim.requester
    if claim.status is ClaimStatus.APPROVED:
        subject = f"You now manage {organisation.name}"
        body = f"Your request to manage {organisation.name} was approved: you can edit it now."
    else:
        subject = f"{organisation.name}: your request was refused"
        body = f"Your request to manage {organisation.name} was refused."
    if claim.reason:
        body += f"\n\nThe reason given:\n\n{claim.reason}"
    body += f"\n\nThe organisation's page: {notifier.link(organisation)}\n"
    mail = Mail((requester.email,), subject, f"Hello {requester.name},\n\n{body}")
    queue_mail(session, notifier.mailer, [mail])
