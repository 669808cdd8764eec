"""What the event pages share: the page context and the forms, read as typed text.

Numbers, dates and times are parsed here, each mistake named by its field; the services then
check the values themselves.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from clusterbridge.api.deps import NotifierDep, NowDep, SessionDep, StateDep
from clusterbridge.db.models import Event, User
from clusterbridge.domain.enums import RequestMode
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.events.events import EventDetails, SessionDetails, check_details
from clusterbridge.services.events.notifications import Notifier
from clusterbridge.web.auth import SignedInUser
from clusterbridge.web.numbers import read_whole_number

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class PageContext:
    """What every event route needs: the request, the signed-in user, the unit of work, the
    time, where notifications go and the site's public address."""

    request: Request
    user: User
    session: Session
    now: datetime
    notifier: Notifier
    public_url: str
    #: The ``anyone_can_create_events`` setting.
    anyone_may_create: bool = False


def get_page(
    request: Request,
    user: SignedInUser,
    session: SessionDep,
    now: NowDep,
    *,
    notifier: NotifierDep,
    state: StateDep,
) -> PageContext:
    """The route's `PageContext`."""
    settings = state.settings
    return PageContext(
        request,
        user,
        session,
        now,
        notifier,
        settings.public_url,
        anyone_may_create=settings.anyone_can_create_events,
    )


Page = Annotated[PageContext, Depends(get_page)]


class EventForm(BaseModel):
    """An event's settings as typed; on creation also its first session.

    A field the user types defaults to empty: an empty form field reaches the model as missing,
    so a default here would silently replace what the user cleared. ``blank`` is the form a
    page first shows, filled in with the usual values. The two selects keep their defaults (a
    browser always sends one of their options)."""

    name: str = ""
    description: str = ""
    time_zone: str = "Europe/Brussels"
    slot_minutes: str = ""
    room_link_template: str = ""
    request_mode: str = RequestMode.ACCEPT_DECLINE.value
    request_expiry_hours: str = ""
    rooms: str = ""
    fairness: str = ""
    #: A checkbox: "on" when ticked, absent otherwise.
    repeat_requests: str = ""
    session_name: str = ""
    session_date: str = ""
    session_start: str = ""
    session_end: str = ""

    @classmethod
    def blank(cls) -> "EventForm":
        """The new-event form as first shown: the usual settings and first session."""
        usual = EventDetails(name="")
        return cls(
            time_zone=usual.time_zone,
            slot_minutes=str(usual.slot_minutes),
            room_link_template=usual.room_link_template,
            request_expiry_hours=str(usual.request_expiry_hours or ""),
            session_name="Meetings",
            session_start="09:00",
            session_end="12:00",
        )


class SessionForm(BaseModel):
    """A session as typed: name, day and local start and end."""

    session_name: str = ""
    session_date: str = ""
    session_start: str = ""
    session_end: str = ""


class RegistrationForm(BaseModel):
    """The organisation (a registry id, as typed) and what the participant offers and needs."""

    organisation_id: str = ""
    offers: str = ""
    needs: str = ""
    time_zone: str = ""


class RequestForm(BaseModel):
    """A meeting request: the participant asked, and a message."""

    recipient_id: str = ""
    message: str = ""


class LockForm(BaseModel):
    """The slot number (from 1) to lock a meeting into; empty: its current slot."""

    slot: str = ""


class UnavailabilityForm(BaseModel):
    """The slot numbers ticked as unavailable (none: available throughout)."""

    slots: list[str] = []


class PriorityForm(BaseModel):
    """A meeting's priority, 1 (normal) to 5, as chosen."""

    priority: str = ""


class ReminderForm(BaseModel):
    """Remind those whose next meeting starts within this many hours (the page fills in 24;
    empty is refused)."""

    within_hours: str = ""


class OutcomeForm(BaseModel):
    """What came of a meeting."""

    outcome: str = ""


def form_of(event: Event) -> EventForm:
    """The settings form filled in with ``event``'s values."""
    return EventForm(
        name=event.name,
        description=event.description,
        time_zone=event.time_zone,
        slot_minutes=str(event.slot_minutes),
        room_link_template=event.room_link_template,
        request_mode=event.request_mode.value,
        request_expiry_hours=str(event.request_expiry_hours or ""),
        rooms=str(event.rooms or ""),
        fairness="" if event.fairness is None else str(event.fairness),
        repeat_requests="on" if event.repeat_requests else "",
    )


