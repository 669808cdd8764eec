"""Every command's help names its values as a person reads them, not by Python type."""

import re

import pytest
from typer.core import TyperGroup
from typer.main import get_command
from typer.testing import CliRunner

from clusterbridge.cli.app import COMMANDS, app

pytestmark = pytest.mark.e2e

#: Typer's type labels: ``<bool>``, ``<list[str]>``, ``<int range>``, ``<path>``.
TYPE_LABEL = re.compile(r"<[a-z][^>]*>|list\[")
#: A lower-case argument in the usage line: ``{path}``.
LOWER_CASE_ARGUMENT = re.compile(r"\{[a-z_]+\}")


def command_paths() -> list[tuple[str, ...]]:
    """The root and every command and subcommand, as typed."""
    root = get_command(app)
    assert isinstance(root, TyperGroup)
    paths: list[tuple[str, ...]] = [()]
    for name in COMMANDS:
        command = root.resolve_command(root.make_context("clusterbridge", [name]), [name])[1]
        paths.append((name,))
        if isinstance(command, TyperGroup):
            paths.extend((name, sub) for sub in command.commands)
    return paths


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_help_shows_no_type_labels(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)

    assert result.exit_code == 0
    assert TYPE_LABEL.findall(result.output) == []
    assert LOWER_CASE_ARGUMENT.findall(result.output.splitlines()[1]) == []


def test_help_names_values_by_what_they_are() -> None:
    result = CliRunner().invoke(app, ["partners", "suggest", "--help"], terminal_width=100)

    rows = {row.split()[1]: row.split()[2] for row in result.output.splitlines() if "│ --" in row}
    assert (rows["--top"], rows["--format"], rows["--calls-dir"], rows["--new-only"]) == (
        "TOP",
        "text|json",
        "FOLDER",
        "Only",
    )


#: Text in square brackets, which Rich would read as a markup tag unless it is escaped.
BRACKETED = re.compile(r"\\?\[[a-z#/@][^\[\]]*\]")


def _help_texts(path: tuple[str, ...]) -> list[str]:
    """The help of the command at ``path`` and of its parameters, as written in the code."""
    command = get_command(app)
    for name in path:
        assert isinstance(command, TyperGroup)
        command = command.resolve_command(command.make_context("clusterbridge", [name]), [name])[1]
    texts = [command.help or "", *(getattr(p, "help", None) or "" for p in command.params)]
    if isinstance(command, TyperGroup):
        texts += [sub.help or "" for sub in command.commands.values()]
    return texts


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_help_keeps_text_in_square_brackets(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)

    written = {m.replace("\\[", "[") for t in _help_texts(path) for m in BRACKETED.findall(t)}
    shown = " ".join(result.output.replace("│", " ").split())
    assert [text for text in sorted(written) if text not in shown] == []


def test_the_calls_help_shows_the_selection_table() -> None:
    listed = CliRunner().invoke(app, ["calls", "--help"], terminal_width=200)
    export = CliRunner().invoke(app, ["calls", "export", "--help"], terminal_width=200)
    imported = CliRunner().invoke(app, ["calls", "import-file", "--help"], terminal_width=200)

    shown = [" ".join(r.output.replace("│", " ").split()) for r in (listed, export, imported)]
    assert ["[selection] table" in text for text in shown] == [True] * 3


#: The first line of an argument's row in the help's Arguments panel (not a wrapped line).
ARGUMENT_ROW = re.compile(r"^│ [* ] {1,6}[A-Z]")


def argument_rows(path: tuple[str, ...]) -> list[str]:
    """The first line of each row of the Arguments panel of ``path --help``, its spaces
    squeezed."""
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    return [
        " ".join(line.split()) for line in result.output.splitlines() if ARGUMENT_ROW.match(line)
    ]


#: Each kind of argument (a file, text, optional text, a number with a range, a list, a
#: choice) with the first lines of its command's Arguments panel.
ARGUMENT_ROWS = {
    # A file: its name, not <path>.
    ("check",): ["│ * FILE The consortium: CSV, XLSX or JSON, one partner a row. [required] │"],
    # Text: not <str>; optional, with its default.
    ("calls", "show"): ["│ * ID The call id, e.g. SMP-COSME-2024-CLUSTER. [required] │"],
    ("db", "upgrade"): ["│ REVISION The revision to reach. [default: head] │"],
    # A number with a range: the range alone (not <int range>); a list: not <list[int]>.
    # An id's range ends at the largest id (MAX_ID).
    ("events", "validate"): [
        "│ * EVENT [1<=x<=2147483647] The event's number. [required] │",
        "│ * PARTICIPANT [1<=x<=2147483647] Participant numbers. [required] │",
    ],
    # A choice: its choices in its help, not <no_show|held|follow_up|agreement>.
    ("events", "outcome"): [
        "│ * EVENT [1<=x<=2147483647] The event's number. [required] │",
        "│ * MEETING [1<=x<=2147483647] The meeting's number. [required] │",
        "│ * OUTCOME What came of it: no_show, held, follow_up or agreement. │",
    ],
}


@pytest.mark.parametrize("path", ARGUMENT_ROWS, ids=" ".join)
def test_help_names_each_kind_of_argument_without_its_type(path: tuple[str, ...]) -> None:
    assert argument_rows(path) == ARGUMENT_ROWS[path]


@pytest.mark.parametrize(
    ("path", "usage"),
    [
        (
            ("events", "validate"),
            "Usage: clusterbridge events validate [OPTIONS] {EVENT} {PARTICIPANT}...",
        ),
        (
            ("events", "unavailable"),
            "Usage: clusterbridge events unavailable [OPTIONS] {EVENT} [SLOT]...",
        ),
    ],
)
def test_usage_of_a_list_argument_shows_one_ellipsis(path: tuple[str, ...], usage: str) -> None:
    # The QA pass of 2026-12-07: "{PARTICIPANT...}..." and "[SLOT...]...", the ellipsis of
    # the metavar doubled by Click's own.
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "200"})

    assert [" ".join(line.split()) for line in result.output.splitlines() if "Usage:" in line] == [
        usage
    ]


def _command_rows(output: str) -> list[str]:
    """The lines of the Commands panel of a group's help, between its borders."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("╭─ Commands"))
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("╰"))
    return lines[start + 1 : end]


@pytest.mark.parametrize(
    "path", [path for path in command_paths() if len(path) < 2], ids=lambda p: " ".join(p) or "root"
)
def test_a_group_lists_each_command_on_one_line(path: tuple[str, ...]) -> None:
    # The walk of 2026-12-07: `calls --help` broke "the published calls / written in the app"
    # where the docstring broke its line, on any terminal width.
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "1000"})
    if "╭─ Commands" not in result.output:
        return

    rows = _command_rows(result.output)

    assert [row.strip("│ ") for row in rows if not row.startswith("│ ") or row[2] == " "] == []


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_help_shows_no_rest_literals(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], terminal_width=200)

    assert "``" not in result.output


def test_a_command_s_help_wraps_its_paragraphs_to_the_terminal() -> None:
    # The docstring breaks this paragraph after "(a draft, no": the help did too, at any width.
    result = CliRunner().invoke(app, ["events", "schedule", "--help"], env={"COLUMNS": "200"})

    assert (
        "Runs as a background job ('clusterbridge jobs'); a check that fails at once (a draft, no "
        "slots) or a job that fails exits with status 2."
    ) in [line.strip() for line in result.output.splitlines()]
