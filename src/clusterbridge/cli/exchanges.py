"""``clusterbridge exchanges``: the ClusterXchange assignment and lump sums.

The services (and through them the gazetteer and OR-Tools) are imported inside the commands,
so that ``clusterbridge --help`` does not pay for them.
"""

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from clusterbridge.cli.common import (
    EXIT_NOT_ELIGIBLE,
    EXIT_OK,
    MAX_DAYS_BEFORE,
    FormatOption,
    OutputFormat,
    database,
    emit_json,
    existing_file,
    now,
    user_errors,
)
from clusterbridge.cli.values import read_day, seconds_from
from clusterbridge.config import get_settings
from clusterbridge.domain.money import format_euros

if TYPE_CHECKING:
    from clusterbridge.engines.exchanges import AssignmentResult
    from clusterbridge.services.exchanges import LumpSumEstimate

app = typer.Typer(help="Exchanges between clusters (ClusterXchange): assignment, lump sums.")


@app.command("match")
def match_command(
    file: Annotated[
        Path,
        typer.Argument(
            callback=existing_file,
            help='JSON: {"visitors": [{id, preferences}], "hosts": [{id, capacity, preferences}]}.',
        ),
    ],
    most_exchanges: Annotated[
        bool,
        typer.Option(
            "--most-exchanges",
            help="The assignment with the most exchanges (CP-SAT) instead of the stable one; "
            "the blocking pairs it creates are listed.",
        ),
    ] = False,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            parser=seconds_from(0.1),
            metavar="SECONDS",
            help="Seconds for --most-exchanges.",
        ),
    ] = 10.0,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """Assign visitors to hosts: the visitor-optimal stable assignment of FILE.

    A pair is acceptable only if each lists the other; a host takes at most its capacity.
    Exit status: 0 done, 2 bad file.
    """
    from clusterbridge.engines.exchanges import Method, solve  # noqa: PLC0415 -- slow import
    from clusterbridge.services.exchanges import (  # noqa: PLC0415 -- slow import
        assignment_to_dict,
        read_assignment_problem,
    )

    with user_errors():
        problem = read_assignment_problem(file)
    method = Method.MOST if most_exchanges else Method.STABLE
    result = solve(problem, method=method, time_limit=time_limit)
    if output_format is OutputFormat.JSON:
        emit_json(assignment_to_dict(result, blocking=most_exchanges))
    else:
        typer.echo(_render_assignment(result, blocking=most_exchanges))
    raise typer.Exit(EXIT_OK)


