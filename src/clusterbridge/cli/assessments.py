"""``clusterbridge assessments``: the self-assessments' scheduled work (label expiry reminders)
and a cluster's readiness self-assessment as a CSV or XLSX file.

The services are imported inside the commands, so that ``--help`` stays fast."""

from typing import Annotated

import typer

from clusterbridge.cli.common import (
    MAX_DAYS_BEFORE,
    TableFormatOption,
    TableOutputOption,
    database,
    now,
    require_output_file,
    user_errors,
    write_output,
)
from clusterbridge.config import get_settings
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.workbooks import TableFormat

app = typer.Typer(
    help="Self-assessments: cluster excellence readiness as a file, labels' expiry reminders."
)


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


@app.command("export-readiness")
def export_readiness(
    organisation_id: Annotated[
        int,
        typer.Argument(
            metavar="ORGANISATION", help="The cluster organisation's number.", min=1, max=MAX_ID
        ),
    ],
    acting: Annotated[
        str,
        typer.Option(
            "--as", metavar="EMAIL", help="A member of the organisation or an administrator."
        ),
    ],
    file_format: TableFormatOption = TableFormat.CSV,
    output: TableOutputOption = None,
) -> None:
    """Write the cluster's readiness self-assessment: each question with its area, weight,
    answer, comment and evidence files, then each area's score and the overall score, as its
    page's download does. An XLSX file needs --output. Exit status: 0; 2 for an unknown
    account, or an organisation the account is no member of or that is no cluster."""
    from clusterbridge.services.accounts.users import find_active_user  # noqa: PLC0415 -- slow import
    from clusterbridge.services.monitoring import (  # noqa: PLC0415 -- slow import
        export_readiness as write_readiness,
    )
    from clusterbridge.services.monitoring import get_readiness  # noqa: PLC0415 -- slow import

    if file_format is TableFormat.XLSX:
        require_output_file(output, what="an XLSX file")
    with user_errors(), database() as db, db.unit_of_work() as session:
        user = find_active_user(session, acting, field="--as")
        readiness = get_readiness(session, user, organisation_id)
        content = write_readiness(readiness, file_format)
    write_output(content, output)
