"""The Commitment to Quality of an exchange as a printable page and a PDF (WeasyPrint)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from clusterbridge import __version__
from clusterbridge.domain.errors import MissingDependencyError


@dataclass(frozen=True, slots=True)
class Side:
    """The visitor or the host: organisation, country, place and partnership."""

    organisation: str
    country: str
    place: str
    partnership: str


@dataclass(frozen=True, slots=True)
class Commitment:
    """What the Commitment to Quality shows; ``approvals`` are (who, when or None)."""

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


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("clusterbridge.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_commitment_html(commitment: Commitment) -> str:
    """A self-contained printable page of the Commitment to Quality with its four approvals."""
    template = _environment().get_template("commitment.html.j2")
    return template.render(c=commitment, version=__version__)


def render_commitment_pdf(commitment: Commitment) -> bytes:
    """The Commitment to Quality as PDF (A4); MissingDependencyError without WeasyPrint."""
    try:
        from weasyprint import HTML  # noqa: PLC0415 -- optional dependency
    except (ImportError, OSError) as error:  # pragma: no cover - depends on the installation
        msg = (
            'PDF output needs WeasyPrint and Pango: pip install "clusterbridge[pdf]" and '
            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0 ({error})"
        )
        raise MissingDependencyError(msg) from error
    pdf: bytes = HTML(string=render_commitment_html(commitment)).write_pdf()
    return pdf
