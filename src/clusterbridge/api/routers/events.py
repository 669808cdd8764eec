"""Match-making events: set them up, register, request and answer meetings, schedule,
publish, agendas (JSON and iCalendar) and the report.

Every route needs an API token. An event the token's user may not see answers 404; one they
see but may not run answers 403 to an organiser's action.
"""

from typing import Annotated, Any, cast

from fastapi import APIRouter, Path, Query, Response

from clusterbridge.api.deps import CurrentUser, NotifierDep, NowDep, SessionDep, StateDep
from clusterbridge.api.downloads import attachment
from clusterbridge.api.json_body import ExactNumbersRoute
from clusterbridge.api.openapi import errors
from clusterbridge.api.routers.jobs import accepted
from clusterbridge.api.schemas.events import (
    AgendaRead,
    EventChanged,
    EventCreate,
    EventRead,
    EventUpdate,
    MeetingCreate,
    MeetingLock,
    MeetingRead,
    OutcomeUpdate,
    ParticipantRead,
    ParticipantStatusUpdate,
    PriorityUpdate,
    RegistrationCreate,
    ReminderRequest,
    RemindersRead,
    ScheduleRequest,
    SessionCreate,
    UnavailabilityUpdate,
)
from clusterbridge.api.schemas.jobs import JobRead
from clusterbridge.domain.enums import EventExport
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.events import agenda as event_agenda
from clusterbridge.services.events import events
from clusterbridge.services.events import meetings as event_meetings
from clusterbridge.services.events import participants as event_participants
from clusterbridge.services.events import report as event_report
from clusterbridge.services.events import schedule as event_schedule
from clusterbridge.services.events.events import EventChanges
from clusterbridge.services.events.exports import export_event
from clusterbridge.services.events.participants import Registration
from clusterbridge.services.jobs import submit_schedule_repair, submit_schedule_solve
from clusterbridge.services.workbooks import TableFormat

router = APIRouter(prefix="/events", tags=["events"], route_class=ExactNumbersRoute)

EventId = Annotated[int, Path(ge=1, le=MAX_ID)]
ItemId = Annotated[int, Path(ge=1, le=MAX_ID)]
ICS_MEDIA_TYPE = "text/calendar; charset=utf-8"


@router.get("")
def list_events(session: SessionDep, user: CurrentUser) -> list[EventRead]:
    """The events you may see: every event open for registration, and your own drafts."""
    return [EventRead.from_row(row) for row in events.list_events(session, user)]


@router.post("", status_code=201, responses=errors(403))
def create_event(
    body: EventCreate, session: SessionDep, user: CurrentUser, state: StateDep, now: NowDep
) -> EventRead:
    """Create a draft event (event organisers and administrators, or anyone signed in when the
    site allows it) with its sessions."""
    sessions = tuple(item.details() for item in body.sessions)
    anyone = state.settings.anyone_can_create_events
    row = events.create_event(
        session, user, body.details(), now=now, sessions=sessions, anyone_may_create=anyone
    )
    return EventRead.from_row(row)


@router.get("/{event_id}")
def read_event(event_id: EventId, session: SessionDep, user: CurrentUser) -> EventRead:
    """One event with its sessions."""
    return EventRead.from_row(events.get_event(session, user, event_id))


@router.patch("/{event_id}", responses=errors(403, 409))
def update_event(
    event_id: EventId, body: EventUpdate, session: SessionDep, user: CurrentUser
) -> EventChanged:
    """Change the settings given (organiser only). Before the agenda is published, a new slot
    length, or fewer rooms than a slot holds, takes their slot from the meetings that no longer
    fit: `unscheduled_meeting_ids` lists them (schedule again to place them). A new time zone
    keeps the local times of the sessions and meetings (09:00 stays 09:00): the scheduled
    meetings whose UTC time moved are `moved_meeting_ids`."""
    changes = cast(EventChanges, body.model_dump(exclude_unset=True))
    return EventChanged.from_change(events.update_event(session, user, event_id, changes))


