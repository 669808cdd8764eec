"""A project's indicators as series (ADR 0029): for each indicator and each reporting period
that has started, its value (computed, or the manual value with its note and evidence), the
period's target and the progress to it; then the project to date against the end target.

A computed indicator's total is computed over the whole time to date, never added up from the
periods: an SME supported in two periods is one SME. A manual indicator's total is the sum of
its period values (the values are what each period added)."""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from clusterbridge.db.models import Indicator, IndicatorValue, MonitoredProject
from clusterbridge.domain.indicators import (
    OVERLAPPING_BREAKDOWNS,
    SOURCE_LABELS,
    IndicatorSource,
    Progress,
    progress,
)
from clusterbridge.domain.monitoring import Period
from clusterbridge.services.monitoring.indicators import manual_values, project_indicators
from clusterbridge.services.monitoring.projects import project_periods
from clusterbridge.services.monitoring.sources import compute

MANUAL_LABEL = "Entered by the partners, with evidence"


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """An evidence file of a manual value, as listed (its bytes are downloaded apart)."""

    id: int
    file_name: str
    size: int


@dataclass(frozen=True, slots=True)
class Point:
    """An indicator in one period: None for a value not known (a period to come, a manual
    value not entered)."""

    period: Period
    value: Decimal | None
    target: Decimal | None
    progress: Progress
    breakdown: tuple[tuple[str, Decimal], ...] = ()
    note: str = ""
    evidence: tuple[EvidenceFile, ...] = ()


@dataclass(frozen=True, slots=True)
class Series:
    """One indicator with its points by period and its total to date."""

    id: int
    name: str
    unit: str
    definition: str
    source: IndicatorSource | None
    source_label: str
    baseline: Decimal | None
    points: tuple[Point, ...]
    total: Point
    overlapping: bool


def started_periods(project: MonitoredProject, today: date) -> list[Period]:
    """The periods started by ``today``, the current one cut at ``today``: an event or a
    meeting later in the period has not been held yet, and "to date" means to today."""
    return [
        replace(period, end=min(period.end, today))
        for period in project_periods(project)
        if period.start <= today
    ]


def _computed_point(
    session: Session,
    project: MonitoredProject,
    source: IndicatorSource,
    period: Period,
    target: Decimal | None,
) -> Point:
    found = compute(session, project, source, period.start, period.end)
    return Point(period, found.value, target, progress(found.value, target), found.breakdown)


def _manual_point(period: Period, row: IndicatorValue | None, target: Decimal | None) -> Point:
    if row is None:
        return Point(period, None, target, progress(None, target))
    files = tuple(EvidenceFile(e.id, e.file_name, e.size) for e in row.evidence)
    return Point(
        period, row.value, target, progress(row.value, target), note=row.note, evidence=files
    )


def series_of(
    session: Session,
    project: MonitoredProject,
    indicator: Indicator,
    *,
    today: date,
    values: dict[tuple[int, int], IndicatorValue] | None = None,
) -> Series:
    """The indicator's series over the periods started by ``today``. ``values`` are the
    project's manual values (read when not given). Reads only."""
    periods = started_periods(project, today)
    targets = {t.period: t.value for t in indicator.targets}
    source = IndicatorSource(indicator.source) if indicator.source else None
    if source is not None:
        points = [
            _computed_point(session, project, source, p, targets.get(p.number)) for p in periods
        ]
    else:
        known = values if values is not None else manual_values(session, [indicator])
        points = [
            _manual_point(p, known.get((indicator.id, p.number)), targets.get(p.number))
            for p in periods
        ]
    return Series(
        id=indicator.id,
        name=indicator.name,
        unit=indicator.unit,
        definition=indicator.definition,
        source=source,
        source_label=SOURCE_LABELS[source] if source else MANUAL_LABEL,
        baseline=indicator.baseline,
        points=tuple(points),
        total=_total(
            session, project, source, points=points, target=indicator.target, periods=periods
        ),
        overlapping=source in OVERLAPPING_BREAKDOWNS,
    )


def _total(
    session: Session,
    project: MonitoredProject,
    source: IndicatorSource | None,
    *,
    points: list[Point],
    target: Decimal | None,
    periods: list[Period],
) -> Point:
    to_date = Period(0, project.start_date, periods[-1].end if periods else project.start_date)
    if not periods:
        return Point(to_date, None, target, progress(None, target))
    if source is not None:
        return _computed_point(session, project, source, to_date, target)
    known = [point.value for point in points if point.value is not None]
    value = sum(known, Decimal(0)) if known else None
    return Point(to_date, value, target, progress(value, target))


def project_series(session: Session, project: MonitoredProject, *, today: date) -> list[Series]:
    """Every indicator of the project as a series (see ``series_of``). Reads only."""
    indicators = project_indicators(session, project.id)
    values = manual_values(session, indicators)
    return [series_of(session, project, i, today=today, values=values) for i in indicators]
