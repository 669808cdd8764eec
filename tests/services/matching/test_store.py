"""The shared matching index: versions written atomically, memory-mapped, read by web processes
that never build, and built (or updated) by ``build_matching_index``."""

import dataclasses
import os
import pickle
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sqlalchemy.orm import Session

from clusterbridge.config import Settings
from clusterbridge.db.session import Database
from clusterbridge.engines.matching.index import Incidence, MatchIndex
from clusterbridge.engines.matching.profile import MatchQuery
from clusterbridge.engines.matching.reasons import explain
from clusterbridge.engines.matching.score import suggest
from clusterbridge.engines.matching.text import Vocabulary
from clusterbridge.services.matching import loading as matching_loading
from clusterbridge.services.matching.loading import load_match_index
from clusterbridge.services.matching.shared import (
    ASK_INTERVAL_SECONDS,
    BUILD_LOCK_FILE,
    SharedMatchIndex,
    build_matching_index,
    index_status,
    spawn_index_build,
)
from clusterbridge.services.matching.store import (
    REASONS_FILE,
    IndexNotReadyError,
    current_version,
    is_memory_mapped,
    open_index,
    save_index,
)
from tests.factories.matching import make_matching_registry

pytestmark = [pytest.mark.integration, pytest.mark.db]

BASE = "test-base"
QUESTIONS = (
    MatchQuery(idea="sourdough bread ovens", top=3),
    MatchQuery(members=(1,), top=3),
    MatchQuery(idea="robots for steel", top=3, kind="sme"),
)


def _same(left: object, right: object) -> bool:
    if sp.issparse(left):
        return sp.issparse(right) and left.shape == right.shape and (left != right).nnz == 0
    if isinstance(left, np.ndarray):
        return np.array_equal(left, np.asarray(right))
    if isinstance(left, Incidence | Vocabulary):
        return all(
            _same(getattr(left, f.name), getattr(right, f.name)) for f in dataclasses.fields(left)
        )
    return left == right


def test_a_saved_index_reads_back_equal_and_memory_mapped(session: Session, tmp_path: Path) -> None:
    make_matching_registry(session)
    built = load_match_index(session)

    save_index(tmp_path, built, base=BASE, stamp=(1, "x"), encoder="")
    stored = open_index(tmp_path, base=BASE)

    assert stored is not None
    assert (stored.stamp, stored.encoder) == ((1, "x"), "")
    assert [
        f.name for f in dataclasses.fields(MatchIndex)
        if not _same(getattr(built, f.name), getattr(stored.index, f.name))
    ] == []  # fmt: skip
    assert is_memory_mapped(stored.index.text.data)
    assert stored.index.text.data.flags.writeable is False
    assert [
        [(s.row, round(s.score, 6)) for s in suggest(stored.index, q)[0]] for q in QUESTIONS
    ] == [[(s.row, round(s.score, 6)) for s in suggest(built, q)[0]] for q in QUESTIONS]


def test_open_index_refuses_another_base_and_keeps_one_earlier_version(
    session: Session, tmp_path: Path
) -> None:
    make_matching_registry(session)
    built = load_match_index(session)
    first = save_index(tmp_path, built, base=BASE, stamp=(1,), encoder="")
    second = save_index(tmp_path, built, base=BASE, stamp=(2,), encoder="")
    third = save_index(tmp_path, built, base=BASE, stamp=(3,), encoder="")

    other = open_index(tmp_path, base="another database")
    earlier = open_index(tmp_path, base=BASE, version=second.name)

    assert other is None
    assert earlier is not None
    assert earlier.stamp == (2,)
    assert current_version(tmp_path) == third.name
    assert sorted(p.name for p in tmp_path.glob("v-*")) == [second.name, third.name]
    assert not first.exists()


def test_a_half_written_version_is_never_current(session: Session, tmp_path: Path) -> None:
    make_matching_registry(session)
    built = load_match_index(session)
    done = save_index(tmp_path, built, base=BASE, stamp=(1,), encoder="")
    (tmp_path / ".staging-killed").mkdir()
    (tmp_path / ".staging-killed" / "text.data.npy").write_bytes(b"half")

    stored = open_index(tmp_path, base=BASE)

    assert stored is not None
    assert stored.path == done


def _settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, matching_embeddings=False)


