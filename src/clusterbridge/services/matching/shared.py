"""The matching index of web processes: read from the shared store, never built by them.

A web process opens the store's current version (arrays memory-mapped, so every process of a
host shares one copy) and keeps it until a newer version appears. When the store has no
version, a question is answered with ``IndexNotReadyError`` (503, "being built"); when the
registry changed since the current version, the current one keeps answering. Either way the
process asks for a build (``request_build``: by default ``spawn_index_build``, a separate
``clusterbridge index build`` process; a task queue can pass its own), at most once every
``ASK_INTERVAL_SECONDS``. Whoever builds calls ``build_matching_index``: one build at a time
per store (a lock file), incremental when only organisations changed.
"""

import contextlib
import gc
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.config import Settings
from clusterbridge.db.repositories.stamps import registry_stamp
from clusterbridge.db.session import Database
from clusterbridge.engines.matching.encoder import Encoder
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.services.matching.index import (
    MatchIndexCache,
    StoredSentenceEncoder,
    configured_cache,
)
from clusterbridge.services.matching.store import (
    IndexNotReadyError,
    current_version,
    open_index,
    read_manifest,
    store_folder,
)

#: The file that says a build of the store is running (its process id and start time).
BUILD_LOCK_FILE = "build.lock"
#: A lock older than this is left over by a build that was killed: it is taken over.
STALE_LOCK_SECONDS = 30 * 60
#: How often one web process asks for a build while the store is missing or behind.
ASK_INTERVAL_SECONDS = 30.0
#: The file a web process touches when it starts a build: the other processes of the host
#: start none for ``SPAWN_GRACE_SECONDS`` (the build has not taken its lock yet).
SPAWN_MARKER_FILE = "build.requested"
SPAWN_GRACE_SECONDS = 60.0

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IndexBuild:
    """What ``build_matching_index`` did: ``action`` is "read" (the store was up to date),
    "updated" (organisation by organisation), "built", or "busy" (another build holds the
    lock); the current version afterwards, the organisations indexed and the seconds taken."""

    action: str
    version: str | None
    organisations: int
    seconds: float


