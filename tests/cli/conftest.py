"""Fixtures for driving the real command-line tool in-process and as a console script."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from clusterbridge.cli.app import app
from clusterbridge.config import get_settings
from clusterbridge.db.session import Database

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "examples" / "consortium-template.csv"

Invoke = Callable[..., Result]


@pytest.fixture
def invoke(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> Invoke:
    """Run ``clusterbridge ARGS`` in-process with a clean environment (and an empty data
    directory of its own, where the matching index is cached); stdout and stderr apart."""
    monkeypatch.delenv("CLUSTERBRIDGE_CALLS_DIR", raising=False)
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


@pytest.fixture
def template() -> Path:
    """The shipped consortium template (an eligible Eurocluster)."""
    return TEMPLATE


@pytest.fixture
def cli_database(
    clean_database: Database, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Database]:
    """The test database as the CLI's configured one (``CLUSTERBRIDGE_DATABASE_URL``), the
    settings read again before and after; emptied afterwards."""
    monkeypatch.setenv("CLUSTERBRIDGE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield clean_database
    get_settings.cache_clear()
