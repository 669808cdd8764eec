"""A project's analysis as a whole: the workspace page's content (findings numbered as the
document numbers them, recommendations, documents, what the user may cite) and the document
exported as PDF or DOCX.

Findings are numbered opportunities first, then threats, each in the managers' order; the
references are the findings' evidence in that order, each item once (``number_references``)."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    AnalysisDocument,
    Finding,
    MonitoredProject,
    Recommendation,
    User,
)
from clusterbridge.db.repositories import analyses as repository
from clusterbridge.domain.analysis import (
    AUDIENCE_ADDRESSEES,
    EvidenceKey,
    EvidenceKind,
    FindingKind,
    number_references,
)
from clusterbridge.domain.calendar import DEFAULT_TIME_ZONE
from clusterbridge.domain.enums import SmeProfile
from clusterbridge.reference import industrial_ecosystems
from clusterbridge.reports.analysis import (
    DOCX_TYPE,
    AnalysisReport,
    ReportFinding,
    ReportRecommendation,
    render_analysis_docx,
    render_analysis_pdf,
)
from clusterbridge.services.monitoring.analysis.evidence import evidence_choices, scope_of
from clusterbridge.services.monitoring.projects import can_manage, get_project
from clusterbridge.services.registry import vocabulary

PROFILE_LABELS = {
    None: "every SME",
    SmeProfile.TRADITIONAL: "traditional SMEs",
    SmeProfile.TECH_SAVVY: "tech-savvy SMEs",
}


class ExportFormat(StrEnum):
    """The formats the analysis is exported in."""

    PDF = "pdf"
    DOCX = "docx"


MEDIA_TYPES = {ExportFormat.PDF: "application/pdf", ExportFormat.DOCX: DOCX_TYPE}


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the workspace page shows. ``numbers`` maps a finding's id to its number;
    ``choices`` is empty for those who only read."""

    project: MonitoredProject
    findings: list[Finding]
    numbers: dict[int, int]
    recommendations: list[Recommendation]
    documents: list[AnalysisDocument]
    can_manage: bool
    choices: dict[EvidenceKind, list[EvidenceKey]]


def ordered_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in the document's order: opportunities, then threats, each in their order."""
    kinds = list(FindingKind)
    return sorted(findings, key=lambda f: (kinds.index(f.kind), f.position, f.id))


def get_analysis(
    session: Session,
    user: User | None,
    project_id: int,
    *,
    today: date,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> Analysis:
    """The project's analysis for ``user`` (``ProjectNotFoundError`` if they may not see the
    project); the evidence they may cite when they manage it, as of the site's date ``today``. Reads
    only."""
    project = get_project(session, user, project_id)
    findings = ordered_findings(repository.findings(session, project.id))
    manages = can_manage(session, user, project)
    choices = {}
    if manages and user is not None:
        choices = evidence_choices(
            scope_of(session, user, project, today=today, time_zone=time_zone)
        )
    return Analysis(
        project=project,
        findings=findings,
        numbers={finding.id: number for number, finding in enumerate(findings, start=1)},
        recommendations=repository.recommendations(session, project.id),
        documents=repository.documents(session, project.id),
        can_manage=manages,
        choices=choices,
    )


def describe_concerns(finding: Finding) -> str:
    """What a finding concerns, in words: the SME profile, technologies and ecosystems."""
    terms = {term.code: term.label for term in vocabulary()}
    ecosystems = {ecosystem.slug: ecosystem.name for ecosystem in industrial_ecosystems()}
    parts = [f"Concerns {PROFILE_LABELS[finding.sme_profile]}"]
    if finding.technologies:
        parts.append("technologies: " + ", ".join(terms[c] for c in finding.technologies))
    if finding.ecosystems:
        parts.append("ecosystems: " + ", ".join(ecosystems[s] for s in finding.ecosystems))
    return "; ".join(parts) + "."


def analysis_report(analysis: Analysis, *, now: datetime) -> AnalysisReport:
    """The document of an analysis: numbered findings, recommendations citing their numbers,
    the numbered references. Pure."""
    keys = [
        [EvidenceKey(e.kind, e.ref_id, e.label) for e in finding.evidence]
        for finding in analysis.findings
    ]
    references = number_references(keys)
    reference_numbers = {(k.kind, k.ref_id): n for n, k in enumerate(references, start=1)}
    printed = [
        ReportFinding(
            number=analysis.numbers[finding.id],
            title=finding.title,
            text=finding.text,
            concerns=describe_concerns(finding),
            references=tuple(reference_numbers[(k.kind, k.ref_id)] for k in finding_keys),
        )
        for finding, finding_keys in zip(analysis.findings, keys, strict=True)
    ]
    kinds = {finding.id: finding.kind for finding in analysis.findings}
    project = analysis.project
    return AnalysisReport(
        title=f"{project.acronym}: opportunities, threats and policy recommendations",
        opportunities=tuple(
            p
            for p, f in zip(printed, analysis.findings, strict=True)
            if kinds[f.id] == FindingKind.OPPORTUNITY
        ),
        threats=tuple(
            p
            for p, f in zip(printed, analysis.findings, strict=True)
            if kinds[f.id] == FindingKind.THREAT
        ),
        recommendations=tuple(
            ReportRecommendation(
                number=number,
                audience=AUDIENCE_ADDRESSEES[item.audience],
                text=item.text,
                findings=tuple(sorted(analysis.numbers[f.id] for f in item.findings)),
            )
            for number, item in enumerate(analysis.recommendations, start=1)
        ),
        references=tuple(key.label for key in references),
        printed_at=now,
    )


def export_analysis(
    session: Session,
    user: User | None,
    project_id: int,
    fmt: ExportFormat,
    *,
    now: datetime,
    today: date,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> tuple[bytes, str, str]:
    """The analysis as a document for whoever sees the project: its bytes, media type and file
    name. ``MissingDependencyError`` when the format's extra is not installed. Reads only."""
    analysis = get_analysis(session, user, project_id, today=today, time_zone=time_zone)
    report = analysis_report(analysis, now=now)
    content = (
        render_analysis_pdf(report) if fmt == ExportFormat.PDF else render_analysis_docx(report)
    )
    name = f"{analysis.project.acronym}-analysis.{fmt.value}"
    return content, MEDIA_TYPES[fmt], name
