"""Reading the mail an app or command wrote as ``.eml`` files (the file mail backend)."""

import email
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from clusterbridge.services.mail import Attachment, Mail


def read_mail(folder: Path) -> list[Mail]:
    """The messages in ``folder``, as ``Mail`` values (attachments included), sorted by
    recipients and subject (the files have random names, so their order says nothing)."""
    mails = []
    for path in folder.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(message, EmailMessage)
        text = message.get_body(preferencelist=("plain",))
        assert text is not None
        attachments = tuple(
            Attachment(
                part.get_filename() or "",
                part.get_content_type(),
                part.get_payload(decode=True),  # type: ignore[arg-type]
            )
            for part in message.iter_attachments()
        )
        to = tuple(address.strip() for address in str(message["To"]).split(","))
        mails.append(Mail(to, str(message["Subject"]), text.get_content(), attachments))
    return sorted(mails, key=lambda mail: (mail.to, mail.subject))
