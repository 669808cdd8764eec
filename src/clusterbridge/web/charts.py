"""Charts of the indicators' dashboard as plain geometry for inline SVG (no script, no CDN):
columns by period with the period's target as a mark, bars by breakdown group, and a
progress bar. The page draws them in a ``viewBox`` so that they scale to any width; each chart
has a title, a description and a data table beside it."""

from dataclasses import dataclass
from decimal import Decimal

from clusterbridge.domain.indicators import format_value
from clusterbridge.services.monitoring import Point, Series

WIDTH = 600
HEIGHT = 240
#: Room for the labels under the columns and the values over them.
BOTTOM = 40
TOP = 24
LEFT = 8
ROW_HEIGHT = 28
LABEL_WIDTH = 260


@dataclass(frozen=True, slots=True)
class Column:
    """One period's column: its box, the value's text over it and the target's mark."""

    label: str
    value_text: str
    target_text: str
    x: float
    width: float
    y: float
    height: float
    target_y: float | None


@dataclass(frozen=True, slots=True)
class Bar:
    """One breakdown group's bar."""

    label: str
    value_text: str
    y: float
    width: float


def _scale(values: list[Decimal]) -> Decimal:
    top = max(values, default=Decimal(0))
    return top if top > 0 else Decimal(1)


def period_columns(series: Series) -> list[Column]:
    """The columns of the by-period chart: heights scaled to the largest value or target."""
    points = series.points
    known = [p.value for p in points if p.value is not None] + [
        p.target for p in points if p.target is not None
    ]
    scale, room = _scale(known), Decimal(HEIGHT - TOP - BOTTOM)
    slot = (WIDTH - LEFT) / max(len(points), 1)
    columns = []
    for index, point in enumerate(points):
        height = float(room * (point.value or 0) / scale)
        target_y = (
            None if point.target is None else float(HEIGHT - BOTTOM - room * point.target / scale)
        )
        columns.append(
            Column(
                label=f"P{point.period.number}",
                value_text=format_value(point.value, unit=series.unit),
                target_text=format_value(point.target, unit=series.unit),
                x=LEFT + index * slot + slot * 0.2,
                width=slot * 0.6,
                y=HEIGHT - BOTTOM - height,
                height=height,
                target_y=target_y,
            )
        )
    return columns


def breakdown_bars(point: Point, *, unit: str) -> list[Bar]:
    """The bars of a breakdown, longest for the largest group, the values in ``unit``."""
    scale = _scale([value for _, value in point.breakdown])
    room = Decimal(WIDTH - LABEL_WIDTH - 60)
    return [
        Bar(label, format_value(value, unit=unit), index * ROW_HEIGHT, float(room * value / scale))
        for index, (label, value) in enumerate(point.breakdown)
    ]


def progress_width(point: Point) -> float:
    """How much of the progress bar is filled, 0 to 100 (a target exceeded fills it)."""
    percent = point.progress.percent
    return 0.0 if percent is None else float(min(max(percent, Decimal(0)), Decimal(100)))
