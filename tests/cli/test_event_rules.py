"""``clusterbridge events`` and the rules of the QA pass of 2026-12-07: registering for one's
own organisation, drafts, withdrawing, what ``update`` says and the names errors use."""

import json
from pathlib import Path
from typing import Any

import pytest

from clusterbridge.db.repositories.users import get_user_by_email
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import EventStatus
from tests.cli.conftest import Invoke
from tests.factories.events import (
    RULES_ORGANISER,
    make_event,
    make_rules_world,
)
from tests.mailbox import read_mail

pytestmark = [pytest.mark.e2e, pytest.mark.db]

ORGANISER = RULES_ORGANISER


@pytest.fixture
def world(cli_database: Database, data_dir: Path) -> dict[str, Any]:
    """An open event (2) and a draft, run by Olga; Wanda and Bob validated and meeting in slot
    1; Sam, a member of Sam SA only."""
    with cli_database.unit_of_work() as session:
        ids: dict[str, Any] = dict(make_rules_world(session))
        organiser = get_user_by_email(session, RULES_ORGANISER)
        assert organiser is not None
        draft = make_event(session, organiser=organiser, status=EventStatus.DRAFT, name="Later")
        return ids | {"draft": draft.id}


def test_registering_for_an_organisation_one_is_not_a_member_of_exits_2(
    invoke: Invoke, world: dict[str, Any]
) -> None:
    ev = str(world["event"])

    refused = invoke(
        "events", "register", ev, "--as", "sam@example.org", "--organisation", str(world["bob_org"])
    )
    done = invoke(
        "events", "register", ev, "--as", "sam@example.org", "--organisation", str(world["sam_org"])
    )

    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == (
        f"Error: You are not a member of Bob GmbH (organisation {world['bob_org']}): register "
        "for an organisation you belong to, or claim this one in the registry first.\n"
    )
    assert done.exit_code == 0
    assert done.stdout.endswith(f"of event {ev} for Sam SA (pending)\n")


def test_registering_for_a_draft_says_registration_is_not_open(
    invoke: Invoke, world: dict[str, Any]
) -> None:
    draft = invoke(
        "events", "register", str(world["draft"]), "--as", "sam@example.org",
        "--organisation", str(world["sam_org"]),
    )  # fmt: skip
    missing = invoke(
        "events", "register", "99999", "--as", "sam@example.org",
        "--organisation", str(world["sam_org"]),
    )  # fmt: skip

    assert (draft.exit_code, draft.stderr) == (
        2,
        "Error: Registration for this event is not open yet.\n",
    )
    assert (missing.exit_code, missing.stderr) == (2, "Error: There is no event 99999.\n")


def test_update_says_what_changed(invoke: Invoke, world: dict[str, Any]) -> None:
    ev = str(world["event"])

    renamed = invoke("events", "update", ev, "--name", "Renamed")
    bounded = invoke("events", "update", ev, "--rooms", "4", "--expiry-hours", "0")
    nothing = invoke("events", "update", ev)

    assert (renamed.exit_code, renamed.stdout) == (0, f'Event {ev} saved: name "Renamed"\n')
    assert bounded.stdout == f"Event {ev} saved: rooms 4, requests expire after never\n"
    assert nothing.stdout == f"Event {ev}: nothing to change (give a setting to change)\n"


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ("events", "request", "{event}", "--as", "wanda@example.org", "--to", "{wanda}"),
            "Error: The meeting cannot be requested.\n"
            "  - --to: you cannot request a meeting with yourself.\n",
        ),
        (
            ("events", "validate", "{event}", "99"),
            "Error: Unknown participant.\n  - PARTICIPANT: 99 is not a participant of this event.\n",
        ),
        (
            ("events", "priority", "{event}", "999", "2"),
            "Error: Unknown meeting.\n  - MEETING: 999 is not a meeting of this event.\n",
        ),
        (
            (
                "events", "create", "--organiser", ORGANISER, "--name", "X",
                "--session", "D@2999-02-03 09:00-12:00", "--room-link", "notaurl",
            ),
            "Error: The event cannot be saved.\n"
            "  - --room-link: must be an address starting with https:// (or http://).\n",
        ),
        (
            (
                "events", "create", "--organiser", ORGANISER, "--name", "X",
                "--session", "D@2027-02-30 09:00-12:00",
            ),
            "Error: The event cannot be created.\n"
            "  - --session: 2027-02-30 is not a date (no such day).\n",
        ),
        (
            (
                "events", "create", "--organiser", ORGANISER, "--name", "X",
                "--session", "D@2027-02-03 09:00-25:00",
            ),
            "Error: The event cannot be created.\n"
            "  - --session: 25:00 is not a time (no such hour or minute).\n",
        ),
    ],
)  # fmt: skip
def test_errors_name_the_options_and_arguments_typed(
    invoke: Invoke, world: dict[str, Any], args: tuple[str, ...], stderr: str
) -> None:
    result = invoke(*(arg.format(event=world["event"], wanda=world["wanda"]) for arg in args))

    assert (result.exit_code, result.stderr) == (2, stderr)


