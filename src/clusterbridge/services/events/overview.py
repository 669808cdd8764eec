"""What a user's home page says of match-making events: the events they take part in, with
the meeting requests waiting for their answer, and the events they run, with the
registrations waiting for their decision. Only events not over yet are listed."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, User
from clusterbridge.db.repositories import events as repository
from clusterbridge.domain.enums import MeetingStatus, ParticipantStatus


@dataclass(frozen=True, slots=True)
class MyEvent:
    """An event ``actor`` registered for: their registration's state and how many meeting
    requests wait for their answer (unanswered and not expired)."""

    event: Event
    status: ParticipantStatus
    to_answer: int


@dataclass(frozen=True, slots=True)
class RunEvent:
    """An event ``actor`` runs, with how many registrations wait for their decision."""

    event: Event
    to_validate: int


def my_events(session: Session, actor: User, *, now: datetime) -> list[MyEvent]:
    """The events not over at ``now`` that ``actor`` registered for and did not withdraw
    from, by id, each with the requests waiting for their answer. Reads only (an overdue
    request is not counted, though its event page has not marked it expired yet)."""
    found = []
    for event in repository.list_events_of_participant(session, actor.id):
        me = next(p for p in event.participants if p.user_id == actor.id)
        if me.status is ParticipantStatus.WITHDRAWN or _over(event, now):
            continue
        waiting = [
            m
            for m in event.meetings
            if m.recipient_id == me.id
            and m.status is MeetingStatus.REQUESTED
            and (m.expires_at is None or m.expires_at > now)
        ]
        found.append(MyEvent(event, me.status, len(waiting)))
    return found


def run_events(session: Session, actor: User, *, now: datetime) -> list[RunEvent]:
    """The events not over at ``now`` that ``actor`` organises, drafts included, by id,
    each with the registrations waiting for a decision. Reads only."""
    return [
        RunEvent(event, sum(p.status is ParticipantStatus.PENDING for p in event.participants))
        for event in repository.list_events_of_organiser(session, actor.id)
        if not _over(event, now)
    ]


def _over(event: Event, now: datetime) -> bool:
    """Whether every session of ``event`` has ended (an event without sessions is not)."""
    return bool(event.sessions) and all(s.ends_at <= now for s in event.sessions)