@router.post("/{event_id}/sessions", status_code=201, responses=errors(403, 409))
def add_session(
    event_id: EventId, body: SessionCreate, session: SessionDep, user: CurrentUser, now: NowDep
) -> EventRead:
    """Add a session (organiser only; not once the agenda is published). It must not start in
    the past and must be at least one slot long (422 naming the field)."""
    row = events.add_session(session, user, event_id, body.details(), now=now)
    return EventRead.from_row(row)


@router.delete("/{event_id}/sessions/{session_id}", responses=errors(403, 404, 409))
def remove_session(
    event_id: EventId, session_id: ItemId, session: SessionDep, user: CurrentUser
) -> EventChanged:
    """Remove a session (organiser only; not once the agenda is published; not the last one of
    an event open for registration, 409). The meetings scheduled in it lose their slot:
    `unscheduled_meeting_ids` lists them (schedule again to place them). 404 for a session the
    event does not have."""
    return EventChanged.from_change(events.remove_session(session, user, event_id, session_id))


@router.post("/{event_id}/open", responses=errors(403, 409))
def open_registration(event_id: EventId, session: SessionDep, user: CurrentUser) -> EventRead:
    """Open registration (organiser only): the event becomes visible to every user."""
    return EventRead.from_row(events.open_registration(session, user, event_id))


@router.get("/{event_id}/participants", responses=errors(403))
def list_participants(
    event_id: EventId, session: SessionDep, user: CurrentUser
) -> list[ParticipantRead]:
    """For the organiser every registration; for a validated participant the other validated
    participants, suggested meetings first with their reasons."""
    event, views = event_participants.list_participants(session, user, event_id)
    slots = events.event_slots(event)
    return [ParticipantRead.from_row(view.participant, view, slots=slots) for view in views]


@router.post("/{event_id}/participants", status_code=201, responses=errors(409))
def register(
    event_id: EventId, body: RegistrationCreate, session: SessionDep, user: CurrentUser
) -> ParticipantRead:
    """Register yourself on behalf of a registry organisation (again: update it)."""
    registration = Registration(body.organisation_id, body.offers, body.needs, body.time_zone)
    return ParticipantRead.from_row(
        event_participants.register(session, user, event_id, registration)
    )


@router.delete("/{event_id}/participants/{participant_id}", responses=errors(403, 409))
def withdraw(
    event_id: EventId,
    participant_id: ItemId,
    *,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    notifier: NotifierDep,
) -> ParticipantRead:
    """Withdraw your own registration: your requests and meetings are cancelled and the other
    sides told; a published schedule is repaired. Registering again makes it pending."""
    row = event_participants.withdraw(
        session, user, event_id, participant_id, now=now, notifier=notifier
    )
    return ParticipantRead.from_row(row)


@router.post("/{event_id}/participants/{participant_id}/status", responses=errors(403, 409))
def set_participant_status(
    event_id: EventId,
    participant_id: ItemId,
    body: ParticipantStatusUpdate,
    *,
    session: SessionDep,
    user: CurrentUser,
    notifier: NotifierDep,
) -> ParticipantRead:
    """Validate or reject a registration (organiser only); the participant gets an e-mail."""
    row = event_participants.set_status(
        session, user, event_id, participant_id, body.status, notifier=notifier
    )
    return ParticipantRead.from_row(row)


@router.put("/{event_id}/participants/{participant_id}/unavailability", responses=errors(403, 409))
def set_unavailability(
    event_id: EventId,
    participant_id: ItemId,
    body: UnavailabilityUpdate,
    session: SessionDep,
    user: CurrentUser,
) -> ParticipantRead:
    """Say in which slots a participant cannot meet (yourself, or anyone as the organiser);
    scheduling keeps their meetings out of them. Fixed once the agenda is published (409)."""
    row = event_participants.set_unavailability(
        session, user, event_id, body.unavailable_slots, participant_id=participant_id
    )
    return ParticipantRead.from_row(row)


@router.get("/{event_id}/meetings", responses=errors(403))
def list_meetings(
    event_id: EventId, session: SessionDep, user: CurrentUser, now: NowDep
) -> list[MeetingRead]:
    """Every request and meeting for the organiser; your own for a participant."""
    rows = event_meetings.list_meetings(session, user, event_id, now=now)
    return [MeetingRead.from_row(row) for row in rows]


