"""``clusterbridge assessments``: the self-assessments' scheduled work (label expiry reminders).

The services are imported inside the commands, so that ``--help`` stays fast."""

from typing import Annotated

import typer

from clusterbridge.cli.common import MAX_DAYS_BEFORE, database, now, user_errors
from clusterbridge.config import get_settings

app = typer.Typer(help="Self-assessments: cluster excellence labels and their expiry reminders.")


@app.command("remind-labels")
def remind_labels(
    days_before: Annotated[
        int,
        typer.Option(
            "--days-before",
            min=0,
            max=MAX_DAYS_BEFORE,
            help="Remind this many days before a label expires.",
        ),
    ] = 90,
) -> None:
    """Mail the members of each cluster whose excellence label expires soon (run it daily).

    Each label is reminded once. Exit status: 0.
    """
    from clusterbridge.services.mail import build_mailer  # noqa: PLC0415 -- slow import
    from clusterbridge.services.monitoring import remind_label_expiry  # noqa: PLC0415 -- slow import

    settings = get_settings()
    mailer = build_mailer(settings)
    with user_errors(), database() as db, db.unit_of_work() as session:
        moment = now()
        labels = remind_label_expiry(
            session, mailer, now=moment, today=settings.today(moment),
            public_url=settings.public_url, days_before=days_before,
        )  # fmt: skip
        for label in labels:
            typer.echo(
                f"Organisation {label.organisation_id}: {label.level} label expires {label.expires}"
            )
    typer.echo(f"Reminders sent for {len(labels)} label(s).")
