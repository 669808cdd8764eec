"""The eligibility checklist a coordinator attaches to a proposal, as HTML and as PDF."""

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from clusterbridge import __version__
from clusterbridge.domain.eligibility.report import EligibilityReport
from clusterbridge.domain.enums import RuleStatus
from clusterbridge.domain.errors import MissingDependencyError
from clusterbridge.reports.serialise import describe_time_left
from clusterbridge.reports.text import describe_deadline

STATUS_LABELS = {
    RuleStatus.PASS: "Pass",
    RuleStatus.FAIL: "Fail",
    RuleStatus.WARNING: "Warning",
    RuleStatus.UNKNOWN: "Unknown",
}


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("clusterbridge.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_checklist_html(report: EligibilityReport) -> str:
    """A self-contained, printable HTML page: call, consortium table, every rule and its source."""
    template = _environment().get_template("checklist.html.j2")
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
    try:
        from weasyprint import HTML  # noqa: PLC0415 -- optional dependency
    except (ImportError, OSError) as error:  # pragma: no cover - depends on the installation
        msg = (
            'PDF output needs WeasyPrint and Pango: pip install "clusterbridge[pdf]" and '
            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0 ({error})"
        )
        raise MissingDependencyError(msg) from error
    pdf: bytes = HTML(string=render_checklist_html(report)).write_pdf()
    return pdf