@router.post("/{event_id}/meetings", status_code=201, responses=errors(403, 409))
def request_meeting(
    event_id: EventId,
    body: MeetingCreate,
    *,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    notifier: NotifierDep,
) -> MeetingRead:
    """Ask another validated participant for a meeting, with a message."""
    row = event_meetings.request_meeting(
        session,
        user,
        event_id,
        recipient_id=body.recipient_id,
        message=body.message,
        now=now,
        notifier=notifier,
    )
    return MeetingRead.from_row(row)


@router.post("/{event_id}/meetings/{meeting_id}/accept", responses=errors(403, 409))
def accept_meeting(
    event_id: EventId,
    meeting_id: ItemId,
    *,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    notifier: NotifierDep,
) -> MeetingRead:
    """Accept a request you received."""
    row = event_meetings.respond(
        session, user, event_id, meeting_id, accept=True, now=now, notifier=notifier
    )
    return MeetingRead.from_row(row)


@router.post("/{event_id}/meetings/{meeting_id}/decline", responses=errors(403, 409))
def decline_meeting(
    event_id: EventId,
    meeting_id: ItemId,
    *,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    notifier: NotifierDep,
) -> MeetingRead:
    """Decline a request you received."""
    row = event_meetings.respond(
        session, user, event_id, meeting_id, accept=False, now=now, notifier=notifier
    )
    return MeetingRead.from_row(row)


@router.post("/{event_id}/meetings/{meeting_id}/cancel", responses=errors(403, 409))
def cancel_meeting(
    event_id: EventId,
    meeting_id: ItemId,
    *,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    notifier: NotifierDep,
) -> MeetingRead:
    """Withdraw a request or cancel a meeting (either participant, or the organiser); a
    published schedule is repaired."""
    row = event_meetings.cancel_meeting(
        session, user, event_id, meeting_id, now=now, notifier=notifier
    )
    return MeetingRead.from_row(row)


@router.post("/{event_id}/meetings/{meeting_id}/lock", responses=errors(403, 409))
def lock_meeting(
    event_id: EventId,
    meeting_id: ItemId,
    body: MeetingLock,
    *,
    session: SessionDep,
    user: CurrentUser,
    notifier: NotifierDep,
) -> MeetingRead:
    """Lock a meeting to its slot or to slot ``slot`` (organiser only)."""
    row = event_meetings.lock_meeting(
        session, user, event_id, meeting_id, slot=body.slot, notifier=notifier
    )
    return MeetingRead.from_row(row)


@router.post("/{event_id}/meetings/{meeting_id}/unlock", responses=errors(403))
def unlock_meeting(
    event_id: EventId, meeting_id: ItemId, session: SessionDep, user: CurrentUser
) -> MeetingRead:
    """Let scheduling move the meeting again (organiser only)."""
    return MeetingRead.from_row(event_meetings.unlock_meeting(session, user, event_id, meeting_id))


@router.put("/{event_id}/meetings/{meeting_id}/priority", responses=errors(403, 409))
def set_priority(
    event_id: EventId,
    meeting_id: ItemId,
    body: PriorityUpdate,
    session: SessionDep,
    user: CurrentUser,
) -> MeetingRead:
    """How much a meeting counts when not every meeting fits (organiser only)."""
    row = event_meetings.set_priority(session, user, event_id, meeting_id, priority=body.priority)
    return MeetingRead.from_row(row)


@router.put("/{event_id}/meetings/{meeting_id}/outcome", responses=errors(403, 409))
def record_outcome(
    event_id: EventId,
    meeting_id: ItemId,
    body: OutcomeUpdate,
    *,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
) -> MeetingRead:
    """Record what came of a meeting you took part in, once it is over."""
    row = event_meetings.record_outcome(
        session, user, event_id, meeting_id, outcome=body.outcome, now=now
    )
    return MeetingRead.from_row(row)


