"""Agendas: each participant's meetings in local time with room links, and as iCalendar.

Participants see their agenda once the organiser publishes it; the organiser sees every
meeting at any time, and sends reminders before the meetings.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, EventParticipant, Meeting, User
from clusterbridge.domain.enums import EventStatus, MeetingStatus
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.events import find_slot, local_time, render_room_link
from clusterbridge.reports.ics import CalendarEntry, render_calendar
from clusterbridge.services import event_access
from clusterbridge.services.event_notifications import Notifier, notify_reminder
from clusterbridge.services.events import (
    EventStateError,
    event_slots,
    get_event,
    get_managed_event,
)

#: Reminders go to participants whose next meeting starts within this many hours by default.
DEFAULT_REMINDER_HOURS = 24
MAX_REMINDER_HOURS = 168


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One scheduled meeting: its slot number (from 1), local start and end, room and link;
    ``other`` is the participant met (None in the organiser's agenda)."""

    meeting: Meeting
    slot: int
    starts: datetime
    ends: datetime
    room: int
    link: str
    other: EventParticipant | None


@dataclass(frozen=True, slots=True)
class Agenda:
    """An agenda: the event, whose it is (None: the organiser's, every meeting), the items."""

    event: Event
    participant: EventParticipant | None
    items: list[AgendaItem]


def get_agenda(session: Session, actor: User, event_id: int) -> Agenda:
    """``actor``'s agenda: every scheduled meeting for the organiser; for a validated
    participant their own, once published (EventStateError, 409, before). Reads only."""
    event = get_event(session, actor, event_id)
    if (
        event_access.can_manage(event, actor)
        and event_access.find_participant(event, actor) is None
    ):
        return Agenda(event, None, build_items(event, None))
    me = event_access.require_validated(event, actor)
    if event.status is not EventStatus.PUBLISHED:
        raise EventStateError("The agenda is not published yet")
    return Agenda(event, me, build_items(event, me))


def build_items(event: Event, participant: EventParticipant | None) -> list[AgendaItem]:
    """The scheduled meetings of ``participant`` (None: all), by time, then room."""
    slots = event_slots(event)
    length = timedelta(minutes=event.slot_minutes)
    items = []
    for meeting in event.meetings:
        if meeting.status is not MeetingStatus.ACCEPTED or meeting.starts_at is None:
            continue
        if participant is not None and participant.id not in {
            meeting.requester_id,
            meeting.recipient_id,
        }:
            continue
        slot = find_slot(slots, meeting.starts_at)
        room = meeting.room or 1
        other = None
        if participant is not None:
            other = (
                meeting.recipient if meeting.requester_id == participant.id else meeting.requester
            )
        items.append(
            AgendaItem(
                meeting=meeting,
                slot=slot.index + 1 if slot else 0,
                starts=local_time(meeting.starts_at, event.time_zone),
                ends=local_time(meeting.starts_at + length, event.time_zone),
                room=room,
                link=render_room_link(
                    event.room_link_template, event=event.id, meeting=meeting.id, room=room
                ),
                other=other,
            )
        )
    items.sort(key=lambda item: (item.starts, item.room, item.meeting.id))
    return items


def send_reminders(
    session: Session,
    actor: User,
    event_id: int,
    *,
    now: datetime,
    notifier: Notifier,
    within_hours: int = DEFAULT_REMINDER_HOURS,
) -> list[EventParticipant]:
    """Mail a reminder to each participant whose next meeting starts within ``within_hours``
    (organiser only; the agenda must be published, else EventStateError, 409). The mail lists
    all their coming meetings with room links. A participant is reminded once per stretch: not
    again until their next meeting is more than ``within_hours`` after the last reminder, so
    running this every hour (e.g. from cron) sends one reminder before each day of meetings.
    Returns the participants reminded, by id. InvalidInputError for hours outside 1-168."""
    if not 1 <= within_hours <= MAX_REMINDER_HOURS:
        reason = f"must be 1 to {MAX_REMINDER_HOURS} hours, not {within_hours}"
        issue = InputIssue("", "within_hours", reason)
        raise InvalidInputError("The reminders cannot be sent", [issue])
    event = get_managed_event(session, actor, event_id)
    if event.status is not EventStatus.PUBLISHED:
        raise EventStateError("Publish the agenda before sending reminders")
    window = timedelta(hours=within_hours)
    reminded = []
    for participant in sorted(event.participants, key=lambda p: p.id):
        coming = [item for item in build_items(event, participant) if item.starts > now]
        if not coming or coming[0].starts > now + window:
            continue
        last = participant.reminded_at
        if last is not None and last > coming[0].starts - window:
            continue
        notify_reminder(
            session, notifier, participant, event, [(item.meeting, item.link) for item in coming]
        )
        participant.reminded_at = now
        reminded.append(participant)
    session.flush()
    return reminded


def agenda_calendar(agenda: Agenda, *, public_url: str, now: datetime) -> str:
    """The agenda as an iCalendar file; each meeting's UID stays the same across downloads."""
    host = urlsplit(public_url).hostname or "clusterbridge"
    entries = [_entry(agenda.event, item, host) for item in agenda.items]
    return render_calendar(entries, name=agenda.event.name, stamp=now)


def _entry(event: Event, item: AgendaItem, host: str) -> CalendarEntry:
    meeting = item.meeting
    if item.other is None:
        people = f"{_who(meeting.requester)} and {_who(meeting.recipient)}"
        summary = f"{meeting.requester.organisation.name} / {meeting.recipient.organisation.name}"
    else:
        people = f"you and {_who(item.other)}"
        summary = f"Meeting with {item.other.organisation.name}"
    description = f"{event.name}: one-to-one meeting of {people}.\nRoom: {item.link}"
    if meeting.message:
        description += f"\n\nRequest: {meeting.message}"
    return CalendarEntry(
        uid=f"event-{event.id}-meeting-{meeting.id}@{host}",
        start=item.starts,
        end=item.ends,
        summary=summary,
        description=description,
        location=item.link,
        url=item.link,
        sequence=meeting.sequence,
    )


def _who(participant: EventParticipant) -> str:
    return f"{participant.user.name} ({participant.organisation.name})"
