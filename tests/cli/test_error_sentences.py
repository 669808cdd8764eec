"""Every error a command prints is a sentence: each line ends in a full stop (never two), and
the status is 2, whichever part of the command line refused the input."""

import re
from pathlib import Path

import pytest

from clusterbridge.cli.messages import as_sentence, as_sentences
from clusterbridge.db.session import Database
from tests.cli.conftest import TEMPLATE, Invoke

pytestmark = pytest.mark.e2e

#: The text inside the box Typer draws around Click's own refusals (an unknown option).
_BOX_LINE = re.compile(r"^│ ?(.*?) *│$")


def _error_lines(stderr: str) -> list[str]:
    """The lines of an error on stderr: a boxed message as one line, else each line."""
    boxed = [m.group(1) for line in stderr.splitlines() if (m := _BOX_LINE.match(line))]
    if boxed:
        return [" ".join(boxed)]
    return stderr.splitlines()


BAD_COMMANDS = [
    # Click's refusals, at the root and in a command.
    ("--no-such-option",),
    ("no-such-command",),
    ("calls", "list", "--frm", "text"),
    ("calls", "list", "extra"),
    ("calls", "show"),
    # Values refused by their type (pydantic through Typer) or by a parser of ours.
    ("calls", "list", "--format", "xml"),
    ("partners", "suggest", "--top", "abc"),
    ("events", "open", "0"),
    ("jobs", "wait", "1", "--timeout", "-1"),
    # The services' refusals.
    ("calls", "show", "NO-SUCH-CALL"),
    ("check", str(TEMPLATE), "--call", "NO-SUCH-CALL"),
    ("check", str(TEMPLATE)),
    ("partners", "suggest", "--top", "5"),
    ("regions", "lookup", "XX999"),
    # Files: missing, of no known format, not to be written.
    ("organisations", "import", "99"),
    ("schedule", "solve", "99"),
    ("check", "99", "--all-calls"),
    ("template", "consortium.txt"),
]


@pytest.mark.parametrize("args", BAD_COMMANDS, ids=" ".join)
def test_every_line_of_an_error_ends_in_a_full_stop(invoke: Invoke, args: tuple[str, ...]) -> None:
    # "Error: FILE: no such file: 99" and "Error: The options are not valid" had none.

    result = invoke(*args)

    assert result.exit_code == 2
    lines = _error_lines(result.stderr)
    assert lines
    assert [line for line in lines if not line.endswith(".") or line.endswith("..")] == []


@pytest.mark.db
def test_a_refused_file_and_its_issues_are_sentences(
    invoke: Invoke, cli_database: Database, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("name,country,pic\nBad,XX-land,1\n", encoding="utf-8")

    result = invoke("organisations", "import", str(source))

    assert result.exit_code == 2
    assert result.stderr == (
        "Error: in.csv has problems; nothing was imported.\n"
        '  - in.csv, line 2, country: "XX-land" is not a known country; give its English name or '
        "its ISO 3166 or EU code, such as Germany, DE, EL or UK.\n"
        '  - in.csv, line 2, pic: "1" is not a PIC: a PIC has exactly 9 digits.\n'
    )


@pytest.mark.parametrize(
    ("line", "sentence"),
    [
        ("no such file: 99", "no such file: 99."),
        ("The options are not valid:", "The options are not valid."),
        ("Unknown call.", "Unknown call."),
        ('He said "stop."', 'He said "stop."'),
        ("see docs/admin/deployment.md.", "see docs/admin/deployment.md."),
        ("Is it?", "Is it?"),
        ("a list;", "a list."),
        ("", ""),
    ],
)
def test_a_line_becomes_a_sentence_with_one_full_stop(line: str, sentence: str) -> None:
    assert as_sentence(line) == sentence


def test_each_line_of_a_message_becomes_a_sentence() -> None:
    assert as_sentences("Summary\n  - a: is required\n  - b: ok.") == (
        "Summary.\n  - a: is required.\n  - b: ok."
    )
