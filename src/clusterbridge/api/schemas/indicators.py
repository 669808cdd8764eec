"""Indicators' JSON: an indicator to define or change, a manual value, a link of an activity,
and an indicator's series by period with its total to date (ADR 0029)."""

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from clusterbridge.db.models import Indicator, IndicatorReport
from clusterbridge.domain.indicators import (
    MAX_DEFINITION,
    MAX_INDICATOR_NAME,
    MAX_NOTE,
    MAX_UNIT,
    MAX_VALUE,
    IndicatorSource,
)
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services import monitoring


def _amount(**kwargs: Any) -> Any:
    """A value's field: 0 to ``MAX_VALUE``, two decimals at most."""
    return Field(ge=0, le=MAX_VALUE, max_digits=14, decimal_places=2, **kwargs)


class TargetWrite(BaseModel):
    """The value expected in one reporting period."""

    model_config = ConfigDict(extra="forbid")

    period: int = Field(ge=1, le=1000)
    value: Decimal = _amount()


def _one_per_period(targets: list[TargetWrite] | None) -> list[TargetWrite] | None:
    """Refuse a period given twice (the last would silently win)."""
    seen: set[int] = set()
    for target in targets or ():
        if target.period in seen:
            msg = f"period {target.period} is given twice: give one target per period"
            raise ValueError(msg)
        seen.add(target.period)
    return targets


class IndicatorCreate(BaseModel):
    """An indicator: computed from ``source``, or manual values when ``source`` is null."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=MAX_INDICATOR_NAME)
    unit: str = Field(min_length=1, max_length=MAX_UNIT)
    definition: str = Field(default="", max_length=MAX_DEFINITION)
    baseline: Decimal | None = _amount(default=None)
    target: Decimal | None = _amount(default=None)
    source: IndicatorSource | None = None
    targets: list[TargetWrite] = Field(default_factory=list, max_length=200)

    _targets = field_validator("targets")(_one_per_period)

    def draft(self) -> monitoring.IndicatorDraft:
        """The service's draft."""
        return monitoring.IndicatorDraft(
            name=self.name, unit=self.unit, definition=self.definition, baseline=self.baseline,
            target=self.target, source=self.source,
            targets={t.period: t.value for t in self.targets},
        )  # fmt: skip


class IndicatorUpdate(BaseModel):
    """Changes to an indicator: the fields given replace the current ones (``targets``
    replaces every target)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=MAX_INDICATOR_NAME)
    unit: str | None = Field(default=None, min_length=1, max_length=MAX_UNIT)
    definition: str | None = Field(default=None, max_length=MAX_DEFINITION)
    baseline: Decimal | None = _amount(default=None)
    target: Decimal | None = _amount(default=None)
    source: IndicatorSource | None = None
    targets: list[TargetWrite] | None = Field(default=None, max_length=200)

    _targets = field_validator("targets")(_one_per_period)

    def draft(self, indicator: Indicator) -> monitoring.IndicatorDraft:
        """The service's draft: the indicator as it is, with the fields given replaced."""
        given = self.model_fields_set
        targets = {t.period: t.value for t in indicator.targets}
        if self.targets is not None:
            targets = {t.period: t.value for t in self.targets}
        current_source = IndicatorSource(indicator.source) if indicator.source else None
        return monitoring.IndicatorDraft(
            name=self.name if self.name is not None else indicator.name,
            unit=self.unit if self.unit is not None else indicator.unit,
            definition=self.definition if self.definition is not None else indicator.definition,
            baseline=self.baseline if "baseline" in given else indicator.baseline,
            target=self.target if "target" in given else indicator.target,
            source=self.source if "source" in given else current_source,
            targets=targets,
        )


class ValueWrite(BaseModel):
    """A manual indicator's value for one period."""

    model_config = ConfigDict(extra="forbid")

    value: Decimal = _amount()
    note: str = Field(default="", max_length=MAX_NOTE)


class LinkWrite(BaseModel):
    """An event, exchange partnership or cascade call to count for the project."""

    model_config = ConfigDict(extra="forbid")

    kind: monitoring.LinkKind
    id: int = Field(ge=1, le=MAX_ID)


class LinkRead(BaseModel):
    """A linked activity."""

    kind: monitoring.LinkKind
    id: int
    name: str


class GroupRead(BaseModel):
    """One group of a breakdown."""

    group: str
    value: float


class PointRead(BaseModel):
    """An indicator in one period (``period`` 0 is the total to date); null: not known."""

    period: int
    start: date
    end: date
    value: float | None
    target: float | None
    progress_percent: float | None
    breakdown: list[GroupRead]
    note: str
    evidence_files: list[str]


class SeriesRead(BaseModel):
    """An indicator with its values by period and its total to date."""

    id: int
    name: str
    unit: str
    definition: str
    source: IndicatorSource | None
    baseline: float | None
    points: list[PointRead]
    total: PointRead


class ReportRead(BaseModel):
    """A frozen periodic report (its lines are read on the web page or exported)."""

    id: int
    period: int
    version: int
    period_label: str
    indicators: int


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def point_of(point: monitoring.Point) -> PointRead:
    """The JSON of a point."""
    return PointRead(
        period=point.period.number, start=point.period.start, end=point.period.end,
        value=_float(point.value), target=_float(point.target),
        progress_percent=_float(point.progress.percent),
        breakdown=[GroupRead(group=g, value=float(v)) for g, v in point.breakdown],
        note=point.note, evidence_files=[e.file_name for e in point.evidence],
    )  # fmt: skip


def series_read(series: monitoring.Series) -> SeriesRead:
    """The JSON of a series."""
    return SeriesRead(
        id=series.id, name=series.name, unit=series.unit, definition=series.definition,
        source=series.source, baseline=_float(series.baseline),
        points=[point_of(p) for p in series.points], total=point_of(series.total),
    )  # fmt: skip


def report_read(report: IndicatorReport) -> ReportRead:
    """The JSON of a frozen report whose lines are loaded."""
    return ReportRead(
        id=report.id, period=report.period, version=report.version,
        period_label=report.period_label, indicators=len(report.lines),
    )  # fmt: skip
