"""The Commitment to Quality of an exchange as a printable page and a PDF (WeasyPrint)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from clusterbridge import __version__
from clusterbridge.reports.pages import environment, html_to_pdf


@dataclass(frozen=True, slots=True)
class Side:
    """The visitor or the host: organisation, country, place and partnership."""

    organisation: str
    country: str
    place: str
    partnership: str


@dataclass(frozen=True, slots=True)
class Commitment:
    """What the Commitment to Quality shows; ``approvals`` are (who, when or None);
    ``cancelled`` says who cancelled the exchange, when and why (empty: not cancelled)."""

    exchange_id: int
    visitor: Side
    host: Side
    start: date
    end: date
    activity: str
    working_days: int
    distance_km: Decimal
    lump_sum_eur: Decimal
    reasons: tuple[str, ...]
    goals: str
    objectives: str
    agenda: str
    approvals: tuple[tuple[str, datetime | None], ...]
    printed_at: datetime
    cancelled: str = ""


def render_commitment_html(commitment: Commitment) -> str:
    """A self-contained printable page of the Commitment to Quality with its four approvals."""
    template = environment().get_template("commitment.html.j2")
    return template.render(c=commitment, version=__version__)


def render_commitment_pdf(commitment: Commitment) -> bytes:
    """The Commitment to Quality as PDF (A4); MissingDependencyError without WeasyPrint."""
    return html_to_pdf(render_commitment_html(commitment))
