"""Telling that a database is at the newest schema without Alembic."""

from pathlib import Path

import pytest

from clusterbridge.db import migrate
from clusterbridge.db.revision import is_at_head, shipped_head
from clusterbridge.db.session import Database

pytestmark = [pytest.mark.integration]


def test_shipped_head_is_alembics_head(tmp_path: Path) -> None:
    db = Database.connect(f"sqlite:///{tmp_path / 'scratch.sqlite3'}")

    assert (shipped_head(),) == migrate.head_revisions(db.engine)
    db.dispose()


def test_is_at_head_only_once_the_database_is_migrated(tmp_path: Path) -> None:
    db = Database.connect(f"sqlite:///{tmp_path / 'scratch.sqlite3'}")
    empty = is_at_head(db.engine)
    migrate.upgrade(db.engine, "0019")
    behind = is_at_head(db.engine)
    migrate.upgrade(db.engine)

    assert [empty, behind, is_at_head(db.engine)] == [False, False, True]
    db.dispose()


def test_shipped_head_is_none_for_two_heads_or_an_unclear_script(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('revision = "a"\ndown_revision = None\n', encoding="utf-8")
    (tmp_path / "b.py").write_text('revision = "b"\ndown_revision = None\n', encoding="utf-8")
    two_heads = shipped_head(tmp_path)
    (tmp_path / "b.py").write_text('revision = "b"\ndown_revision = "a"\n', encoding="utf-8")
    one_head = shipped_head(tmp_path)
    (tmp_path / "c.py").write_text("revision = compute()\n", encoding="utf-8")

    assert [two_heads, one_head, shipped_head(tmp_path)] == [None, "b", None]
