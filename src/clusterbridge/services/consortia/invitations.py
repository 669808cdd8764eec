"""Inviting people to a consortium by e-mail address, without telling the owner whether the
address has an account.

The owner's answer is the same for every address: a pending invitation and a mail to the
address. The person who has (or makes) an account with that address sees the invitation on the
consortia page and accepts or declines it.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from clusterbridge.db.models import ConsortiumInvitation, ConsortiumMember, User
from clusterbridge.db.repositories import consortia as repository
from clusterbridge.domain.errors import DomainError, InputIssue, InvalidInputError
from clusterbridge.services.accounts.users import email_problem
from clusterbridge.services.consortia import access
from clusterbridge.services.mail import Mail, Mailer, queue_mail


class InvitationNotFoundError(DomainError):
    """No invitation with this id for the signed-in user's address."""

    status = 404

    def __init__(self, invitation_id: int) -> None:
        super().__init__(f"There is no invitation {invitation_id} for you")


@dataclass(frozen=True, slots=True)
class InvitationMail:
    """Where invitations go: the mail backend and the site's address."""

    mailer: Mailer
    public_url: str


def invite_member(
    session: Session,
    actor: User,
    consortium_id: int,
    *,
    email: str,
    can_edit: bool,
    mail: InvitationMail,
) -> ConsortiumInvitation | None:
    """Invite ``email`` to the consortium (owner only) and mail the address, the same whether or
    not it has an account. A current member gets the new ``can_edit`` at once (the owner sees
    the members already) and no mail; returns the invitation, or None for a member.
    InvalidInputError (``email``) for a malformed address. Writes; mails after the commit."""
    consortium = access.require_manage(
        repository.get_consortium(session, consortium_id), actor, consortium_id
    )
    address = email.strip().lower()
    if (problem := email_problem(email)) is not None:
        issue = InputIssue("", "email", problem)
        raise InvalidInputError("The member cannot be invited", [issue])
    member = next((m for m in consortium.members if m.user.email == address), None)
    if member is not None:
        member.can_edit = can_edit or member.user_id == consortium.owner_id
        return None
    invitation = _find(session, consortium.id, address) or ConsortiumInvitation(
        consortium_id=consortium.id, email=address, invited_by_id=actor.id
    )
    invitation.can_edit = can_edit
    session.add(invitation)
    session.flush()
    body = (
        f'Hello,\n\n{actor.name} invites you to the consortium "{consortium.name}" on '
        f"clusterbridge{' (with the right to edit it)' if can_edit else ''}.\n\n"
        f"Sign in with this address ({address}), or register with it if you have no account, "
        f"then accept the invitation on the consortia page:\n\n{mail.public_url}/consortia\n"
    )
    queue_mail(session, mail.mailer, [Mail((address,), "An invitation to a consortium", body)])
    return invitation


def list_invitations(session: Session, consortium_id: int) -> list[ConsortiumInvitation]:
    """The pending invitations of a consortium, oldest first (callers check access)."""
    statement = (
        sa.select(ConsortiumInvitation)
        .where(ConsortiumInvitation.consortium_id == consortium_id)
        .order_by(ConsortiumInvitation.id)
    )
    return list(session.scalars(statement))


def list_my_invitations(session: Session, user: User) -> list[ConsortiumInvitation]:
    """The invitations waiting for ``user``'s address, with their consortia, oldest first."""
    statement = (
        sa.select(ConsortiumInvitation)
        .where(ConsortiumInvitation.email == user.email)
        .options(joinedload(ConsortiumInvitation.consortium))
        .order_by(ConsortiumInvitation.id)
    )
    return list(session.scalars(statement))


def accept_invitation(session: Session, user: User, invitation_id: int) -> int:
    """Make ``user`` a member as the invitation says, and delete it; returns the consortium id.
    InvitationNotFoundError (404) unless the invitation is for ``user``'s address."""
    invitation = _mine(session, user, invitation_id)
    consortium_id, can_edit = invitation.consortium_id, invitation.can_edit
    _take(session, invitation)
    exists = session.get(ConsortiumMember, (consortium_id, user.id))
    if exists is None:
        session.add(
            ConsortiumMember(consortium_id=consortium_id, user_id=user.id, can_edit=can_edit)
        )
    session.flush()
    return consortium_id


def decline_invitation(session: Session, user: User, invitation_id: int) -> None:
    """Delete an invitation for ``user``'s address (404 for any other)."""
    _take(session, _mine(session, user, invitation_id))


def withdraw_invitation(
    session: Session, actor: User, consortium_id: int, invitation_id: int
) -> None:
    """Delete a pending invitation of the consortium (owner only)."""
    access.require_manage(repository.get_consortium(session, consortium_id), actor, consortium_id)
    invitation = session.get(ConsortiumInvitation, invitation_id)
    if invitation is None or invitation.consortium_id != consortium_id:
        raise InvitationNotFoundError(invitation_id)
    _take(session, invitation)


def _take(session: Session, invitation: ConsortiumInvitation) -> None:
    """Delete the invitation if it is still there; InvitationNotFoundError when a concurrent
    request (an accept, a decline, a withdrawal) took it first. The DELETE's row count decides,
    so two accepts at once make one member."""
    deleted = session.execute(
        sa.delete(ConsortiumInvitation)
        .where(ConsortiumInvitation.id == invitation.id)
        .execution_options(synchronize_session=False)
    )
    session.expunge(invitation)
    if getattr(deleted, "rowcount", 0) != 1:
        raise InvitationNotFoundError(invitation.id)


def _find(session: Session, consortium_id: int, email: str) -> ConsortiumInvitation | None:
    statement = sa.select(ConsortiumInvitation).where(
        ConsortiumInvitation.consortium_id == consortium_id, ConsortiumInvitation.email == email
    )
    return session.scalars(statement).one_or_none()


def _mine(session: Session, user: User, invitation_id: int) -> ConsortiumInvitation:
    invitation = session.get(ConsortiumInvitation, invitation_id)
    if invitation is None or invitation.email != user.email:
        raise InvitationNotFoundError(invitation_id)
    return invitation
