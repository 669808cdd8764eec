"""Match-making events: create and change them, their sessions, and open registration.

A session is given as a day with a start and an end time, local to the event's time zone;
it is stored in UTC, and the slots are computed from
the sessions (`domain.events.compute_slots`).

Every function takes the ``session`` and the ``actor``, checks access with
`services.events.access`, never commits, and flushes only when it needs ids.
"""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TypedDict
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, EventSession, User
from clusterbridge.db.repositories import events as repository
from clusterbridge.db.repositories import users as user_repository
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
from clusterbridge.services.events import access as event_access
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


class EventStateError(DomainError):
    """The event is not in a state that allows this (e.g. registering for a draft)."""

    status = 409


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
    sessions: tuple[SessionDetails, ...] = (),
    anyone_may_create: bool = False,
) -> Event:
    """Create a draft event run by ``actor`` (an event organiser or administrator; anyone when
    ``anyone_may_create``, the setting), with ``sessions``. InvalidInputError names every bad
    field, sessions included; nothing is written then. Flushes for the id."""
    event_access.require_creator(actor, anyone_may_create=anyone_may_create)
    issues = check_details(details)
    windows = _check_sessions(sessions, details.time_zone, issues)
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


def update_event(session: Session, actor: User, event_id: int, changes: EventChanges) -> Event:
    """Change the given settings (organiser only), validated as a whole. Once the agenda is
    published, the time zone, slot length and rooms are fixed (EventStateError, 409)."""
    event = get_managed_event(session, actor, event_id)
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
    )
    issues = check_details(details)
    if issues:
        raise InvalidInputError("The event cannot be saved", issues)
    for name in EventChanges.__annotations__:
        value = getattr(details, name)
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    session.flush()
    return event


def add_session(session: Session, actor: User, event_id: int, details: SessionDetails) -> Event:
    """Add a session to the event (organiser only; not once the agenda is published)."""
    event = get_managed_event(session, actor, event_id)
    _require_unpublished(event)
    issues: list[InputIssue] = []
    windows = _check_sessions((details,), event.time_zone, issues, location="")
    issues += _overlaps(windows[0], event) if windows else []
    if issues:
        raise InvalidInputError("The session cannot be added", issues)
    event.sessions.append(
        EventSession(name=details.name.strip(), starts_at=windows[0].start, ends_at=windows[0].end)
    )
    event.sessions.sort(key=lambda row: (row.starts_at, row.id or 0))
    session.flush()
    return event


def remove_session(session: Session, actor: User, event_id: int, session_id: int) -> Event:
    """Remove one of the event's sessions (organiser only; not once published)."""
    event = get_managed_event(session, actor, event_id)
    _require_unpublished(event)
    if all(row.id != session_id for row in event.sessions):
        issue = InputIssue("", "session_id", f"the event has no session {session_id}")
        raise InvalidInputError("The session cannot be removed", [issue])
    event.sessions = [row for row in event.sessions if row.id != session_id]
    session.flush()
    return event


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
        template_problem = f"must be at most {MAX_TEMPLATE_LENGTH} characters"
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
        return [InputIssue("", field, "must not be empty")]
    if has_control_characters(value, multiline=field == "description"):
        return [InputIssue("", field, "must not contain control characters")]
    if len(value) > limit:
        return [InputIssue("", field, f"must be at most {limit} characters")]
    return []


def _check_bound(value: int | None, field: str, limit: int) -> list[InputIssue]:
    if value is not None and not 1 <= value <= limit:
        return [InputIssue("", field, f"must be 1 to {limit}, or empty for no limit; not {value}")]
    return []


def _check_sessions(
    sessions: tuple[SessionDetails, ...],
    time_zone: str,
    issues: list[InputIssue],
    *,
    location: str | None = None,
) -> list[SessionWindow]:
    """The sessions as UTC windows; their problems go to ``issues`` (located "session N")."""
    if check_time_zone(time_zone):
        return []
    zone = ZoneInfo(time_zone)
    windows: list[SessionWindow] = []
    for number, item in enumerate(sessions, start=1):
        where = f"session {number}" if location is None else location
        found = _check_text(item.name, "name", MAX_SESSION_NAME_LENGTH, required=True)
        issues += [InputIssue(where, issue.field, issue.reason) for issue in found]
        if not FIRST_YEAR <= item.day.year <= LAST_YEAR:
            reason = f"must be in the years {FIRST_YEAR} to {LAST_YEAR}, not {item.day.isoformat()}"
            issues.append(InputIssue(where, "date", reason))
            continue
        start, end = (_utc(item.day, moment, zone) for moment in (item.start, item.end))
        if end <= start:
            issues.append(InputIssue(where, "end", "must be after the start"))
            continue
        windows.append(SessionWindow(start, end))
    ordered = sorted(windows, key=lambda window: window.start)
    for first, second in itertools.pairwise(ordered):
        if second.start < first.end:
            issues.append(InputIssue("", "sessions", "sessions must not overlap"))
            break
    return windows


def _overlaps(window: SessionWindow, event: Event) -> list[InputIssue]:
    for row in event.sessions:
        if window.start < row.ends_at and row.starts_at < window.end:
            return [InputIssue("", "start", f'overlaps the session "{row.name}"')]
    return []


def _utc(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC)


def _require_unpublished(event: Event) -> None:
    if event.status is EventStatus.PUBLISHED:
        raise EventStateError("The agenda is published: its sessions can no longer change")
