"""``clusterbridge events``: match-making events from the command line.

Commands that run an event act as its organiser; ``create`` names the organiser. Commands a
participant runs (register, request, accept, ...) act as the account named by ``--as``, with
that account's rights. Mail goes where the settings say (files in the data directory by
default).
"""

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from clusterbridge.cli.common import (
    FormatOption,
    OutputFormat,
    WaitOption,
    database,
    emit_json,
    now,
    output_file,
    user_errors,
    write_output,
)
from clusterbridge.cli.event_exports import export
from clusterbridge.cli.values import seconds_from
from clusterbridge.config import get_settings
from clusterbridge.db.models import Event, Meeting, User
from clusterbridge.domain.enums import MeetingOutcome, ParticipantStatus, RequestMode
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.events import MAX_SLOT_MINUTES, Slot, find_slot, local_time
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.events import agenda as event_agenda
from clusterbridge.services.events import events
from clusterbridge.services.events import meetings as event_meetings
from clusterbridge.services.events import participants as event_participants
from clusterbridge.services.events import report as event_report
from clusterbridge.services.events import schedule as event_schedule
from clusterbridge.services.events.events import (
    DEFAULT_ROOM_LINK,
    MAX_FAIRNESS,
    MAX_ROOMS,
    EventChanges,
    EventDetails,
    SessionDetails,
)
from clusterbridge.services.events.notifications import Notifier
from clusterbridge.services.mail import build_mailer
from clusterbridge.services.scheduling.limits import MAX_SLOTS

#: Seconds ``events schedule`` waits for its job beyond the solver's time limit.
JOB_WAIT_MARGIN = 60.0

app = typer.Typer(
    help="Match-making events: set up, validate, schedule, publish, report.", no_args_is_help=True
)

EventArgument = Annotated[
    int, typer.Argument(metavar="EVENT", help="The event's number.", min=1, max=MAX_ID)
]
MeetingArgument = Annotated[
    int, typer.Argument(metavar="MEETING", help="The meeting's number.", min=1, max=MAX_ID)
]
AsOption = Annotated[
    str, typer.Option("--as", metavar="EMAIL", help="Act as this account (a participant).")
]
MaybeAsOption = Annotated[
    str | None,
    typer.Option(
        "--as", metavar="EMAIL", help="Act as this account; default: the event's organiser."
    ),
]
#: A day as YYYY-MM-DD (whether it exists is checked apart).
DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
#: ``Morning@2025-03-10 09:00-12:00``
SESSION_PATTERN = re.compile(
    r"^(?P<name>[^@]+)@(?P<day>\S+)\s+(?P<start>\d\d?:\d\d)-(?P<end>\d\d?:\d\d)$"
)


#: The service's field names as the commands' options and arguments (a command's own option
#: of the same name, e.g. ``--time-zone``, is found by ``user_errors`` itself).
CLI_NAMES: Mapping[str, str] = {
    "recipient_id": "--to",
    "room_link_template": "--room-link",
    "request_expiry_hours": "--expiry-hours",
    "participant_id": "PARTICIPANT",
    "meeting_id": "MEETING",
    "organisation_id": "--organisation",
    "unavailable_slots": "SLOT",
}


@contextmanager
def _named(names: Mapping[str, str] = CLI_NAMES) -> Iterator[None]:
    """Re-raise an InvalidInputError with its fields named as the command line names them."""
    try:
        yield
    except InvalidInputError as error:
        issues = [
            issue
            if issue.location
            else InputIssue("", names.get(issue.field, issue.field), issue.reason)
            for issue in error.issues
        ]
        raise InvalidInputError(error.summary, issues) from None


def _notifier() -> Notifier:
    settings = get_settings()
    return Notifier(build_mailer(settings), settings.public_url)


