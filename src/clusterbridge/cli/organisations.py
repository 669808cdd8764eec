"""``clusterbridge organisations``: searching the registry, its files, and the claims of users
who ask to manage a record (listed, approved and refused by administrators)."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from clusterbridge.cli.common import (
    FormatOption,
    OutputFormat,
    WaitOption,
    database,
    emit_json,
    existing_file,
    now,
    output_file,
    user_errors,
    write_file,
)
from clusterbridge.cli.messages import print_error
from clusterbridge.config import get_settings
from clusterbridge.db.models import OrganisationClaim
from clusterbridge.domain.enums import OrgType
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.accounts.users import find_active_user
from clusterbridge.services.mail import build_mailer
from clusterbridge.services.registry import (
    MAX_PER_PAGE,
    ClaimNotifier,
    OrganisationFilters,
    OrganisationSearchResult,
    decide_claim,
    export_organisations,
    file_format,
    list_pending_claims,
    search_organisations,
)
from clusterbridge.services.workbooks import TableFormat

#: Seconds ``organisations import`` waits for its job at most.
IMPORT_WAIT_SECONDS = 3600.0
#: The options of ``search``, by the name the service gives their filter.
SEARCH_OPTIONS = {"countries": "--country", "types": "--type"}

app = typer.Typer(
    help="The organisation registry: search, claims, import and export files.",
    no_args_is_help=True,
)

ClaimArgument = Annotated[
    int,
    typer.Argument(metavar="CLAIM", help="The claim's number (see `claims`).", min=1, max=MAX_ID),
]
AsOption = Annotated[
    str,
    typer.Option(
        "--as",
        metavar="EMAIL",
        help="Decide as this account: an administrator or a member of the organisation.",
    ),
]
ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why, in a sentence the requester reads by mail.")
]
FileFormatOption = Annotated[
    TableFormat | None,
    typer.Option("--format", help="csv or xlsx; default: from the file name.", show_default=False),
]


@app.command("search")
def search(
    text: Annotated[str, typer.Argument(help="Words, or a 9-digit PIC.")] = "",
    country: Annotated[
        list[str] | None,
        typer.Option("--country", help="A country code or name; repeat for several."),
    ] = None,
    org_type: Annotated[
        list[OrgType] | None, typer.Option("--type", help="A type; repeat for several.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=MAX_PER_PAGE, help="How many to list.")
    ] = 20,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """List the organisations matching TEXT, best match first: id, PIC, country and name.

    TEXT that is a PIC lists the organisation with that PIC alone, when the registry has it.
    An unknown --country exits with status 2, naming it.
    """
    filters = OrganisationFilters(
        text=text, countries=tuple(country or ()), types=tuple(org_type or ())
    )
    with user_errors(), database() as db, db.unit_of_work() as session:
        result = _search(session, filters, limit=limit)
    rows = [
        {"id": item.id, "pic": item.pic, "country": item.country, "name": item.name}
        for item in result.items
    ]
    if output_format is OutputFormat.JSON:
        emit_json({"total": result.total, "items": rows})
        return
    for row in rows:
        typer.echo(f"{row['id']:>6}  {row['pic'] or '-':<9}  {row['country']}  {row['name']}")
    typer.echo(f"{len(rows)} of {result.total:,} organisations", err=True)


def _search(
    session: Session, filters: OrganisationFilters, *, limit: int
) -> OrganisationSearchResult:
    """The service's search; its issues name the options (``--country``)."""
    try:
        return search_organisations(session, filters, per_page=limit, with_facets=False)
    except InvalidInputError as error:
        issues = [
            InputIssue("", SEARCH_OPTIONS.get(i.field, i.field), i.reason) for i in error.issues
        ]
        raise InvalidInputError(error.summary, issues) from None


@app.command("claims")
def claims(output_format: FormatOption = OutputFormat.TEXT) -> None:
    """List the claims waiting for a decision, oldest first.

    Each line: the claim's number, the day it was made, the organisation (id and PIC), who
    asked and their message.
    """
    with database() as db, db.unit_of_work() as session:
        pending = list_pending_claims(session)
        rows = [_claim_row(claim) for claim in pending]
        lines = [_claim_line(claim) for claim in pending]
    if output_format is OutputFormat.JSON:
        emit_json(rows)
        return
    for line in lines:
        typer.echo(line)
    if not lines:
        typer.echo("No claim waits for a decision.", err=True)


