"""``clusterbridge events``: create, open, validate, publish, ics, report, and bad input."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from clusterbridge.config import get_settings
from clusterbridge.db.repositories.events import get_event
from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType, ParticipantStatus, UserRole
from tests.cli.conftest import Invoke
from tests.factories.events import SESSION_START, add_meeting, add_participant, make_person
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.e2e, pytest.mark.db]

ORGANISER = "olga@events.example"


@pytest.fixture
def cli_database(
    clean_database: Database, database_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Database]:
    """The test database as the CLI's configured one, mail into ``data_dir``; emptied afterwards."""
    monkeypatch.setenv("CLUSTERBRIDGE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    with clean_database.unit_of_work() as session:
        make_person(session, email=ORGANISER, name="Olga", role=UserRole.EVENT_ORGANISER)
    yield clean_database
    get_settings.cache_clear()


def _create(invoke: Invoke) -> int:
    result = invoke(
        "events", "create", "--organiser", ORGANISER, "--name", "Textile meets Tech",
        "--session", "Morning@2025-03-10 09:00-10:00", "--session", "Afternoon@2025-03-10 14:00-14:40",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return int(result.stdout.split()[2].rstrip(","))


def test_events_create_open_validate_publish_ics_and_report(
    invoke: Invoke, cli_database: Database, data_dir: Path, tmp_path: Path
) -> None:
    event_id = _create(invoke)
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
            'Error: The event cannot be created\n  - --session: "Morning 2025-03-10" is not NAME@YYYY-MM-DD HH:MM-HH:MM, e.g. "Morning@2025-03-10 09:00-12:00"\n',
        ),
        (
            ("--session", "M@2025-03-10 09:00-10:00", "--slot-minutes", "1"),
            "Error: The event cannot be saved\n  - slot_minutes: must be 5 to 240 minutes, not 1\n",
        ),
    ],
)
def test_events_create_refuses_bad_input(
    invoke: Invoke, cli_database: Database, args: tuple[str, ...], message: str
) -> None:
    result = invoke("events", "create", "--organiser", ORGANISER, "--name", "X", *args)

    assert (result.exit_code, result.stderr) == (2, message)


def test_events_validate_an_unknown_participant(invoke: Invoke, cli_database: Database) -> None:
    event_id = _create(invoke)

    result = invoke("events", "validate", str(event_id), "424242")

    assert (result.exit_code, result.stderr) == (
        2,
        "Error: Unknown participant\n  - participant_id: 424242 is not a participant of this event\n",
    )


def test_events_open_an_unknown_event(invoke: Invoke, cli_database: Database) -> None:
    result = invoke("events", "open", "999")

    assert (result.exit_code, result.stderr) == (2, "Error: There is no event 999\n")


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
        "Error: Unknown user\n  - email: there is no account for nobody@example.org\n",
    )


def test_events_schedule_places_the_accepted_meetings(
    invoke: Invoke, cli_database: Database
) -> None:
    event_id = _create(invoke)
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
    event_id = _create(invoke)

    result = invoke("events", "schedule", str(event_id))

    assert (result.exit_code, result.stderr) == (2, "Error: Open registration before scheduling\n")