def test_withdraw_cancels_the_participants_meetings_and_tells_the_other_side(
    invoke: Invoke, world: dict[str, Any], data_dir: Path
) -> None:
    ev = str(world["event"])

    withdrawn = invoke("events", "withdraw", ev, "--as", "bob@example.org")
    listed = invoke("events", "meetings", ev, "--format", "json")
    stranger = invoke("events", "withdraw", ev, "--as", "sam@example.org")

    assert (withdrawn.exit_code, withdrawn.stdout) == (
        0,
        f"Bob withdrew from event {ev} (Bob GmbH): their requests and meetings are cancelled\n",
    )
    assert [(m["id"], m["status"], m["slot"]) for m in json.loads(listed.stdout)] == [
        (world["meeting"], "cancelled", None)
    ]
    assert [m.to for m in read_mail(data_dir / "mail")] == [("wanda@example.org",)]
    assert (stranger.exit_code, stranger.stderr) == (2, "Error: Register for this event first.\n")


def test_update_allows_repeated_requests(invoke: Invoke, world: dict[str, Any]) -> None:
    ev = str(world["event"])

    allowed = invoke("events", "update", ev, "--repeat-requests")
    refused = invoke("events", "update", ev, "--no-repeat-requests")

    assert allowed.stdout == f"Event {ev} saved: repeated requests allowed\n"
    assert refused.stdout == f"Event {ev} saved: repeated requests refused after a decline\n"


def test_listings_and_the_report_say_withdrawn_and_the_organiser_cannot_overrule_it(
    invoke: Invoke, world: dict[str, Any]
) -> None:
    ev = str(world["event"])
    invoke("events", "withdraw", ev, "--as", "bob@example.org")

    listed = invoke("events", "participants", ev)
    validated = invoke("events", "validate", ev, str(world["bob"]))
    report = invoke("events", "report", ev)
    registered = invoke(
        "events", "register", ev, "--as", "bob@example.org", "--organisation", str(world["bob_org"])
    )

    assert (listed.exit_code, listed.stdout) == (
        0,
        f"{world['bob']:>5}  withdrawn  Bob GmbH (Bob, bob@example.org)\n"
        f"{world['wanda']:>5}  validated  Wanda GmbH (Wanda, wanda@example.org)\n",
    )
    assert (validated.exit_code, validated.stderr) == (
        2,
        "Error: Bob GmbH withdrew their registration: it cannot change.\n",
    )
    assert report.stdout.splitlines()[0] == (
        "Registrations:    2 (pending 0, validated 1, rejected 0, withdrawn 1)"
    )
    assert (registered.exit_code, registered.stdout.endswith("for Bob GmbH (pending)\n")) == (
        0,
        True,
    )