def _claim_row(claim: OrganisationClaim) -> dict[str, object]:
    return {
        "id": claim.id,
        "created_at": claim.created_at.isoformat(),
        "organisation_id": claim.organisation.id,
        "organisation": claim.organisation.name,
        "pic": claim.organisation.pic,
        "requester": claim.requester.name,
        "email": claim.requester.email,
        "message": claim.message,
    }


def _claim_line(claim: OrganisationClaim) -> str:
    organisation, requester = claim.organisation, claim.requester
    return (
        f"{claim.id:>5}  {claim.created_at:%Y-%m-%d}  {organisation.name}"
        f" (organisation {organisation.id}, PIC {organisation.pic or '-'})"
        f"  {requester.name} <{requester.email}>: {' '.join(claim.message.split())}"
    )


@app.command("approve")
def approve(claim_id: ClaimArgument, actor: AsOption, reason: ReasonOption = "") -> None:
    """Approve a pending claim: the requester may then edit the organisation.

    The requester becomes a member of the organisation and is mailed.
    """
    with user_errors(), database() as db, db.unit_of_work() as session:
        claim = _decide(session, actor, claim_id, approve=True, reason=reason)
        typer.echo(
            f"Claim {claim.id} approved: {claim.requester.name} now manages"
            f" {claim.organisation.name}"
        )


@app.command("refuse")
def refuse(claim_id: ClaimArgument, actor: AsOption, reason: ReasonOption = "") -> None:
    """Refuse a pending claim, with an optional reason.

    The requester is mailed and may ask again.
    """
    with user_errors(), database() as db, db.unit_of_work() as session:
        claim = _decide(session, actor, claim_id, approve=False, reason=reason)
        typer.echo(f"Claim {claim.id} refused: {claim.requester.name} is told")


def _decide(
    session: Session, email: str, claim_id: int, *, approve: bool, reason: str
) -> OrganisationClaim:
    settings = get_settings()
    return decide_claim(
        session,
        find_active_user(session, email, field="--as"),
        claim_id,
        approve=approve,
        reason=reason,
        now=now(),
        notifier=ClaimNotifier(build_mailer(settings), settings.public_url),
        sees_every_claim=True,
    )


@app.command("import")
def import_file(
    file: Annotated[
        Path,
        typer.Argument(callback=existing_file, help="A CSV (UTF-8) or XLSX file of organisations."),
    ],
    fmt: FileFormatOption = None,
    wait: WaitOption = True,
) -> None:
    """Create or update the organisations of FILE, all or nothing.

    Every bad row is reported with its line and field (exit status 2), and then nothing is
    written. Rows match existing records by PIC, else by name and country. Runs as a
    background job (``clusterbridge jobs``).
    """
    from clusterbridge.cli.jobs import submit_and_follow  # noqa: PLC0415 -- slow import
    from clusterbridge.services.jobs import submit_registry_import  # noqa: PLC0415 -- slow import

    with user_errors():
        content = _read(file)
        chosen = file_format(file, fmt)

    def submit(session: Session, dispatch: Callable[[int], None]) -> Any:
        return submit_registry_import(
            session,
            None,
            content,
            file_format=chosen,
            source=file.name,
            dispatch=dispatch,
        )

    submit_and_follow(submit, wait=wait, timeout=IMPORT_WAIT_SECONDS)


@app.command("export")
def export_file(
    file: Annotated[Path, typer.Argument(callback=output_file, help="The file to write.")],
    fmt: FileFormatOption = None,
) -> None:
    """Write every organisation to FILE (CSV or XLSX), in the columns import reads."""
    with user_errors():
        if fmt is None and file.suffix.lower() not in {".csv", ".xlsx"}:
            reason = f'"{file.name}" must end in .csv or .xlsx, or give --format'
            raise InvalidInputError("The file cannot be written", [InputIssue("", "FILE", reason)])
    chosen = file_format(file, fmt)
    with database() as db, db.unit_of_work() as session:
        content = export_organisations(session, file_format=chosen)
    write_file(content, file, option="FILE")
    typer.echo(f"Written to {file}", err=True)


def _read(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as error:
        print_error(f"cannot read {file}: {error.strerror}")
        raise typer.Exit(2) from None
