"""The Makefile's targets as a developer types them."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _dry_run(*args: str) -> list[str]:
    """The commands ``make -n`` would run, with the setup step taken as done."""
    result = subprocess.run(
        ["make", "-n", "-o", ".venv/bin/clusterbridge", "-o", "setup", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_make_demo_serves_on_the_port_given() -> None:
    # The walk of 2026-12-07: with port 8000 taken, `make demo` had no way to choose another.
    assert _dry_run("demo", "PORT=8744")[-1] == ".venv/bin/clusterbridge demo --port 8744"


def test_make_demo_serves_on_port_8000_by_default() -> None:
    assert _dry_run("demo")[-1] == ".venv/bin/clusterbridge demo --port 8000"
