"""Registering, without telling a stranger whether an address already has an account.

The answer to a registration is the same either way; the mailbox of the address learns which:
a new account is welcomed, an existing one is told that somebody tried to register with it.
"""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clusterbridge.db.models import User
from clusterbridge.db.repositories import users as repository
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.services.accounts import users
from clusterbridge.services.accounts.passwords import AccountMail
from clusterbridge.services.mail import Mail, queue_mail


def register(
    session: Session, mail: AccountMail, *, email: str, name: str, password: str, role: UserRole
) -> None:
    """Create an account for ``email`` (lower-cased) and mail a welcome, or, when the address
    already has an account, leave it as it is and mail its owner instead, also when another
    registration of the address wins a race with this one. InvalidInputError names every bad
    field (never a taken address). Writes; mails after the commit."""
    address = email.strip().lower()
    issues = users.check_account(
        session, email=address, name=name, password=password, report_taken=False
    )
    if issues:
        raise InvalidInputError("The account cannot be created", issues)
    user = None
    if repository.get_user_by_email(session, address) is None:
        user = _create_unless_taken(session, address, name=name, password=password, role=role)
    else:
        # As slow as creating an account, so that the time of the answer tells nothing either.
        users.hash_password(password)
    if user is not None:
        subject, body = "Welcome to clusterbridge", _welcome(user.name, address, mail.public_url)
    else:
        subject, body = "Somebody tried to register with your address", _taken(address, mail)
    queue_mail(session, mail.mailer, [Mail((address,), subject, body)])


def _create_unless_taken(
    session: Session, address: str, *, name: str, password: str, role: UserRole
) -> User | None:
    """The new account, or None when a registration of the same address running at the same
    time took it first (the unique address refuses this one; only its savepoint is undone)."""
    try:
        # Nothing is read inside the savepoint: on SQLite a read there would pin a snapshot
        # that the other registration's commit makes stale ("database is locked").
        with session.begin_nested():
            return users.add_checked_user(
                session, email=address, name=name, password=password, role=role
            )
    except IntegrityError:
        return None


def _welcome(name: str, address: str, public_url: str) -> str:
    return (
        f"Hello {name},\n\nyour clusterbridge account {address} is ready. Sign in here:\n\n"
        f"{public_url}/sign-in\n\n"
        "If you did not register, somebody used your address: write to the site's administrator.\n"
    )


def _taken(address: str, mail: AccountMail) -> str:
    return (
        f"Hello,\n\nsomebody tried to register a clusterbridge account with {address}, which "
        "already has one. Nothing was changed.\n\n"
        f"If it was you, sign in here: {mail.public_url}/sign-in\n"
        f"Forgot your password? Ask for a new one here: {mail.public_url}/forgot-password\n\n"
        "If it was not you, ignore this message.\n"
    )