@app.command("create")
def create(
    organiser: Annotated[
        str,
        typer.Option(
            "--organiser",
            help="The organiser's e-mail address (an event organiser or administrator).",
        ),
    ],
    name: Annotated[str, typer.Option("--name", help="The event's name.")],
    session: Annotated[
        list[str],
        typer.Option(
            "--session",
            help='A session as "NAME@YYYY-MM-DD HH:MM-HH:MM" in local time; repeat for more.',
        ),
    ],
    time_zone: Annotated[
        str, typer.Option("--time-zone", help="An IANA time zone.")
    ] = "Europe/Brussels",
    slot_minutes: Annotated[
        int, typer.Option("--slot-minutes", max=MAX_SLOT_MINUTES, help="The length of a meeting.")
    ] = 20,
    room_link: Annotated[
        str, typer.Option("--room-link", help="The room link template: {event}, {meeting}, {room}.")
    ] = DEFAULT_ROOM_LINK,
    request_mode: Annotated[
        RequestMode, typer.Option("--request-mode", help="Who accepts requests.")
    ] = RequestMode.ACCEPT_DECLINE,
    expiry_hours: Annotated[
        int | None,
        typer.Option(
            "--expiry-hours", help="Unanswered requests expire after this; default 72, 0: never."
        ),
    ] = 72,
    rooms: Annotated[
        int | None,
        typer.Option(
            "--rooms", max=MAX_ROOMS, help="Meetings at the same time; default: no limit."
        ),
    ] = None,
    fairness: Annotated[
        int | None,
        typer.Option(
            "--fairness",
            max=MAX_FAIRNESS,
            help="The most two participants' break counts may differ; default: no limit.",
        ),
    ] = None,
) -> None:
    """Create a draft event with its sessions and print its number."""
    with user_errors(), _named():
        sessions = tuple(_session(text) for text in session)
        details = EventDetails(
            name=name,
            time_zone=time_zone,
            slot_minutes=slot_minutes,
            room_link_template=room_link,
            request_mode=request_mode,
            request_expiry_hours=expiry_hours or None,
            rooms=rooms,
            fairness=fairness,
        )
        with database() as db, db.unit_of_work() as unit:
            actor = events.find_user(unit, organiser)
            event = events.create_event(
                unit,
                actor,
                details,
                now=now(),
                sessions=sessions,
                anyone_may_create=get_settings().anyone_can_create_events,
            )
            slots = len(events.event_slots(event))
            typer.echo(
                f"Created event {event.id}, {event.name}: {slots} slots (a draft: open it with `clusterbridge events open {event.id}`)"
            )


@app.command("list")
def list_events(output_format: FormatOption = OutputFormat.TEXT) -> None:
    """List every event with its status, first session and registrations."""
    with database() as db, db.unit_of_work() as unit:
        rows = events.list_all_events(unit)
        listed = [
            {
                "id": row.id,
                "name": row.name,
                "status": row.status.value,
                "time_zone": row.time_zone,
                "starts": local_time(row.sessions[0].starts_at, row.time_zone).isoformat()
                if row.sessions
                else None,
                "participants": len(row.participants),
            }
            for row in rows
        ]
    if output_format is OutputFormat.JSON:
        emit_json(listed)
        return
    for item in listed:
        typer.echo(
            f"{item['id']:>4}  {item['status']:<9}  {item['starts'] or '-':<25}  {item['participants']:>4}  {item['name']}"
        )


@app.command("open")
def open_event(event_id: EventArgument) -> None:
    """Open registration for a draft event."""
    with user_errors(), database() as db, db.unit_of_work() as unit:
        event = events.open_registration(unit, events.get_organiser(unit, event_id), event_id)
        typer.echo(f"Registration for event {event.id} is open")


@app.command("participants")
def participants(event_id: EventArgument, output_format: FormatOption = OutputFormat.TEXT) -> None:
    """List the event's registrations: number, status, organisation, person."""
    with user_errors(), database() as db, db.unit_of_work() as unit:
        _event, views = event_participants.list_participants(
            unit, events.get_organiser(unit, event_id), event_id
        )
        rows = [
            {
                "id": v.participant.id,
                "status": v.participant.status.value,
                "organisation": v.participant.organisation.name,
                "name": v.participant.user.name,
                "email": v.participant.user.email,
            }
            for v in views
        ]
    if output_format is OutputFormat.JSON:
        emit_json(rows)
        return
    for row in rows:
        typer.echo(
            f"{row['id']:>5}  {row['status']:<9}  {row['organisation']} ({row['name']}, {row['email']})"
        )


