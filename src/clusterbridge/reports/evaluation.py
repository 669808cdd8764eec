"""The letters of an evaluation: the evaluation summary report of a proposal (scores, comments,
outcome) and the panel's ranked list with the selection, as printable pages and PDF."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from clusterbridge import __version__
from clusterbridge.reports.pages import environment, html_to_pdf


@dataclass(frozen=True, slots=True)
class ScoreLine:
    """One award criterion in a summary: its maximum, threshold, score and comment."""

    criterion: str
    maximum: Decimal
    threshold: Decimal | None
    score: str | None
    comment: str | None


@dataclass(frozen=True, slots=True)
class SummaryPage:
    """An evaluation summary report."""

    call_identifier: str
    call_title: str
    acronym: str
    title: str
    strand: str | None
    requested: str
    eligible: bool
    lines: tuple[ScoreLine, ...]
    total: Decimal | None
    outcome: str
    reason: str
    rank: int | None
    reserve: int | None
    ranked: int
    printed_at: datetime
    #: The grant awarded to a selected proposal (None otherwise).
    awarded: str | None = None


@dataclass(frozen=True, slots=True)
class RankedRow:
    """A proposal in the ranked list: its rank (none when out), what it asks for, its total,
    outcome and reason, and its place in the selection order (selected ones) or on the reserve
    list."""

    rank: int | None
    acronym: str
    title: str
    strand: str | None
    requested: str
    total: Decimal | None
    outcome: str
    reason: str
    taken: int | None
    reserve: int | None
    #: The grant awarded to a selected proposal (None otherwise).
    awarded: str | None = None


@dataclass(frozen=True, slots=True)
class SelectionPage:
    """The ranked list and the selection of a call."""

    call_identifier: str
    call_title: str
    budget: str
    budget_used: str
    rows: tuple[RankedRow, ...]
    ties_left: tuple[tuple[str, ...], ...]
    shortfalls: tuple[str, ...]
    published: bool
    printed_at: datetime


def render_summary_html(page: SummaryPage) -> str:
    """A self-contained printable evaluation summary report."""
    return environment().get_template("summary_report.html.j2").render(s=page, version=__version__)


def render_summary_pdf(page: SummaryPage) -> bytes:
    """The evaluation summary report as PDF (A4); MissingDependencyError without WeasyPrint."""
    return html_to_pdf(render_summary_html(page))


def render_selection_html(page: SelectionPage) -> str:
    """A self-contained printable ranked list with the selection."""
    template = environment().get_template("selection.html.j2")
    return template.render(s=page, version=__version__)


def render_selection_pdf(page: SelectionPage) -> bytes:
    """The ranked list with the selection as PDF (A4)."""
    return html_to_pdf(render_selection_html(page))
