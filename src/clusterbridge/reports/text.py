"""Eligibility reports and call descriptions as plain text for the terminal."""

import textwrap
from datetime import datetime

from clusterbridge.domain.calls import Call
from clusterbridge.domain.eligibility.report import EligibilityReport
from clusterbridge.domain.enums import RuleStatus
from clusterbridge.reports.serialise import describe_time_left

WIDTH = 100
TAGS = {
    RuleStatus.PASS: "PASS   ",
    RuleStatus.FAIL: "FAIL   ",
    RuleStatus.WARNING: "WARNING",
    RuleStatus.UNKNOWN: "UNKNOWN",
}
INDENT = " " * 10


def render_report_text(report: EligibilityReport) -> str:
    """The checklist as text: heading, verdict, then each rule with its reason and source."""
    call, application = report.call, report.application
    strand = f", strand {application.strand}" if application.strand else ""
    counts = ", ".join(f"{report.count(s)} {s.value}" for s in RuleStatus)
    lines = [
        f"{call.id}{strand}: {call.title}",
        f"Call status: {describe_deadline(call, report.checked_at)}",
        f"Consortium: {len(application.consortium.partners)} partners",
        "",
        f"Verdict: {report.verdict.value.upper()} ({counts})",
        "",
    ]
    for finding in report.findings:
        lines.append(f"[{TAGS[finding.status]}] {finding.title} ({finding.rule})")
        lines.extend(_wrap(finding.message))
        lines.extend(_wrap(f"Source: {finding.source.cite(call.documents)}"))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def describe_deadline(call: Call, now: datetime) -> str:
    """``open, deadline 2025-02-05 17:00 CET (3 days 2 hours left)`` or ``no deadline``."""
    status, left = call.status(now)
    if call.deadline is None:
        return "no deadline stated in the call text"
    when = call.deadline.strftime("%Y-%m-%d %H:%M %Z")
    return f"{status.value}, deadline {when} ({describe_time_left(left)})"


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=INDENT, subsequent_indent=INDENT)
