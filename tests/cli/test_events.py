"""``clusterbridge events``: create, open, validate, publish, ics, report, and bad input."""

import json
import os
import socket
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from clusterbridge.db.repositories.events import get_event
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.db.session import Database
from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.enums import EventStatus, OrgType, ParticipantStatus, UserRole
from clusterbridge.services.events.events import DEFAULT_ROOM_LINK, event_slots
from tests.cli.conftest import Invoke
from tests.factories.events import (
    SESSION_START,
    add_meeting,
    add_participant,
    make_event,
    make_person,
)
from tests.factories.organisations import add_member, make_organisation
from tests.mailbox import read_mail

pytestmark = [pytest.mark.e2e, pytest.mark.db]

ORGANISER = "olga@events.example"


@pytest.fixture
def cli_database(cli_database: Database, data_dir: Path) -> Database:
    """The test database as the CLI's configured one, mail into ``data_dir``; emptied afterwards."""
    with cli_database.unit_of_work() as session:
        make_person(session, email=ORGANISER, name="Olga", role=UserRole.EVENT_ORGANISER)
    return cli_database


def _create(database: Database) -> int:
    """The draft event `events create` makes, but on 2025-03-10 (the command refuses sessions
    before the real clock; these tests need meetings that are over)."""
    with database.unit_of_work() as session:
        organiser = get_user_by_email(session, ORGANISER)
        assert organiser is not None
        morning = (SESSION_START, SESSION_START + timedelta(hours=1))
        afternoon = (
            SESSION_START + timedelta(hours=5),
            SESSION_START + timedelta(hours=5, minutes=40),
        )
        event = make_event(
            session, organiser=organiser, status=EventStatus.DRAFT, sessions=(morning, afternoon)
        )
        event.room_link_template = DEFAULT_ROOM_LINK
        return event.id


def test_events_create_makes_a_draft_with_its_slots(invoke: Invoke, cli_database: Database) -> None:
    result = invoke(
        "events", "create", "--organiser", ORGANISER, "--name", "Textile meets Tech",
        "--session", "Morning@2099-03-10 09:00-10:00", "--session", "Afternoon@2099-03-10 14:00-14:40",
    )  # fmt: skip

    event_id = int(result.stdout.split()[2].rstrip(","))
    assert (result.exit_code, result.stdout) == (
        0,
        f"Created event {event_id}, Textile meets Tech: 5 slots (a draft: open it with "
        f"`clusterbridge events open {event_id}`)\n",
    )


def test_events_create_refuses_a_session_in_the_past(
    invoke: Invoke, cli_database: Database
) -> None:
    result = invoke(
        "events", "create", "--organiser", ORGANISER, "--name", "X",
        "--session", "Morning@2020-01-01 09:00-10:00",
    )  # fmt: skip

    today = datetime.now(ZoneInfo("Europe/Brussels")).date()
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: The event cannot be saved.\n  - session 1, date: must not be in the past: "
        f"01 January 2020 is before today, {day_text(today)}.\n",
    )


