"""Where registry mails go (claims, cluster membership requests) and the links they carry."""

from dataclasses import dataclass

from clusterbridge.db.models import Organisation
from clusterbridge.services.mail import Mailer


@dataclass(frozen=True, slots=True)
class ClaimNotifier:
    """Where claim mails go (``mailer``) and the site address their links start with."""

    mailer: Mailer
    public_url: str

    def link(self, organisation: Organisation) -> str:
        """The address of the organisation's page, at its claims."""
        return f"{self.public_url}/organisations/{organisation.id}#claims"
