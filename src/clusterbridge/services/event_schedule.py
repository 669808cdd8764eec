"""The event's schedule: placing accepted meetings in slots and rooms, and publishing it.

Meetings are stored with their start (UTC) and room; the slot is found again from the start.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, User
from clusterbridge.domain.enums import EventStatus, MeetingStatus
from clusterbridge.services.event_notifications import Notifier, notify_published
from clusterbridge.services.events import EventStateError, get_managed_event


def first_free_room(event: Event, start: datetime, *, exclude: int | None = None) -> int | None:
    """The lowest room number (from 1) no accepted meeting but ``exclude`` uses at ``start``;
    None when the event's rooms are all taken."""
    taken = {
        m.room
        for m in event.meetings
        if m.id != exclude and m.starts_at == start and m.status is MeetingStatus.ACCEPTED
    }
    room = next(number for number in range(1, len(taken) + 2) if number not in taken)
    return None if event.rooms is not None and room > event.rooms else room


def publish_schedule(
    session: Session, actor: User, event_id: int, *, now: datetime, notifier: Notifier
) -> Event:
    """Publish the agenda (organiser only): participants see their meetings and room links,
    and everyone with a scheduled meeting is told by mail. Publishing again re-sends the mail.
    EventStateError (409) for a draft, or when no meeting has a slot yet."""
    event = get_managed_event(session, actor, event_id)
    if event.status is EventStatus.DRAFT:
        raise EventStateError("Open registration and schedule the meetings before publishing")
    scheduled = [m for m in event.meetings if m.starts_at is not None]
    if not scheduled:
        raise EventStateError("No meeting has a slot yet: schedule the meetings first")
    event.status = EventStatus.PUBLISHED
    event.published_at = now
    session.flush()
    people = {p.id: p for m in scheduled for p in (m.requester, m.recipient)}
    notify_published(session, notifier, event, sorted(people.values(), key=lambda p: p.id))
    return event
