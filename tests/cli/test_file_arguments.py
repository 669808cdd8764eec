"""A file a command reads that is not there: the parameter as typed, the reason, exit 2."""

from pathlib import Path

import pytest

from tests.cli.conftest import Invoke

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (("schedule", "solve", "99"), "Error: FILE: no such file: 99.\n"),
        (("schedule", "check", "99", "98"), "Error: FILE: no such file: 99.\n"),
        (("selection", "rank", "99"), "Error: FILE: no such file: 99.\n"),
        (("selection", "assign", "99"), "Error: FILE: no such file: 99.\n"),
        (("check", "99", "--all-calls"), "Error: FILE: no such file: 99.\n"),
        (("exchanges", "match", "99"), "Error: FILE: no such file: 99.\n"),
        (("organisations", "import", "99"), "Error: FILE: no such file: 99.\n"),
        (("services", "import", "99", "--project", "1"), "Error: FILE: no such file: 99.\n"),
        (
            ("calls", "import-file", "99", "--as", "a@example.org"),
            "Error: FILE: no such file: 99.\n",
        ),
        (("consortium", "complete", "99", "--call", "X"), "Error: FILE: no such file: 99.\n"),
        (
            ("consortium", "build", "--call", "X", "--with", "99"),
            "Error: --with: no such file: 99.\n",
        ),
        (("partners", "suggest", "--consortium", "99"), "Error: --consortium: no such file: 99.\n"),
        (
            ("partners", "suggest", "--org", "1", "--idea", "99"),
            "Error: --idea: no such file: 99.\n",
        ),
    ],
)
def test_a_missing_file_is_named_by_its_parameter(
    invoke: Invoke,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: tuple[str, ...],
    stderr: str,
) -> None:
    monkeypatch.chdir(tmp_path)

    result = invoke(*args)

    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)


def test_a_folder_is_not_a_file(
    invoke: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "problem").mkdir()

    result = invoke("schedule", "solve", "problem")

    assert (result.exit_code, result.stderr) == (
        2,
        "Error: FILE: problem is a folder, not a file.\n",
    )
