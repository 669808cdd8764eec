"""A project's analysis as a document: numbered opportunities and threats with the references of
their evidence, the policy recommendations citing the findings' numbers, and the numbered list
of references. As HTML, as PDF (WeasyPrint, the ``pdf`` extra) and as DOCX (python-docx, the
``docx`` extra)."""

import io
from dataclasses import dataclass
from datetime import datetime

from clusterbridge import __version__
from clusterbridge.domain.errors import MissingDependencyError
from clusterbridge.reports.pages import environment, html_to_pdf

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True, slots=True)
class ReportFinding:
    """A finding as the document prints it; ``references`` are numbers of the references."""

    number: int
    title: str
    text: str
    concerns: str
    references: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ReportRecommendation:
    """A recommendation as the document prints it; ``findings`` are the findings' numbers."""

    number: int
    audience: str
    text: str
    findings: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class AnalysisReport:
    """Everything the document holds; the references in their numbered order."""

    title: str
    opportunities: tuple[ReportFinding, ...]
    threats: tuple[ReportFinding, ...]
    recommendations: tuple[ReportRecommendation, ...]
    references: tuple[str, ...]
    printed_at: datetime


def cite(numbers: tuple[int, ...], *, prefix: str = "") -> str:
    """Numbers as the document cites them: ``[1], [3]``; with a prefix, ``Rests on findings 1,
    3`` (``s`` added to the prefix for more than one)."""
    if prefix:
        plural = "s" if len(numbers) > 1 else ""
        return f"{prefix}{plural} {', '.join(str(n) for n in numbers)}"
    return ", ".join(f"[{n}]" for n in numbers)


def render_analysis_html(report: AnalysisReport) -> str:
    """A self-contained, printable HTML page of the analysis."""
    template = environment().get_template("analysis.html.j2")
    return template.render(report=report, cite=cite, version=__version__)


def render_analysis_pdf(report: AnalysisReport) -> bytes:
    """The analysis as PDF (A4). Raises MissingDependencyError when WeasyPrint is missing."""
    return html_to_pdf(render_analysis_html(report))


def render_analysis_docx(report: AnalysisReport) -> bytes:
    """The analysis as a Word document (DOCX), with the same sections and numbers as the PDF.

    Raises MissingDependencyError with an install hint when python-docx (the ``docx`` extra) is
    missing."""
    try:
        from docx import Document  # noqa: PLC0415 -- optional dependency
    except ImportError as error:  # pragma: no cover - depends on the installation
        msg = f'DOCX output needs python-docx: pip install "clusterbridge[docx]" ({error})'
        raise MissingDependencyError(msg) from error
    document = Document()
    document.core_properties.title = report.title
    document.add_heading(report.title, level=0)
    document.add_paragraph(f"Printed {report.printed_at:%Y-%m-%d %H:%M} UTC by clusterbridge.")
    for heading, findings in (("Opportunities", report.opportunities), ("Threats", report.threats)):
        document.add_heading(heading, level=1)
        if not findings:
            document.add_paragraph(f"No {heading.lower()} recorded.")
        for finding in findings:
            document.add_heading(f"{finding.number}. {finding.title}", level=2)
            document.add_paragraph(finding.text)
            document.add_paragraph(finding.concerns)
            if finding.references:
                document.add_paragraph(f"Evidence: {cite(finding.references)}")
    document.add_heading("Policy recommendations", level=1)
    if not report.recommendations:
        document.add_paragraph("No recommendations recorded.")
    for item in report.recommendations:
        document.add_heading(f"R{item.number}. To {item.audience}", level=2)
        document.add_paragraph(item.text)
        document.add_paragraph(cite(item.findings, prefix="Rests on finding"))
    document.add_heading("References", level=1)
    if not report.references:
        document.add_paragraph("No evidence cited.")
    for number, reference in enumerate(report.references, start=1):
        document.add_paragraph(f"[{number}] {reference}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