@app.command("validate")
def validate(
    event_id: EventArgument,
    participant: Annotated[
        list[int],
        typer.Argument(metavar="PARTICIPANT", help="Participant numbers.", min=1, max=MAX_ID),
    ],
    reject: Annotated[bool, typer.Option("--reject", help="Reject instead of validating.")] = False,
) -> None:
    """Validate (or reject) registrations; each participant gets an e-mail."""
    status = ParticipantStatus.REJECTED if reject else ParticipantStatus.VALIDATED
    with user_errors(), _named(), database() as db, db.unit_of_work() as unit:
        actor = events.get_organiser(unit, event_id)
        for number in participant:
            event_participants.set_status(
                unit, actor, event_id, number, status, notifier=_notifier()
            )
    typer.echo(f"{len(participant)} registrations {status.value}")


@app.command("schedule")
def schedule(
    event_id: EventArgument,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            parser=seconds_from(event_schedule.MIN_TIME_LIMIT, event_schedule.MAX_TIME_LIMIT),
            metavar="SECONDS",
            help=f"Seconds the solver may search ({event_schedule.MIN_TIME_LIMIT:g}-"
            f"{event_schedule.MAX_TIME_LIMIT:g}).",
        ),
    ] = 10.0,
    wait: WaitOption = True,
) -> None:
    """Place every accepted meeting: locked ones keep their slot, the rest with fewest breaks.

    Runs as a background job (``clusterbridge jobs``); a check that fails at once (a draft, no
    slots) or a job that fails exits with status 2.
    """
    from clusterbridge.cli.jobs import submit_and_follow  # noqa: PLC0415 -- slow import
    from clusterbridge.services.jobs import submit_schedule_solve  # noqa: PLC0415 -- slow import

    def submit(unit: Session, dispatch: Callable[[int], None]) -> Any:
        organiser = events.get_organiser(unit, event_id)
        return submit_schedule_solve(
            unit, organiser, event_id, time_limit=time_limit, dispatch=dispatch
        )

    submit_and_follow(submit, wait=wait, timeout=time_limit + JOB_WAIT_MARGIN)


@app.command("repair")
def repair(
    event_id: EventArgument,
    wait: WaitOption = True,
) -> None:
    """Repair a published schedule from the next slot that has not started: unplaced accepted
    meetings get a slot where possible, moving as few others as the solver can.

    Runs as a background job (``clusterbridge jobs``); a check that fails at once (not
    published, no slots, no accepted meeting) or a job that fails exits with status 2.
    """
    from clusterbridge.cli.jobs import submit_and_follow  # noqa: PLC0415 -- slow import
    from clusterbridge.services.jobs import submit_schedule_repair  # noqa: PLC0415 -- slow import

    def submit(unit: Session, dispatch: Callable[[int], None]) -> Any:
        organiser = events.get_organiser(unit, event_id)
        return submit_schedule_repair(unit, organiser, event_id, dispatch=dispatch)

    submit_and_follow(submit, wait=wait, timeout=JOB_WAIT_MARGIN)


@app.command("publish")
def publish(event_id: EventArgument) -> None:
    """Publish the agenda; everyone with a meeting gets an e-mail."""
    with user_errors(), database() as db, db.unit_of_work() as unit:
        event_schedule.publish_schedule(
            unit, events.get_organiser(unit, event_id), event_id, now=now(), notifier=_notifier()
        )
    typer.echo(f"The agenda of event {event_id} is published")


@app.command("ics")
def ics(
    event_id: EventArgument,
    participant: Annotated[
        int | None,
        typer.Option(
            "--participant", help="Whose agenda; default: every meeting.", min=1, max=MAX_ID
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", callback=output_file, help="The file to write; default: standard output."
        ),
    ] = None,
) -> None:
    """Export an agenda as an iCalendar (.ics) file."""
    names = {**CLI_NAMES, "participant_id": "--participant"}
    with user_errors(), _named(names), database() as db, db.unit_of_work() as unit:
        actor = events.get_organiser(unit, event_id)
        if participant is not None:
            event = events.get_event(unit, actor, event_id)
            actor = event_participants.find(event, participant).user
        agenda = event_agenda.get_agenda(unit, actor, event_id)
        content = event_agenda.agenda_calendar(
            agenda, public_url=get_settings().public_url, now=now()
        )
    write_output(content, output)


app.command("export")(export)


