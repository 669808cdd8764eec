"""Reading the mail an app or command wrote as ``.eml`` files (the file mail backend)."""

import email
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from clusterbridge.services.mail import Mail


def read_mail(folder: Path) -> list[Mail]:
    """The messages in ``folder``, as ``Mail`` values, sorted by recipients and subject (the
    files have random names, so their order says nothing)."""
    mails = []
    for path in folder.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=default)
        assert isinstance(message, EmailMessage)
        body = message.get_content()
        to = tuple(address.strip() for address in str(message["To"]).split(","))
        mails.append(Mail(to, str(message["Subject"]), body))
    return sorted(mails, key=lambda mail: (mail.to, mail.subject))
