"""Printable pages of the reports: the templates' environment, and HTML turned into PDF."""

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from clusterbridge.domain.errors import MissingDependencyError
from clusterbridge.domain.money import format_euros
from clusterbridge.reports.symbols import font_draws, spell_missing_symbols


@cache
def environment() -> Environment:
    """The Jinja environment of ``reports/templates`` (autoescaped HTML), with the filter
    ``euro`` that writes money as every page does."""
    found = Environment(
        loader=PackageLoader("clusterbridge.reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    found.filters["euro"] = format_euros
    return found


def html_to_pdf(html: str) -> bytes:
    """A self-contained HTML page as PDF (A4), rendered by WeasyPrint.

    Emoji print in the emoji font the pages ask for (``symbols.EMOJI_FONT``) or any installed
    font that has them; a symbol no installed font draws is spelt out by name ("[rocket]")
    rather than printed as an empty box. Raises MissingDependencyError with an install hint
    when WeasyPrint (the ``pdf`` extra) or the Pango library it loads is missing.
    """
    try:
        from weasyprint import HTML  # noqa: PLC0415 -- optional dependency
    except (ImportError, OSError) as error:  # pragma: no cover - depends on the installation
        msg = (
            'PDF output needs WeasyPrint and Pango: pip install "clusterbridge[pdf]" and '
            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0 ({error})"
        )
        raise MissingDependencyError(msg) from error
    pdf: bytes = HTML(string=spell_missing_symbols(html, printable=font_draws)).write_pdf()
    return pdf
