"""Exports of an event for its organiser: participants, meeting requests, meetings and every
participant's agenda, as CSV or XLSX files.

Times are the event's local times (the time zone is named in the column's header). Cells a
spreadsheet program would run as formulas are never written as formulas
(`services.workbooks.write_table`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, EventParticipant, Meeting, User
from clusterbridge.domain.enums import EventExport, MeetingStatus
from clusterbridge.domain.events import local_time, render_room_link
from clusterbridge.services.events.agenda import build_items
from clusterbridge.services.events.events import get_managed_event
from clusterbridge.services.workbooks import Cell, TableFormat, write_table

DAY_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"
MOMENT_FORMAT = f"{DAY_FORMAT} {TIME_FORMAT}"


@dataclass(frozen=True, slots=True)
class ExportFile:
    """An export: the file's name, its MIME type and its bytes."""

    filename: str
    media_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class Table:
    """A table before it is written: the header and the rows."""

    header: list[str]
    rows: list[list[Cell]]


def export_event(
    session: Session,
    actor: User,
    event_id: int,
    *,
    kind: EventExport,
    file_format: TableFormat,
) -> ExportFile:
    """The event's ``kind`` export as a file (organiser only: 404 if ``actor`` may not see the
    event, else 403). Reads only."""
    event = get_managed_event(session, actor, event_id)
    table = build_table(event, kind)
    content = write_table(table.header, table.rows, file_format=file_format, sheet=kind.value)
    filename = f"event-{event.id}-{kind.value}.{file_format.value}"
    return ExportFile(filename, file_format.media_type, content)


def build_table(event: Event, kind: EventExport) -> Table:
    """The ``kind`` table of ``event`` (loaded whole)."""
    builders = {
        EventExport.PARTICIPANTS: _participants,
        EventExport.REQUESTS: _requests,
        EventExport.MEETINGS: _meetings,
        EventExport.AGENDAS: _agendas,
    }
    return builders[kind](event)


def _participants(event: Event) -> Table:
    zone = event.time_zone
    header = ["Participant", "Name", "E-mail", "Organisation", "Country", "Status"]
    header += ["Offers", "Needs", f"Registered ({zone})"]
    rows: list[list[Cell]] = [
        [
            participant.id,
            participant.user.name,
            participant.user.email,
            participant.organisation.name,
            participant.organisation.country,
            participant.status.value,
            participant.offers,
            participant.needs,
            _moment(participant.created_at, zone),
        ]
        for participant in sorted(event.participants, key=lambda p: p.id)
    ]
    return Table(header, rows)


def _requests(event: Event) -> Table:
    zone = event.time_zone
    header = ["Request", "From", "From organisation", "To", "To organisation", "Status"]
    header += ["Priority", "Message", f"Sent ({zone})", f"Answered ({zone})", f"Expires ({zone})"]
    rows: list[list[Cell]] = [
        [
            meeting.id,
            meeting.requester.user.name,
            meeting.requester.organisation.name,
            meeting.recipient.user.name,
            meeting.recipient.organisation.name,
            meeting.status.value,
            meeting.priority,
            meeting.message,
            _moment(meeting.created_at, zone),
            _moment(meeting.responded_at, zone),
            _moment(meeting.expires_at, zone),
        ]
        for meeting in _by_id(event.meetings)
    ]
    return Table(header, rows)


def _meetings(event: Event) -> Table:
    zone = event.time_zone
    header = ["Meeting", "Date", f"Start ({zone})", f"End ({zone})", "Room", "Room link"]
    header += ["Requester", "Requester organisation", "Recipient", "Recipient organisation"]
    header += ["Locked", "Priority", "Requester's outcome", "Recipient's outcome"]
    accepted = [m for m in event.meetings if m.status is MeetingStatus.ACCEPTED]
    accepted.sort(key=lambda m: (m.starts_at is None, m.starts_at or event.created_at, m.id))
    rows = [
        [
            meeting.id,
            *_slot_cells(event, meeting),
            meeting.requester.user.name,
            meeting.requester.organisation.name,
            meeting.recipient.user.name,
            meeting.recipient.organisation.name,
            "yes" if meeting.locked else "no",
            meeting.priority,
            meeting.requester_outcome.value if meeting.requester_outcome else None,
            meeting.recipient_outcome.value if meeting.recipient_outcome else None,
        ]
        for meeting in accepted
    ]
    return Table(header, rows)


def _slot_cells(event: Event, meeting: Meeting) -> list[Cell]:
    if meeting.starts_at is None:
        return [None, None, None, None, None]
    start = local_time(meeting.starts_at, event.time_zone)
    end = start + timedelta(minutes=event.slot_minutes)
    room = meeting.room or 1
    link = render_room_link(event.room_link_template, event=event.id, meeting=meeting.id, room=room)
    day, starts, ends = (
        start.strftime(DAY_FORMAT),
        start.strftime(TIME_FORMAT),
        end.strftime(TIME_FORMAT),
    )
    return [day, starts, ends, room, link]


def _agendas(event: Event) -> Table:
    zone = event.time_zone
    header = ["Participant", "Name", "Organisation", "Date", f"Start ({zone})", f"End ({zone})"]
    header += ["Meeting", "With", "With organisation", "Room", "Room link"]
    rows: list[list[Cell]] = []
    for participant in _by_name(event.participants):
        for item in build_items(event, participant):
            other = item.other
            assert other is not None  # a participant's agenda always names the other side
            rows.append(
                [
                    participant.id,
                    participant.user.name,
                    participant.organisation.name,
                    item.starts.strftime(DAY_FORMAT),
                    item.starts.strftime(TIME_FORMAT),
                    item.ends.strftime(TIME_FORMAT),
                    item.meeting.id,
                    other.user.name,
                    other.organisation.name,
                    item.room,
                    item.link,
                ]
            )
    return Table(header, rows)


def _moment(moment: datetime | None, zone: str) -> str | None:
    return None if moment is None else local_time(moment, zone).strftime(MOMENT_FORMAT)


def _by_id(meetings: Sequence[Meeting]) -> list[Meeting]:
    return sorted(meetings, key=lambda meeting: meeting.id)


def _by_name(participants: Sequence[EventParticipant]) -> list[EventParticipant]:
    return sorted(participants, key=lambda p: (p.user.name.casefold(), p.id))
