"""Monitored projects: what a Eurocluster, a strategic alliance or a cluster partnership is to
the platform when it reports its impact. Pure: the kinds, the partners' roles and the reporting
periods (consecutive periods of whole months from the project's start)."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

#: A project's reporting period when none is chosen: six months (a half-year report).
DEFAULT_PERIOD_MONTHS = 6
MAX_PERIOD_MONTHS = 36
MAX_PROJECT_YEARS = 10
#: The latest start a project may have: its end (``MAX_PROJECT_YEARS`` on at most) and the
#: cut of its last period (``MAX_PERIOD_MONTHS`` past the end at most) stay within the
#: calendar, whose last year is 9999.
LATEST_START = date(date.max.year - MAX_PROJECT_YEARS - MAX_PERIOD_MONTHS // 12 - 1, 12, 31)


class ProjectKind(StrEnum):
    """The funded initiatives the seeds name."""

    EUROCLUSTER = "eurocluster"
    STRATEGIC_ALLIANCE = "strategic_alliance"
    CLUSTER_PARTNERSHIP = "cluster_partnership"
    OTHER = "other"


PROJECT_KIND_LABELS = {
    ProjectKind.EUROCLUSTER: "Eurocluster",
    ProjectKind.STRATEGIC_ALLIANCE: "Strategic alliance of tech-savvy and traditional SMEs",
    ProjectKind.CLUSTER_PARTNERSHIP: "Cluster partnership (cluster excellence)",
    ProjectKind.OTHER: "Other project",
}


class ProjectRole(StrEnum):
    """An organisation's part in a monitored project."""

    COORDINATOR = "coordinator"
    PARTNER = "partner"


@dataclass(frozen=True, slots=True)
class Period:
    """One reporting period: ``start`` and ``end`` both included."""

    number: int
    start: date
    end: date

    @property
    def label(self) -> str:
        """E.g. ``P1 (2025-01-01 – 2025-06-30)``."""
        return f"P{self.number} ({self.start.isoformat()} – {self.end.isoformat()})"


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months; a day that the target month lacks becomes its last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def reporting_periods(start: date, end: date, *, months: int) -> list[Period]:
    """The consecutive periods of ``months`` months from ``start``; the last one ends on ``end``
    (it may be shorter). Empty if ``end`` is before ``start``."""
    periods: list[Period] = []
    period_start = start
    while period_start <= end:
        next_start = add_months(start, months * (len(periods) + 1))
        period_end = min(next_start - timedelta(days=1), end)
        periods.append(Period(len(periods) + 1, period_start, period_end))
        period_start = next_start
    return periods
