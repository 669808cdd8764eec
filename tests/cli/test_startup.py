"""The command line starts without the heavy parts: a command's module loads when it runs."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from clusterbridge.cli.app import COMMANDS, LazyCommand, app

pytestmark = pytest.mark.e2e

#: Modules that only some commands need; loading the command line must not import them.
HEAVY_MODULES = (
    "fastapi",
    "starlette",
    "ortools",
    "pysat",
    "sklearn",
    "scipy",
    "numpy",
    "sqlalchemy",
    "alembic",
    "openpyxl",
    "argon2",
    "limits",
    "clusterbridge.web.app",
    "clusterbridge.api.app",
    "clusterbridge.api.schemas",
    "clusterbridge.services.matching.index",
    "clusterbridge.engines.consortium.model",
)


def loaded_heavy_modules(code: str) -> list[str]:
    """The heavy modules in ``sys.modules`` after a fresh interpreter runs ``code``."""
    script = (
        f"import sys\n{code}\nimport json\n"
        f"print(json.dumps(sorted(m for m in {list(HEAVY_MODULES)!r} if m in sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return list(json.loads(result.stdout.splitlines()[-1]))


def test_cli_app_import_loads_no_heavy_module() -> None:
    loaded = loaded_heavy_modules("import clusterbridge.cli.app")

    assert loaded == []


def test_cli_help_loads_no_heavy_module() -> None:
    code = (
        "from clusterbridge.cli.app import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit as end:\n    assert end.code == 0"
    )

    loaded = loaded_heavy_modules(code)

    assert loaded == []


def test_calls_list_loads_no_heavy_module(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Without a database (nothing written in the app): with one, its calls are read too.
    monkeypatch.setenv("CLUSTERBRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CLUSTERBRIDGE_DATABASE_URL", raising=False)
    code = (
        "from clusterbridge.cli.app import app\n"
        "try:\n    app(['calls', 'list'])\nexcept SystemExit as end:\n    assert end.code == 0"
    )

    loaded = loaded_heavy_modules(code)

    assert loaded == []


def test_events_command_loads_its_module_when_run() -> None:
    code = (
        "from clusterbridge.cli.app import app\n"
        "try:\n    app(['events', '--help'])\nexcept SystemExit as end:\n    assert end.code == 0"
    )

    loaded = loaded_heavy_modules(code)

    assert "sqlalchemy" in loaded


@pytest.mark.parametrize("name", list(COMMANDS))
def test_listed_help_is_the_commands_own_first_line(name: str) -> None:
    listed = get_command(app).commands[name]  # type: ignore[attr-defined]
    assert isinstance(listed, LazyCommand)

    loaded = listed.load()

    assert (loaded.name, (loaded.help or "").splitlines()[0]) == (name, COMMANDS[name].help)


def test_a_command_on_the_database_loads_no_job_task(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The job queue and its task registry (the builder, the documents: about 1 s) load only
    once a command queues mail; `partners suggest` queues none, nor reads a workbook."""
    monkeypatch.setenv("CLUSTERBRIDGE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CLUSTERBRIDGE_DATABASE_URL", raising=False)
    code = (
        "from clusterbridge.cli.app import app\n"
        "try:\n    app(['partners', 'suggest', '--org', '999999999'])\n"
        "except SystemExit as end:\n    assert end.code == 2, end.code\n"
        "print(sorted(m for m in ('clusterbridge.services.jobs', 'openpyxl', 'limits')"
        " if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import sys\n{code}"], capture_output=True, text=True, check=True
    )

    assert result.stdout.splitlines()[-1] == "[]"
