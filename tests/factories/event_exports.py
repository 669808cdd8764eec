"""An event with something in every export, and the exact tables its exports must hold.

Olga runs "Textile meets Tech" (Europe/Brussels, 20-minute slots from 09:00 on 2025-03-10):

- Ana (Ana GmbH), Ben (Ben GmbH) and Cleo (Cleo GmbH) are validated; Dan (Dan GmbH) is pending
  and offers ``=HYPERLINK("http://evil.example","click")``, which no export may turn into a
  formula;
- Ana meets Ben at 09:00 in room 1 (locked), Cleo meets Ana at 09:20 in room 2, Ana's request to
  Dan waits (message ``+32 call me``), Ben declined Cleo's request; Ben and Cleo also have an
  accepted meeting without a slot.

Ids differ between databases (PostgreSQL does not reuse them after a rollback), so the expected
rows are built from the rows made.
"""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime

import openpyxl
from sqlalchemy.orm import Session

from clusterbridge.db.models import Event, EventParticipant, Meeting, User
from clusterbridge.domain.enums import EventExport, MeetingOutcome, MeetingStatus, ParticipantStatus
from clusterbridge.services.text import escape_formula
from clusterbridge.services.workbooks import Cell
from tests.factories.events import (
    SESSION_START,
    add_meeting,
    add_participant,
    make_event,
    make_participants,
    make_person,
)
from tests.factories.organisations import make_organisation

FORMULA = '=HYPERLINK("http://evil.example","click")'
REGISTERED = datetime(2025, 2, 20, 8, 30, tzinfo=UTC)  # 09:30 in Brussels
SENT = datetime(2025, 2, 21, 13, 0, tzinfo=UTC)  # 14:00 in Brussels
ANSWERED = datetime(2025, 2, 22, 7, 15, tzinfo=UTC)  # 08:15 in Brussels
EXPIRES = datetime(2025, 2, 24, 13, 0, tzinfo=UTC)
SLOT = 20 * 60


@dataclass(frozen=True, slots=True)
class ExportedEvent:
    """The event and its rows, by name."""

    event: Event
    organiser: User
    ana: EventParticipant
    ben: EventParticipant
    cleo: EventParticipant
    dan: EventParticipant
    ana_ben: Meeting
    cleo_ana: Meeting
    ana_dan: Meeting
    cleo_ben: Meeting
    ben_cleo: Meeting


def make_exported_event(session: Session, *, organiser: User | None = None) -> ExportedEvent:
    """The event described in the module's docstring, flushed."""
    if organiser is None:
        organiser = make_person(session, email="olga@events.example", name="Olga")
    event = make_event(session, organiser=organiser)
    ana, ben, cleo = make_participants(session, event, "Ana", "Ben", "Cleo")
    dan_user = make_person(session, email="dan@example.org", name="Dan")
    dan_org = make_organisation(session, name="Dan GmbH", country="FR", nuts=None)
    dan = add_participant(
        session,
        event,
        user=dan_user,
        organisation=dan_org,
        offers=FORMULA,
        needs="textiles",
        status=ParticipantStatus.PENDING,
    )
    start_2 = datetime.fromtimestamp(SESSION_START.timestamp() + SLOT, tz=UTC)
    ana_ben = add_meeting(
        session, event, requester=ana, recipient=ben, starts_at=SESSION_START, locked=True
    )
    cleo_ana = add_meeting(session, event, requester=cleo, recipient=ana, starts_at=start_2, room=2)
    ana_dan = add_meeting(
        session,
        event,
        requester=ana,
        recipient=dan,
        status=MeetingStatus.REQUESTED,
        message="+32 call me",
    )
    cleo_ben = add_meeting(
        session, event, requester=cleo, recipient=ben, status=MeetingStatus.DECLINED
    )
    ben_cleo = add_meeting(session, event, requester=ben, recipient=cleo)
    for participant in (ana, ben, cleo, dan):
        participant.created_at = REGISTERED
    for meeting in (ana_ben, cleo_ana, ana_dan, cleo_ben, ben_cleo):
        meeting.created_at = SENT
    for meeting in (ana_ben, cleo_ana, cleo_ben, ben_cleo):
        meeting.responded_at = ANSWERED
    ana_dan.expires_at = EXPIRES
    ana_ben.priority = 3
    ana_ben.requester_outcome = MeetingOutcome.HELD
    session.flush()
    return ExportedEvent(
        event, organiser, ana, ben, cleo, dan, ana_ben, cleo_ana, ana_dan, cleo_ben, ben_cleo
    )


