"""Every command that writes a file: a path the system refuses, a missing folder or a folder in
the file's place exits with status 2 naming the parameter, the path and the reason; no
traceback, and no folder created. The commands that need a database are tested beside them
(``calls export``, ``evaluation report``)."""

from pathlib import Path

import pytest

from tests.cli.conftest import TEMPLATE, Invoke

pytestmark = pytest.mark.e2e


def test_template_to_a_path_the_system_refuses_exits_2(invoke: Invoke) -> None:
    result = invoke("template", "/proc/t.csv")

    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "Error: PATH: cannot write /proc/t.csv: No such file or directory.\n",
    )


def test_template_into_a_missing_folder_exits_2_and_creates_no_folder(
    invoke: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "nonexistent" / "dir" / "t.xlsx"

    result = invoke("template", str(path))

    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: PATH: cannot write {path}: the folder {path.parent} does not exist.\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_template_onto_a_folder_exits_2(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("template", str(tmp_path))

    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: PATH: cannot write {tmp_path}: {tmp_path} is a folder.\n",
    )


def test_template_under_a_file_exits_2(invoke: Invoke, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    path = tmp_path / "notes.txt" / "t.csv"

    result = invoke("template", str(path))

    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: PATH: cannot write {path}: {path.parent} is a file, not a folder.\n",
    )


def test_template_still_writes_into_an_existing_folder(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "consortium.csv"

    result = invoke("template", str(path))

    assert (result.exit_code, result.stdout) == (0, f"Template written to {path}\n")
    assert path.read_bytes().startswith(b"name,")


def test_organisations_export_into_a_missing_folder_exits_2_and_creates_no_folder(
    invoke: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "nonexistent" / "dir" / "x.csv"

    result = invoke("organisations", "export", str(path))

    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: FILE: cannot write {path}: the folder {path.parent} does not exist.\n",
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ("check", str(TEMPLATE), "--call", "X", "--output"),
        ("services", "export", "--project", "EMA", "--output"),
        ("events", "export", "1", "participants", "--output"),
        ("events", "ics", "1", "--output"),
    ],
)
def test_output_into_a_missing_folder_exits_2_before_any_work(
    invoke: Invoke, tmp_path: Path, args: tuple[str, ...]
) -> None:
    path = tmp_path / "nonexistent" / "x.out"

    result = invoke(*args, str(path))

    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: --output: cannot write {path}: the folder {path.parent} does not exist.\n",
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [("assessments", "remind-labels"), ("exchanges", "remind")],
)
def test_days_before_beyond_a_year_exits_2(invoke: Invoke, args: tuple[str, ...]) -> None:
    result = invoke(*args, "--days-before", "99999999")

    assert (result.exit_code, result.stderr) == (
        2,
        "Error: --days-before: must be at most 365, not 99999999.\n",
    )
