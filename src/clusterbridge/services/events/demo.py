"""The demo's match-making event: real registry organisations, people, requests and meetings.

The demo account (a cluster manager) takes part for a cluster organisation; an organiser account
runs the event. Other participants are made-up people at real organisations of the registry,
with offers and needs written so that the suggestions have something to say. Two requests wait
for the demo account's answer, one of its own waits for an answer, and a few meetings are
already accepted, so that "schedule all" has work to do.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, EventParticipant, Meeting, Organisation, User
from clusterbridge.db.repositories import events as event_repository
from clusterbridge.db.repositories import users as user_repository
from clusterbridge.domain.enums import (
    EventStatus,
    MeetingStatus,
    OrgType,
    ParticipantStatus,
    UserRole,
)
from clusterbridge.services.accounts import users
from clusterbridge.services.events.events import EventDetails, SessionDetails, create_event

DEMO_EVENT_NAME = "Textile meets Tech: strategic-alliances match-making"
ORGANISER_EMAIL = "organiser@clusterbridge.example"
ORGANISER_NAME = "Demo Event Organiser"
PARTICIPANT_EMAIL = "participant{number}@demo.clusterbridge.example"
#: The event takes place this many days after the demo is prepared (on a weekday).
DAYS_AHEAD = 14
SATURDAY = 5
#: Offers and needs of the made-up participants, in the order the SMEs are picked.
PROFILES = (
    ("Technical textiles, weaving and finishing", "Sensors and digital twins for our looms"),
    ("Industrial sensors, IoT platforms and digital twins", "Textiles for wearable sensors"),
    ("Machine learning for quality inspection", "Production data from manufacturers"),
    (
        "Recycled fibres and circular production",
        "Traceability software and digital product passports",
    ),
    ("Traceability software, digital product passports", "Manufacturers of recycled fibres"),
    ("Robotics for handling soft materials", "Textile manufacturers for pilot lines"),
)
CLUSTER_PROFILE = (
    "Access to 200 member SMEs, internationalisation support",
    "Tech-savvy SMEs for our traditional members: sensors, robotics, traceability",
)
#: Requests as (requester, recipient, status) positions in the participant list; 0 is the demo account.
REQUESTS = (
    (1, 0, MeetingStatus.REQUESTED),
    (3, 0, MeetingStatus.REQUESTED),
    (0, 2, MeetingStatus.REQUESTED),
    (1, 2, MeetingStatus.ACCEPTED),
    (4, 5, MeetingStatus.ACCEPTED),
    (6, 1, MeetingStatus.ACCEPTED),
    (3, 4, MeetingStatus.DECLINED),
)


@dataclass(frozen=True, slots=True)
class DemoEvent:
    """The demo event's number and the organiser's sign-in; ``organiser_password`` is the one
    set by this run, None when the account kept the password it had."""

    event_id: int | None
    organiser_email: str
    organiser_password: str | None
    #: Whether this run made the event (it was missing).
    added: bool = False


def _organiser(session: Session, *, now: datetime, reset_password: bool) -> tuple[User, str | None]:
    password = secrets.token_urlsafe(12)
    organiser = user_repository.get_user_by_email(session, ORGANISER_EMAIL)
    if organiser is None:
        organiser = users.create_user(
            session,
            email=ORGANISER_EMAIL,
            name=ORGANISER_NAME,
            password=password,
            role=UserRole.EVENT_ORGANISER,
        )
        return organiser, password
    if reset_password:
        users.set_password(session, organiser, password, now=now)
        return organiser, password
    return organiser, None


def prepare_demo_event(
    session: Session, participant: User, *, now: datetime, reset_password: bool = False
) -> DemoEvent:
    """Create the organiser account with a random password (an existing one keeps its password
    unless ``reset_password``) and, unless it exists, the demo event with ``participant`` (the
    demo account) registered and validated. Without SMEs in the registry no event is made
    (``event_id`` None). Writes; sends no mail."""
    organiser, password = _organiser(session, now=now, reset_password=reset_password)
    existing = event_repository.find_event_by_name(session, DEMO_EVENT_NAME)
    if existing is not None:
        return DemoEvent(existing.id, ORGANISER_EMAIL, password)
    smes = event_repository.sample_organisations(session, OrgType.SME, limit=len(PROFILES))
    clusters = event_repository.sample_organisations(session, OrgType.CLUSTER_ORGANISATION, limit=1)
    if not smes:
        return DemoEvent(None, ORGANISER_EMAIL, password)
    event = _event(session, organiser, _weekday((now + timedelta(days=DAYS_AHEAD)).date()), now=now)
    people = _participants(session, event, participant, clusters[0] if clusters else smes[0], smes)
    _requests(event, people, now)
    event.status = EventStatus.OPEN
    session.flush()
    return DemoEvent(event.id, ORGANISER_EMAIL, password, added=True)


def _event(session: Session, organiser: User, day: date, *, now: datetime) -> Event:
    details = EventDetails(
        name=DEMO_EVENT_NAME,
        description=(
            "A virtual match-making event of the 2020 strategic-alliances call: traditional SMEs "
            "meet tech-savvy SMEs and cluster organisations in 20-minute one-to-one meetings."
        ),
        rooms=None,
    )
    sessions = (
        SessionDetails("Morning", day, time(9, 0), time(11, 0)),
        SessionDetails("Afternoon", day, time(14, 0), time(15, 0)),
    )
    return create_event(session, organiser, details, now=now, sessions=sessions)


def _weekday(day: date) -> date:
    """``day``, or the Monday after it when it falls on a weekend."""
    while day.weekday() >= SATURDAY:
        day += timedelta(days=1)
    return day


def _participants(
    session: Session, event: Event, me: User, cluster: Organisation, smes: list[Organisation]
) -> list[EventParticipant]:
    people = [_register(event, me, cluster, CLUSTER_PROFILE)]
    for number, (organisation, profile) in enumerate(zip(smes, PROFILES, strict=False), start=1):
        email = PARTICIPANT_EMAIL.format(number=number)
        user = user_repository.get_user_by_email(session, email) or users.create_user(
            session,
            email=email,
            name=f"Demo Participant {number}",
            password=secrets.token_urlsafe(24),
            role=UserRole.ORGANISATION_MEMBER,
        )
        people.append(_register(event, user, organisation, profile))
    session.flush()
    return people


def _register(
    event: Event, user: User, organisation: Organisation, profile: tuple[str, str]
) -> EventParticipant:
    participant = EventParticipant(
        user=user,
        organisation=organisation,
        offers=profile[0],
        needs=profile[1],
        status=ParticipantStatus.VALIDATED,
    )
    event.participants.append(participant)
    return participant


def _requests(event: Event, people: list[EventParticipant], now: datetime) -> None:
    for requester, recipient, status in REQUESTS:
        if max(requester, recipient) >= len(people):
            continue
        event.meetings.append(
            Meeting(
                requester=people[requester],
                recipient=people[recipient],
                message="Looking forward to meeting you.",
                status=status,
                expires_at=now + timedelta(days=DAYS_AHEAD)
                if status is MeetingStatus.REQUESTED
                else None,
                responded_at=None if status is MeetingStatus.REQUESTED else now,
                locked=False,
            )
        )
