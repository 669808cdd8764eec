"""``clusterbridge check``: is this consortium eligible for this call, and if not, why?"""

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from clusterbridge.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_NOT_ELIGIBLE,
    EXIT_OK,
    CallsDirOption,
    existing_file,
    now,
    open_calls_catalogue,
    output_file,
    user_errors,
    write_output,
)
from clusterbridge.cli.messages import print_error
from clusterbridge.domain import money
from clusterbridge.domain.eligibility.report import CallCheck, EligibilityReport
from clusterbridge.domain.enums import Verdict
from clusterbridge.reports.checklist import render_checklist_html, render_checklist_pdf
from clusterbridge.reports.serialise import report_to_dict
from clusterbridge.reports.summary import all_calls_to_dict, render_all_calls_text
from clusterbridge.reports.text import render_report_text
from clusterbridge.services.calls.eligibility import check_all_calls, check_application
from clusterbridge.services.consortia.consortia import MAX_DURATION_MONTHS
from clusterbridge.services.consortia.file import read_consortium


class ReportFormat(StrEnum):
    """Formats of an eligibility report."""

    TEXT = "text"
    JSON = "json"
    HTML = "html"
    PDF = "pdf"


#: The most digits a requested grant may have (a trillion euros and more is a typing mistake).
MAX_GRANT_DIGITS = 13


def parse_euros(value: str | None) -> int | None:
    """``2500000``, ``2 500 000``, ``2,500,000``, ``2_500_000`` or ``EUR 2,500,000`` (as the
    reports write it) euros as an integer."""
    if value is None:
        return None
    try:
        amount = money.parse_whole_euros(value, max_digits=MAX_GRANT_DIGITS)
    except ValueError:
        amount = -1
    if amount < 0:
        msg = f'"{value}" is not an amount in whole euros, e.g. 2500000'
        raise typer.BadParameter(msg, param_hint="'--requested-grant'")
    return amount


def check(
    file: Annotated[
        Path,
        typer.Argument(
            callback=existing_file, help="The consortium: CSV, XLSX or JSON, one partner a row."
        ),
    ],
    call_id: Annotated[
        str | None, typer.Option("--call", help="The call to check against.")
    ] = None,
    all_calls: Annotated[
        bool, typer.Option("--all-calls", help="Check against every call, best first.")
    ] = False,
    strand: Annotated[
        str | None, typer.Option(help="The strand applied for (see `calls show`).")
    ] = None,
    duration_months: Annotated[
        int | None, typer.Option(max=MAX_DURATION_MONTHS, help="The project duration in months.")
    ] = None,
    requested_grant: Annotated[
        str | None, typer.Option(metavar="EUR", help="The requested EU grant in euros.")
    ] = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", help="Report format.")
    ] = ReportFormat.TEXT,
    output: Annotated[
        Path | None,
        typer.Option(callback=output_file, help="Write the report to this file instead of stdout."),
    ] = None,
    calls_dir: CallsDirOption = None,
) -> None:
    """Check a consortium file against a call (or every call).

    Exit status: 0 eligible, 1 ineligible or incomplete, 2 bad input.
    """
    grant = parse_euros(requested_grant)
    if (call_id is None) == (not all_calls):
        fail_usage("give either --call ID or --all-calls.")
    if all_calls and (output_format in (ReportFormat.HTML, ReportFormat.PDF) or strand is not None):
        fail_usage("--all-calls reports as text or json, and takes no --strand.")
    with user_errors():
        catalogue = open_calls_catalogue(calls_dir)
        consortium = read_consortium(file)
        if call_id is None:
            checks = check_all_calls(
                catalogue,
                consortium,
                now=now(),
                duration_months=duration_months,
                requested_grant_eur=grant,
            )
        else:
            report = check_application(
                catalogue,
                call_id,
                consortium,
                now=now(),
                strand=strand,
                duration_months=duration_months,
                requested_grant_eur=grant,
            )
    if call_id is None:
        write_output(render_all(checks, output_format), output)
        eligible = any(c.report.verdict is Verdict.ELIGIBLE for c in checks)
    else:
        with user_errors():
            write_output(render(report, output_format), output)
        eligible = report.verdict is Verdict.ELIGIBLE
    raise typer.Exit(EXIT_OK if eligible else EXIT_NOT_ELIGIBLE)


def fail_usage(message: str) -> NoReturn:
    """Report a wrong combination of options and exit with status 2."""
    print_error(message)
    raise typer.Exit(EXIT_BAD_INPUT)


def render_all(checks: list[CallCheck], output_format: ReportFormat) -> str:
    """The ranked verdicts for every call, as JSON or text."""
    if output_format is ReportFormat.JSON:
        return json.dumps(all_calls_to_dict(checks), indent=2, ensure_ascii=False) + "\n"
    return render_all_calls_text(checks)


def render(report: EligibilityReport, output_format: ReportFormat) -> str | bytes:
    """The report in the requested format."""
    if output_format is ReportFormat.JSON:
        return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
    if output_format is ReportFormat.HTML:
        return render_checklist_html(report)
    if output_format is ReportFormat.PDF:
        return render_checklist_pdf(report)
    return render_report_text(report)