def test_a_web_process_without_a_stored_index_answers_not_ready_and_asks_once(
    clean_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with clean_database.unit_of_work() as session:
        make_matching_registry(session)
    monkeypatch.setattr(matching_loading, "load_match_index", _no_build)
    clock = [100.0]
    asked: list[int] = []
    shared = SharedMatchIndex(
        tmp_path, request_build=lambda: asked.append(1), clock=lambda: clock[0]
    )

    errors = []
    for now in (100.0, 101.0, 100.0 + ASK_INTERVAL_SECONDS + 1):
        clock[0] = now
        with clean_database.unit_of_work() as session, pytest.raises(IndexNotReadyError) as err:
            shared.get(session)
        errors.append((err.value.status, str(err.value).split(";")[0]))

    assert errors == [(503, "The partner-matching index is being built")] * 3
    assert asked == [1, 1]


def test_a_web_process_reads_the_built_index_and_asks_again_after_an_edit(
    clean_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _settings(tmp_path)
    with clean_database.unit_of_work() as session:
        orgs = make_matching_registry(session)
    first = build_matching_index(clean_database, settings)
    asked: list[int] = []
    shared = SharedMatchIndex(settings.resolved_cache_dir(), request_build=lambda: asked.append(1))
    monkeypatch.setattr(matching_loading, "load_match_index", _no_build)
    with clean_database.unit_of_work() as session:
        before = shared.get(session)
    with clean_database.unit_of_work() as session:
        bakery = session.get(type(orgs["bakery"]), orgs["bakery"].id)
        assert bakery is not None
        bakery.description = "Zymurgy for bread ovens"
        bakery.updated_at = datetime(2030, 1, 1, tzinfo=UTC)
    with clean_database.unit_of_work() as session:
        stale = shared.get(session)
    asked_after_edit = list(asked)
    second = build_matching_index(clean_database, settings)
    with clean_database.unit_of_work() as session:
        fresh = shared.get(session)

    assert (first.action, first.organisations) == ("built", 4)
    assert asked_after_edit == [1]
    assert stale is before
    assert (second.action, second.organisations) == ("updated", 4)
    assert second.version not in {first.version, None}
    assert fresh is not before
    assert "zymurgy" in fresh.vocabulary.columns
    assert "zymurgy" not in before.vocabulary.columns
    assert asked == [1]


def test_build_matching_index_does_nothing_when_up_to_date_or_busy(
    clean_database: Database, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    with clean_database.unit_of_work() as session:
        make_matching_registry(session)
    built = build_matching_index(clean_database, settings)
    again = build_matching_index(clean_database, settings)
    lock = settings.resolved_cache_dir() / "match-index" / BUILD_LOCK_FILE
    lock.write_text(f"{os.getpid()} 9999999999\n", encoding="utf-8")
    busy_status = index_status(settings)
    busy = build_matching_index(clean_database, settings)

    assert [built.action, again.action, busy.action] == ["built", "read", "busy"]
    assert again.version == built.version == busy.version
    assert busy_status is not None
    assert (busy_status["building"], busy_status["organisations"]) == (True, 4)


def test_a_lock_left_by_a_dead_build_is_taken_over(
    clean_database: Database, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    with clean_database.unit_of_work() as session:
        make_matching_registry(session)
    lock = settings.resolved_cache_dir() / "match-index" / BUILD_LOCK_FILE
    lock.parent.mkdir(parents=True)
    lock.write_text("999999999 1\n", encoding="utf-8")

    done = build_matching_index(clean_database, settings)

    assert done.action == "built"
    assert not lock.exists()


def _no_build(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the index was built in a web process")


def test_a_build_is_started_once_while_another_process_just_started_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLUSTERBRIDGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CLUSTERBRIDGE_MATCHING_EMBEDDINGS", "false")
    cache_dir = tmp_path / "data" / "cache"

    first = spawn_index_build(cache_dir)
    second = spawn_index_build(cache_dir)
    assert first is not None
    first.wait(timeout=300)
    log = (cache_dir / "match-index" / "build.log").read_text(encoding="utf-8")

    assert second is None
    assert first.returncode == 0
    assert log.startswith("Partner-matching index built: 0 organisations, version v-")


def _explained(index: MatchIndex) -> list[list[list[str]]]:
    found = []
    for query in QUESTIONS:
        scored, vectors = suggest(index, query)
        found.append([explain(index, query, vectors, s) for s in scored])
    return found


def test_a_saved_index_explains_with_its_reason_tables_as_the_built_one(
    session: Session, tmp_path: Path
) -> None:
    make_matching_registry(session)
    built = load_match_index(session)
    folder = save_index(tmp_path, built, base=BASE, stamp=(1, "x"), encoder="")

    stored = open_index(tmp_path, base=BASE)

    assert stored is not None
    assert (folder / REASONS_FILE).is_file()
    assert _explained(stored.index) == _explained(built)


def test_a_version_saved_without_reason_tables_still_explains(
    session: Session, tmp_path: Path
) -> None:
    # A version written before the tables were kept: they are made again when first needed.
    make_matching_registry(session)
    built = load_match_index(session)
    folder = save_index(tmp_path, built, base=BASE, stamp=(1, "x"), encoder="")
    (folder / REASONS_FILE).unlink()

    stored = open_index(tmp_path, base=BASE)

    assert stored is not None
    assert _explained(stored.index) == _explained(built)


def test_a_version_with_unreadable_reason_tables_is_not_read(
    session: Session, tmp_path: Path
) -> None:
    make_matching_registry(session)
    folder = save_index(tmp_path, load_match_index(session), base=BASE, stamp=(1,), encoder="")
    (folder / REASONS_FILE).write_bytes(pickle.dumps({"not": "tables"}))

    assert open_index(tmp_path, base=BASE) is None