def test_events_create_open_validate_publish_ics_and_report(
    invoke: Invoke, cli_database: Database, data_dir: Path, tmp_path: Path
) -> None:
    event_id = _create(cli_database)
    opened = invoke("events", "open", str(event_id))
    with cli_database.unit_of_work() as session:
        event = get_event(session, event_id)
        assert event is not None
        ids = []
        for name in ("wanda", "bob"):
            user = make_person(session, email=f"{name}@example.org", name=name.title())
            org = make_organisation(session, name=f"{name.title()} GmbH", type=OrgType.SME)
            ids.append(
                add_participant(
                    session, event, user=user, organisation=org, status=ParticipantStatus.PENDING
                ).id
            )
        add_meeting(
            session,
            event,
            requester=event.participants[0],
            recipient=event.participants[1],
            starts_at=SESSION_START,
        )
    listed = invoke("events", "participants", str(event_id))
    validated = invoke("events", "validate", str(event_id), *map(str, ids))
    published = invoke("events", "publish", str(event_id))
    exported = invoke(
        "events",
        "ics",
        str(event_id),
        "--participant",
        str(ids[0]),
        "--output",
        str(tmp_path / "a.ics"),
    )
    report = invoke("events", "report", str(event_id), "--format", "json")
    listing = invoke("events", "list")

    assert opened.stdout == f"Registration for event {event_id} is open\n"
    assert listed.stdout == (
        f"{ids[1]:>5}  pending    Bob GmbH (Bob, bob@example.org)\n"
        f"{ids[0]:>5}  pending    Wanda GmbH (Wanda, wanda@example.org)\n"
    )
    assert validated.stdout == "2 registrations validated\n"
    assert published.stdout == f"The agenda of event {event_id} is published\n"
    assert exported.exit_code == 0
    assert "SUMMARY:Meeting with Bob GmbH\r\n" in (tmp_path / "a.ics").read_bytes().decode()
    assert '"scheduled": 1' in report.stdout
    assert (
        f"{event_id:>4}  published  2025-03-10T09:00:00+01:00     2  Textile meets Tech\n"
        == listing.stdout
    )
    assert len(list((data_dir / "mail").glob("*.eml"))) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--session", "Morning 2025-03-10"),
            'Error: The event cannot be created.\n  - --session: "Morning 2025-03-10" is not NAME@YYYY-MM-DD HH:MM-HH:MM, e.g. "Morning@2025-03-10 09:00-12:00".\n',
        ),
        (
            ("--session", "M@2099-03-10 09:00-10:00", "--slot-minutes", "1"),
            "Error: The event cannot be saved.\n  - --slot-minutes: must be 5 to 240 minutes, not 1.\n",
        ),
    ],
)
def test_events_create_refuses_bad_input(
    invoke: Invoke, cli_database: Database, args: tuple[str, ...], message: str
) -> None:
    result = invoke("events", "create", "--organiser", ORGANISER, "--name", "X", *args)

    assert (result.exit_code, result.stderr) == (2, message)


def test_events_validate_an_unknown_participant(invoke: Invoke, cli_database: Database) -> None:
    event_id = _create(cli_database)

    result = invoke("events", "validate", str(event_id), "424242")

    assert (result.exit_code, result.stderr) == (
        2,
        "Error: Unknown participant.\n  - PARTICIPANT: 424242 is not a participant of this event.\n",
    )


def test_events_open_an_unknown_event(invoke: Invoke, cli_database: Database) -> None:
    result = invoke("events", "open", "999")

    assert (result.exit_code, result.stderr) == (2, "Error: There is no event 999.\n")


def test_events_create_needs_an_organiser_account(invoke: Invoke, cli_database: Database) -> None:
    with cli_database.unit_of_work() as session:
        assert get_user_by_email(session, ORGANISER) is not None

    result = invoke(
        "events",
        "create",
        "--organiser",
        "nobody@example.org",
        "--name",
        "X",
        "--session",
        "M@2025-03-10 09:00-10:00",
    )

    assert (result.exit_code, result.stderr) == (
        2,
        "Error: Unknown user.\n  - email: there is no account for nobody@example.org.\n",
    )


def test_events_schedule_places_the_accepted_meetings(
    invoke: Invoke, cli_database: Database
) -> None:
    event_id = _create(cli_database)
    invoke("events", "open", str(event_id))
    with cli_database.unit_of_work() as session:
        event = get_event(session, event_id)
        assert event is not None
        people = []
        for name in ("anna", "bert"):
            user = make_person(session, email=f"{name}@example.org", name=name.title())
            org = make_organisation(session, name=f"{name.title()} GmbH", type=OrgType.SME)
            people.append(add_participant(session, event, user=user, organisation=org))
        add_meeting(session, event, requester=people[0], recipient=people[1])

    result = invoke("events", "schedule", str(event_id), "--time-limit", "5")

    assert result.exit_code == 0
    assert result.stdout.startswith("1 of 1 accepted meetings placed, 0 breaks in total (optimal, ")


def test_events_schedule_refuses_a_draft(invoke: Invoke, cli_database: Database) -> None:
    event_id = _create(cli_database)

    result = invoke("events", "schedule", str(event_id))

    assert (result.exit_code, result.stderr) == (2, "Error: Open registration before scheduling.\n")


