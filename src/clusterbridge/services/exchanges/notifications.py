"""The mail of each step of an exchange, queued to go when the transaction commits."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from clusterbridge.db.models import Exchange, ExchangeParticipant, User
from clusterbridge.db.repositories import exchanges as repository
from clusterbridge.domain.enums import CommitmentParty
from clusterbridge.services.mail import Mail, Mailer, queue_mail


@dataclass(frozen=True, slots=True)
class ExchangeNotifier:
    """Where exchange mails go (``mailer``) and the site address their links start with."""

    mailer: Mailer
    public_url: str

    def exchange_link(self, exchange: Exchange) -> str:
        """The address of the exchange's page."""
        return f"{self.public_url}/exchanges/{exchange.id}"

    def participant_link(self, participant: ExchangeParticipant) -> str:
        """The address of the participant's profile."""
        return f"{self.public_url}/exchanges/participants/{participant.id}"


def tell_partnership(
    session: Session,
    notifier: ExchangeNotifier,
    partnership_id: int,
    *,
    subject: str,
    body: str,
) -> None:
    """Mail every member of the partnership."""
    members = repository.partnership_members(session, partnership_id)
    _queue(session, notifier, members, subject=subject, body=body)


def tell_users(
    session: Session, notifier: ExchangeNotifier, users: Iterable[User], *, subject: str, body: str
) -> None:
    """Mail each of ``users`` (each once)."""
    _queue(session, notifier, users, subject=subject, body=body)


def tell_everyone(
    session: Session, notifier: ExchangeNotifier, exchange: Exchange, *, subject: str, body: str
) -> None:
    """Mail the visitor's and the host's contacts and both partnerships' members."""
    tell_parties(session, notifier, exchange, set(CommitmentParty), subject=subject, body=body)


def tell_parties(
    session: Session,
    notifier: ExchangeNotifier,
    exchange: Exchange,
    parties: set[CommitmentParty],
    *,
    subject: str,
    body: str,
) -> None:
    """Mail the people of ``parties`` (the visitor's or host's contact, the members of the
    visitor's or host's partnership), each once."""
    people = [user for party in sorted(parties) for user in party_people(session, exchange, party)]
    _queue(session, notifier, people, subject=subject, body=body)


def party_people(session: Session, exchange: Exchange, party: CommitmentParty) -> list[User]:
    """Who speaks for ``party`` of the exchange: a contact, or a partnership's members."""
    if party is CommitmentParty.VISITOR:
        return [exchange.visitor.contact]
    if party is CommitmentParty.HOST:
        return [exchange.host.contact]
    partnership = (
        exchange.visitor.partnership_id
        if party is CommitmentParty.VISITOR_PARTNERSHIP
        else exchange.host.partnership_id
    )
    return repository.partnership_members(session, partnership)


def _queue(
    session: Session, notifier: ExchangeNotifier, users: Iterable[User], *, subject: str, body: str
) -> None:
    seen: dict[str, User] = {}
    for user in users:
        if user.is_active:
            seen.setdefault(user.email, user)
    mails = [
        Mail((user.email,), subject, f"Hello {user.name},\n\n{body}\n")
        for user in sorted(seen.values(), key=lambda u: u.email)
    ]
    queue_mail(session, notifier.mailer, mails)
