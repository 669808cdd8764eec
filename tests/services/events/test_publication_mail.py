"""The mail sent when the agenda is published: each recipient's meetings in their time zone,
with room links, and their calendar file attached; and the time zone a participant gives."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from clusterbridge.config import Settings
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.events import participants as event_participants
from clusterbridge.services.events import schedule as event_schedule
from clusterbridge.services.events.notifications import Notifier
from clusterbridge.services.jobs import EmbeddedQueue
from clusterbridge.services.mail import Attachment, FileMailer, Mail
from tests.factories.event_exports import ExportedEvent, make_exported_event
from tests.factories.events import make_person
from tests.factories.organisations import add_member, make_organisation
from tests.mailbox import read_mail

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
STAMP = "20250301T120000Z"


def _publish(database: Database, settings: Settings) -> ExportedEvent:
    """The export event, Ana in Lisbon's time zone, published; its mail jobs run by the
    embedded queue (into the settings' mail folder) when the publication commits."""
    notifier = Notifier(FileMailer(Path("unused"), "events@example.org"), "https://cb.example.org")
    queue = EmbeddedQueue(database, settings, lambda: NOW)
    with database.with_dispatch(queue.dispatch_short).unit_of_work() as session:
        data = make_exported_event(session)
        data.ana.time_zone = "Europe/Lisbon"
        event_schedule.publish_schedule(
            session, data.organiser, data.event.id, now=NOW, notifier=notifier
        )
    return data


def _calendar(data: ExportedEvent, *events: str) -> bytes:
    head = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//clusterbridge//match-making events//EN\r\n"
        "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Textile meets Tech\r\n"
    )
    return (head + "".join(events) + "END:VCALENDAR\r\n").encode("utf-8")


def _vevent(data: ExportedEvent, meeting_id: int, start: str, end: str, who: str) -> str:
    link = f"https://meet.example.org/{data.event.id}-{meeting_id}"
    organisation = f"{who} GmbH"
    description = (
        f"Textile meets Tech: one-to-one meeting of you and {who} ({organisation}).\\nRoom: {link}"
    )
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{data.event.id}-meeting-{meeting_id}@cb.example.org",
        f"DTSTAMP:{STAMP}",
        f"DTSTART:{start}",
        f"DTEND:{end}",
        "SEQUENCE:0",
        f"SUMMARY:Meeting with {organisation}",
        f"DESCRIPTION:{description}",
        f"LOCATION:{link}",
        f"URL:{link}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]
    return "".join(_folded(line) + "\r\n" for line in lines)


def _folded(line: str) -> str:
    pieces = [line[:75]] + [line[i : i + 74] for i in range(75, len(line), 74)]
    return "\r\n ".join(pieces)


def test_publication_mail_lists_each_recipients_meetings_in_their_zone_with_the_ics(
    clean_database: Database, settings: Settings
) -> None:
    data = _publish(clean_database, settings)

    mails = read_mail(settings.resolved_mail_dir())

    event, filename = data.event.id, f"event-{data.event.id}-agenda.ics"
    link = f"https://meet.example.org/{event}-"
    footer = (
        f"The attached file {filename} adds them to your calendar.\n\n"
        f"Your agenda: https://cb.example.org/events/{event}/agenda\n"
        f"The calendar file, kept up to date: https://cb.example.org/events/{event}/agenda.ics\n"
    )
    ana_ben, cleo_ana = data.ana_ben.id, data.cleo_ana.id
    assert mails == [
        Mail(
            ("ana@example.org",),
            "Textile meets Tech: your agenda is published",
            "Hello Ana,\n\nThe agenda of Textile meets Tech is published. Your 2 meetings, in"
            " Europe/Lisbon time:\n\n"
            f"- Monday 10 March 2025, 08:00-08:20: Ben (Ben GmbH)\n  Room: {link}{ana_ben}\n"
            f"- Monday 10 March 2025, 08:20-08:40: Cleo (Cleo GmbH)\n  Room: {link}{cleo_ana}\n\n"
            + footer,
            (
                Attachment(
                    filename,
                    "text/calendar",
                    _calendar(
                        data,
                        _vevent(data, ana_ben, "20250310T080000Z", "20250310T082000Z", "Ben"),
                        _vevent(data, cleo_ana, "20250310T082000Z", "20250310T084000Z", "Cleo"),
                    ),
                ),
            ),
        ),
        Mail(
            ("ben@example.org",),
            "Textile meets Tech: your agenda is published",
            "Hello Ben,\n\nThe agenda of Textile meets Tech is published. Your meeting, in"
            " Europe/Brussels time:\n\n"
            f"- Monday 10 March 2025, 09:00-09:20: Ana (Ana GmbH)\n  Room: {link}{ana_ben}\n\n"
            + footer,
            (
                Attachment(
                    filename,
                    "text/calendar",
                    _calendar(
                        data,
                        _vevent(data, ana_ben, "20250310T080000Z", "20250310T082000Z", "Ana"),
                    ),
                ),
            ),
        ),
        Mail(
            ("cleo@example.org",),
            "Textile meets Tech: your agenda is published",
            "Hello Cleo,\n\nThe agenda of Textile meets Tech is published. Your meeting, in"
            " Europe/Brussels time:\n\n"
            f"- Monday 10 March 2025, 09:20-09:40: Ana (Ana GmbH)\n  Room: {link}{cleo_ana}\n\n"
            + footer,
            (
                Attachment(
                    filename,
                    "text/calendar",
                    _calendar(
                        data,
                        _vevent(data, cleo_ana, "20250310T082000Z", "20250310T084000Z", "Ana"),
                    ),
                ),
            ),
        ),
    ]


def test_registration_keeps_a_time_zone_and_refuses_an_unknown_one(session: Session) -> None:
    data = make_exported_event(session)
    user = make_person(session, email="zoe@example.org", name="Zoe")
    organisation = make_organisation(session, name="Zoe Lda", type=OrgType.SME)
    add_member(session, organisation, user)

    row = event_participants.register(
        session,
        user,
        data.event.id,
        event_participants.Registration(organisation.id, time_zone="Europe/Lisbon"),
    )
    with pytest.raises(InvalidInputError) as raised:
        event_participants.register(
            session,
            user,
            data.event.id,
            event_participants.Registration(organisation.id, time_zone="Mars/Olympus"),
        )

    assert row.time_zone == "Europe/Lisbon"
    assert raised.value.issues == (
        InputIssue(
            "",
            "time_zone",
            '"Mars/Olympus" is not a known time zone; use a name such as Europe/Brussels',
        ),
    )
