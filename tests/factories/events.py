"""Match-making events for tests, inserted through the ORM (no access checks, no mail).

Defaults: an event open for registration, run by ``organiser``, in Europe/Brussels with 20-minute
slots, requests answered by the recipient and expiring after 72 hours, no room limit, and one
session on 2025-03-10 from 09:00 to 10:00 local time (08:00-09:00 UTC): three slots.
"""

from datetime import UTC, datetime
from functools import cache

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    Event,
    EventParticipant,
    EventSession,
    Meeting,
    Organisation,
    User,
)
from clusterbridge.domain.enums import (
    EventStatus,
    MeetingStatus,
    OrgType,
    ParticipantStatus,
    RequestMode,
    UserRole,
)
from clusterbridge.services.accounts.users import hash_password
from tests.factories.organisations import add_member, make_organisation
from tests.factories.users import PASSWORD

#: The default session, in UTC (09:00-10:00 in Brussels).
SESSION_START = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
SESSION_END = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


def make_person(
    session: Session,
    *,
    email: str,
    name: str,
    role: UserRole = UserRole.ORGANISATION_MEMBER,
) -> User:
    """An account that signs in with ``PASSWORD``, inserted directly: events need many people,
    and hashing a password for each would make the tests slow. (``make_user`` goes through the
    account service.)"""
    user = User(email=email, name=name, password_hash=_password_hash(), role=role)
    session.add(user)
    session.flush()
    return user


def make_event(
    session: Session,
    *,
    organiser: User,
    name: str = "Textile meets Tech",
    status: EventStatus = EventStatus.OPEN,
    request_mode: RequestMode = RequestMode.ACCEPT_DECLINE,
    slot_minutes: int = 20,
    rooms: int | None = None,
    request_expiry_hours: int | None = 72,
    sessions: tuple[tuple[datetime, datetime], ...] = ((SESSION_START, SESSION_END),),
) -> Event:
    """An event with ``sessions`` (UTC start and end pairs), flushed so that it has an id."""
    event = Event(
        name=name,
        description="",
        time_zone="Europe/Brussels",
        slot_minutes=slot_minutes,
        room_link_template="https://meet.example.org/{event}-{meeting}",
        request_mode=request_mode,
        request_expiry_hours=request_expiry_hours,
        rooms=rooms,
        status=status,
        published_at=SESSION_START if status is EventStatus.PUBLISHED else None,
        organiser=organiser,
        sessions=[
            EventSession(name=f"Session {n}", starts_at=start, ends_at=end)
            for n, (start, end) in enumerate(sessions, start=1)
        ],
        participants=[],
        meetings=[],
    )
    session.add(event)
    session.flush()
    return event


def add_participant(
    session: Session,
    event: Event,
    *,
    user: User,
    organisation: Organisation,
    offers: str = "",
    needs: str = "",
    status: ParticipantStatus = ParticipantStatus.VALIDATED,
) -> EventParticipant:
    """``user`` registered for ``organisation``, validated unless told otherwise."""
    participant = EventParticipant(
        user=user, organisation=organisation, offers=offers, needs=needs, status=status
    )
    event.participants.append(participant)
    session.flush()
    return participant


def add_meeting(
    session: Session,
    event: Event,
    *,
    requester: EventParticipant,
    recipient: EventParticipant,
    status: MeetingStatus = MeetingStatus.ACCEPTED,
    starts_at: datetime | None = None,
    room: int | None = None,
    locked: bool = False,
    message: str = "",
) -> Meeting:
    """A meeting between two participants, accepted and without a slot unless told otherwise."""
    meeting = Meeting(
        requester=requester,
        recipient=recipient,
        message=message,
        status=status,
        starts_at=starts_at,
        room=room if room is not None or starts_at is None else 1,
        locked=locked,
    )
    event.meetings.append(meeting)
    session.flush()
    return meeting


def make_participants(session: Session, event: Event, *names: str) -> list[EventParticipant]:
    """A validated participant per name: ``name.lower()@example.org`` for "<name> GmbH", an SME."""
    found = []
    for name in names:
        user = make_person(session, email=f"{name.lower()}@example.org", name=name)
        org = make_organisation(session, name=f"{name} GmbH", type=OrgType.SME)
        found.append(add_participant(session, event, user=user, organisation=org))
    return found


#: The organiser of ``make_rules_world``'s event.
RULES_ORGANISER = "olga@events.example"


def make_rules_world(session: Session) -> dict[str, int]:
    """An open event run by Olga (``RULES_ORGANISER``), Wanda and Bob validated (each a member
    of their own GmbH) and meeting in slot 1, and Sam, a member of Sam SA only: the ids of the
    event, the participants, their organisations and the meeting. The world of the tests of
    the events' rules on the API, the pages and the command line."""
    organiser = make_person(
        session, email=RULES_ORGANISER, name="Olga", role=UserRole.EVENT_ORGANISER
    )
    event = make_event(session, organiser=organiser)
    ids = {"event": event.id}
    for name in ("wanda", "bob"):
        user = make_person(session, email=f"{name}@example.org", name=name.title())
        org = make_organisation(session, name=f"{name.title()} GmbH", type=OrgType.SME)
        add_member(session, org, user)
        ids[f"{name}_org"] = org.id
        ids[name] = add_participant(session, event, user=user, organisation=org).id
    ids["meeting"] = add_meeting(
        session,
        event,
        requester=event.participants[0],
        recipient=event.participants[1],
        starts_at=SESSION_START,
    ).id
    sam = make_person(session, email="sam@example.org", name="Sam")
    own = make_organisation(session, name="Sam SA", type=OrgType.SME)
    add_member(session, own, sam)
    ids["sam_org"] = own.id
    return ids