def event_details(form: EventForm) -> EventDetails:
    """The settings of ``form``; InvalidInputError names every field that is not a number or
    a request mode."""
    issues: list[InputIssue] = []
    # The service checks each number's range, and its reasons name the range.
    slot_minutes = read_whole_number(form.slot_minutes, "slot_minutes", issues, required=True)
    expiry = read_whole_number(form.request_expiry_hours, "request_expiry_hours", issues)
    rooms = read_whole_number(form.rooms, "rooms", issues)
    fairness = read_whole_number(form.fairness, "fairness", issues)
    mode = next((m for m in RequestMode if m.value == form.request_mode), None)
    if mode is None:
        choices = ", ".join(m.value for m in RequestMode)
        issues.append(InputIssue("", "request_mode", f"must be one of {choices}"))
    if issues:
        raise InvalidInputError("The event cannot be saved", issues)
    return EventDetails(
        name=form.name,
        description=form.description,
        time_zone=form.time_zone.strip(),
        slot_minutes=slot_minutes or 0,
        room_link_template=form.room_link_template,
        request_mode=mode or RequestMode.ACCEPT_DECLINE,
        request_expiry_hours=expiry,
        rooms=rooms,
        fairness=fairness,
        repeat_requests=bool(form.repeat_requests),
    )


def new_event(form: EventForm) -> tuple[EventDetails, SessionDetails]:
    """The settings and first session of ``form``, with the problems of both reported at once:
    when a field cannot be read, the service's checks of the other fields run too (so that one
    submit lists every mistake)."""
    issues: list[InputIssue] = []
    details = session = None
    try:
        details = event_details(form)
    except InvalidInputError as error:
        issues += error.issues
    try:
        session = session_details(form)
    except InvalidInputError as error:
        issues += error.issues
    if issues or details is None or session is None:
        others = _other_issues(form, issues)
        if not form.session_name.strip() and not _names(issues, "session_name"):
            others.append(InputIssue("", "session_name", "is required"))
        raise InvalidInputError("The event cannot be saved", issues + others)
    return details, session


def settings_details(form: EventForm) -> EventDetails:
    """The settings of ``form`` (`event_details`); when a field cannot be read, the service's
    checks of the other fields run too (so that one submit lists every mistake)."""
    try:
        return event_details(form)
    except InvalidInputError as error:
        found = list(error.issues)
        raise InvalidInputError(error.summary, found + _other_issues(form, found)) from None


def _names(issues: list[InputIssue], field: str) -> bool:
    return any(issue.field == field for issue in issues)


def _other_issues(form: EventForm, found: list[InputIssue]) -> list[InputIssue]:
    """The service's problems with the settings that could be read (the unreadable ones get a
    harmless stand-in, and their problems are already in ``found``)."""
    unreadable = {issue.field for issue in found}
    # An unreadable field takes its value of the blank form, which reads.
    stand_in = EventForm.blank().model_copy(
        update={
            name: value
            for name, value in form.model_dump().items()
            if name not in unreadable and name != "session_date"
        }
    )
    try:
        details = event_details(stand_in)
    except InvalidInputError:
        return []
    return [i for i in check_details(details) if i.field not in unreadable]


def session_details(form: SessionForm | EventForm) -> SessionDetails:
    """The session of ``form``: a day (YYYY-MM-DD) and two times (HH:MM)."""
    issues: list[InputIssue] = []
    day = _parse(
        form.session_date, "session_date", date.fromisoformat, "a date such as 2025-03-10", issues
    )
    start = _parse(
        form.session_start, "session_start", time.fromisoformat, "a time such as 09:00", issues
    )
    end = _parse(
        form.session_end, "session_end", time.fromisoformat, "a time such as 12:00", issues
    )
    if issues or day is None or start is None or end is None:
        raise InvalidInputError("The session cannot be saved", issues)
    return SessionDetails(form.session_name, day, start, end)


def whole_number(
    text: str,
    field: str,
    issues: list[InputIssue],
    *,
    required: bool = False,
    low: int | None = None,
    missing: str = "must not be empty",
) -> int | None:
    """``text`` as a whole number, None when empty (``missing`` then, when ``required``); a
    problem goes to ``issues``. Without ``low`` the service checks the number's range (a slot,
    a priority); an id gives ``low=1``."""
    return read_whole_number(text, field, issues, low=low, required=required, missing=missing)


def slot_numbers(texts: list[str]) -> list[int]:
    """The ticked slot numbers; InvalidInputError (field ``unavailable_slots``) for any that
    is not a whole number."""
    issues: list[InputIssue] = []
    numbers = [whole_number(text, "unavailable_slots", issues) for text in texts]
    if issues:
        raise InvalidInputError("The unavailable slots cannot be saved", issues)
    return [number for number in numbers if number is not None]


def require_number(text: str, field: str, *, low: int | None = None) -> int:
    """``text`` as a whole number; InvalidInputError naming ``field`` when it is not one (or is
    below ``low``)."""
    issues: list[InputIssue] = []
    number = whole_number(text, field, issues, required=True, low=low)
    if number is None:
        raise InvalidInputError("The form is not valid", issues)
    return number


def _parse(
    text: str,
    field: str,
    parse: Callable[[str], _T],
    example: str,
    issues: list[InputIssue],
) -> _T | None:
    value = text.strip()
    try:
        return parse(value)
    except ValueError:
        reason = f'"{value}" is not {example}' if value else f"enter {example}"
        issues.append(InputIssue("", field, reason))
        return None
