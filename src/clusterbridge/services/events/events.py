"""Match-making events: create and change them, their sessions, and open registration.

A session is given as a day with a start and an end time, local to the event's time zone;
it is stored in UTC, and the slots are computed from
the sessions (`domain.events.compute_slots`).

Every function takes the ``session`` and the ``actor``, checks access with
`services.events.access`, never commits, and flushes only when it needs ids.
"""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypedDict
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, EventSession, Meeting, User
from clusterbridge.db.repositories import events as repository
from clusterbridge.db.repositories import users as user_repository
from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.enums import EventStatus, RequestMode
from clusterbridge.domain.errors import DomainError, InputIssue, InvalidInputError
from clusterbridge.domain.events import (
    MAX_SLOT_MINUTES,
    MIN_SLOT_MINUTES,
    SessionWindow,
    Slot,
    check_room_link_template,
    check_time_zone,
    compute_slots,
)
from clusterbridge.domain.refusals import too_long_reason
from clusterbridge.services.events import access as event_access
from clusterbridge.services.events.placement import fit_rooms, place
from clusterbridge.services.text import has_control_characters

MAX_NAME_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 5000
MAX_SESSION_NAME_LENGTH = 100
MAX_TEMPLATE_LENGTH = 500
MAX_EXPIRY_HOURS = 24 * 365
MAX_ROOMS = 1000
#: The largest fairness bound (break counts of two participants differ by at most this).
MAX_FAIRNESS = 50
#: Sessions must fall in these years (a typo such as 0225 is caught, and times stay computable).
FIRST_YEAR, LAST_YEAR = 2000, 2999
#: The default room-link template: one meeting room per meeting on a public Jitsi-like host.
DEFAULT_ROOM_LINK = "https://meet.example.org/clusterbridge-{event}-{meeting}"
#: Why nobody may register for a draft (to those who may see it).
REGISTRATION_NOT_OPEN = "Registration for this event is not open yet"


@dataclass(frozen=True, slots=True)
class EventChange:
    """An event after a change, and the ids of the meetings that change took their slot from
    (scheduling again places them)."""

    event: Event
    unscheduled: tuple[int, ...] = ()
    #: The meetings that kept their slot at a new UTC time (a new time zone keeps local times).
    moved: tuple[int, ...] = ()


class EventStateError(DomainError):
    """The event is not in a state that allows this (e.g. registering for a draft)."""

    status = 409


class SessionNotFoundError(DomainError):
    """The event has no session with this id."""

    status = 404

    def __init__(self, event_id: int, session_id: int) -> None:
        super().__init__(f"Event {event_id} has no session {session_id}")


@dataclass(frozen=True, slots=True)
class EventDetails:
    """An event's settings."""

    name: str
    time_zone: str = "Europe/Brussels"
    slot_minutes: int = 20
    room_link_template: str = DEFAULT_ROOM_LINK
    request_mode: RequestMode = RequestMode.ACCEPT_DECLINE
    request_expiry_hours: int | None = 72
    rooms: int | None = None
    description: str = ""
    #: Break counts of any two participants differ by at most this; None: no limit.
    fairness: int | None = None
    #: Whether a participant may ask again someone who declined their request.
    repeat_requests: bool = False


class EventChanges(TypedDict, total=False):
    """The settings to change; a missing key keeps the current value."""

    name: str
    description: str
    time_zone: str
    slot_minutes: int
    room_link_template: str
    request_mode: RequestMode
    request_expiry_hours: int | None
    rooms: int | None
    fairness: int | None
    repeat_requests: bool


#: Settings that decide the slots or the rooms, frozen once the agenda is published.
SCHEDULE_SETTINGS = frozenset({"time_zone", "slot_minutes", "rooms"})


@dataclass(frozen=True, slots=True)
class SessionDetails:
    """A session on one day, from ``start`` to ``end`` in the event's local time."""

    name: str
    day: date
    start: time
    end: time


def list_events(session: Session, actor: User) -> list[Event]:
    """The events ``actor`` may see, newest first: all but other organisers' drafts. Reads."""
    visible_to = None if actor.role in event_access.EVENT_READ_ALL_ROLES else actor.id
    return repository.list_events(session, visible_to=visible_to)


def list_all_events(session: Session) -> list[Event]:
    """Every event, drafts included, for the command line (which runs with full rights)."""
    return repository.list_events(session, visible_to=None)