def test_events_repair_queues_a_job_that_a_worker_runs_and_mails(
    invoke: Invoke, cli_database: Database, data_dir: Path
) -> None:
    created = invoke(
        "events", "create", "--organiser", ORGANISER, "--name", "Textile meets Tech",
        "--session", "Morning@2099-03-10 09:00-10:00",
    )  # fmt: skip
    event_id = int(created.stdout.split()[2].rstrip(","))  # slots after the real clock
    invoke("events", "open", str(event_id))
    refused = invoke("events", "repair", str(event_id))
    with cli_database.unit_of_work() as session:
        event = get_event(session, event_id)
        assert event is not None
        anna, bert, cleo = (
            add_participant(
                session,
                event,
                user=make_person(session, email=f"{name}@example.org", name=name.title()),
                organisation=make_organisation(
                    session, name=f"{name.title()} GmbH", type=OrgType.SME
                ),
            )
            for name in ("anna", "bert", "cleo")
        )
        first = event_slots(event)[0].start
        add_meeting(session, event, requester=anna, recipient=bert, starts_at=first)
    invoke("events", "publish", str(event_id))
    with cli_database.unit_of_work() as session:
        event = get_event(session, event_id)
        assert event is not None
        anna, _bert, cleo = event.participants
        add_meeting(session, event, requester=anna, recipient=cleo)

    queued = invoke("events", "repair", str(event_id), "--no-wait")

    job_id = queued.stdout.split()[1]
    ran = invoke("worker", "--once")
    shown = invoke("jobs", "show", job_id)

    assert (refused.exit_code, refused.stderr) == (
        2,
        "Error: Publish the agenda before repairing it (or schedule all meetings).\n",
    )
    assert queued.stdout == f"Job {job_id} queued: clusterbridge jobs wait {job_id}\n"
    assert (ran.exit_code, ran.stdout) == (0, "Jobs run: 1.\n")
    assert shown.stdout == (
        f"Job {job_id} (Repair the schedule of an event): succeeded\n"
        f"Last run by worker {socket.gethostname()}:{os.getpid()}\n"
        "Meetings moved or given a slot: 1.\n"
    )
    new = "Textile meets Tech: a new meeting in your agenda"
    assert [m.to[0] for m in read_mail(data_dir / "mail") if m.subject == new] == [
        "anna@example.org",
        "cleo@example.org",
    ]


