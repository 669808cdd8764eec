"""``clusterbridge followups``: ask SMEs what came of their meetings and exchanges.

The services are imported inside the commands, so that ``--help`` stays fast."""

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from clusterbridge.cli.common import database, now, user_errors
from clusterbridge.config import get_settings

app = typer.Typer(help="Outcome follow-ups: ask SMEs what came of meetings and exchanges.")


@app.command("send")
def send(
    at: Annotated[
        datetime | None,
        typer.Option(
            "--now",
            help="Send what is due at this UTC time (default: now), e.g. 2027-01-15T09:00.",
        ),
    ] = None,
) -> None:
    """Mail the follow-ups that are due, each once (run it daily).

    Running it again sends nothing new.

    The weeks come from the ``followup_weeks`` setting (default 2 and 6). Exit status: 0.
    """
    from clusterbridge.services.mail import build_mailer  # noqa: PLC0415 -- slow import
    from clusterbridge.services.monitoring import (  # noqa: PLC0415 -- slow import
        FollowUpMail,
        send_follow_ups,
    )

    settings = get_settings()
    mail = FollowUpMail(
        mailer=build_mailer(settings),
        public_url=settings.public_url,
        weeks=tuple(settings.followup_weeks),
        link_lifetime=timedelta(days=settings.followup_link_days),
    )
    moment = now() if at is None else _as_utc(at)
    with user_errors(), database() as db, db.unit_of_work() as session:
        sent = send_follow_ups(session, mail, now=moment, today=settings.today(moment))
        for follow_up in sent:
            activity = (
                f"meeting {follow_up.meeting_id}"
                if follow_up.meeting_id is not None
                else f"exchange {follow_up.exchange_id}"
            )
            typer.echo(
                f"Week {follow_up.week} follow-up of {activity}: organisation "
                f"{follow_up.organisation_id}"
            )
    typer.echo(f"Follow-ups sent: {len(sent)}.")


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