def get_event(session: Session, actor: User, event_id: int) -> Event:
    """The whole event; EventNotFoundError (404) unless ``actor`` may see it."""
    return event_access.require_view(repository.get_event(session, event_id), actor, event_id)


def get_managed_event(session: Session, actor: User, event_id: int) -> Event:
    """The whole event if ``actor`` runs it: 404 if they may not see it, else 403."""
    return event_access.require_manage(repository.get_event(session, event_id), actor, event_id)


def get_organiser(session: Session, event_id: int) -> User:
    """The organiser of an event, who the command line acts as; EventNotFoundError (404)."""
    event = repository.get_event(session, event_id)
    if event is None:
        raise event_access.EventNotFoundError(event_id)
    return event.organiser


def check_registration_open(session: Session, event_id: int) -> Event:
    """The event, for the command line (which sees every event): EventNotFoundError (404)
    when there is none, EventStateError (409) while it is a draft. Reads only."""
    event = repository.get_event(session, event_id)
    if event is None:
        raise event_access.EventNotFoundError(event_id)
    if event.status is EventStatus.DRAFT:
        raise EventStateError(REGISTRATION_NOT_OPEN)
    return event


def find_user(session: Session, email: str) -> User:
    """The account with this e-mail address; InvalidInputError naming ``email`` otherwise."""
    user = user_repository.get_user_by_email(session, email.strip().lower())
    if user is None:
        issue = InputIssue("", "email", f"there is no account for {email.strip()}")
        raise InvalidInputError("Unknown user", [issue])
    return user


def create_event(
    session: Session,
    actor: User,
    details: EventDetails,
    *,
    now: datetime,
    sessions: tuple[SessionDetails, ...] = (),
    anyone_may_create: bool = False,
) -> Event:
    """Create a draft event run by ``actor`` (an event organiser or administrator; anyone when
    ``anyone_may_create``, the setting), with ``sessions``, none starting before ``now`` and
    each at least one slot long. InvalidInputError names every bad field, sessions included;
    nothing is written then. Flushes for the id."""
    event_access.require_creator(actor, anyone_may_create=anyone_may_create)
    issues = check_details(details)
    windows = _check_sessions(sessions, details, issues, now=now)
    if issues:
        raise InvalidInputError("The event cannot be saved", issues)
    event = Event(
        name=details.name.strip(),
        description=details.description.strip(),
        time_zone=details.time_zone,
        slot_minutes=details.slot_minutes,
        room_link_template=details.room_link_template.strip(),
        request_mode=details.request_mode,
        request_expiry_hours=details.request_expiry_hours,
        rooms=details.rooms,
        fairness=details.fairness,
        repeat_requests=details.repeat_requests,
        status=EventStatus.DRAFT,
        organiser=actor,
        sessions=[
            EventSession(name=item.name.strip(), starts_at=window.start, ends_at=window.end)
            for item, window in zip(sessions, windows, strict=True)
        ],
        participants=[],
        meetings=[],
    )
    session.add(event)
    session.flush()
    return event


