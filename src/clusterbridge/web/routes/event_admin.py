"""Event pages for the organiser: create an event, its settings and sessions, open
registration, validate participants, lock meetings, schedule, publish, and the report.

htmx actions on participants and meetings answer with the panel they changed; without htmx
each form redirects back to the management page, or re-renders it with the reasons.
"""

from typing import Annotated, Any

from fastapi import Form, Path, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from clusterbridge.api.deps import StateDep
from clusterbridge.api.downloads import attachment
from clusterbridge.db.models import Event
from clusterbridge.domain.enums import (
    EventExport,
    EventStatus,
    MeetingStatus,
    ParticipantStatus,
    RequestMode,
)
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.events import find_slot
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.events import agenda as event_agenda
from clusterbridge.services.events import events
from clusterbridge.services.events import meetings as event_meetings
from clusterbridge.services.events import participants as event_participants
from clusterbridge.services.events import report as event_report
from clusterbridge.services.events import schedule as event_schedule
from clusterbridge.services.events.events import EventChanges
from clusterbridge.services.events.exports import export_event
from clusterbridge.services.events.meetings import MAX_PRIORITY, MIN_PRIORITY
from clusterbridge.services.events.schedule import unavailable_slots
from clusterbridge.services.jobs import submit_schedule_repair, submit_schedule_solve
from clusterbridge.services.workbooks import TableFormat
from clusterbridge.web.event_forms import (
    EventForm,
    LockForm,
    Page,
    PageContext,
    PriorityForm,
    ReminderForm,
    SessionForm,
    UnavailabilityForm,
    form_of,
    new_event,
    require_number,
    session_details,
    settings_details,
    slot_numbers,
    whole_number,
)
from clusterbridge.web.routing import web_router
from clusterbridge.web.templating import is_htmx, render
from clusterbridge.web.wording import field_errors

router = web_router(prefix="/events")

