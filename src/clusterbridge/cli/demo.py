"""``clusterbridge demo``: the platform with real organisations, one command."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer

from clusterbridge.cli.common import (
    catalogue_in,
    database,
    now,
    open_catalogue,
    today,
    user_errors,
)
from clusterbridge.cli.progress import progress_bar
from clusterbridge.cli.serve import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    HostOption,
    PortOption,
    bind,
    run,
    served_settings,
)
from clusterbridge.config import get_settings
from clusterbridge.services.consortia.demo import (
    EARLIER_CALL,
    DemoConsortium,
    prepare_demo_consortium,
)
from clusterbridge.services.demo import (
    load_demo_data,
    reset_demo_account,
    reset_demo_administrator,
)
from clusterbridge.services.events.demo import prepare_demo_event
from clusterbridge.services.events.events import find_user
from clusterbridge.services.monitoring.demo import prepare_demo_project
from clusterbridge.services.selection.demo import TIME_ZONE, prepare_demo_call
from clusterbridge.web.app import build_app

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from clusterbridge.services.exchanges.demo import DemoExchanges


def demo(
    host: HostOption = DEFAULT_HOST,
    port: PortOption = DEFAULT_PORT,
    reload_data: Annotated[
        bool,
        typer.Option("--reload-data", help="Import the shipped CORDIS data again (updating it)."),
    ] = False,
    reset_passwords: Annotated[
        bool,
        typer.Option(
            "--reset-passwords",
            help="Give the demo accounts new random passwords (otherwise they keep theirs).",
        ),
    ] = False,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Prepare the database and the accounts, then stop.")
    ] = False,
) -> None:
    """Create the database, load real organisations (CORDIS) and serve the web application."""
    # The port first: a taken one is an error at once, not after loading the data.
    listener = None if no_serve else bind(host, port)
    with user_errors(), database() as db:
        with db.unit_of_work() as session, progress_bar() as progress:
            summary = load_demo_data(session, reload=reload_data, progress=progress)
        with db.unit_of_work() as session:
            account = reset_demo_account(session, now=now(), reset_password=reset_passwords)
            administrator = reset_demo_administrator(
                session, now=now(), reset_password=reset_passwords
            )
            demo_event = prepare_demo_event(
                session,
                find_user(session, account.email),
                now=now(),
                reset_password=reset_passwords,
            )
        with db.unit_of_work() as session:
            demo_exchanges = _prepare_exchanges(session, account.email)
        moment = now()
        with db.unit_of_work() as session:
            demo_project = prepare_demo_project(
                session,
                find_user(session, account.email),
                event_id=demo_event.event_id,
                partnership_id=demo_exchanges.partnership_id,
                now=moment,
                today=today(moment),
                time_zone=get_settings().time_zone,
            )
        files = open_catalogue(None)
        with db.unit_of_work() as session:
            # The call first: the consortium answers it, so it must be in the catalogue.
            demo_call = prepare_demo_call(
                session, find_user(session, administrator.email), catalogue=files, now=now()
            )
            demo_consortium = prepare_demo_consortium(
                session,
                find_user(session, account.email),
                catalogue=catalogue_in(session, files),
            )
    if summary is None:
        typer.echo(
            "The CORDIS organisations are already loaded (--reload-data imports them again)."
        )
    else:
        typer.echo(
            f"Loaded {summary.organisations_created + summary.organisations_updated:,} organisations "
            f"and {summary.projects_created + summary.projects_updated:,} projects from CORDIS."
        )
        typer.echo(summary.repairs.describe())
        if summary.profiles is not None:
            typer.echo(summary.profiles.describe())
    typer.echo(
        _added_words(
            event=demo_event.added,
            exchanges=demo_exchanges.added,
            project=demo_project.added,
            consortium=demo_consortium.added,
            call=demo_call.identifier if demo_call.added else None,
        )
    )
    typer.echo(f"Sign in as {account.email} {_password_words(account.password)}")
    typer.echo(
        f"Approve claims of organisations (/admin/claims) and manage users as {administrator.email} "
        f"{_password_words(administrator.password)}"
    )
    if demo_event.event_id is not None:
        typer.echo(
            f"The match-making event is at /events/{demo_event.event_id}: the demo account takes part; "
            f"run it as {demo_event.organiser_email} "
            f"{_password_words(demo_event.organiser_password)}"
        )
    if demo_exchanges.partnership_id is not None:
        typer.echo(
            f"The demo exchange partnership ({_count(demo_exchanges.participants, 'participant')}, "
            f"{_count(demo_exchanges.exchanges, 'exchange')}) is run by the demo account"
            f"{_waiting_words(demo_exchanges)}."
        )
    if demo_project.project_id is not None:
        typer.echo(
            f"The demo project's indicators are at /projects/{demo_project.project_id}/indicators "
            "(the demo account manages the project)."
        )
    if demo_consortium.consortium_id is not None:
        typer.echo(_consortium_words(demo_consortium))
    if demo_call.moved_from is not None:
        typer.echo(
            f"Nobody has sent the open call a proposal: its deadline moved from "
            f"{_local(demo_call.moved_from)} to {_local(demo_call.closes_at)} ({TIME_ZONE})."
        )
    typer.echo(
        f"The open call is at /calls/{demo_call.identifier}: {_deadline_words(demo_call.closes_at)}"
    )
    if listener is not None:
        with user_errors():
            app = build_app(served_settings(get_settings(), host=host, port=port))
        run(app, listener, host=host, port=port)


def _added_words(
    *, event: bool, exchanges: tuple[str, ...], project: bool, consortium: bool, call: str | None
) -> str:
    """What this run added to the demo database (a database made by an older version gets
    the additions made since), or that it had them all."""
    added = (
        (["the match-making event"] if event else [])
        + list(exchanges)
        + (["the monitored project"] if project else [])
        + (["the consortium"] if consortium else [])
        + ([f"the open call {call}"] if call else [])
    )
    if not added:
        return "The demo database already has every part of the demo: nothing was added."
    return f"Added to the demo database: {', '.join(added)}."


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _waiting_words(made: "DemoExchanges") -> str:
    """What the partnership's exchanges wait for the demo account to do, after a colon."""
    waiting = [
        (made.awaiting_report, "for the closing report"),
        (made.awaiting_validation, "for validation and payment"),
        (made.awaiting_payment, "for payment"),
    ]
    parts = [(number, words) for number, words in waiting if number]
    if not parts:
        return ""
    (first, first_words), rest = parts[0], parts[1:]
    verb = "waits" if first == 1 else "wait"
    return ": " + ", ".join(
        [f"{_count(first, 'exchange')} {verb} {first_words}"]
        + [f"{number} {words}" for number, words in rest]
    )