def update_event(
    session: Session, actor: User, event_id: int, changes: EventChanges
) -> EventChange:
    """Change the given settings (organiser only), validated as a whole; a slot length longer
    than a session is refused. Once the agenda is published, the time zone, slot length and
    rooms are fixed (EventStateError, 409); before, meetings whose start is no longer a slot
    start (a new slot length) lose their slot, as the scheduler would place them again, and
    so do those a slot no longer has a room for (fewer rooms: `placement.fit_rooms`): the
    result names them. A new time zone keeps the local (wall-clock) times of the sessions,
    of the participants' unavailabilities and of the scheduled meetings, so 09:00 stays 09:00
    and each meeting keeps its slot: the result names the meetings whose UTC time moved (no
    participant was told their time: agendas are shown and mailed once published)."""
    event = get_managed_event(session, actor, event_id)
    old_zone = event.time_zone
    given: dict[str, object] = dict(changes)
    changed = {k for k in SCHEDULE_SETTINGS if k in given and given[k] != getattr(event, k)}
    if event.status is EventStatus.PUBLISHED and changed:
        raise EventStateError(
            f"The agenda is published: {', '.join(sorted(changed))} can no longer change"
        )
    details = EventDetails(
        name=changes.get("name", event.name),
        description=changes.get("description", event.description),
        time_zone=changes.get("time_zone", event.time_zone),
        slot_minutes=changes.get("slot_minutes", event.slot_minutes),
        room_link_template=changes.get("room_link_template", event.room_link_template),
        request_mode=changes.get("request_mode", event.request_mode),
        request_expiry_hours=changes.get("request_expiry_hours", event.request_expiry_hours),
        rooms=changes.get("rooms", event.rooms),
        fairness=changes.get("fairness", event.fairness),
        repeat_requests=changes.get("repeat_requests", event.repeat_requests),
    )
    issues = check_details(details)
    issues += [] if issues else _too_short_sessions(event, details.slot_minutes)
    if issues:
        raise InvalidInputError("The event cannot be saved", issues)
    for name in EventChanges.__annotations__:
        value = getattr(details, name)
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    moved: list[Meeting] = []
    if "time_zone" in changed:
        moved = _keep_local_times(event, ZoneInfo(old_zone), ZoneInfo(event.time_zone))
    unscheduled: list[Meeting] = []
    if "slot_minutes" in changed:
        unscheduled += _unschedule_off_slot(event)
    if "rooms" in changed and event.rooms is not None:
        unscheduled += fit_rooms(event.meetings, event.rooms)
    session.flush()
    return EventChange(
        event, tuple(sorted(m.id for m in unscheduled)), tuple(sorted(m.id for m in moved))
    )


def _keep_local_times(event: Event, old: ZoneInfo, new: ZoneInfo) -> list[Meeting]:
    """Move the event's stored times so that their local times in ``new`` are those they had
    in ``old``; returns the scheduled meetings whose time moved."""
    for row in event.sessions:
        row.starts_at, row.ends_at = (
            _rezone(row.starts_at, old, new),
            _rezone(row.ends_at, old, new),
        )
    for participant in event.participants:
        for window in participant.unavailable:
            window.starts_at = _rezone(window.starts_at, old, new)
            window.ends_at = _rezone(window.ends_at, old, new)
    moved = []
    for meeting in event.meetings:
        if meeting.former_starts_at is not None:
            meeting.former_starts_at = _rezone(meeting.former_starts_at, old, new)
        if meeting.starts_at is not None and place(
            meeting, _rezone(meeting.starts_at, old, new), meeting.room
        ):
            moved.append(meeting)
    return moved


def _rezone(moment: datetime, old: ZoneInfo, new: ZoneInfo) -> datetime:
    """The UTC moment whose local time in ``new`` is ``moment``'s local time in ``old``."""
    local = moment.astimezone(old).replace(tzinfo=None)
    return local.replace(tzinfo=new).astimezone(UTC)


def describe_moved(count: int, time_zone: str) -> str:
    """One sentence for the organiser: the local times were kept in ``time_zone``, and
    ``count`` scheduled meetings moved with them."""
    text = f"The sessions keep their local times, now in {time_zone}"
    if count == 1:
        return text + "; 1 scheduled meeting keeps its slot at the same local time"
    if count:
        return text + f"; {count} scheduled meetings keep their slot at the same local time"
    return text


def add_session(
    session: Session, actor: User, event_id: int, details: SessionDetails, *, now: datetime
) -> Event:
    """Add a session to the event (organiser only; not once the agenda is published). It must
    not start before ``now``, must hold at least one slot and must not overlap another session:
    InvalidInputError names the field otherwise."""
    event = get_managed_event(session, actor, event_id)
    require_unpublished(event)
    issues: list[InputIssue] = []
    settings = EventDetails(event.name, event.time_zone, event.slot_minutes)
    windows = _check_sessions((details,), settings, issues, now=now, location="")
    issues += _overlaps(windows[0], event) if windows else []
    if issues:
        raise InvalidInputError("The session cannot be added", issues)
    event.sessions.append(
        EventSession(name=details.name.strip(), starts_at=windows[0].start, ends_at=windows[0].end)
    )
    event.sessions.sort(key=lambda row: (row.starts_at, row.id or 0))
    session.flush()
    return event