def expected_table(data: ExportedEvent, kind: EventExport) -> list[list[Cell]]:
    """The header and rows the ``kind`` export of ``data`` holds, exactly."""
    ana, ben, cleo, dan = data.ana, data.ben, data.cleo, data.dan
    zone = "Europe/Brussels"
    link = f"https://meet.example.org/{data.event.id}-"
    if kind is EventExport.PARTICIPANTS:
        return [
            ["Participant", "Name", "E-mail", "Organisation", "Country", "Status", "Offers", "Needs", f"Registered ({zone})"],
            [ana.id, "Ana", "ana@example.org", "Ana GmbH", "DE", "validated", "", "", "2025-02-20 09:30"],
            [ben.id, "Ben", "ben@example.org", "Ben GmbH", "DE", "validated", "", "", "2025-02-20 09:30"],
            [cleo.id, "Cleo", "cleo@example.org", "Cleo GmbH", "DE", "validated", "", "", "2025-02-20 09:30"],
            [dan.id, "Dan", "dan@example.org", "Dan GmbH", "FR", "pending", FORMULA, "textiles", "2025-02-20 09:30"],
        ]  # fmt: skip
    if kind is EventExport.REQUESTS:
        sent, answered = "2025-02-21 14:00", "2025-02-22 08:15"
        return [
            ["Request", "From", "From organisation", "To", "To organisation", "Status", "Priority", "Message", f"Sent ({zone})", f"Answered ({zone})", f"Expires ({zone})"],
            [data.ana_ben.id, "Ana", "Ana GmbH", "Ben", "Ben GmbH", "accepted", 3, "", sent, answered, None],
            [data.cleo_ana.id, "Cleo", "Cleo GmbH", "Ana", "Ana GmbH", "accepted", 1, "", sent, answered, None],
            [data.ana_dan.id, "Ana", "Ana GmbH", "Dan", "Dan GmbH", "requested", 1, "+32 call me", sent, None, "2025-02-24 14:00"],
            [data.cleo_ben.id, "Cleo", "Cleo GmbH", "Ben", "Ben GmbH", "declined", 1, "", sent, answered, None],
            [data.ben_cleo.id, "Ben", "Ben GmbH", "Cleo", "Cleo GmbH", "accepted", 1, "", sent, answered, None],
        ]  # fmt: skip
    if kind is EventExport.MEETINGS:
        return [
            ["Meeting", "Date", f"Start ({zone})", f"End ({zone})", "Room", "Room link", "Requester", "Requester organisation", "Recipient", "Recipient organisation", "Locked", "Priority", "Requester's outcome", "Recipient's outcome"],
            [data.ana_ben.id, "2025-03-10", "09:00", "09:20", 1, f"{link}{data.ana_ben.id}", "Ana", "Ana GmbH", "Ben", "Ben GmbH", "yes", 3, "held", None],
            [data.cleo_ana.id, "2025-03-10", "09:20", "09:40", 2, f"{link}{data.cleo_ana.id}", "Cleo", "Cleo GmbH", "Ana", "Ana GmbH", "no", 1, None, None],
            [data.ben_cleo.id, None, None, None, None, None, "Ben", "Ben GmbH", "Cleo", "Cleo GmbH", "no", 1, None, None],
        ]  # fmt: skip
    return [
        ["Participant", "Name", "Organisation", "Date", f"Start ({zone})", f"End ({zone})", "Meeting", "With", "With organisation", "Room", "Room link"],
        [ana.id, "Ana", "Ana GmbH", "2025-03-10", "09:00", "09:20", data.ana_ben.id, "Ben", "Ben GmbH", 1, f"{link}{data.ana_ben.id}"],
        [ana.id, "Ana", "Ana GmbH", "2025-03-10", "09:20", "09:40", data.cleo_ana.id, "Cleo", "Cleo GmbH", 2, f"{link}{data.cleo_ana.id}"],
        [ben.id, "Ben", "Ben GmbH", "2025-03-10", "09:00", "09:20", data.ana_ben.id, "Ana", "Ana GmbH", 1, f"{link}{data.ana_ben.id}"],
        [cleo.id, "Cleo", "Cleo GmbH", "2025-03-10", "09:20", "09:40", data.cleo_ana.id, "Ana", "Ana GmbH", 2, f"{link}{data.cleo_ana.id}"],
    ]  # fmt: skip


def read_csv_table(content: bytes) -> list[list[str]]:
    """A CSV export's rows, as text."""
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


def as_csv(table: list[list[Cell]]) -> list[list[str]]:
    """``table`` as the CSV export writes it: empty text for None, numbers as text, formulas
    escaped with a leading quote."""
    return [["" if cell is None else escape_formula(str(cell)) for cell in row] for row in table]


def as_xlsx(table: list[list[Cell]]) -> list[list[Cell]]:
    """``table`` as the XLSX export holds it: empty text is an empty cell."""
    return [[None if cell == "" else cell for cell in row] for row in table]


def read_xlsx_table(content: bytes) -> tuple[str, list[list[Cell]], list[str]]:
    """An XLSX export's sheet name, its values row by row, and the type of every cell
    (``s`` text, ``n`` number, ``f`` formula)."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    types = sorted(
        {cell.data_type for row in sheet.iter_rows() for cell in row if cell.value is not None}
    )
    return sheet.title, rows, types
