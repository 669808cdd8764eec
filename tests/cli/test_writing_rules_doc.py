"""The malformed-file example of docs/rules/writing-rules.md, run as written: the call file of
the page's first TOML block with the three mistakes the page describes gives the very report the
page shows."""

import re
from pathlib import Path

import pytest

from tests.cli.conftest import REPO, Invoke

pytestmark = pytest.mark.unit

PAGE = REPO / "docs" / "rules" / "writing-rules.md"
#: The three mistakes of the page's example, as (correct text, mistaken text).
MISTAKES = [
    ('condition = "one_strand"', 'condition = "single_strand"'),
    ('countries = ["eu_member_states"]', 'countries = ["europe"]'),
    ("params = { max = 24 }", "params = { maximum = 24 }"),
]


def first_block(text: str, language: str) -> str:
    match = re.search(rf"```{language}\n(.*?)```", text, re.DOTALL)
    assert match is not None, f"no {language} block"
    return match.group(1)


def test_the_page_shows_the_report_of_its_own_malformed_example(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = PAGE.read_text(encoding="utf-8")
    call = first_block(page, "toml")
    for right, wrong in MISTAKES:
        assert call.count(right) == 1, right
        call = call.replace(right, wrong)
    (tmp_path / "my-calls").mkdir()
    (tmp_path / "my-calls" / "EXAMPLE-CLUSTER-2026.toml").write_text(call, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    result = invoke("calls", "list", "--calls-dir", "my-calls")

    shown = page.split("## How a malformed file is reported", 1)[1]
    console = first_block(shown, "console").splitlines()
    assert console[0] == "$ clusterbridge calls list --calls-dir my-calls"
    assert result.exit_code == 2
    assert result.stderr.splitlines() == console[1:]