@app.command("lump-sum")
def lump_sum_command(
    host_country: Annotated[
        str,
        typer.Option(
            "--host-country", help="The host's country (code or name).", show_default=False
        ),
    ],
    visitor_place: Annotated[
        str,
        typer.Option(
            "--visitor-place",
            help='"lat,lon" or "City, CC" (e.g. "Porto, PT").',
            show_default=False,
        ),
    ],
    host_place: Annotated[
        str, typer.Option("--host-place", help='"lat,lon" or "City, CC".', show_default=False)
    ],
    start: Annotated[
        date,
        typer.Option(
            "--start",
            parser=read_day,
            help="First day at the host (YYYY-MM-DD).",
            show_default=False,
        ),
    ],
    end: Annotated[
        date,
        typer.Option(
            "--end",
            parser=read_day,
            help="Last day at the host (YYYY-MM-DD).",
            show_default=False,
        ),
    ],
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """The visitor's lump sum for a stay: the host country's threshold, halved once for fewer
    than 5 working days and/or under 200 km.

    Working days exclude weekends and the host country's public holidays; travel days are not
    part of the stay. Exit status: 0 done, 1 a stay outside 3 working days to 1 month (or a
    country without a threshold), 2 bad input.
    """
    from clusterbridge.services.exchanges import (  # noqa: PLC0415 -- slow import
        estimate_lump_sum,
        estimate_to_dict,
        open_programme,
    )

    with user_errors():
        programme = open_programme(get_settings().exchange_lump_sums_file)
        estimate = estimate_lump_sum(
            programme,
            host_country=host_country,
            visitor_place=visitor_place,
            host_place=host_place,
            start=start,
            end=end,
        )
    if output_format is OutputFormat.JSON:
        emit_json(estimate_to_dict(estimate))
    else:
        typer.echo(_render_lump_sum(estimate))
    raise typer.Exit(EXIT_OK if estimate.lump_sum.amount_eur is not None else EXIT_NOT_ELIGIBLE)


def _render_assignment(result: "AssignmentResult", *, blocking: bool) -> str:
    lines = [f"Exchanges: {len(result.matches)}"]
    lines.extend(f"  {m.visitor} -> {m.host}" for m in result.matches)
    lines.append(f"Visitors without a host: {', '.join(result.unmatched) or 'none'}")
    if blocking:
        lines.append(f"Blocking pairs: {len(result.report.blocking_pairs)}")
        lines.extend(
            f"  {p.visitor} and {p.host}: {p.reason}" for p in result.report.blocking_pairs
        )
    return "\n".join(lines)


def _render_lump_sum(estimate: "LumpSumEstimate") -> str:
    lump_sum = estimate.lump_sum
    amount = format_euros(lump_sum.amount_eur, missing="none")
    lines = [
        f"Lump sum: {amount}{' (halved)' if lump_sum.halved else ''}",
        f"Working days: {lump_sum.stay.working_days}",
        f"Distance: {lump_sum.distance.rounded_km} km",
        f"From: {estimate.visitor_place.how}",
        f"To: {estimate.host_place.how}",
        "Reasons:",
        *(f"  - {reason}" for reason in lump_sum.reasons),
    ]
    return "\n".join(lines)


@app.command("partnership")
def partnership_command(
    name: Annotated[str, typer.Argument(help="The partnership's name.")],
    country: Annotated[str, typer.Option("--country", help="Its country (code or name).")],
    members: Annotated[
        list[str],
        typer.Option("--member", help="E-mail of a user who acts for it (repeat for more)."),
    ],
    acting: Annotated[str, typer.Option("--as", help="An administrator's e-mail.")],
) -> None:
    """Create a partnership that runs the exchange scheme, with the users who act for it.

    Every problem is reported at once. Exit status: 0 created, 2 bad input (unknown user, not
    an administrator, blank or unknown country, a name already used).
    """
    from clusterbridge.services.exchanges import create_partnership_as  # noqa: PLC0415 -- slow import

    with user_errors(), database() as db, db.unit_of_work() as session:
        partnership = create_partnership_as(
            session, acting_email=acting, name=name, country=country, member_emails=members
        )
        typer.echo(f"Created partnership {partnership.name} (id {partnership.id})")


@app.command("remind")
def remind_command(
    days_before: Annotated[
        int,
        typer.Option(
            "--days-before",
            min=0,
            max=MAX_DAYS_BEFORE,
            help="Remind this many days before the due date.",
        ),
    ] = 2,
) -> None:
    """Mail each partnership the lump sums it has to pay soon or already late (run it daily).

    Exit status: 0.
    """
    from clusterbridge.services.exchanges import (  # noqa: PLC0415 -- slow import
        ExchangeNotifier,
        remind_payments,
    )
    from clusterbridge.services.mail import build_mailer  # noqa: PLC0415 -- slow import

    settings = get_settings()
    notifier = ExchangeNotifier(build_mailer(settings), settings.public_url)
    with user_errors(), database() as db, db.unit_of_work() as session:
        due = remind_payments(
            session, notifier, today=settings.today(now()), days_before=days_before
        )
        for exchange in due:
            typer.echo(
                f"{exchange.visitor.organisation.name}: {format_euros(exchange.lump_sum_eur)} due by "
                f"{exchange.payment_due}"
            )
    typer.echo(f"Reminders sent for {len(due)} payment(s).")
