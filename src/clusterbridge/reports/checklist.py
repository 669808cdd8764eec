"""The eligibility checklist a coordinator attaches to a proposal, as HTML and as PDF."""

from clusterbridge import __version__
from clusterbridge.domain.eligibility.report import EligibilityReport
from clusterbridge.domain.enums import RuleStatus
from clusterbridge.reports.pages import environment, html_to_pdf
from clusterbridge.reports.serialise import describe_time_left
from clusterbridge.reports.text import describe_deadline

STATUS_LABELS = {
    RuleStatus.PASS: "Pass",
    RuleStatus.FAIL: "Fail",
    RuleStatus.WARNING: "Warning",
    RuleStatus.UNKNOWN: "Unknown",
}


def render_checklist_html(report: EligibilityReport) -> str:
    """A self-contained, printable HTML page: call, consortium table, every rule and its source."""
    template = environment().get_template("checklist.html.j2")
    return template.render(
        report=report,
        call=report.call,
        application=report.application,
        partners=report.application.consortium.partners,
        deadline=describe_deadline(report.call, report.checked_at),
        time_left=describe_time_left(report.time_left),
        statuses=list(RuleStatus),
        labels=STATUS_LABELS,
        strand=report.call.strand(report.application.strand or ""),
        version=__version__,
    )


def render_checklist_pdf(report: EligibilityReport) -> bytes:
    """The checklist as PDF (A4), rendered from the HTML by WeasyPrint.

    Raises MissingDependencyError with an install hint when WeasyPrint (the ``pdf`` extra) or
    the Pango library it loads is missing.
    """
    return html_to_pdf(render_checklist_html(report))
