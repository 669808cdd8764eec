"""The Makefile's targets as a developer types them."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def _dry_run(*args: str) -> list[str]:
    """The commands ``make -n`` would run, with the setup step taken as done. Run from ``make
    test`` too: the outer make's variables are left out (with them, make prints "Entering" and
    "Leaving directory" lines and passes its own flags down)."""
    outer = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"}
    result = subprocess.run(
        [
            "make",
            "-n",
            "--no-print-directory",
            "-o",
            ".venv/bin/clusterbridge",
            "-o",
            "setup",
            *args,
        ],
        cwd=ROOT,
        env={name: value for name, value in os.environ.items() if name not in outer},
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
