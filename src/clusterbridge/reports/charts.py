"""Small bar charts as inline SVG, drawn on the server (the pages run no chart script).

The SVG uses presentation attributes only, never ``style``: the site's content security policy
refuses inline styles. Labels are escaped; the result is safe to put into a page as it is.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Final

#: Geometry of a chart, in SVG user units: the labels' column is at least LABEL_WIDTH wide,
#: wider for a long label (LABEL_CHAR_WIDTH per character, generous for 13-unit text).
LABEL_WIDTH: Final = 150
LABEL_CHAR_WIDTH: Final = 8
LABEL_GAP: Final = 8
BAR_AREA: Final = 260
VALUE_WIDTH: Final = 50
ROW_HEIGHT: Final = 26
BAR_HEIGHT: Final = 18
BAR_COLOUR: Final = "#0b4fa3"


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label and a non-negative value."""

    label: str
    value: int


def render_bar_chart(bars: Sequence[Bar], *, title: str) -> str:
    """A horizontal bar chart, bars scaled to the largest value, each labelled with its value;
    ``title`` is the accessible name. An empty chart or all zeros draws empty bars. The labels'
    column widens for a long label, which would otherwise be cut at the chart's left edge."""
    longest = max((len(bar.label) for bar in bars), default=0)
    labels = max(LABEL_WIDTH, longest * LABEL_CHAR_WIDTH + LABEL_GAP)
    width = labels + BAR_AREA + VALUE_WIDTH
    height = ROW_HEIGHT * max(len(bars), 1)
    largest = max((bar.value for bar in bars), default=0) or 1
    rows = [_row(position, bar, largest, labels) for position, bar in enumerate(bars)]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(rows)}</svg>'
    )


def _row(position: int, bar: Bar, largest: int, labels: int) -> str:
    top = position * ROW_HEIGHT
    text_y = top + ROW_HEIGHT // 2 + 5
    length = round(BAR_AREA * max(bar.value, 0) / largest)
    return (
        f'<g data-label="{escape(bar.label)}" data-value="{bar.value}">'
        f'<text x="{labels - LABEL_GAP}" y="{text_y}" text-anchor="end" font-size="13">'
        f"{escape(bar.label)}</text>"
        f'<rect x="{labels}" y="{top + (ROW_HEIGHT - BAR_HEIGHT) // 2}" '
        f'width="{length}" height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
        f'<text x="{labels + length + 6}" y="{text_y}" font-size="13">{bar.value}</text></g>'
    )
