"""Notification mail: files by default, SMTP when configured, sent only after the commit."""

import email
from pathlib import Path
from typing import Any, ClassVar

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.config import MailBackend, Settings
from clusterbridge.db.session import Database
from clusterbridge.services import mail
from clusterbridge.services.mail import FileMailer, Mail, SmtpMailer, build_mailer, queue_mail

pytestmark = [pytest.mark.integration, pytest.mark.db]

MESSAGE = Mail(("wanda@example.org",), "Your agenda", "Hello Wanda,\n\nIt is out.\n")


def test_mail_waits_for_the_commit_and_a_rollback_drops_it(
    database: Database, tmp_path: Path
) -> None:
    mailer = FileMailer(tmp_path, "events@example.org")

    with Session(database.engine) as session:
        queue_mail(session, mailer, [MESSAGE])
        session.execute(sa.text("SELECT 1"))
        session.rollback()
        dropped = list(tmp_path.glob("*.eml"))
        queue_mail(session, mailer, [MESSAGE])
        session.commit()

    files = list(tmp_path.glob("*.eml"))
    assert dropped == []
    assert len(files) == 1
    message = email.message_from_bytes(files[0].read_bytes())
    assert (message["From"], message["To"], message["Subject"]) == (
        "events@example.org",
        "wanda@example.org",
        "Your agenda",
    )
    assert message.get_payload(decode=True) == b"Hello Wanda,\n\nIt is out.\n"


class FakeSmtp:
    """An SMTP server's client side that records what it is asked to do."""

    log: ClassVar[list[Any]] = []

    def __init__(self, host: str, port: int, *, timeout: float) -> None:
        self.log.append(("connect", host, port, timeout))

    def __enter__(self) -> "FakeSmtp":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.log.append(("quit",))

    def starttls(self) -> None:
        self.log.append(("starttls",))

    def login(self, user: str, password: str) -> None:
        self.log.append(("login", user, password))

    def send_message(self, message: Any) -> None:
        self.log.append(("send", message["To"], message["Subject"]))


def test_the_smtp_backend_signs_in_over_starttls(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    FakeSmtp.log = []
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSmtp)
    settings = Settings(
        data_dir=tmp_path,
        mail_backend=MailBackend.SMTP,
        smtp_host="smtp.example.org",
        smtp_username="cb",
        smtp_password="secret",
    )

    mailer = build_mailer(settings)
    mailer.send(mail.compose(MESSAGE, sender=mailer.sender))

    assert isinstance(mailer, SmtpMailer)
    assert FakeSmtp.log == [
        ("connect", "smtp.example.org", 587, 10.0),
        ("starttls",),
        ("login", "cb", "secret"),
        ("send", "wanda@example.org", "Your agenda"),
        ("quit",),
    ]


def test_the_file_backend_is_the_default(tmp_path: Path) -> None:
    mailer = build_mailer(Settings(data_dir=tmp_path))

    assert mailer == FileMailer(tmp_path / "mail", "clusterbridge <noreply@clusterbridge.invalid>")


def test_a_message_that_cannot_be_composed_is_logged_and_the_others_still_go(
    database: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    mailer = FileMailer(tmp_path, "events@example.org")
    broken = Mail(("nina@example.org",), "A request from Nina\u2028Bcc: x@example.org", "Hello")

    with Session(database.engine) as session:
        queue_mail(session, mailer, [broken, MESSAGE])
        session.execute(sa.text("SELECT 1"))
        session.commit()

    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    assert email.message_from_bytes(files[0].read_bytes())["Subject"] == "Your agenda"
    assert [record.getMessage() for record in caplog.records] == [
        "Could not send 'A request from Nina\\u2028Bcc: x@example.org' to nina@example.org"
    ]