@app.command("report")
def report(event_id: EventArgument, output_format: FormatOption = OutputFormat.TEXT) -> None:
    """Print the event report: requests, acceptance rate, meetings held, breaks, outcomes."""
    with user_errors(), database() as db, db.unit_of_work() as unit:
        figures = event_report.build_report(
            unit, events.get_organiser(unit, event_id), event_id, now=now()
        ).as_dict()
    if output_format is OutputFormat.JSON:
        emit_json(figures)
        return
    rate = figures["acceptance_rate"]
    typer.echo(
        f"Registrations:    {figures['participants']} ("
        + ", ".join(f"{k} {v}" for k, v in figures["registrations"].items())  # type: ignore[attr-defined]
        + ")"
    )
    typer.echo("Requests:         " + ", ".join(f"{k} {v}" for k, v in figures["requests"].items()))  # type: ignore[attr-defined]
    typer.echo(
        f"Accepted:         {figures['accepted']} ({figures['cancelled_after_acceptance']} cancelled since)"
    )
    typer.echo(f"Acceptance rate:  {'-' if rate is None else f'{rate:.0%}'}")
    typer.echo(
        f"Scheduled:        {figures['scheduled']} ({figures['unscheduled']} accepted without a slot)"
    )
    typer.echo(f"Held:             {figures['held']} of {figures['past']} past")
    typer.echo(
        f"Breaks:           {figures['breaks']} (for {figures['participants_with_breaks']} participants)"
    )
    typer.echo("Outcomes:         " + ", ".join(f"{k} {v}" for k, v in figures["outcomes"].items()))  # type: ignore[attr-defined]


