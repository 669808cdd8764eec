"""The secret key generated on first use: processes starting together (``serve --workers``) must
all read the same whole key, or a session cookie signed by one is refused by the other."""

import multiprocessing
import os
from pathlib import Path

import pytest

from clusterbridge.config import Settings

pytestmark = pytest.mark.integration

PROCESSES = 6
ROUNDS = 15


def _resolve(
    data_dir: str, start: "multiprocessing.synchronize.Barrier", keys: "multiprocessing.Queue[str]"
) -> None:
    settings = Settings(data_dir=Path(data_dir), secret_key=None)
    start.wait()
    keys.put(settings.resolved_secret_key())


def test_processes_creating_the_key_together_all_read_the_same_whole_key(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    seen = []
    for round_ in range(ROUNDS):
        data_dir = tmp_path / f"data-{round_}"
        start = context.Barrier(PROCESSES)
        keys: multiprocessing.Queue[str] = context.Queue()
        workers = [
            context.Process(target=_resolve, args=(str(data_dir), start, keys))
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        read = {keys.get(timeout=10) for _ in workers}
        seen.append(read)
        stored = (data_dir / "secret-key").read_text(encoding="utf-8").strip()
        assert read == {stored}, f"round {round_}: {len(read)} different keys"
    assert all(len(key) >= 64 for [key] in seen)
    assert not list(tmp_path.rglob("*.tmp"))


def test_an_existing_key_is_kept(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, secret_key=None)
    first = settings.resolved_secret_key()

    assert Settings(data_dir=tmp_path, secret_key=None).resolved_secret_key() == first
    assert os.stat(tmp_path / "secret-key").st_mode & 0o777 == 0o600