def test_a_participants_flow_from_the_command_line(invoke: Invoke, cli_database: Database) -> None:
    event_id = _create(cli_database)  # five slots: 09:00-10:00 and 14:00-14:40
    invoke("events", "open", str(event_id))
    with cli_database.unit_of_work() as session:
        orgs = {}
        for name in ("wanda", "bob"):
            user = make_person(session, email=f"{name}@example.org", name=name.title())
            organisation = make_organisation(session, name=f"{name.title()} SA", type=OrgType.SME)
            add_member(session, organisation, user)
            orgs[name] = organisation.id
    ev = str(event_id)

    registered = [
        invoke("events", "register", ev, "--as", f"{name}@example.org", "--organisation",
               str(orgs[name]), "--needs", "sensors")
        for name in ("wanda", "bob")
    ]  # fmt: skip
    wanda_id, bob_id = (int(r.stdout.split()[3]) for r in registered)
    invoke("events", "validate", ev, str(wanda_id), str(bob_id))
    away = invoke("events", "unavailable", ev, "1", "2", "3", "--as", "bob@example.org")
    requested = invoke(
        "events", "request", ev, "--as", "wanda@example.org", "--to", str(bob_id),
        "--message", "Sensors?",
    )  # fmt: skip
    meeting = requested.stdout.split()[1]
    accepted = invoke("events", "accept", ev, meeting, "--as", "bob@example.org")
    prioritised = invoke("events", "priority", ev, meeting, "3")
    fair = invoke("events", "update", ev, "--fairness", "1", "--rooms", "4")
    scheduled = invoke("events", "schedule", ev, "--time-limit", "5")
    listed = invoke("events", "meetings", ev, "--as", "wanda@example.org", "--format", "json")
    invoke("events", "publish", ev)
    agenda = invoke("events", "agenda", ev, "--as", "bob@example.org")
    reminded = invoke("events", "remind", ev)
    outcome = invoke("events", "outcome", ev, meeting, "follow_up", "--as", "wanda@example.org")
    cancelled = invoke("events", "cancel", ev, meeting, "--as", "bob@example.org")

    assert [r.stdout for r in registered] == [
        f"Wanda is participant {wanda_id} of event {event_id} for Wanda SA (pending)\n",
        f"Bob is participant {bob_id} of event {event_id} for Bob SA (pending)\n",
    ]
    assert away.stdout == f"Participant {bob_id} (Bob SA) unavailable in slots: 1, 2, 3\n"
    assert requested.stdout == f"Meeting {meeting} with Bob SA: requested\n"
    assert accepted.stdout == f"Meeting {meeting} with Wanda SA: accepted\n"
    assert prioritised.stdout == f"Meeting {meeting}: priority 3\n"
    assert fair.stdout == f"Event {event_id} saved: rooms 4, fairness 1\n"
    assert scheduled.stdout.startswith("1 of 1 accepted meetings placed, 0 breaks in total")
    [row] = json.loads(listed.stdout)
    assert (row["id"], row["status"], row["slot"], row["priority"], row["message"]) == (
        int(meeting),
        "accepted",
        4,
        3,
        "Sensors?",
    )
    assert row["local_start"] == "2025-03-10T14:00:00+01:00"
    assert agenda.stdout == (
        "Times in Europe/Brussels\n"
        f"2025-03-10 14:00  slot  4  Wanda SA  https://meet.example.org/clusterbridge-{event_id}-{meeting}\n"
    )
    assert reminded.stdout == "0 reminders sent\n"  # the meetings are long past
    assert outcome.stdout == f"Meeting {meeting}: follow_up\n"
    assert cancelled.stdout == f"Meeting {meeting}: cancelled\n"


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["request", "{ev}", "--as", "wanda@example.org", "--to", "{wanda}"],
            "Error: The meeting cannot be requested.\n"
            "  - --to: you cannot request a meeting with yourself.\n",
        ),
        (
            ["unavailable", "{ev}", "9", "--as", "wanda@example.org"],
            "Error: The unavailable slots cannot be saved.\n"
            "  - SLOT: 9: the event's slots are 1 to 5.\n",
        ),
        (
            ["unavailable", "{ev}", "1"],
            "Error: Whose slots?\n  - --participant: name the participant, or act --as them.\n",
        ),
        (
            ["accept", "{ev}", "999", "--as", "wanda@example.org"],
            "Error: Unknown meeting.\n  - MEETING: 999 is not a meeting of this event.\n",
        ),
        (
            ["request", "{ev}", "--as", "nobody@example.org", "--to", "{wanda}"],
            "Error: Unknown user.\n  - email: there is no account for nobody@example.org.\n",
        ),
        (
            ["priority", "{ev}", "1", "2"],
            "Error: Unknown meeting.\n  - MEETING: 1 is not a meeting of this event.\n",
        ),
        (["remind", "{ev}"], "Error: Publish the agenda before sending reminders.\n"),
    ],
)
def test_participant_commands_refuse_bad_input(
    invoke: Invoke, cli_database: Database, args: list[str], stderr: str
) -> None:
    event_id = _create(cli_database)
    invoke("events", "open", str(event_id))
    with cli_database.unit_of_work() as session:
        event = get_event(session, event_id)
        assert event is not None
        user = make_person(session, email="wanda@example.org", name="Wanda")
        org = make_organisation(session, name="Wanda SA", type=OrgType.SME)
        wanda = add_participant(session, event, user=user, organisation=org).id

    result = invoke("events", *[a.format(ev=event_id, wanda=wanda) for a in args])

    assert (result.exit_code, result.stderr) == (2, stderr)


def test_events_update_says_how_many_meetings_fewer_rooms_unschedule(
    invoke: Invoke, cli_database: Database
) -> None:
    event_id = _create(cli_database)
    with cli_database.unit_of_work() as session:
        event = get_event(session, event_id)
        assert event is not None
        people = []
        for name in ("anna", "ben", "cleo", "dan"):
            user = make_person(session, email=f"{name}@example.org", name=name.title())
            org = make_organisation(session, name=f"{name.title()} SA", type=OrgType.SME)
            people.append(add_participant(session, event, user=user, organisation=org))
        for room, (requester, recipient) in enumerate((people[:2], people[2:]), start=1):
            add_meeting(session, event, requester=requester, recipient=recipient,
                        starts_at=SESSION_START, room=room)  # fmt: skip

    updated = invoke("events", "update", str(event_id), "--rooms", "1")

    assert updated.stdout == (
        f"Event {event_id} saved: rooms 1\n1 meeting lost its slot: schedule again to place it\n"
    )