class SharedMatchIndex(MatchIndexCache):
    """The index of a web process: the store's current version, memory-mapped; never built
    here (see the module). ``get`` raises IndexNotReadyError while the store has no version.
    Safe to share between threads."""

    def __init__(
        self,
        directory: Path,
        *,
        request_build: Callable[[], object],
        choose_encoder: Callable[[Session], Encoder | None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(directory=directory, choose_encoder=choose_encoder)
        self.request_build = request_build
        self._clock = clock
        self._version: str | None = None
        self._asked_at: float | None = None

    def get(self, session: Session) -> MatchIndex:
        """The newest stored index (the registry's current one, or the last one built while
        a new one is on its way); IndexNotReadyError when there is none. Asks for a build
        when the store is missing or behind the registry."""
        registry = registry_stamp(session)
        with self._lock:
            self._open_newer(session)
            if self._index is None or self._stamp is None:
                self._ask()
                raise IndexNotReadyError
            if tuple(self._stamp[: len(registry)]) != registry:
                self._ask()
            return self._index

    def _open_newer(self, session: Session) -> None:
        assert self.directory is not None
        store = store_folder(self.directory)
        version = current_version(store)
        if version is None or version == self._version:
            return
        stored = open_index(store, base=self._base(session), version=version)
        if stored is None:
            return
        self._index, self._stamp, self._version = stored.index, stored.stamp, version
        self.encoder = self._encoder(session, stored.encoder)
        freeze_long_lived_objects()

    def _encoder(self, session: Session, name: str) -> Encoder | None:
        """The encoder the stored index was made with, for the questions' vectors."""
        if not name or self.choose_encoder is None:
            return None
        chosen = self.choose_encoder(session)
        return chosen if chosen is not None and chosen.name == name else None

    def _ask(self) -> None:
        now = self._clock()
        if self._asked_at is not None and now - self._asked_at < ASK_INTERVAL_SECONDS:
            return
        self._asked_at = now
        try:
            self.request_build()
        except Exception:
            logger.exception("asking for a partner-matching index build failed")


def freeze_long_lived_objects() -> None:
    """Leave the objects the process holds now (the index's profiles and projects, about a
    million) out of Python's cyclic garbage collections from now on (``gc.freeze``).

    Every full collection walked all of them: under load that was a quarter of a web
    process's CPU (benchmarks/bench_load.py). Garbage collected first, so none is kept; an
    index replaced later is still freed by reference counting (it holds no cycles)."""
    gc.collect()
    gc.freeze()


def shared_index(
    settings: Settings, *, request_build: Callable[[], object] | None = None
) -> SharedMatchIndex:
    """The index of the web processes of ``settings``: the store in the cache folder; builds
    asked for with ``request_build`` (default: ``spawn_index_build``)."""
    chooser = StoredSentenceEncoder() if settings.matching_embeddings else None
    cache_dir = settings.resolved_cache_dir()
    return SharedMatchIndex(
        cache_dir,
        request_build=request_build or (lambda: spawn_index_build(cache_dir)),
        choose_encoder=chooser,
    )


def spawn_index_build(cache_dir: Path) -> subprocess.Popen[bytes] | None:
    """Start ``clusterbridge index build`` in a process of its own (same environment, its
    output appended to ``build.log`` in the store), unless a build holds the lock or a process
    of this host started one less than ``SPAWN_GRACE_SECONDS`` ago. Returns the process, or
    None when none was started."""
    store = store_folder(cache_dir)
    marker = store / SPAWN_MARKER_FILE
    if _lock_held(store / BUILD_LOCK_FILE) or _younger_than(marker, SPAWN_GRACE_SECONDS):
        return None
    store.mkdir(parents=True, exist_ok=True)
    marker.touch()
    with (store / "build.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "clusterbridge", "index", "build"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def build_matching_index(database: Database, settings: Settings) -> IndexBuild:
    """Bring the shared store of ``settings`` up to the registry of ``database``: nothing
    when its current version is up to date, an update organisation by organisation when only
    organisations changed since it, else a build; the new version is written atomically and
    older ones removed. One build at a time per store (``build.lock``): while another runs,
    returns at once with action "busy". Writes the embedding cache (with an encoder) and the
    store; this is what a worker's task and ``clusterbridge index build`` call."""
    started = time.perf_counter()
    store = store_folder(settings.resolved_cache_dir())
    with _build_lock(store / BUILD_LOCK_FILE) as held:
        if not held:
            return IndexBuild("busy", current_version(store), 0, time.perf_counter() - started)
        cache = configured_cache(settings)
        with database.unit_of_work() as session:
            index = cache.get(session)
    action = cache.last_action or "read"
    seconds = time.perf_counter() - started
    return IndexBuild(action, current_version(store), index.size, seconds)


def index_status(settings: Settings) -> dict[str, Any] | None:
    """The current version's manifest (without its field list) plus ``version`` and
    ``building`` (whether a build holds the lock); None when the store has no version."""
    store = store_folder(settings.resolved_cache_dir())
    manifest = read_manifest(store)
    if manifest is None:
        return None
    manifest.pop("fields", None)
    manifest["version"] = current_version(store)
    manifest["building"] = _lock_held(store / BUILD_LOCK_FILE)
    return manifest


@contextlib.contextmanager
def _build_lock(path: Path) -> Any:
    """Hold ``path`` (created exclusively, with this process's id) while the block runs;
    yields False without waiting when another live build holds it. A lock left by a build
    killed more than ``STALE_LOCK_SECONDS`` ago is taken over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not _lock_held(path):
        path.unlink(missing_ok=True)
    try:
        handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        yield False
        return
    with os.fdopen(handle, "w") as stream:
        stream.write(f"{os.getpid()} {time.time():.0f}\n")
    try:
        yield True
    finally:
        path.unlink(missing_ok=True)


def _younger_than(path: Path, seconds: float) -> bool:
    try:
        return time.time() - path.stat().st_mtime < seconds
    except OSError:
        return False


def _lock_held(path: Path) -> bool:
    """Whether a live build holds ``path``: the lock exists, is younger than
    ``STALE_LOCK_SECONDS`` and its process runs (a lock being written counts as held)."""
    try:
        age = time.time() - path.stat().st_mtime
        text = path.read_text(encoding="utf-8")
    except OSError:
        return False
    if age > STALE_LOCK_SECONDS:
        return False
    try:
        pid = int(text.split()[0])
    except (ValueError, IndexError):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
