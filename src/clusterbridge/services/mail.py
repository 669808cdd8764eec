"""Notification e-mail: written as files in development and tests, sent by SMTP in production.

Services never send mail while their unit of work may still roll back. `queue_mail` keeps the
message with the session and the session sends it once it commits (and forgets it on a
rollback), so a failed request never announces something that did not happen.
"""

import logging
import smtplib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.config import MailBackend, Settings
from clusterbridge.private_files import write_private_bytes

logger = logging.getLogger(__name__)

#: The key of the messages waiting for a commit in ``Session.info``.
OUTBOX_KEY = "clusterbridge.outbox"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a message: its name, MIME type (``text/calendar``) and content."""

    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class Mail:
    """One message: recipients, subject, plain-text body and any attached files."""

    to: tuple[str, ...]
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()


class Mailer(Protocol):
    """Something that delivers messages."""

    @property
    def sender(self) -> str:
        """The From address of every message."""

    def send(self, message: EmailMessage) -> None:
        """Deliver ``message`` (its headers are complete)."""


@dataclass(frozen=True, slots=True)
class FileMailer:
    """Writes each message as an ``.eml`` file into ``folder`` (created when needed); the files
    (0600) and the folders created (0700) are private to the owner, whatever the umask."""

    folder: Path
    sender: str

    def send(self, message: EmailMessage) -> None:
        """Write ``message`` to a new file named after the time and a random id."""
        write_private_bytes(self.folder / f"{uuid.uuid4().hex}.eml", message.as_bytes())


@dataclass(frozen=True, slots=True)
class SmtpMailer:
    """Sends through an SMTP server, with STARTTLS and a sign-in when configured."""

    host: str
    port: int
    sender: str
    starttls: bool = True
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    def send(self, message: EmailMessage) -> None:
        """Open a connection, send ``message`` and close it."""
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


def build_mailer(settings: Settings) -> Mailer:
    """The mailer the settings choose: files in ``mail_dir`` (the default) or SMTP."""
    if settings.mail_backend is MailBackend.SMTP:
        return SmtpMailer(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.mail_from,
            starttls=settings.smtp_starttls,
            username=settings.smtp_username,
            password=settings.smtp_password,
            timeout=settings.smtp_timeout,
        )
    return FileMailer(settings.resolved_mail_dir(), settings.mail_from)


def compose(mail: Mail, *, sender: str) -> EmailMessage:
    """``mail`` as a MIME message from ``sender``, with a date and a message id; with
    attachments, a multipart message whose first part is the text."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(mail.to)
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="clusterbridge")
    message.set_content(mail.body)
    for attachment in mail.attachments:
        maintype, subtype = attachment.media_type.split("/", 1)
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def queue_mail(session: Session, mailer: Mailer, mails: Sequence[Mail]) -> None:
    """Send ``mails`` through ``mailer`` when ``session`` commits; drop them if it rolls back.

    A message that cannot be composed or delivered after the commit is logged (``clusterbridge.services.mail``,
    level ERROR) and the others still go: the change it announced has happened.
    """
    outbox: list[tuple[Mailer, Mail]] = session.info.setdefault(OUTBOX_KEY, [])
    if not outbox:
        sa.event.listen(session, "after_commit", _deliver, once=True)
        sa.event.listen(session, "after_rollback", _discard, once=True)
    outbox.extend((mailer, mail) for mail in mails if mail.to)


def pending_mail(session: Session) -> list[Mail]:
    """The messages waiting for ``session`` to commit."""
    return [mail for _mailer, mail in session.info.get(OUTBOX_KEY, [])]


def _deliver(session: Session) -> None:
    outbox: list[tuple[Mailer, Mail]] = session.info.pop(OUTBOX_KEY, [])
    _remove_listener(session, "after_rollback", _discard)
    for mailer, mail in outbox:
        # The change is committed: no failure here (SMTP, a header that cannot be written) may
        # turn the answer into an error.
        try:
            mailer.send(compose(mail, sender=mailer.sender))
        except Exception:
            logger.exception("Could not send %r to %s", mail.subject, ", ".join(mail.to))


def _discard(session: Session) -> None:
    session.info.pop(OUTBOX_KEY, None)
    _remove_listener(session, "after_commit", _deliver)


def _remove_listener(session: Session, name: str, function: Callable[[Session], None]) -> None:
    if sa.event.contains(session, name, function):
        sa.event.remove(session, name, function)
