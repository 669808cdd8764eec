"""Periodic reports (ADR 0029): the values of every indicator of a project for one reporting
period, frozen with copies of their evidence files. A frozen report never changes; issuing the
period's report again makes a new version beside it."""

from datetime import date, datetime

from sqlalchemy.orm import Session

from clusterbridge.db.models import (
    IndicatorReport,
    IndicatorReportEvidence,
    IndicatorReportLine,
    MonitoredProject,
    User,
)
from clusterbridge.db.repositories import indicators as repository
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.monitoring.dashboard import (
    Point,
    Series,
    project_series,
    started_periods,
)
from clusterbridge.services.monitoring.indicators import (
    IndicatorNotFoundError,
    check_file_project,
    missing_file,
)
from clusterbridge.services.monitoring.projects import get_project, managed_project


def issue_report(
    session: Session, actor: User, project_id: int, period: int, *, now: datetime, today: date
) -> IndicatorReport:
    """Freeze the values of the project's indicators for a period that has started by
    ``today`` (the site's date at ``now``, the time of issue), as the next version of that
    period's report, with copies of the manual values' evidence. A period not over yet is frozen
    up to today, and its label says so. Flushes."""
    project = managed_project(session, actor, project_id)
    started = started_periods(project, today)
    if not 1 <= period <= len(started):
        reason = (
            f"choose a period that has started (1 to {len(started)})"
            if started
            else "no period has started yet"
        )
        raise InvalidInputError("The report was not issued", [InputIssue("", "period", reason)])
    chosen = started[period - 1]
    report = IndicatorReport(
        project_id=project.id,
        period=period,
        version=repository.last_version(session, project.id, period) + 1,
        period_label=chosen.label,
        issued_at=now,
        issued_by_id=actor.id,
        lines=[],
    )
    for position, series in enumerate(project_series(session, project, today=today), start=1):
        report.lines.append(_line(session, position, series, series.points[period - 1]))
    session.add(report)
    session.flush()
    return report


def _line(session: Session, position: int, series: Series, point: Point) -> IndicatorReportLine:
    files = repository.evidence_of_values_by_id(session, [e.id for e in point.evidence])
    return IndicatorReportLine(
        indicator_id=series.id,
        position=position,
        name=series.name,
        unit=series.unit,
        source=series.source.value if series.source else None,
        baseline=series.baseline,
        target=point.target,
        value=point.value,
        breakdown=[[group, str(value)] for group, value in point.breakdown],
        note=point.note,
        evidence=[
            IndicatorReportEvidence(
                file_name=f.file_name, content_type=f.content_type, size=f.size, content=f.content
            )
            for f in files
        ],
    )


def project_reports(session: Session, project: MonitoredProject) -> list[IndicatorReport]:
    """The project's frozen reports, latest period and version first, lines loaded."""
    return repository.reports(session, project.id)


def get_report(
    session: Session, user: User | None, report_id: int
) -> tuple[IndicatorReport, MonitoredProject]:
    """A frozen report and its project, for those who see the project."""
    report = repository.report(session, report_id)
    if report is None or user is None:
        raise IndicatorNotFoundError("No such report among your projects'.")
    return report, get_project(session, user, report.project_id)


def get_report_evidence(
    session: Session, user: User | None, evidence_id: int, *, project_id: int
) -> IndicatorReportEvidence:
    """A frozen copy of an evidence file of project ``project_id`` with its bytes, for those
    who see the project (``check_file_project``)."""
    found = repository.report_evidence(session, evidence_id)
    if found is None:
        raise missing_file()
    evidence, owner_id = found
    check_file_project(session, user, owner_id, project_id=project_id)
    return evidence