def remove_session(session: Session, actor: User, event_id: int, session_id: int) -> EventChange:
    """Remove one of the event's sessions (organiser only; not once published). The meetings
    scheduled in it lose their slot and room (and their lock), so that no page, calendar or
    export shows them at a time that no longer exists; scheduling again places them. The
    result names them. SessionNotFoundError (404) for a session the event does not have;
    EventStateError (409) for the last session of an event open for registration."""
    event = get_managed_event(session, actor, event_id)
    require_unpublished(event)
    unscheduled = meetings_in_session(event, session_id)
    require_removable(event)
    for meeting in unscheduled:
        place(meeting, None, None)
    event.sessions = [row for row in event.sessions if row.id != session_id]
    session.flush()
    return EventChange(event, tuple(sorted(m.id for m in unscheduled)))


def describe_lost_slots(count: int, *, where: str = "") -> str:
    """One sentence for the organiser: ``count`` meetings (``where``: " scheduled in it")
    lost their slot and scheduling again places them."""
    if count == 1:
        return f"1 meeting{where} lost its slot: schedule again to place it"
    return f"{count} meetings{where} lost their slot: schedule again to place them"


def meetings_in_session(event: Event, session_id: int) -> list[Meeting]:
    """The event's meetings scheduled in its session ``session_id``, by time;
    SessionNotFoundError (404) when the event has no such session. Reads."""
    row = next((row for row in event.sessions if row.id == session_id), None)
    if row is None:
        raise SessionNotFoundError(event.id, session_id)
    inside = [
        m
        for m in event.meetings
        if m.starts_at is not None and row.starts_at <= m.starts_at < row.ends_at
    ]
    return sorted(inside, key=lambda m: (m.starts_at, m.id))


def require_removable(event: Event) -> None:
    """EventStateError (409) when a session of ``event`` may not be removed because it is the
    last one and registration is open: participants registered for an event with slots."""
    if len(event.sessions) <= 1 and event.status is not EventStatus.DRAFT:
        raise EventStateError(
            "This is the event's only session and registration is open: add another session "
            "before removing it"
        )


def open_registration(session: Session, actor: User, event_id: int) -> Event:
    """Open a draft event for registration (organiser only). It needs at least one slot."""
    event = get_managed_event(session, actor, event_id)
    if event.status is not EventStatus.DRAFT:
        raise EventStateError(f"Registration is already open (the event is {event.status.value})")
    if not event_slots(event):
        issue = InputIssue("", "sessions", "add a session at least one slot long first")
        raise InvalidInputError("Registration cannot open", [issue])
    event.status = EventStatus.OPEN
    session.flush()
    return event


def event_slots(event: Event) -> tuple[Slot, ...]:
    """The event's slots, from its sessions (loaded) and slot length."""
    windows = [SessionWindow(row.starts_at, row.ends_at) for row in event.sessions]
    return compute_slots(windows, slot_minutes=event.slot_minutes)


def check_details(details: EventDetails) -> list[InputIssue]:
    """Every problem with an event's settings, without raising."""
    issues = _check_text(details.name, "name", MAX_NAME_LENGTH, required=True)
    issues += _check_text(details.description, "description", MAX_DESCRIPTION_LENGTH)
    zone_problem = check_time_zone(details.time_zone)
    if zone_problem:
        issues.append(InputIssue("", "time_zone", zone_problem))
    if not MIN_SLOT_MINUTES <= details.slot_minutes <= MAX_SLOT_MINUTES:
        reason = (
            f"must be {MIN_SLOT_MINUTES} to {MAX_SLOT_MINUTES} minutes, not {details.slot_minutes}"
        )
        issues.append(InputIssue("", "slot_minutes", reason))
    template = details.room_link_template.strip()
    template_problem = check_room_link_template(template)
    if len(template) > MAX_TEMPLATE_LENGTH:
        template_problem = too_long_reason(MAX_TEMPLATE_LENGTH, len(template))
    if template_problem:
        issues.append(InputIssue("", "room_link_template", template_problem))
    issues += _check_bound(details.request_expiry_hours, "request_expiry_hours", MAX_EXPIRY_HOURS)
    issues += _check_bound(details.rooms, "rooms", MAX_ROOMS)
    if details.fairness is not None and not 0 <= details.fairness <= MAX_FAIRNESS:
        reason = f"must be 0 to {MAX_FAIRNESS}, or empty for no limit; not {details.fairness}"
        issues.append(InputIssue("", "fairness", reason))
    return issues


def _check_text(text: str, field: str, limit: int, *, required: bool = False) -> list[InputIssue]:
    value = text.strip()
    if required and not value:
        return [InputIssue("", field, "is required")]
    if has_control_characters(value, multiline=field == "description"):
        return [InputIssue("", field, "must not contain control characters")]
    if len(value) > limit:
        return [InputIssue("", field, too_long_reason(limit, len(value)))]
    return []


