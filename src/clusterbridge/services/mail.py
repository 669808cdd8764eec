"""Notification e-mail: written as files in development and tests, sent by SMTP in production.

Services never send mail themselves. `queue_mail` writes each message as a ``mail.send`` job in
the service's own transaction (a transactional outbox, ADR 0035): a failed request never
announces something that did not happen, and a committed change never loses its message. A
worker sends it (`jobs.tasks`), retrying when the server fails.
"""

import base64
import logging
import smtplib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.config import MailBackend, Settings
from clusterbridge.db.models import Job
from clusterbridge.db.repositories import jobs
from clusterbridge.db.session import DISPATCH_KEY
from clusterbridge.domain.errors import DomainError
from clusterbridge.private_files import write_private_bytes

logger = logging.getLogger(__name__)

#: The key of the messages waiting for a commit in ``Session.info``.
OUTBOX_KEY = "clusterbridge.outbox"
#: The kind of the job that sends one message (`jobs.tasks`).
MAIL_SEND = "mail.send"
#: Attempts at sending one message. A send is retried after a failure: a message sent twice
#: (the worker died after the server took it) is better than a message lost. With the default
#: back-off (30 s, 2 min, 8 min, then 15 min) the eighth attempt comes about 70 minutes after
#: the first: a mail server down for an hour loses no message (ADR 0035).
MAIL_ATTEMPTS = 8


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


class UnwritableMailError(DomainError):
    """A message that cannot be written (a header with a line break): sending it again would
    not help."""

    status = 422


def compose(mail: Mail, *, sender: str) -> EmailMessage:
    """``mail`` as a MIME message from ``sender``, with a date and a message id; with
    attachments, a multipart message whose first part is the text. UnwritableMailError when a
    header cannot be written."""
    try:
        return _compose(mail, sender=sender)
    except ValueError as error:
        recipients = ", ".join(mail.to)
        raise UnwritableMailError(
            f"Could not write {mail.subject!r} to {recipients}: {error}"
        ) from None


def _compose(mail: Mail, *, sender: str) -> EmailMessage:
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
    """Put ``mails`` in the outbox of ``session`` (ADR 0035): one ``mail.send`` job per message
    with recipients, From ``mailer.sender``, written in the same transaction as the change it
    announces, so that both commit or neither does. Once ``session`` commits, each job is handed
    to the session's dispatch (``Session.info[DISPATCH_KEY]``, set by the application, the
    command line and the workers) and a worker sends it through the mailer of its settings;
    without a dispatch the jobs wait in the table for a worker. A send that fails is retried and
    then leaves its job failed, for the administrators to see.
    """
    outbox: list[tuple[Job, Mail]] = session.info.setdefault(OUTBOX_KEY, [])
    if not outbox:
        sa.event.listen(session, "after_commit", _dispatch, once=True)
        sa.event.listen(session, "after_rollback", _discard, once=True)
    for mail in mails:
        if mail.to:
            arguments = mail_arguments(mail, sender=mailer.sender)
            job = jobs.add_job(
                session, MAIL_SEND, arguments, owner_id=None, max_attempts=MAIL_ATTEMPTS
            )
            outbox.append((job, mail))


def pending_mail(session: Session) -> list[Mail]:
    """The messages waiting for ``session`` to commit."""
    return [mail for _job, mail in session.info.get(OUTBOX_KEY, [])]


def mail_arguments(mail: Mail, *, sender: str) -> dict[str, Any]:
    """The arguments of the job that sends ``mail`` from ``sender`` (attachments in base64)."""
    return {
        "sender": sender,
        "to": list(mail.to),
        "subject": mail.subject,
        "body": mail.body,
        "attachments": [
            {
                "filename": item.filename,
                "media_type": item.media_type,
                "content": base64.b64encode(item.content).decode("ascii"),
            }
            for item in mail.attachments
        ],
    }


def read_mail_arguments(arguments: dict[str, Any]) -> tuple[Mail, str]:
    """The message and the sender of a job's ``arguments`` (`mail_arguments`)."""
    attachments = tuple(
        Attachment(item["filename"], item["media_type"], base64.b64decode(item["content"]))
        for item in arguments.get("attachments", [])
    )
    mail = Mail(tuple(arguments["to"]), arguments["subject"], arguments["body"], attachments)
    return mail, arguments["sender"]


def sent_arguments(arguments: dict[str, Any]) -> dict[str, Any]:
    """What a sent message's job keeps of its ``arguments``: the sender, the recipients and the
    subject. The body (which may hold a sign-in link) and the attachments are dropped."""
    return {key: arguments[key] for key in ("sender", "to", "subject")}


def _dispatch(session: Session) -> None:
    outbox: list[tuple[Job, Mail]] = session.info.pop(OUTBOX_KEY, [])
    _remove_listener(session, "after_rollback", _discard)
    dispatch: Callable[[int], None] | None = session.info.get(DISPATCH_KEY)
    for job, mail in outbox:
        identity = sa.inspect(job).identity
        if dispatch is None or identity is None:
            continue
        # The change is committed: a queue that cannot take the job now may not turn the answer
        # into an error. The job waits in the table for `serve`'s recovery thread (no broker)
        # or `jobs recover --resend-queued` to hand it over again.
        try:
            dispatch(int(identity[0]))
        except Exception:
            logger.exception(
                "Could not hand over the job sending %r to %s", mail.subject, ", ".join(mail.to)
            )


def _discard(session: Session) -> None:
    session.info.pop(OUTBOX_KEY, None)
    _remove_listener(session, "after_commit", _dispatch)


def _remove_listener(session: Session, name: str, function: Callable[[Session], None]) -> None:
    if sa.event.contains(session, name, function):
        sa.event.remove(session, name, function)
