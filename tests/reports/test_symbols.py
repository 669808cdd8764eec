"""Symbols in printed pages: emoji print in the emoji font (Debian fonts-noto-color-emoji) and
a symbol no installed font draws is spelt out by name instead of an empty box."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from clusterbridge.reports.pages import html_to_pdf
from clusterbridge.reports.symbols import font_draws, spell_missing_symbols

pytestmark = pytest.mark.unit

#: A symbol of Unicode's "legacy computing" block, which neither DejaVu nor Noto Color Emoji has.
NO_FONT_SYMBOL = "\U0001fb00"


def _font_names(pdf: bytes) -> list[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get("/Font", {})
        names.update(str(font.get_object()["/BaseFont"]).split("+")[-1] for font in fonts.values())
    return sorted(names)


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _emoji_font_installed() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listed = subprocess.run([fc_list, "Noto Color Emoji"], capture_output=True, check=False)
    return bool(listed.stdout.strip())


@pytest.mark.parametrize(
    ("text", "spelt"),
    [
        ("Café ☕ Cluster 🚀", "Café [hot beverage] Cluster [rocket]"),
        ("❤️ 👩‍💻!", "[heavy black heart] [woman][personal computer]!"),
        ("Ærø 12 € – ok", "Ærø 12 € – ok"),
    ],
)
def test_symbols_no_font_draws_are_spelt_out_and_letters_kept(text: str, spelt: str) -> None:
    assert spell_missing_symbols(text, printable=lambda _char: False) == spelt


def test_symbols_a_font_draws_are_kept() -> None:
    assert spell_missing_symbols("Café ☕ 🚀 ❤️", printable=lambda _char: True) == "Café ☕ 🚀 ❤️"


@pytest.mark.integration
def test_an_emoji_prints_in_the_emoji_font() -> None:
    if not _emoji_font_installed():
        pytest.skip(
            "Noto Color Emoji is not installed (Debian: apt-get install fonts-noto-color-emoji)"
        )
    html = (
        "<html><body style=\"font-family: 'DejaVu Sans'\"><p>Café ☕ Cluster 🚀</p></body></html>"
    )

    pdf = html_to_pdf(html)

    assert _font_names(pdf) == ["DejaVu-Sans", "Noto-Color-Emoji"]
    assert _text(pdf).strip() == "Café ☕ Cluster 🚀"


@pytest.mark.integration
def test_a_symbol_no_font_draws_prints_its_name() -> None:
    if font_draws(NO_FONT_SYMBOL):
        pytest.skip("a font of this machine draws U+1FB00, so nothing is spelt out")
    html = f"<html><body><p>Grid {NO_FONT_SYMBOL} done</p></body></html>"

    pdf = html_to_pdf(html)

    assert _text(pdf).strip() == "Grid [block sextant-1] done"