EventId = Annotated[int, Path(ge=1, le=MAX_ID)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
PARTICIPANTS = "events/_manage_participants.html"
MEETINGS = "events/_manage_meetings.html"
#: The session key of the sentence an action ("schedule all", reminders) leaves for the next
#: management page.
SCHEDULE_NOTE = "event_schedule_note"


@router.post("", response_model=None)
def create(page: Page, form: Annotated[EventForm, Form()]) -> Response:
    """Create a draft event with its first session and open its management page."""
    try:
        details, first = new_event(form)
        created = events.create_event(
            page.session,
            page.user,
            details,
            now=page.now,
            sessions=(first,),
            anyone_may_create=page.anyone_may_create,
        )
    except InvalidInputError as error:
        context = {
            "events": events.list_events(page.session, page.user),
            "can_create": True,
            "form": form,
            "errors": _errors(error),
            "error": error,
            "request_modes": list(RequestMode),
        }
        return render(
            page.request, "events/list.html", context, user=page.user, status_code=error.status
        )
    return RedirectResponse(f"/events/{created.id}/manage", status_code=303)


@router.get("/{event_id}/manage", response_class=HTMLResponse)
def manage_page(event_id: EventId, page: Page) -> HTMLResponse:
    """Everything the organiser does before and during the event, on one page."""
    event = events.get_managed_event(page.session, page.user, event_id)
    context = manage_context(event, page)
    context["schedule"] = page.request.session.pop(SCHEDULE_NOTE, None)
    return render(page.request, "events/manage.html", context, user=page.user)


@router.post("/{event_id}/settings", response_model=None)
def save_settings(event_id: EventId, page: Page, form: Annotated[EventForm, Form()]) -> Response:
    """Save the event's settings; the next management page says how many meetings lost their
    slot (a new slot length, fewer rooms than a slot holds)."""
    try:
        details = settings_details(form)
        changes = EventChanges(
            name=details.name,
            description=details.description,
            time_zone=details.time_zone,
            slot_minutes=details.slot_minutes,
            room_link_template=details.room_link_template,
            request_mode=details.request_mode,
            request_expiry_hours=details.request_expiry_hours,
            rooms=details.rooms,
            fairness=details.fairness,
            repeat_requests=details.repeat_requests,
        )
        before = events.get_managed_event(page.session, page.user, event_id).time_zone
        change = events.update_event(page.session, page.user, event_id, changes)
    except InvalidInputError as error:
        return _manage_error(page, event_id, error, form=form)
    lost = len(change.unscheduled)
    note = "Settings saved." + _lost_slots(lost)
    if change.event.time_zone != before:
        note += f" {events.describe_moved(len(change.moved), change.event.time_zone)}."
    if note != "Settings saved.":
        page.request.session[SCHEDULE_NOTE] = note
    return RedirectResponse(f"/events/{event_id}/manage", status_code=303)


@router.post("/{event_id}/sessions", response_model=None)
def add_session(event_id: EventId, page: Page, form: Annotated[SessionForm, Form()]) -> Response:
    """Add a session."""
    try:
        details = session_details(form)
        events.add_session(page.session, page.user, event_id, details, now=page.now)
    except InvalidInputError as error:
        return _manage_error(page, event_id, error, session_form=form)
    return RedirectResponse(f"/events/{event_id}/manage", status_code=303)


@router.get("/{event_id}/sessions/{session_id}/remove", response_class=HTMLResponse)
def confirm_remove_session(event_id: EventId, session_id: ItemId, page: Page) -> HTMLResponse:
    """Ask before removing a session, naming the meetings that would lose their slot."""
    event = events.get_managed_event(page.session, page.user, event_id)
    events.require_unpublished(event)
    scheduled = events.meetings_in_session(event, session_id)
    events.require_removable(event)
    row = next(row for row in event.sessions if row.id == session_id)
    context = {"event": event, "row": row, "scheduled": scheduled}
    return render(page.request, "events/confirm_remove_session.html", context, user=page.user)


@router.post("/{event_id}/sessions/{session_id}/remove")
def remove_session(event_id: EventId, session_id: ItemId, page: Page) -> RedirectResponse:
    """Remove a session; the next management page says how many meetings lost their slot."""
    event = events.get_managed_event(page.session, page.user, event_id)
    row = next((row for row in event.sessions if row.id == session_id), None)
    change = events.remove_session(page.session, page.user, event_id, session_id)
    note = f'Session "{row.name if row else session_id}" removed.'
    lost = _lost_slots(len(change.unscheduled), " scheduled in it")
    page.request.session[SCHEDULE_NOTE] = note + lost
    return RedirectResponse(f"/events/{event_id}/manage", status_code=303)


@router.post("/{event_id}/open", response_model=None)
def open_registration(event_id: EventId, page: Page) -> Response:
    """Open registration; without a slot the management page says why it cannot."""
    try:
        events.open_registration(page.session, page.user, event_id)
    except InvalidInputError as error:
        return _manage_error(page, event_id, error)
    return RedirectResponse(f"/events/{event_id}/manage", status_code=303)


@router.post("/{event_id}/participants/{participant_id}/{decision}", response_model=None)
def decide(event_id: EventId, participant_id: ItemId, decision: str, page: Page) -> Response:
    """Validate or reject a registration; htmx gets the participants panel back."""
    statuses = {"validate": ParticipantStatus.VALIDATED, "reject": ParticipantStatus.REJECTED}
    if decision not in statuses:
        issue = InputIssue("", "decision", "must be validate or reject")
        raise InvalidInputError("Unknown decision", [issue])
    event_participants.set_status(
        page.session,
        page.user,
        event_id,
        participant_id,
        statuses[decision],
        notifier=page.notifier,
    )
    return _after(page, event_id, PARTICIPANTS)


@router.post("/{event_id}/meetings/{meeting_id}/lock", response_model=None)
def lock(
    event_id: EventId, meeting_id: ItemId, page: Page, form: Annotated[LockForm, Form()]
) -> Response:
    """Lock a meeting to its slot or to the slot chosen; htmx gets the meetings panel back."""
    try:
        issues: list[InputIssue] = []
        slot = whole_number(form.slot, "slot", issues)
        if issues:
            raise InvalidInputError("The meeting cannot be locked", issues)
        event_meetings.lock_meeting(
            page.session, page.user, event_id, meeting_id, slot=slot, notifier=page.notifier
        )
    except InvalidInputError as error:
        return _after(page, event_id, MEETINGS, error=error, failed=meeting_id)
    return _after(page, event_id, MEETINGS)


@router.post("/{event_id}/meetings/{meeting_id}/priority", response_model=None)
def priority(
    event_id: EventId, meeting_id: ItemId, page: Page, form: Annotated[PriorityForm, Form()]
) -> Response:
    """Set a meeting's priority; htmx gets the meetings panel back."""
    try:
        value = require_number(form.priority, "priority")
        event_meetings.set_priority(page.session, page.user, event_id, meeting_id, priority=value)
    except InvalidInputError as error:
        return _after(page, event_id, MEETINGS, error=error, failed=meeting_id)
    return _after(page, event_id, MEETINGS)


@router.post("/{event_id}/unavailability/{participant_id}", response_model=None)
def participant_unavailability(
    event_id: EventId,
    participant_id: ItemId,
    page: Page,
    form: Annotated[UnavailabilityForm, Form()],
) -> Response:
    """Set a participant's unavailable slots for them; htmx gets the participants panel back."""
    try:
        slots = slot_numbers(form.slots)
        event_participants.set_unavailability(
            page.session, page.user, event_id, slots, participant_id=participant_id
        )
    except InvalidInputError as error:
        return _after(page, event_id, PARTICIPANTS, error=error, failed=participant_id)
    return _after(page, event_id, PARTICIPANTS)


@router.post("/{event_id}/reminders", response_class=HTMLResponse)
def reminders(event_id: EventId, page: Page, form: Annotated[ReminderForm, Form()]) -> Response:
    """Send reminders now and say to whom."""
    try:
        hours = require_number(form.within_hours, "within_hours")
        reminded = event_agenda.send_reminders(
            page.session,
            page.user,
            event_id,
            now=page.now,
            notifier=page.notifier,
            within_hours=hours,
        )
    except InvalidInputError as error:
        return _manage_error(page, event_id, error, within_hours=form.within_hours)
    names = ", ".join(p.organisation.name for p in reminded)
    note = f"{len(reminded)} reminders sent" + (f": {names}." if names else ".")
    if not reminded:
        note += f" Nobody has a meeting in the next {hours} hours who was not reminded already."
    page.request.session[SCHEDULE_NOTE] = note
    return RedirectResponse(f"/events/{event_id}/manage", status_code=303)


@router.post("/{event_id}/meetings/{meeting_id}/unlock", response_model=None)
def unlock(event_id: EventId, meeting_id: ItemId, page: Page) -> Response:
    """Let scheduling move the meeting again."""
    event_meetings.unlock_meeting(page.session, page.user, event_id, meeting_id)
    return _after(page, event_id, MEETINGS)


@router.post("/{event_id}/schedule")
def schedule_all(event_id: EventId, page: Page, state: StateDep) -> RedirectResponse:
    """Schedule every accepted meeting in a background job, and open the job's page."""
    job = submit_schedule_solve(
        page.session,
        page.user,
        event_id,
        time_limit=event_schedule.DEFAULT_TIME_LIMIT,
        dispatch=state.jobs.dispatch,
    )
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.post("/{event_id}/schedule/repair")
def repair(event_id: EventId, page: Page, state: StateDep) -> RedirectResponse:
    """Repair the published schedule in a background job, and open the job's page."""
    job = submit_schedule_repair(page.session, page.user, event_id, dispatch=state.jobs.dispatch)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/{event_id}/publish", response_class=HTMLResponse)
def confirm_publish(event_id: EventId, page: Page) -> HTMLResponse:
    """Ask before publishing: who gets an e-mail, and that the sessions are then fixed."""
    event = events.get_managed_event(page.session, page.user, event_id)
    context = {
        "event": event,
        "republish": event.status is EventStatus.PUBLISHED,
        "recipients": sum(p.status is ParticipantStatus.VALIDATED for p in event.participants),
        "scheduled": sum(
            m.status is MeetingStatus.ACCEPTED and m.starts_at is not None for m in event.meetings
        ),
    }
    return render(page.request, "events/confirm_publish.html", context, user=page.user)


@router.post("/{event_id}/publish")
def publish(event_id: EventId, page: Page) -> RedirectResponse:
    """Publish the agenda and tell the participants."""
    event_schedule.publish_schedule(
        page.session, page.user, event_id, now=page.now, notifier=page.notifier
    )
    return RedirectResponse(f"/events/{event_id}/manage", status_code=303)


@router.get("/{event_id}/report", response_class=HTMLResponse)
def report_page(event_id: EventId, page: Page) -> HTMLResponse:
    """The event report with its charts."""
    report = event_report.build_report(page.session, page.user, event_id, now=page.now)
    context = {"report": report, "event": report.event}
    return render(page.request, "events/report.html", context, user=page.user)


@router.get("/{event_id}/exports/{kind}", response_class=Response)
def download_export(
    event_id: EventId,
    kind: EventExport,
    page: Page,
    file_format: Annotated[TableFormat, Query(alias="format")] = TableFormat.CSV,
) -> Response:
    """The participants, requests, meetings or agendas as a CSV or XLSX download."""
    exported = export_event(page.session, page.user, event_id, kind=kind, file_format=file_format)
    return attachment(exported.content, exported.filename, media_type=exported.media_type)


# ------------------------------------------------------------------------ shared helpers


def manage_context(event: Event, page: PageContext) -> dict[str, Any]:
    """Everything the management page and its panels show."""
    slots = events.event_slots(event)
    slot_of = {
        m.id: slot.index + 1
        for m in event.meetings
        if m.starts_at is not None and (slot := find_slot(slots, m.starts_at)) is not None
    }
    return {
        "event": event,
        "slots": slots,
        "slot_of": slot_of,
        "unavailable": {p.id: unavailable_slots(slots, p) for p in event.participants},
        "priorities": range(MIN_PRIORITY, MAX_PRIORITY + 1),
        "form": form_of(event),
        "session_form": SessionForm(),
        "request_modes": list(RequestMode),
        "participants": sorted(
            event.participants, key=lambda p: (p.status.value != "pending", p.id)
        ),
        "meetings": sorted(
            event.meetings, key=lambda m: (m.status.value, slot_of.get(m.id, 0), m.id)
        ),
        "errors": {},
        "error": None,
        # Whether the error is of the session form (its fields are named as a session's).
        "on_session_form": False,
        "schedule": None,
    }


def _after(
    page: PageContext,
    event_id: int,
    fragment: str,
    *,
    error: InvalidInputError | None = None,
    failed: int | None = None,
) -> Response:
    """The panel changed (htmx) or the management page; a refused change of the meeting or
    participant ``failed`` marks that row's field invalid, so the focus goes back to it."""
    if error is None and not is_htmx(page.request):
        return RedirectResponse(f"/events/{event_id}/manage", status_code=303)
    event = events.get_managed_event(page.session, page.user, event_id)
    context = manage_context(event, page)
    if error is not None:
        context |= {"error": error, "errors": _errors(error), "failed": failed}
    template = fragment if is_htmx(page.request) else "events/manage.html"
    status = error.status if error is not None else 200
    return render(page.request, template, context, user=page.user, status_code=status)


def _manage_error(
    page: PageContext,
    event_id: int,
    error: InvalidInputError,
    *,
    form: EventForm | None = None,
    session_form: SessionForm | None = None,
    within_hours: str | None = None,
) -> HTMLResponse:
    event = events.get_managed_event(page.session, page.user, event_id)
    on_session_form = session_form is not None
    errors = field_errors(error, session_form=on_session_form)
    context = manage_context(event, page) | {
        "error": error,
        "errors": errors,
        "on_session_form": on_session_form,
    }
    if form is not None:
        context["form"] = form
    if session_form is not None:
        context["session_form"] = session_form
    if within_hours is not None:
        context["within_hours"] = within_hours
    return render(
        page.request, "events/manage.html", context, user=page.user, status_code=error.status
    )


def _lost_slots(count: int, where: str = "") -> str:
    """What the management page says of ``count`` meetings (``where``) that lost their slot."""
    return f" {events.describe_lost_slots(count, where=where)}." if count else ""


def _errors(error: InvalidInputError) -> dict[str, str]:
    return field_errors(error)