def _check_bound(value: int | None, field: str, limit: int) -> list[InputIssue]:
    if value is not None and not 1 <= value <= limit:
        return [InputIssue("", field, f"must be 1 to {limit}, or empty for no limit; not {value}")]
    return []


def _check_sessions(
    sessions: tuple[SessionDetails, ...],
    settings: EventDetails,
    issues: list[InputIssue],
    *,
    now: datetime,
    location: str | None = None,
) -> list[SessionWindow]:
    """The sessions as UTC windows; their problems go to ``issues`` (located "session N")."""
    if check_time_zone(settings.time_zone):
        return []
    zone = ZoneInfo(settings.time_zone)
    windows: list[SessionWindow] = []
    for number, item in enumerate(sessions, start=1):
        where = f"session {number}" if location is None else location
        found = _check_text(item.name, "name", MAX_SESSION_NAME_LENGTH, required=True)
        window, problems = _check_window(item, zone, settings.slot_minutes, now=now)
        issues += [InputIssue(where, issue.field, issue.reason) for issue in found + problems]
        if window is not None:
            windows.append(window)
    ordered = sorted(windows, key=lambda window: window.start)
    for first, second in itertools.pairwise(ordered):
        if second.start < first.end:
            issues.append(InputIssue("", "sessions", "sessions must not overlap"))
            break
    return windows


def _too_short_sessions(event: Event, slot_minutes: int) -> list[InputIssue]:
    for row in event.sessions:
        length = (row.ends_at - row.starts_at) // timedelta(minutes=1)
        if length < slot_minutes:
            reason = f'is longer than the session "{row.name}" ({length} minutes): it would hold no meeting'
            return [InputIssue("", "slot_minutes", reason)]
    return []


def _unschedule_off_slot(event: Event) -> list[Meeting]:
    """Take their slot from the meetings whose start is no longer a slot start; returns them."""
    starts = {slot.start for slot in event_slots(event)}
    off = [m for m in event.meetings if m.starts_at is not None and m.starts_at not in starts]
    for meeting in off:
        place(meeting, None, None)
    return off


def _check_window(
    item: SessionDetails, zone: ZoneInfo, slot_minutes: int, *, now: datetime
) -> tuple[SessionWindow | None, list[InputIssue]]:
    """A session's day and times as a UTC window, or None with the problem: a year out of
    range, an end before the start, a start before ``now``, or too short for one slot (of a
    valid length)."""
    if not FIRST_YEAR <= item.day.year <= LAST_YEAR:
        reason = f"must be in the years {FIRST_YEAR} to {LAST_YEAR}, not {item.day.isoformat()}"
        return None, [InputIssue("", "date", reason)]
    start, end = (_utc(item.day, moment, zone) for moment in (item.start, item.end))
    if end <= start:
        return None, [InputIssue("", "end", "must be after the start")]
    today = now.astimezone(zone)
    if item.day < today.date():
        reason = (
            f"must not be in the past: {day_text(item.day)} is before today, "
            f"{day_text(today.date())}"
        )
        return None, [InputIssue("", "date", reason)]
    if start < now:
        reason = f"must not be in the past: {item.start:%H:%M} today is before now, {today:%H:%M}"
        return None, [InputIssue("", "start", reason)]
    length = (end - start) // timedelta(minutes=1)
    if MIN_SLOT_MINUTES <= slot_minutes <= MAX_SLOT_MINUTES and length < slot_minutes:
        reason = (
            f"the session is {length} minutes long, shorter than one {slot_minutes}-minute "
            "meeting: end it later or shorten the slots"
        )
        return None, [InputIssue("", "end", reason)]
    return SessionWindow(start, end), []


def _overlaps(window: SessionWindow, event: Event) -> list[InputIssue]:
    for row in event.sessions:
        if window.start < row.ends_at and row.starts_at < window.end:
            return [InputIssue("", "start", f'overlaps the session "{row.name}"')]
    return []


def _utc(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def require_unpublished(event: Event) -> None:
    """EventStateError (409) once the agenda is published: the sessions are then fixed."""
    if event.status is EventStatus.PUBLISHED:
        raise EventStateError("The agenda is published: its sessions can no longer change")
