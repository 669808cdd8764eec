"""The eligibility checklist PDF of a consortium whose coordinator is named with emoji prints
them in the emoji font (Debian fonts-noto-color-emoji), not as empty boxes."""

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.conftest import Invoke

pytestmark = [pytest.mark.e2e]

NAME = "Café ☕ Cluster 🚀"


def _emoji_font_installed() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listed = subprocess.run([fc_list, "Noto Color Emoji"], capture_output=True, check=False)
    return bool(listed.stdout.strip())


def test_the_checklist_pdf_prints_an_emoji_name_in_the_emoji_font(
    invoke: Invoke, template: Path, tmp_path: Path
) -> None:
    if not _emoji_font_installed():
        pytest.skip(
            "Noto Color Emoji is not installed (Debian: apt-get install fonts-noto-color-emoji)"
        )
    lines = template.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Isar Smart Manufacturing Cluster e.V.", NAME)
    consortium = tmp_path / "consortium.csv"
    consortium.write_text("\n".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "checklist.pdf"

    result = invoke(
        "check", str(consortium), "--call", "SMP-COSME-2024-CLUSTER", "--strand", "1",
        "--duration-months", "36", "--format", "pdf", "--output", str(output),
    )  # fmt: skip

    reader = PdfReader(output)
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    text = " ".join(page.extract_text() for page in reader.pages)
    assert result.exit_code == 0
    assert "Noto-Color-Emoji" in fonts
    assert NAME in text
