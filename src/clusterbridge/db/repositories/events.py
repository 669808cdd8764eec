"""Queries on match-making events.

An event is loaded whole: its sessions, organiser, participants (with their users and
organisations) and meetings. Events are small (hundreds of participants at most), and every
page and use case needs most of it; the number of queries does not grow with the rows.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.interfaces import LoaderOption

from clusterbridge.db.models import (
    Event,
    EventParticipant,
    Meeting,
    Organisation,
    OrganisationMember,
)
from clusterbridge.db.repositories.locks import take_write_lock
from clusterbridge.domain.enums import EventStatus, MeetingStatus, OrgType


def _whole() -> tuple[LoaderOption, ...]:
    return (
        selectinload(Event.organiser),
        selectinload(Event.sessions),
        selectinload(Event.participants).selectinload(EventParticipant.user),
        selectinload(Event.participants).selectinload(EventParticipant.organisation),
        selectinload(Event.participants).selectinload(EventParticipant.unavailable),
        selectinload(Event.meetings).selectinload(Meeting.requester),
        selectinload(Event.meetings).selectinload(Meeting.recipient),
    )


def get_event(session: Session, event_id: int) -> Event | None:
    """The event with everything it holds, or None. Its participants know their event
    (``participant.event``) without another query."""
    statement = sa.select(Event).where(Event.id == event_id).options(*_whole())
    event = session.scalars(statement).one_or_none()
    if event is not None:
        for participant in event.participants:
            set_committed_value(participant, "event", event)
    return event


def list_events(session: Session, *, visible_to: int | None) -> list[Event]:
    """Events by first session (those without sessions last), newest created first among
    equals, with sessions, organiser and participants loaded.

    ``visible_to`` a user id: events that are not drafts, and that user's drafts; None: all.
    """
    statement = sa.select(Event).options(
        selectinload(Event.organiser),
        selectinload(Event.sessions),
        selectinload(Event.participants),
    )
    if visible_to is not None:
        statement = statement.where(
            sa.or_(Event.status != EventStatus.DRAFT, Event.organiser_id == visible_to)
        )
    statement = statement.order_by(Event.created_at.desc(), Event.id.desc())
    return list(session.scalars(statement))


def list_event_ids_with_coming_meetings(session: Session, *, now: datetime) -> list[int]:
    """The ids of the published events with a meeting scheduled after ``now``, by id."""
    coming = sa.select(Meeting.id).where(Meeting.event_id == Event.id, Meeting.starts_at > now)
    statement = (
        sa.select(Event.id)
        .where(Event.status == EventStatus.PUBLISHED, coming.exists())
        .order_by(Event.id)
    )
    return list(session.scalars(statement))


def get_organisation(session: Session, organisation_id: int) -> Organisation | None:
    """The registry organisation with this id, or None."""
    return session.get(Organisation, organisation_id)


def is_organisation_member(session: Session, user_id: int, organisation_id: int) -> bool:
    """Whether ``user_id`` is a member of the organisation ``organisation_id``."""
    return session.get(OrganisationMember, (organisation_id, user_id)) is not None


def sample_organisations(session: Session, org_type: OrgType, *, limit: int) -> list[Organisation]:
    """The first ``limit`` organisations of a type with a name longer than its acronym, by id
    (a stable pick for the demo)."""
    statement = (
        sa.select(Organisation)
        .where(Organisation.type == org_type, sa.func.length(Organisation.name) > 12)
        .order_by(Organisation.id)
        .limit(limit)
    )
    return list(session.scalars(statement))


def find_event_by_name(session: Session, name: str) -> Event | None:
    """The first event with this name, or None."""
    statement = sa.select(Event).where(Event.name == name).order_by(Event.id).limit(1)
    return session.scalars(statement).one_or_none()


def hold_meeting(session: Session, meeting: Meeting, *, status: MeetingStatus) -> bool:
    """Lock the meeting's row if its status is still ``status`` (one conditional UPDATE), and
    reload it; False when another request changed its status first.

    Until the caller's transaction ends nobody else changes the meeting (PostgreSQL: the row
    lock; SQLite: the write lock of the one writer), so a decision taken on its reloaded state
    holds: of two answers to one request, one wins and the other is told."""
    statement = (
        sa.update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.status == status)
        .values(status=Meeting.status)
        .execution_options(synchronize_session=False)
    )
    if session.execute(statement).rowcount != 1:  # type: ignore[attr-defined]
        return False
    # Columns only: the relationships (loaded with the event) stay as they are.
    session.refresh(meeting, [column.key for column in sa.inspect(Meeting).column_attrs])
    return True


def lock_meetings(session: Session, event_id: int) -> None:
    """Keep every other request from changing the event's meetings until the caller's
    transaction ends: PostgreSQL locks their rows (SELECT ... FOR UPDATE), SQLite takes its
    one write lock (with an UPDATE that changes nothing). Then everything the session holds is
    expired (pending changes are flushed first), so that what the caller reads next is what the
    database holds under the lock."""
    if session.get_bind().dialect.name == "sqlite":
        take_write_lock(session, Event, event_id, Event.updated_at)
    else:
        session.execute(sa.select(Meeting.id).where(Meeting.event_id == event_id).with_for_update())
    session.expire_all()


def list_events_of_participant(session: Session, user_id: int) -> list[Event]:
    """The events ``user_id`` registered for (whatever the registration's state), by first
    session then id, with sessions, participants and meetings loaded (not their people)."""
    registered = sa.select(EventParticipant.event_id).where(EventParticipant.user_id == user_id)
    statement = (
        sa.select(Event)
        .where(Event.id.in_(registered))
        .options(
            selectinload(Event.sessions),
            selectinload(Event.participants),
            selectinload(Event.meetings),
        )
        .order_by(Event.id)
    )
    return list(session.scalars(statement))


def list_events_of_organiser(session: Session, organiser_id: int) -> list[Event]:
    """The events ``organiser_id`` runs, drafts included, by id, with sessions and
    participants loaded."""
    statement = (
        sa.select(Event)
        .where(Event.organiser_id == organiser_id)
        .options(selectinload(Event.sessions), selectinload(Event.participants))
        .order_by(Event.id)
    )
    return list(session.scalars(statement))
