"""Accounts: creation, sign-in and API tokens. Passwords are kept only as argon2 hashes."""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from clusterbridge.db.models import ApiToken, User
from clusterbridge.db.repositories import users as repository
from clusterbridge.domain.enums import UserRole
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.accounts.sessions import end_every_session
from clusterbridge.services.text import REQUIRED, has_control_characters

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024
#: The longest name of a person (the column's size; menus and lists show it whole).
MAX_NAME_LENGTH = 200
#: The longest e-mail address (RFC 5321's limit on a path, and the column's size).
MAX_EMAIL_LENGTH = 254
MAX_TOKEN_NAME_LENGTH = 100
#: API tokens start with this, so that a leaked one is easy to recognise and search for.
TOKEN_PREFIX = "cb_"  # noqa: S105 -- a marker, not a secret
#: How precisely a token's last use is recorded: a token used again sooner writes nothing.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)
EMAIL_PATTERN = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+\Z")


def email_problem(email: str) -> str | None:
    """Why ``email`` (as typed) is no e-mail address: left empty or blank ("is required"), or
    not of the form name@domain.tld; None when it is one."""
    address = email.strip()
    if not address:
        return REQUIRED
    if not EMAIL_PATTERN.match(address.lower()):
        return f'"{address}" is not an e-mail address'
    return None


_hasher = PasswordHasher()
# Verifying against this keeps sign-in time the same whether or not the account exists.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def create_user(session: Session, *, email: str, name: str, password: str, role: UserRole) -> User:
    """Create an account; the e-mail address is its sign-in name (lower-cased).

    Raises InvalidInputError naming every bad field: malformed, too long or taken address,
    empty or too long name, short, too long or blank password. Flushes, so the user has an id.
    """
    email = email.strip().lower()
    issues = check_account(session, email=email, name=name, password=password)
    if issues:
        raise InvalidInputError("The account cannot be created", issues)
    return add_checked_user(session, email=email, name=name, password=password, role=role)


def add_checked_user(
    session: Session, *, email: str, name: str, password: str, role: UserRole
) -> User:
    """Add an account whose details ``check_account`` has passed (``email`` lower-cased),
    without reading anything first: a taken address fails the flush (IntegrityError).
    Flushes, so the user has an id."""
    user = User(email=email, name=name.strip(), password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def check_account(
    session: Session, *, email: str, name: str, password: str, report_taken: bool = True
) -> list[InputIssue]:
    """Every problem with these account details (``email`` lower-cased), without raising. A
    taken address is a problem only with ``report_taken`` (off where the answer would tell a
    stranger that the address has an account)."""
    issues = []
    if len(email) > MAX_EMAIL_LENGTH:
        reason = too_long_reason(MAX_EMAIL_LENGTH, len(email))
        issues.append(InputIssue("", "email", reason))
    elif (problem := email_problem(email)) is not None:
        issues.append(InputIssue("", "email", problem))
    elif report_taken and repository.get_user_by_email(session, email) is not None:
        issues.append(InputIssue("", "email", f"an account for {email} already exists"))
    name_issue = _check_name(name)
    if name_issue is not None:
        issues.append(name_issue)
    password_issue = check_password(password)
    if password_issue is not None:
        issues.append(password_issue)
    return issues


def _check_name(name: str) -> InputIssue | None:
    stripped = name.strip()
    if not stripped:
        return InputIssue("", "name", REQUIRED)
    if len(stripped) > MAX_NAME_LENGTH:
        reason = too_long_reason(MAX_NAME_LENGTH, len(stripped))
        return InputIssue("", "name", reason)
    if has_control_characters(name):
        return InputIssue("", "name", "must not contain control characters")
    return None


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The active user with this address and password, or None (the caller cannot tell which
    of the two was wrong). Re-hashes the password if the hashing parameters have changed."""
    email = email.strip().lower()
    user = None if has_control_characters(email) else repository.get_user_by_email(session, email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def create_api_token(session: Session, user: User, *, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``user``; returns the row and the token itself, shown only once."""
    name = name.strip()
    if not name or has_control_characters(name) or len(name) > MAX_TOKEN_NAME_LENGTH:
        reason = f"must be 1 to {MAX_TOKEN_NAME_LENGTH} characters, without control characters"
        raise InvalidInputError("The token cannot be created", [InputIssue("", "name", reason)])
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=_digest(raw), prefix=raw[:10])
    session.add(token)
    session.flush()
    return token, raw


def use_api_token(session: Session, raw: str, *, now: datetime) -> int | None:
    """The id of the active user a bearer token belongs to, or None if it is unknown or revoked.

    Records when the token was last used, at most once per ``TOKEN_USE_RESOLUTION``. Call it in
    a unit of work of its own that commits at once (the API does), never in a request's: a
    request that computes for a minute must not hold the write lock meanwhile."""
    token = repository.get_token_by_hash(session, _digest(raw))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        token.last_used_at = now
    return token.user_id


def revoke_api_token(session: Session, user: User, token_id: int, *, now: datetime) -> None:
    """Revoke one of ``user``'s tokens; someone else's token is treated as unknown."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise InvalidInputError("No such token", [InputIssue("", "token", f"no token {token_id}")])
    token.revoked_at = now


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def get_active_user(session: Session, user_id: int) -> User | None:
    """The user with this id if the account is active, else None."""
    user = repository.get_user(session, user_id)
    return user if user is not None and user.is_active else None


def find_active_user(session: Session, email: str, *, field: str = "email") -> User:
    """The active account with this e-mail address (any case, spaces around ignored);
    InvalidInputError naming ``field`` when there is none. Reads only."""
    user = repository.get_user_by_email(session, email.strip().lower())
    if user is None or not user.is_active:
        issue = InputIssue("", field, f"there is no active account for {email.strip()}")
        raise InvalidInputError("Unknown user", [issue])
    return user


def set_password(
    session: Session, user: User, password: str, *, now: datetime, field: str = "password"
) -> None:
    """Replace ``user``'s password (checked like a new account's; a bad one is an
    InvalidInputError naming ``field``) and sign the user out everywhere: every web session
    ends and every API token is revoked as of ``now``."""
    issue = check_password(password, field=field)
    if issue is not None:
        raise InvalidInputError("The password cannot be set", [issue])
    user.password_hash = _hasher.hash(password)
    end_every_session(session, user, now=now)


def check_password(password: str, *, field: str = "password") -> InputIssue | None:
    """The problem with ``password`` as a new password (its length, or nothing but
    whitespace), or None."""
    if len(password) > MAX_PASSWORD_LENGTH:
        return InputIssue("", field, too_long_reason(MAX_PASSWORD_LENGTH, len(password)))
    if len(password) < MIN_PASSWORD_LENGTH:
        reason = f"must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters long"
        return InputIssue("", field, reason)
    if not password.strip():
        return InputIssue("", field, "must not be only spaces or other blanks")
    return None


def hash_password(password: str) -> str:
    """The argon2 hash of ``password``."""
    return _hasher.hash(password)


def verify_password(user: User, password: str) -> bool:
    """Whether ``password`` is ``user``'s password."""
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