def _consortium_words(made: DemoConsortium) -> str:
    """Where the demo consortium is and what it applies to (and that it moved there)."""
    applies = f"{made.call_id or 'no call yet'}" + (f" strand {made.strand}" if made.strand else "")
    where = (
        f"is at /consortia/{made.consortium_id}: its eligibility checklist and suggested partners."
    )
    if made.moved:
        return (
            f"The demo account's consortium ({_count(made.partners, 'partner')}) now applies to "
            f"the open call {applies} instead of {EARLIER_CALL}, whose deadline has passed; "
            f"it {where}"
        )
    return (
        f"The demo account's consortium ({_count(made.partners, 'partner')}) for {applies} {where}"
    )


def _local(moment: datetime | None) -> str:
    if moment is None:
        return "no deadline"
    return moment.astimezone(ZoneInfo(TIME_ZONE)).strftime("%d %B %Y %H:%M")


def _deadline_words(closes_at: datetime | None) -> str:
    if closes_at is None:
        return "it takes proposals until its selection is published."
    local = _local(closes_at)
    if now() < closes_at:
        return (
            f"the demo account can send it a proposal until {local} ({TIME_ZONE}); "
            "the administrator evaluates it after that."
        )
    return f"it closed on {local} ({TIME_ZONE}); the administrator evaluates it (/evaluation)."


def _password_words(password: str | None) -> str:
    if password is None:
        return "with the password you have (--reset-passwords sets new ones)"
    return f"with the password {password}"


def _prepare_exchanges(session: "Session", email: str) -> "DemoExchanges":
    # The exchanges capability (and its programme data) is loaded only for the demo.
    from clusterbridge.services.exchanges import open_programme  # noqa: PLC0415 -- slow import
    from clusterbridge.services.exchanges.demo import prepare_demo_exchanges  # noqa: PLC0415 -- slow import

    programme = open_programme(get_settings().exchange_lump_sums_file)
    moment = now()
    return prepare_demo_exchanges(
        session, find_user(session, email), programme=programme, now=moment, today=today(moment)
    )
