"""Changing a password, and resetting a forgotten one by an e-mailed, single-use, expiring link.

Either way the user is signed out everywhere (every web session and API token ends). Asking for
a reset answers the same whether or not the address has an account: only the mailbox learns.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import PasswordReset, User
from clusterbridge.db.repositories import users as repository
from clusterbridge.domain.errors import DomainError, InputIssue, InvalidInputError
from clusterbridge.services.accounts import users
from clusterbridge.services.accounts.links import link_digest, new_link_token
from clusterbridge.services.mail import Mail, Mailer, queue_mail
from clusterbridge.services.text import has_control_characters

#: The path of the page a reset link opens, followed by the token.
RESET_PATH = "/reset-password/"


class InvalidResetLinkError(DomainError):
    """A reset link that is unknown, used or expired (the three are not told apart)."""

    status = 404

    def __init__(self) -> None:
        super().__init__(
            "This link to reset a password has expired or has been used: ask for a new one"
        )


@dataclass(frozen=True, slots=True)
class AccountMail:
    """Where account mail goes: the mail backend, the site's address, and how long a reset
    link works."""

    mailer: Mailer
    public_url: str
    lifetime: timedelta


def change_password(
    session: Session, user: User, *, current: str, new: str, confirmation: str, now: datetime
) -> None:
    """Set ``user``'s password to ``new`` once ``current`` is proven, and sign them out
    everywhere (sessions and tokens end). InvalidInputError naming every bad field
    (``current_password``, ``new_password``, ``confirmation``) at once; a new password that
    is the current one is refused too."""
    issues = []
    current_right = users.verify_password(user, current)
    if not current_right:
        issues.append(InputIssue("", "current_password", "is not your current password"))
    new_issue = users.check_password(new, field="new_password")
    if new_issue is None and current_right and new == current:
        new_issue = InputIssue("", "new_password", "must differ from the current password")
    if new_issue is not None:
        issues.append(new_issue)
    if confirmation != new:
        issues.append(InputIssue("", "confirmation", "is not the same as the new password"))
    if issues:
        raise InvalidInputError("The password was not changed", issues)
    users.set_password(session, user, new, now=now)


def is_wrong_current_password(error: InvalidInputError) -> bool:
    """Whether ``change_password`` refused (also) because the current password was wrong: a
    failed guess, unlike a new password that is refused. Reads nothing."""
    return any(issue.field == "current_password" for issue in error.issues)


def request_password_reset(
    session: Session, mail: AccountMail, *, email: str, now: datetime
) -> None:
    """Mail a reset link to the active account with this address, if there is one; nothing
    happens otherwise, and the caller answers the same either way. The link works once, until
    ``now + mail.lifetime``; only the SHA-256 of its token is stored. What is no e-mail
    address at all (empty, no @) is refused (InvalidInputError on ``email``): that says nothing
    of any account. Writes; mails after the commit."""
    address = email.strip().lower()
    if (problem := users.email_problem(email)) is not None:
        issue = InputIssue("", "email", problem)
        raise InvalidInputError("The link cannot be sent", [issue])
    user = (
        None if has_control_characters(address) else repository.get_user_by_email(session, address)
    )
    if user is None or not user.is_active:
        return
    token, digest = new_link_token()
    expires_at = now + mail.lifetime
    session.add(PasswordReset(user_id=user.id, token_hash=digest, expires_at=expires_at))
    session.flush()
    minutes = int(mail.lifetime.total_seconds() // 60)
    body = (
        f"Hello {user.name},\n\nsomebody (we hope you) asked to reset the password of your "
        f"clusterbridge account {user.email}. Choose a new password here:\n\n"
        f"{mail.public_url}{RESET_PATH}{token}\n\n"
        f"The link works once, for {minutes} minutes. Setting a new password signs you out "
        "everywhere and revokes your API tokens.\n\n"
        "If you did not ask for this, ignore this message: your password stays as it is.\n"
    )
    queue_mail(
        session, mail.mailer, [Mail((user.email,), "Reset your clusterbridge password", body)]
    )


def check_reset_token(session: Session, token: str, *, now: datetime) -> User:
    """The user whose reset link this is, if it is unused and unexpired; InvalidResetLinkError
    otherwise. Reads only."""
    return _open_reset(session, token, now=now).user


def reset_password(
    session: Session,
    token: str,
    *,
    password: str,
    confirmation: str,
    now: datetime,
    field: str = "password",
) -> User:
    """Set a new password through a reset link: the link is used up (with every other open
    link of the user), and every session and API token of the user ends. InvalidResetLinkError
    for a bad link; InvalidInputError (``field``, default ``password``, and ``confirmation``)
    for a bad password."""
    reset = _open_reset(session, token, now=now)
    issues = []
    password_issue = users.check_password(password, field=field)
    if password_issue is not None:
        issues.append(password_issue)
    if confirmation != password:
        issues.append(InputIssue("", "confirmation", "is not the same as the new password"))
    if issues:
        raise InvalidInputError("The password was not changed", issues)
    # Used up by one conditional update: of two requests with the same link, one wins.
    claimed = session.execute(
        sa.update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise InvalidResetLinkError
    users.set_password(session, reset.user, password, now=now)
    session.execute(
        sa.update(PasswordReset)
        .where(PasswordReset.user_id == reset.user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return reset.user


def _open_reset(session: Session, token: str, *, now: datetime) -> PasswordReset:
    statement = (
        sa.select(PasswordReset)
        .where(PasswordReset.token_hash == link_digest(token))
        .options(sa.orm.joinedload(PasswordReset.user))
    )
    reset = session.scalars(statement).one_or_none()
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        raise InvalidResetLinkError
    if not reset.user.is_active:
        raise InvalidResetLinkError
    return reset
