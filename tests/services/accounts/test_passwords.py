"""Password-reset links: stored hashed, expiring, single use."""

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import PasswordReset
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.services.accounts import passwords
from clusterbridge.services.accounts.users import authenticate
from clusterbridge.services.mail import FileMailer, pending_mail
from tests.conftest import NOW
from tests.factories.users import PASSWORD, make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

NEW_PASSWORD = "a brand new password"


def send_link(session: Session, tmp_path: Path) -> str:
    mail = passwords.AccountMail(
        FileMailer(tmp_path, "noreply@example.org"), "https://cb.example", timedelta(hours=1)
    )
    passwords.request_password_reset(session, mail, email=" Manager@Cluster.Example ", now=NOW)
    message = pending_mail(session)[-1]
    return message.body.split("https://cb.example/reset-password/")[1].split()[0]


def test_the_link_is_stored_only_as_its_hash(session: Session, tmp_path: Path) -> None:
    make_user(session)

    token = send_link(session, tmp_path)

    stored = session.scalars(sa.select(PasswordReset.token_hash)).one()
    assert token not in stored
    assert len(stored) == 64


def test_the_link_expires_after_its_lifetime(session: Session, tmp_path: Path) -> None:
    make_user(session)
    token = send_link(session, tmp_path)

    assert passwords.check_reset_token(session, token, now=NOW + timedelta(minutes=59)).email
    with pytest.raises(passwords.InvalidResetLinkError):
        passwords.reset_password(
            session,
            token,
            password=NEW_PASSWORD,
            confirmation=NEW_PASSWORD,
            now=NOW + timedelta(hours=1),
        )
    assert authenticate(session, email="manager@cluster.example", password=PASSWORD) is not None


def test_a_bad_password_does_not_use_up_the_link(session: Session, tmp_path: Path) -> None:
    make_user(session)
    token = send_link(session, tmp_path)

    with pytest.raises(InvalidInputError):
        passwords.reset_password(session, token, password="short", confirmation="short", now=NOW)
    passwords.reset_password(
        session, token, password=NEW_PASSWORD, confirmation=NEW_PASSWORD, now=NOW
    )

    with pytest.raises(passwords.InvalidResetLinkError):
        passwords.check_reset_token(session, token, now=NOW)
    assert authenticate(session, email="manager@cluster.example", password=NEW_PASSWORD)


def test_a_new_password_uses_up_every_open_link(session: Session, tmp_path: Path) -> None:
    make_user(session)
    older = send_link(session, tmp_path)
    newer = send_link(session, tmp_path)

    passwords.reset_password(
        session, newer, password=NEW_PASSWORD, confirmation=NEW_PASSWORD, now=NOW
    )

    with pytest.raises(passwords.InvalidResetLinkError):
        passwords.check_reset_token(session, older, now=NOW)