@app.command("update")
def update(
    event_id: EventArgument,
    name: Annotated[str | None, typer.Option("--name", help="The event's name.")] = None,
    rooms: Annotated[
        int | None, typer.Option("--rooms", max=MAX_ROOMS, help="Meetings at the same time.")
    ] = None,
    no_room_limit: Annotated[
        bool, typer.Option("--no-room-limit", help="Any number of meetings at once.")
    ] = False,
    fairness: Annotated[
        int | None,
        typer.Option(
            "--fairness",
            max=MAX_FAIRNESS,
            help="The most two participants' break counts may differ.",
        ),
    ] = None,
    no_fairness: Annotated[
        bool, typer.Option("--no-fairness", help="No bound on the difference.")
    ] = False,
    expiry_hours: Annotated[
        int | None,
        typer.Option("--expiry-hours", help="Unanswered requests expire after this; 0: never."),
    ] = None,
    request_mode: Annotated[
        RequestMode | None, typer.Option("--request-mode", help="Who accepts requests.")
    ] = None,
    repeat_requests: Annotated[
        bool | None,
        typer.Option(
            "--repeat-requests/--no-repeat-requests",
            help="Whether a participant may ask again someone who declined.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Change an event's settings; those not given keep their value."""
    changes = EventChanges()
    if name is not None:
        changes["name"] = name
    if rooms is not None or no_room_limit:
        changes["rooms"] = None if no_room_limit else rooms
    if fairness is not None or no_fairness:
        changes["fairness"] = None if no_fairness else fairness
    if expiry_hours is not None:
        changes["request_expiry_hours"] = expiry_hours or None
    if request_mode is not None:
        changes["request_mode"] = request_mode
    if repeat_requests is not None:
        changes["repeat_requests"] = repeat_requests
    with user_errors(), _named(), database() as db, db.unit_of_work() as unit:
        organiser = events.get_organiser(unit, event_id)
        change = events.update_event(unit, organiser, event_id, changes)
        event, lost = change.event, len(change.unscheduled)
        typer.echo(_describe_update(event, changes))
        if lost:
            typer.echo(events.describe_lost_slots(lost))


@app.command("register")
def register(
    event_id: EventArgument,
    who: AsOption,
    organisation: Annotated[
        int,
        typer.Option(
            "--organisation", help="The registry organisation's number.", min=1, max=MAX_ID
        ),
    ],
    offers: Annotated[str, typer.Option("--offers", help="What you offer.")] = "",
    needs: Annotated[str, typer.Option("--needs", help="What you look for.")] = "",
    time_zone: Annotated[
        str,
        typer.Option(
            "--time-zone",
            help="The time zone your mail gives times in (e.g. Europe/Lisbon); default: the "
            "event's.",
            show_default=False,
        ),
    ] = "",
) -> None:
    """Register (or update your registration) for an event on behalf of an organisation."""
    with user_errors(), _named(), database() as db, db.unit_of_work() as unit:
        actor = events.find_user(unit, who)
        # The command line sees every event: a draft is named as one, not as missing.
        events.check_registration_open(unit, event_id)
        registration = event_participants.Registration(organisation, offers, needs, time_zone)
        row = event_participants.register(unit, actor, event_id, registration)
        typer.echo(
            f"{actor.name} is participant {row.id} of event {event_id} for "
            f"{row.organisation.name} ({row.status.value})"
        )


@app.command("withdraw")
def withdraw(event_id: EventArgument, who: AsOption) -> None:
    """Withdraw your registration: your requests and meetings are cancelled, the others told."""
    with user_errors(), _named(), database() as db, db.unit_of_work() as unit:
        actor = events.find_user(unit, who)
        event = events.get_event(unit, actor, event_id)
        me = event_participants.find_registration(event, actor)
        row = event_participants.withdraw(
            unit, actor, event_id, me.id, now=now(), notifier=_notifier()
        )
        typer.echo(
            f"{actor.name} withdrew from event {event_id} ({row.organisation.name}): "
            "their requests and meetings are cancelled"
        )


@app.command("unavailable")
def unavailable(
    event_id: EventArgument,
    slots: Annotated[
        list[int] | None,
        typer.Argument(metavar="SLOT", help="Slot numbers (from 1); none: available in all."),
    ] = None,
    who: MaybeAsOption = None,
    participant: Annotated[
        int | None,
        typer.Option(
            "--participant", help="Whose (the organiser sets anyone's).", min=1, max=MAX_ID
        ),
    ] = None,
) -> None:
    """Say in which slots a participant cannot meet; replaces what was said before."""
    names = {**CLI_NAMES, "participant_id": "--participant"}
    with user_errors(), _named(names), database() as db, db.unit_of_work() as unit:
        actor = _actor(unit, event_id, who)
        if participant is None and who is None:
            issue = InputIssue("", "--participant", "name the participant, or act --as them")
            raise InvalidInputError("Whose slots?", [issue])
        row = event_participants.set_unavailability(
            unit, actor, event_id, slots or [], participant_id=participant
        )
        blocked = event_participants.participant_unavailable_slots(row.event, row)
        listed = ", ".join(map(str, blocked)) if blocked else "none"
        typer.echo(f"Participant {row.id} ({row.organisation.name}) unavailable in slots: {listed}")


@app.command("request")
def request(
    event_id: EventArgument,
    who: AsOption,
    to: Annotated[int, typer.Option("--to", help="The participant to meet.", min=1, max=MAX_ID)],
    message: Annotated[str, typer.Option("--message", help="A few words for them.")] = "",
) -> None:
    """Request a meeting with another validated participant."""
    with user_errors(), _named(), database() as db, db.unit_of_work() as unit:
        meeting = event_meetings.request_meeting(
            unit,
            events.find_user(unit, who),
            event_id,
            recipient_id=to,
            message=message,
            now=now(),
            notifier=_notifier(),
        )
        typer.echo(
            f"Meeting {meeting.id} with {meeting.recipient.organisation.name}: {meeting.status.value}"
        )


@app.command("accept")
def accept(event_id: EventArgument, meeting: MeetingArgument, who: AsOption) -> None:
    """Accept a meeting request you received."""
    _respond(event_id, meeting, who, accept=True)


@app.command("decline")
def decline(event_id: EventArgument, meeting: MeetingArgument, who: AsOption) -> None:
    """Decline a meeting request you received."""
    _respond(event_id, meeting, who, accept=False)


@app.command("cancel")
def cancel(event_id: EventArgument, meeting: MeetingArgument, who: MaybeAsOption = None) -> None:
    """Withdraw a request or cancel a meeting; a published schedule is repaired."""
    with user_errors(), _named(), database() as db, db.unit_of_work() as unit:
        row = event_meetings.cancel_meeting(
            unit, _actor(unit, event_id, who), event_id, meeting, now=now(), notifier=_notifier()
        )
        typer.echo(f"Meeting {row.id}: {row.status.value}")


@app.command("meetings")
def meetings(
    event_id: EventArgument,
    who: MaybeAsOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """List requests and meetings: all for the organiser, your own as a participant."""
    with user_errors(), database() as db, db.unit_of_work() as unit:
        actor = _actor(unit, event_id, who)
        rows = event_meetings.list_meetings(unit, actor, event_id, now=now())
        event = events.get_event(unit, actor, event_id)
        slots = events.event_slots(event)
        listed = [_meeting_row(m, slots, event.time_zone) for m in rows]
    if output_format is OutputFormat.JSON:
        emit_json(listed)
        return
    for item in listed:
        when = f"slot {item['slot']} {item['local_start']}" if item["slot"] else "no slot"
        flags = " locked" if item["locked"] else ""
        flags += f" priority {item['priority']}" if item["priority"] != 1 else ""
        typer.echo(
            f"{item['id']:>5}  {item['status']:<9}  {item['requester']} -> {item['recipient']}  ({when}{flags})"
        )


@app.command("lock")
def lock(
    event_id: EventArgument,
    meeting: MeetingArgument,
    slot: Annotated[
        int | None,
        typer.Option("--slot", max=MAX_SLOTS, help="The slot to put it in; default: its own."),
    ] = None,
) -> None:
    """Lock an accepted meeting to its slot (or to --slot) so that scheduling keeps it."""
    with user_errors(), _named(), database() as db, db.unit_of_work() as unit:
        row = event_meetings.lock_meeting(
            unit,
            events.get_organiser(unit, event_id),
            event_id,
            meeting,
            slot=slot,
            notifier=_notifier(),
        )
        typer.echo(
            f"Meeting {row.id} locked to room {row.room} at {row.starts_at:%Y-%m-%d %H:%M} UTC"
        )


@app.command("unlock")
def unlock(event_id: EventArgument, meeting: MeetingArgument) -> None:
    """Let scheduling move a locked meeting again."""
    with user_errors(), _named(), database() as db, db.unit_of_work() as unit:
        event_meetings.unlock_meeting(unit, events.get_organiser(unit, event_id), event_id, meeting)
    typer.echo(f"Meeting {meeting} unlocked")


@app.command("priority")
def priority(
    event_id: EventArgument,
    meeting: MeetingArgument,
    value: Annotated[int, typer.Argument(metavar="PRIORITY", help="1 (normal) to 5.")],
) -> None:
    """Set how much a meeting counts when not every meeting fits."""
    with user_errors(), _named(), database() as db, db.unit_of_work() as unit:
        row = event_meetings.set_priority(
            unit, events.get_organiser(unit, event_id), event_id, meeting, priority=value
        )
    typer.echo(f"Meeting {row.id}: priority {value}")


@app.command("outcome")
def outcome(
    event_id: EventArgument,
    meeting: MeetingArgument,
    value: Annotated[
        MeetingOutcome,
        typer.Argument(
            metavar="OUTCOME", help="What came of it: no_show, held, follow_up or agreement."
        ),
    ],
    who: AsOption,
) -> None:
    """Record what came of a meeting you took part in, once it is over."""
    with user_errors(), _named(), database() as db, db.unit_of_work() as unit:
        event_meetings.record_outcome(
            unit, events.find_user(unit, who), event_id, meeting, outcome=value, now=now()
        )
    typer.echo(f"Meeting {meeting}: {value.value}")


@app.command("agenda")
def agenda(
    event_id: EventArgument,
    who: MaybeAsOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Print an agenda in local time with room links: yours (--as), or every meeting."""
    with user_errors(), database() as db, db.unit_of_work() as unit:
        found = event_agenda.get_agenda(unit, _actor(unit, event_id, who), event_id)
        items: list[dict[str, object]] = []
        lines = []
        for item in found.items:
            pair = [
                item.meeting.requester.organisation.name,
                item.meeting.recipient.organisation.name,
            ]
            other = item.other.organisation.name if item.other else None
            items.append(
                {
                    "meeting": item.meeting.id,
                    "slot": item.slot,
                    "local_start": item.starts.isoformat(),
                    "local_end": item.ends.isoformat(),
                    "room": item.room,
                    "link": item.link,
                    "with": other,
                    "between": pair,
                }
            )
            lines.append(
                f"{item.starts:%Y-%m-%d %H:%M}  slot {item.slot:>2}  {other or ' / '.join(pair)}  {item.link}"
            )
        time_zone = found.event.time_zone
    if output_format is OutputFormat.JSON:
        emit_json({"event": event_id, "time_zone": time_zone, "items": items})
        return
    typer.echo(f"Times in {time_zone}")
    for line in lines:
        typer.echo(line)


@app.command("remind")
def remind(
    event_id: EventArgument,
    within_hours: Annotated[
        int,
        typer.Option(
            "--within-hours",
            max=event_agenda.MAX_REMINDER_HOURS,
            help="Remind those whose next meeting starts this soon.",
        ),
    ] = event_agenda.DEFAULT_REMINDER_HOURS,
) -> None:
    """Mail a reminder to each participant whose next meeting is near.

    Run it from cron, e.g. hourly: each participant is reminded once before each day of
    meetings."""
    with user_errors(), database() as db, db.unit_of_work() as unit:
        reminded = event_agenda.send_reminders(
            unit,
            events.get_organiser(unit, event_id),
            event_id,
            now=now(),
            notifier=_notifier(),
            within_hours=within_hours,
        )
        names = ", ".join(p.organisation.name for p in reminded)
    typer.echo(f"{len(reminded)} reminders sent" + (f": {names}" if names else ""))


#: How ``events update`` names each setting it changed.
SETTING_NAMES = {
    "name": "name",
    "rooms": "rooms",
    "fairness": "fairness",
    "request_expiry_hours": "requests expire after",
    "request_mode": "requests",
    "repeat_requests": "repeated requests",
}


def _describe_update(event: Event, changes: EventChanges) -> str:
    """What ``events update`` changed, with the values now set."""
    if not changes:
        return f"Event {event.id}: nothing to change (give a setting to change)"
    parts = []
    for key, label in SETTING_NAMES.items():
        if key not in changes:
            continue
        value = getattr(event, key)
        if key == "name":
            text = f'"{value}"'
        elif key == "request_expiry_hours":
            text = "never" if value is None else f"{value} hours"
        elif key == "request_mode":
            text = value.value
        elif key == "repeat_requests":
            text = "allowed" if value else "refused after a decline"
        else:
            text = "no limit" if value is None else str(value)
        parts.append(f"{label} {text}")
    return f"Event {event.id} saved: " + ", ".join(parts)


def _actor(unit: Session, event_id: int, who: str | None) -> User:
    return events.find_user(unit, who) if who else events.get_organiser(unit, event_id)


def _respond(event_id: int, meeting: int, who: str, *, accept: bool) -> None:
    with user_errors(), _named(), database() as db, db.unit_of_work() as unit:
        row = event_meetings.respond(
            unit,
            events.find_user(unit, who),
            event_id,
            meeting,
            accept=accept,
            now=now(),
            notifier=_notifier(),
        )
        typer.echo(f"Meeting {row.id} with {row.requester.organisation.name}: {row.status.value}")


def _meeting_row(meeting: Meeting, slots: tuple[Slot, ...], time_zone: str) -> dict[str, object]:
    slot = find_slot(slots, meeting.starts_at) if meeting.starts_at else None
    return {
        "id": meeting.id,
        "status": meeting.status.value,
        "requester_id": meeting.requester_id,
        "recipient_id": meeting.recipient_id,
        "requester": meeting.requester.organisation.name,
        "recipient": meeting.recipient.organisation.name,
        "slot": slot.index + 1 if slot else None,
        "local_start": local_time(slot.start, time_zone).isoformat() if slot else None,
        "room": meeting.room,
        "locked": meeting.locked,
        "priority": meeting.priority,
        "message": meeting.message,
    }


def _session(text: str) -> SessionDetails:
    match = SESSION_PATTERN.match(text.strip())
    if match is None or not DAY_PATTERN.match(match["day"]):
        reason = (
            f'"{text}" is not NAME@YYYY-MM-DD HH:MM-HH:MM, e.g. "Morning@2025-03-10 09:00-12:00"'
        )
        raise InvalidInputError(
            "The event cannot be created", [InputIssue("", "--session", reason)]
        )
    issues: list[InputIssue] = []
    try:
        day = date.fromisoformat(match["day"])
    except ValueError:
        day = None
        issues.append(InputIssue("", "--session", f"{match['day']} is not a date (no such day)"))
    start, end = (_clock(match[part], issues) for part in ("start", "end"))
    if issues or day is None or start is None or end is None:
        raise InvalidInputError("The event cannot be created", issues)
    return SessionDetails(match["name"].strip(), day, start, end)


def _clock(text: str, issues: list[InputIssue]) -> time | None:
    """``text`` (H:MM or HH:MM) as a time; a problem goes to ``issues``."""
    try:
        return time.fromisoformat(text.zfill(5))
    except ValueError:
        issues.append(InputIssue("", "--session", f"{text} is not a time (no such hour or minute)"))
        return None
