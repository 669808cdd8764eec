"""The verdicts of one consortium for every call, ranked best first."""

from clusterbridge.domain.eligibility.report import CallCheck
from clusterbridge.domain.enums import RuleStatus
from clusterbridge.reports.serialise import JSON, call_summary, finding_to_dict


def all_calls_to_dict(checks: list[CallCheck]) -> JSON:
    """Every call's verdict, strands and non-passing findings, in the given (ranked) order."""
    return {
        "results": [
            {
                "call": call_summary(c.report.call, now=c.report.checked_at),
                "verdict": c.report.verdict.value,
                "strands": list(c.strands),
                "counts": {s.value: c.report.count(s) for s in RuleStatus},
                "findings": [
                    finding_to_dict(f, c.report.call)
                    for f in c.report.findings
                    if f.status is not RuleStatus.PASS
                ],
            }
            for c in checks
        ]
    }


def render_all_calls_text(checks: list[CallCheck]) -> str:
    """A ranked list: verdict and call, then the rules that did not pass."""
    lines: list[str] = []
    for rank, check in enumerate(checks, start=1):
        report = check.report
        strands = f" (strands: {', '.join(check.strands)})" if check.strands else ""
        status = report.call_status.value.replace("_", " ")
        lines.append(
            f"{rank}. {report.verdict.value.upper():<10} {report.call.id} [{status}]{strands}"
        )
        lines.append(f"   {report.call.title}")
        for finding in report.findings:
            if finding.status is not RuleStatus.PASS:
                lines.append(f"   - {finding.status.value}: {finding.title}. {finding.message}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
