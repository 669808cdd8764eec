"""Repairing a published schedule on the organiser's request (the job ``schedule.repair``):
the same repair a cancellation triggers (`schedule.repair_schedule`), from the next slot that
has not started, for after a change the organiser made by hand (sessions, availabilities)."""

from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, Meeting, User
from clusterbridge.db.repositories import events as repository
from clusterbridge.domain.enums import EventStatus, MeetingStatus
from clusterbridge.services.events.events import EventStateError, event_slots, get_managed_event
from clusterbridge.services.events.notifications import Notifier
from clusterbridge.services.events.schedule import repair_schedule


def check_repair(session: Session, actor: User, event_id: int) -> Event:
    """The event whose schedule ``actor`` may repair now. Reads only. AccessDeniedError (403)
    for anyone but its organiser; EventStateError (409) before the agenda is published (schedule
    all meetings instead), without slots, or without an accepted meeting."""
    event = get_managed_event(session, actor, event_id)
    if event.status is not EventStatus.PUBLISHED:
        raise EventStateError("Publish the agenda before repairing it (or schedule all meetings)")
    if not event_slots(event):
        raise EventStateError("The event has no slots: add a session first")
    if not any(m.status is MeetingStatus.ACCEPTED for m in event.meetings):
        raise EventStateError("The event has no accepted meeting to schedule")
    return event


def repair_published_schedule(
    session: Session, actor: User, event_id: int, *, now: datetime, notifier: Notifier
) -> list[Meeting]:
    """Repair the event's schedule from the next slot that has not started, as its organiser
    (checks of `check_repair`): unplaced accepted meetings get a slot where one is free, moving
    as few others as the engine can, and everyone whose meeting moves or gets a slot is told.
    Locks the event's meetings first, like every change to them. Returns the meetings moved or
    placed. Flushes."""
    repository.lock_meetings(session, event_id)
    event = check_repair(session, actor, event_id)
    return repair_schedule(session, event, now=now, notifier=notifier)
