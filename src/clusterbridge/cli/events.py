"""``clusterbridge events``: match-making events from the command line.

Commands that run an event act as its organiser; ``create`` names the organiser. Mail goes
where the settings say (files in the data directory by default).
"""

import re
from datetime import date, time
from pathlib import Path
from typing import Annotated

import typer

from clusterbridge.cli.common import (
    FormatOption,
    OutputFormat,
    database,
    emit_json,
    now,
    user_errors,
    write_output,
)
from clusterbridge.config import get_settings
from clusterbridge.domain.enums import ParticipantStatus, RequestMode
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.events import local_time
from clusterbridge.services import (
    event_agenda,
    event_participants,
    event_report,
    event_schedule,
    events,
)
from clusterbridge.services.event_notifications import Notifier
from clusterbridge.services.events import DEFAULT_ROOM_LINK, EventDetails, SessionDetails
from clusterbridge.services.mail import build_mailer

app = typer.Typer(
    help="Match-making events: set up, validate, schedule, publish, report.", no_args_is_help=True
)

EventArgument = Annotated[int, typer.Argument(metavar="EVENT", help="The event's number.", min=1)]
#: ``Morning@2025-03-10 09:00-12:00``
SESSION_PATTERN = re.compile(
    r"^(?P<name>[^@]+)@(?P<day>\S+)\s+(?P<start>\d\d?:\d\d)-(?P<end>\d\d?:\d\d)$"
)


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
        int, typer.Option("--slot-minutes", help="The length of a meeting.")
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
        int | None, typer.Option("--rooms", help="Meetings at the same time; default: no limit.")
    ] = None,
) -> None:
    """Create a draft event with its sessions and print its number."""
    with user_errors():
        sessions = tuple(_session(text) for text in session)
        details = EventDetails(
            name=name,
            time_zone=time_zone,
            slot_minutes=slot_minutes,
            room_link_template=room_link,
            request_mode=request_mode,
            request_expiry_hours=expiry_hours or None,
            rooms=rooms,
        )
        with database() as db, db.unit_of_work() as unit:
            actor = events.find_user(unit, organiser)
            event = events.create_event(unit, actor, details, sessions=sessions)
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
        list[int], typer.Argument(metavar="PARTICIPANT...", help="Participant numbers.")
    ],
    reject: Annotated[bool, typer.Option("--reject", help="Reject instead of validating.")] = False,
) -> None:
    """Validate (or reject) registrations; each participant gets an e-mail."""
    status = ParticipantStatus.REJECTED if reject else ParticipantStatus.VALIDATED
    with user_errors(), database() as db, db.unit_of_work() as unit:
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
        float, typer.Option("--time-limit", help="Seconds the solver may search.")
    ] = 10.0,
) -> None:
    """Place every accepted meeting: locked ones keep their slot, the rest with fewest breaks."""
    with user_errors(), database() as db, db.unit_of_work() as unit:
        summary = event_schedule.schedule_all(
            unit,
            events.get_organiser(unit, event_id),
            event_id,
            notifier=_notifier(),
            time_limit=time_limit,
        )
        typer.echo(summary.describe())


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
        typer.Option("--participant", help="Whose agenda; default: every meeting.", min=1),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="The file to write; default: standard output.")
    ] = None,
) -> None:
    """Export an agenda as an iCalendar (.ics) file."""
    with user_errors(), database() as db, db.unit_of_work() as unit:
        actor = events.get_organiser(unit, event_id)
        if participant is not None:
            event = events.get_event(unit, actor, event_id)
            actor = event_participants.find(event, participant).user
        agenda = event_agenda.get_agenda(unit, actor, event_id)
        content = event_agenda.agenda_calendar(
            agenda, public_url=get_settings().public_url, now=now()
        )
    write_output(content, output)


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
    typer.echo(f"Registrations:    {figures['participants']}")
    typer.echo("Requests:         " + ", ".join(f"{k} {v}" for k, v in figures["requests"].items()))  # type: ignore[attr-defined]
    typer.echo(f"Acceptance rate:  {'-' if rate is None else f'{rate:.0%}'}")
    typer.echo(
        f"Scheduled:        {figures['scheduled']} ({figures['unscheduled']} accepted without a slot)"
    )
    typer.echo(f"Held:             {figures['held']} of {figures['past']} past")
    typer.echo(
        f"Breaks:           {figures['breaks']} (for {figures['participants_with_breaks']} participants)"
    )
    typer.echo("Outcomes:         " + ", ".join(f"{k} {v}" for k, v in figures["outcomes"].items()))  # type: ignore[attr-defined]


def _session(text: str) -> SessionDetails:
    match = SESSION_PATTERN.match(text.strip())
    try:
        if match is None:
            raise ValueError
        return SessionDetails(
            match["name"].strip(),
            date.fromisoformat(match["day"]),
            time.fromisoformat(match["start"].zfill(5)),
            time.fromisoformat(match["end"].zfill(5)),
        )
    except ValueError:
        reason = (
            f'"{text}" is not NAME@YYYY-MM-DD HH:MM-HH:MM, e.g. "Morning@2025-03-10 09:00-12:00"'
        )
        raise InvalidInputError(
            "The event cannot be created", [InputIssue("", "--session", reason)]
        ) from None