@router.post("/{event_id}/schedule", status_code=202, responses=errors(403, 409, 501))
def schedule_all(
    event_id: EventId,
    session: SessionDep,
    user: CurrentUser,
    state: StateDep,
    response: Response,
    body: ScheduleRequest | None = None,
) -> JobRead:
    """Place every accepted meeting (organiser only): locked ones keep their slot, the others
    are placed to fit as many as possible with as few breaks as possible.

    Answers 202 at once with the job (``Location: /api/jobs/{id}``); its ``result`` is then
    what the schedule did (status, placed, meetings, unplaced meeting ids, breaks, moved,
    seconds, reason, summary). 409 in the job's error if the event changed during the solve."""
    limit = (body or ScheduleRequest()).time_limit
    job = submit_schedule_solve(
        session, user, event_id, time_limit=limit, dispatch=state.jobs.dispatch
    )
    return accepted(response, job)


@router.post("/{event_id}/schedule/repair", status_code=202, responses=errors(403, 409))
def repair_schedule(
    event_id: EventId, session: SessionDep, user: CurrentUser, state: StateDep, response: Response
) -> JobRead:
    """Repair the published schedule (organiser only) from the next slot that has not started:
    accepted meetings without a slot get one where possible, moving as few others as it can;
    everyone whose meeting moves or gets a slot is told.

    Answers 202 at once with the job (``Location: /api/jobs/{id}``), or 409 before the agenda
    is published, without slots or without an accepted meeting. The job's ``result`` lists the
    ``moved`` meeting ids."""
    job = submit_schedule_repair(session, user, event_id, dispatch=state.jobs.dispatch)
    return accepted(response, job)


@router.post("/{event_id}/publish", responses=errors(403, 409))
def publish(
    event_id: EventId, session: SessionDep, user: CurrentUser, now: NowDep, notifier: NotifierDep
) -> EventRead:
    """Publish the agenda (organiser only); everyone with a meeting gets an e-mail."""
    row = event_schedule.publish_schedule(session, user, event_id, now=now, notifier=notifier)
    return EventRead.from_row(row)


@router.post("/{event_id}/reminders", responses=errors(403, 409))
def send_reminders(
    event_id: EventId,
    session: SessionDep,
    user: CurrentUser,
    now: NowDep,
    notifier: NotifierDep,
    body: ReminderRequest | None = None,
) -> RemindersRead:
    """Mail their coming meetings to the participants whose next meeting starts within
    ``within_hours`` (organiser only, once published); each is reminded once per stretch."""
    hours = (body or ReminderRequest()).within_hours
    reminded = event_agenda.send_reminders(
        session, user, event_id, now=now, notifier=notifier, within_hours=hours
    )
    return RemindersRead(reminded=[p.id for p in reminded])


@router.get("/{event_id}/agenda", responses=errors(403, 409))
def read_agenda(event_id: EventId, session: SessionDep, user: CurrentUser) -> AgendaRead:
    """Your meetings with local times and room links (once published); the organiser's
    agenda has every meeting."""
    return AgendaRead.from_agenda(event_agenda.get_agenda(session, user, event_id))


@router.get("/{event_id}/agenda.ics", response_class=Response, responses=errors(403, 409))
def download_agenda(
    event_id: EventId, session: SessionDep, user: CurrentUser, now: NowDep, state: StateDep
) -> Response:
    """The agenda as an iCalendar file."""
    agenda = event_agenda.get_agenda(session, user, event_id)
    content = event_agenda.agenda_calendar(agenda, public_url=state.settings.public_url, now=now)
    return attachment(content, f"event-{event_id}-agenda.ics", media_type=ICS_MEDIA_TYPE)


@router.get("/{event_id}/report", responses=errors(403))
def read_report(
    event_id: EventId, session: SessionDep, user: CurrentUser, now: NowDep
) -> dict[str, Any]:
    """Requests, acceptance rate, meetings held, breaks and outcomes (organiser only)."""
    return event_report.build_report(session, user, event_id, now=now).as_dict()


@router.get("/{event_id}/exports/{kind}", response_class=Response, responses=errors(403))
def download_export(
    event_id: EventId,
    kind: EventExport,
    session: SessionDep,
    user: CurrentUser,
    file_format: Annotated[TableFormat, Query(alias="format")] = TableFormat.CSV,
) -> Response:
    """The participants, the meeting requests, the meetings or every participant's agenda as
    a CSV or XLSX file (organiser only); times are the event's local times."""
    exported = export_event(session, user, event_id, kind=kind, file_format=file_format)
    return attachment(exported.content, exported.filename, media_type=exported.media_type)
