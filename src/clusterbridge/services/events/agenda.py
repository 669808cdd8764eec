"""Agendas: each participant's meetings in local time with room links, and as iCalendar.

Participants see their agenda once the organiser publishes it; the organiser sees every
meeting at any time, and sends reminders before the meetings.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, EventParticipant, Meeting, User
from clusterbridge.db.repositories import events as repository
from clusterbridge.domain.enums import LEFT_PARTICIPANT_STATES, EventStatus, MeetingStatus
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.events import find_slot, local_time, render_room_link
from clusterbridge.reports.ics import CalendarEntry, render_calendar
from clusterbridge.services.events import access as event_access
from clusterbridge.services.events.events import (
    EventStateError,
    event_slots,
    get_event,
    get_managed_event,
)
from clusterbridge.services.events.notifications import Notifier, notify_reminder

#: The statuses of participants who no longer take part: their agenda only cancels.
LEFT_STATUSES = LEFT_PARTICIPANT_STATES
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
class WithdrawnItem:
    """A meeting that lost its slot (``Meeting.former_starts_at``): its former local start and
    end; ``other`` as in ``AgendaItem``."""

    meeting: Meeting
    starts: datetime
    ends: datetime
    other: EventParticipant | None


@dataclass(frozen=True, slots=True)
class Agenda:
    """An agenda: the event, whose it is (None: the organiser's, every meeting), the items, and
    the meetings withdrawn from it (for the calendar file)."""

    event: Event
    participant: EventParticipant | None
    items: list[AgendaItem]
    withdrawn: list[WithdrawnItem] = field(default_factory=list)


def get_agenda(session: Session, actor: User, event_id: int) -> Agenda:
    """``actor``'s agenda: every scheduled meeting for the organiser; for a validated
    participant their own, once published (EventStateError, 409, before). A participant no
    longer taking part (rejected or withdrawn) gets, once published, an agenda without meetings whose
    calendar file cancels the meetings they lost, so that their calendar drops them. Reads
    only."""
    event = get_event(session, actor, event_id)
    found = event_access.find_participant(event, actor)
    if event_access.can_manage(event, actor) and found is None:
        return Agenda(event, None, build_items(event, None), withdrawn_items(event, None))
    if (
        found is not None
        and found.status in LEFT_STATUSES
        and event.status is EventStatus.PUBLISHED
    ):
        return Agenda(event, found, [], withdrawn_items(event, found))
    me = event_access.require_validated(event, actor)
    if event.status is not EventStatus.PUBLISHED:
        raise EventStateError("The agenda is not published yet")
    return Agenda(event, me, build_items(event, me), withdrawn_items(event, me))


def build_items(
    event: Event,
    participant: EventParticipant | None,
    meetings: Iterable[Meeting] | None = None,
) -> list[AgendaItem]:
    """The scheduled meetings of ``participant`` (None: all), by time, then room; ``meetings``
    narrows the event's meetings looked at (a caller going through every participant)."""
    slots = event_slots(event)
    length = timedelta(minutes=event.slot_minutes)
    items = []
    for meeting in event.meetings if meetings is None else meetings:
        if meeting.status is not MeetingStatus.ACCEPTED or meeting.starts_at is None:
            continue
        if not _involves(meeting, participant):
            continue
        slot = find_slot(slots, meeting.starts_at)
        room = meeting.room or 1
        other = _other(meeting, participant)
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


def withdrawn_items(event: Event, participant: EventParticipant | None) -> list[WithdrawnItem]:
    """The meetings of ``participant`` (None: all) that lost their slot, by former time."""
    length = timedelta(minutes=event.slot_minutes)
    items = [
        WithdrawnItem(
            meeting=meeting,
            starts=local_time(meeting.former_starts_at, event.time_zone),
            ends=local_time(meeting.former_starts_at + length, event.time_zone),
            other=_other(meeting, participant),
        )
        for meeting in event.meetings
        if meeting.starts_at is None
        and meeting.former_starts_at is not None
        and _involves(meeting, participant)
    ]
    items.sort(key=lambda item: (item.starts, item.meeting.id))
    return items


def _involves(meeting: Meeting, participant: EventParticipant | None) -> bool:
    return participant is None or participant.id in {meeting.requester_id, meeting.recipient_id}


def _other(meeting: Meeting, participant: EventParticipant | None) -> EventParticipant | None:
    if participant is None:
        return None
    return meeting.recipient if meeting.requester_id == participant.id else meeting.requester


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
    running this every hour (the job ``events.remind`` does, `remind_all_events`) sends one
    reminder before each day of meetings.
    Returns the participants reminded, by id. InvalidInputError for hours outside 1-168."""
    if not 1 <= within_hours <= MAX_REMINDER_HOURS:
        reason = f"must be 1 to {MAX_REMINDER_HOURS} hours, not {within_hours}"
        issue = InputIssue("", "within_hours", reason)
        raise InvalidInputError("The reminders cannot be sent", [issue])
    event = get_managed_event(session, actor, event_id)
    if event.status is not EventStatus.PUBLISHED:
        raise EventStateError("Publish the agenda before sending reminders")
    return _remind(session, event, now=now, notifier=notifier, within_hours=within_hours)


def remind_all_events(
    session: Session,
    *,
    now: datetime,
    notifier: Notifier,
    within_hours: int = DEFAULT_REMINDER_HOURS,
) -> dict[int, int]:
    """`send_reminders` for every published event with meetings still to come, on behalf of
    the system (the hourly job ``events.remind``): mails each participant whose next meeting
    starts within ``within_hours`` and who was not reminded for it. Returns the number of
    participants reminded per event id (events with none left out). Flushes."""
    reminded = {}
    for event_id in repository.list_event_ids_with_coming_meetings(session, now=now):
        event = repository.get_event(session, event_id)
        people = (
            []
            if event is None
            else _remind(session, event, now=now, notifier=notifier, within_hours=within_hours)
        )
        if count := len(people):
            reminded[event_id] = count
    return reminded


def _remind(
    session: Session, event: Event, *, now: datetime, notifier: Notifier, within_hours: int
) -> list[EventParticipant]:
    window = timedelta(hours=within_hours)
    upcoming: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in event.meetings:
        if meeting.starts_at is not None and meeting.starts_at > now:
            upcoming[meeting.requester_id].append(meeting)
            upcoming[meeting.recipient_id].append(meeting)
    reminded = []
    for participant in sorted(event.participants, key=lambda p: p.id):
        if participant.id not in upcoming:
            continue
        coming = [
            item
            for item in build_items(event, participant, upcoming[participant.id])
            if item.starts > now
        ]
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
    """The agenda as an iCalendar file; each meeting's UID stays the same across downloads, and
    withdrawn meetings come last, cancelled at their former time."""
    host = urlsplit(public_url).hostname or "clusterbridge"
    entries = [_entry(agenda.event, item, host) for item in agenda.items]
    entries += [_cancelled_entry(agenda.event, item, host) for item in agenda.withdrawn]
    return render_calendar(entries, name=agenda.event.name, stamp=now)


def _entry(event: Event, item: AgendaItem, host: str) -> CalendarEntry:
    meeting = item.meeting
    summary, people = _summary(meeting, item.other)
    description = f"{event.name}: one-to-one meeting of {people}.\nRoom: {item.link}"
    if meeting.message:
        description += f"\n\nRequest: {meeting.message}"
    return CalendarEntry(
        uid=_uid(event, meeting, host),
        start=item.starts,
        end=item.ends,
        summary=summary,
        description=description,
        location=item.link,
        url=item.link,
        sequence=meeting.sequence,
    )


def _cancelled_entry(event: Event, item: WithdrawnItem, host: str) -> CalendarEntry:
    summary, people = _summary(item.meeting, item.other)
    cancelled = "cancelled" if item.meeting.status is not MeetingStatus.ACCEPTED else "unscheduled"
    return CalendarEntry(
        uid=_uid(event, item.meeting, host),
        start=item.starts,
        end=item.ends,
        summary=f"{cancelled.capitalize()}: {summary}",
        description=f"{event.name}: the one-to-one meeting of {people} is {cancelled}.",
        sequence=item.meeting.sequence,
        cancelled=True,
    )


def _summary(meeting: Meeting, other: EventParticipant | None) -> tuple[str, str]:
    """The calendar title and who meets whom, for one participant (or the organiser)."""
    if other is None:
        people = f"{_who(meeting.requester)} and {_who(meeting.recipient)}"
        return (
            f"{meeting.requester.organisation.name} / {meeting.recipient.organisation.name}",
            people,
        )
    return f"Meeting with {other.organisation.name}", f"you and {_who(other)}"


def _uid(event: Event, meeting: Meeting, host: str) -> str:
    return f"event-{event.id}-meeting-{meeting.id}@{host}"


def _who(participant: EventParticipant) -> str:
    return f"{participant.user.name} ({participant.organisation.name})"
