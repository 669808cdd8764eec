"""Every CLI command, option and setting is documented in docs/admin/."""

from pathlib import Path

import pytest
from typer.main import get_command

from clusterbridge.cli.app import LazyCommand, app
from clusterbridge.config import Settings

pytestmark = pytest.mark.unit

ADMIN_DOCS = Path(__file__).resolve().parents[1] / "docs" / "admin"


def admin_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(ADMIN_DOCS.glob("*.md")))


def command_paths(group: object, prefix: str = "clusterbridge") -> list[tuple[str, list[str]]]:
    """Every leaf command as (``clusterbridge calls list``, its option names)."""
    found = []
    for name, listed in getattr(group, "commands", {}).items():
        path = f"{prefix} {name}"
        command = listed.load() if isinstance(listed, LazyCommand) else listed
        if hasattr(command, "commands"):
            found.extend(command_paths(command, path))
        else:
            options = [o for p in command.params for o in p.opts if o.startswith("--")]
            found.append((path, options))
    return found


COMMANDS = command_paths(get_command(app))


@pytest.mark.parametrize(("path", "options"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_docs_admin_has_every_command_and_option(path: str, options: list[str]) -> None:
    text = admin_text()

    assert f"### {path}" in text
    section = text.split(f"### {path}", 1)[1].split("\n### ", 1)[0]
    assert [o for o in options if o not in section] == []


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_docs_admin_has_every_setting(name: str) -> None:
    assert f"CLUSTERBRIDGE_{name.upper()}" in admin_text()
