import ast
import hashlib
import os
import re
import subprocess
import sys
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import pytest

import clusterbridge.reference

pytestmark = pytest.mark.unit

PACKAGE_DIR = Path(clusterbridge.reference.__file__).parent
DATA = files("clusterbridge.reference") / "data"


def _csv_files() -> dict[str, Traversable]:
    return {
        f"{folder.name}/{item.name}": item
        for folder in DATA.iterdir()
        if folder.is_dir()
        for item in folder.iterdir()
        if item.name.endswith(".csv")
    }


def test_provenance_lists_every_csv_with_its_checksum() -> None:
    provenance = (DATA / "PROVENANCE.md").read_text(encoding="utf-8")
    listed = {
        path: digest for digest, path in re.findall(r"^([0-9a-f]{64})  (\S+)$", provenance, re.M)
    }

    actual = {
        path: hashlib.sha256(item.read_bytes()).hexdigest() for path, item in _csv_files().items()
    }

    assert listed == actual


def test_every_csv_is_named_in_a_provenance_table() -> None:
    provenance = (DATA / "PROVENANCE.md").read_text(encoding="utf-8")

    unnamed = [path for path in _csv_files() if f"`{path.split('/')[1]}`" not in provenance]

    assert unnamed == []


def test_reference_modules_import_only_the_standard_library_and_pycountry() -> None:
    imported: set[str] = set()
    for module in PACKAGE_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])

    outside = sorted(imported - set(sys.stdlib_module_names) - {"clusterbridge", "pycountry"})

    assert outside == []


def test_importing_the_package_reads_no_data() -> None:
    script = (
        "import clusterbridge.reference\n"
        "import pycountry\n"
        "from clusterbridge.reference._data import read_rows\n"
        "print(read_rows.cache_info().currsize, pycountry.countries._is_loaded)\n"
    )
    src = str(PACKAGE_DIR.parent.parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])),
    }

    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )

    assert result.stdout == "0 False\n"
