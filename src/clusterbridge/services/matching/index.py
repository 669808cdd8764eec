"""The matching index of the registry, kept between questions and between processes.

``MatchIndexCache`` keeps the last index of a process while the registry's stamp (row counts,
last change) stays the same; given a folder, it also keeps the index on disk under a key made
of that stamp, the database and the code's version, so that a new process (the CLI) reads it
instead of building it again. ``configured_cache`` is the cache the web application and the CLI
use: on disk, and with the sentence encoder once ``clusterbridge partners index`` has stored its
vectors (``StoredSentenceEncoder``); ``warm_up`` prepares it when a server starts. Building an
index reads the registry through the ORM models (``services.matching.loading``), which load
only then: a question answered from a saved index reads the stamp with Core alone
(``db.repositories.stamps``).
"""

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge import __version__
from clusterbridge.config import Settings
from clusterbridge.db.repositories.stamps import has_embeddings, registry_stamp
from clusterbridge.db.session import Database
from clusterbridge.engines.matching.encoder import MINILM_NAME, Encoder, load_sentence_encoder
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.services.matching.store import (
    IndexNotReadyError,
    open_index,
    save_index,
    store_folder,
)

#: Bumped whenever ``MatchIndex`` or what ``build_index`` puts in it changes, so that indexes
#: saved by an older version are never read.
INDEX_FORMAT = 7
#: Positions in a stamp (``registry_stamp`` plus the encoder's name) that must be equal for an
#: index to be updated organisation by organisation rather than built again: participations
#: (count, last id), projects (count) and the encoder. The other positions (organisations,
#: their technologies, ecosystems, memberships, last change, search version) may differ.
SAME_FOR_UPDATE = (4, 5, 7, 9)

logger = logging.getLogger(__name__)


def updatable(before: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    """Whether an index of the registry stamped ``before`` can be updated to ``now`` by
    ``refresh_match_index`` (``SAME_FOR_UPDATE``) rather than built again."""
    return len(before) == len(now) and all(before[i] == now[i] for i in SAME_FOR_UPDATE)


class MatchIndexCache:
    """The last index built in this process, reused while the registry's stamp is unchanged,
    and updated organisation by organisation when only organisations changed (``updatable``).

    With a ``directory`` (the cache folder), the index is also saved in the shared store
    there (``services.matching.store``: memory-mapped arrays, a new version per registry
    stamp) and read back by the next process whose registry has the same stamp; it is made
    for the database's URL (without password), the package version and ``INDEX_FORMAT``. A
    process that finds only a version of an earlier stamp of the same database updates that
    index when it can. The objects are pickles: the folder must be as private as the database
    itself. With ``choose_encoder``, the encoder is
    chosen again at every ``get`` (a new choice rebuilds the index), so vectors stored while
    the process runs are used from the next question on. Safe to share between threads: one
    build at a time.
    """

    def __init__(
        self,
        encoder: Encoder | None = None,
        *,
        directory: Path | None = None,
        choose_encoder: Callable[[Session], Encoder | None] | None = None,
    ) -> None:
        self.encoder = encoder
        self.directory = directory
        self.choose_encoder = choose_encoder
        self._lock = threading.Lock()
        self._stamp: tuple[Any, ...] | None = None
        self._index: MatchIndex | None = None
        #: What the last ``get`` that found the registry changed did: "read" (from the store),
        #: "updated" (organisation by organisation) or "built".
        self.last_action = ""

    def get(self, session: Session) -> MatchIndex:
        """The index of the registry ``session`` sees, rebuilt (or updated) when the registry
        or the chosen encoder changed; read from ``directory`` when it holds the index of this
        registry, written there when not."""
        stamp = registry_stamp(session)
        with self._lock:
            encoder = self.choose_encoder(session) if self.choose_encoder else self.encoder
            stamp = (*stamp, encoder.name if encoder is not None else "")
            if self._index is None or stamp != self._stamp:
                self.encoder = encoder
                self._index = self._load_or_build(session, stamp)
                self._stamp = stamp
            return self._index

    def _load_or_build(self, session: Session, stamp: tuple[Any, ...]) -> MatchIndex:
        earlier = (
            (self._stamp, self._index)
            if self._index is not None and self._stamp is not None
            else None
        )
        if self.directory is None:
            return self._fresh(session, stamp, earlier)
        store = store_folder(self.directory)
        stored = open_index(store, base=self._base(session))
        if stored is not None and stored.stamp == stamp:
            self.last_action = "read"
            return stored.index
        if earlier is None and stored is not None:
            earlier = (stored.stamp, stored.index)
        index = self._fresh(session, stamp, earlier)
        with contextlib.suppress(OSError):
            # A store that cannot be written only costs the next process a build.
            save_index(store, index, base=self._base(session), stamp=stamp, encoder=stamp[-1])
        return index

    def _fresh(
        self,
        session: Session,
        stamp: tuple[Any, ...],
        earlier: tuple[tuple[Any, ...], MatchIndex] | None,
    ) -> MatchIndex:
        """Updated from ``earlier`` (its stamp, its index) when only organisations changed,
        else built."""
        # The ORM models load here, when an index must be read from the registry.
        from clusterbridge.services.matching import loading  # noqa: PLC0415 -- slow import

        if earlier is not None and updatable(earlier[0], stamp):
            self.last_action = "updated"
            return loading.refresh_match_index(session, earlier[1], encoder=self.encoder)
        self.last_action = "built"
        return loading.load_match_index(session, encoder=self.encoder)

    def _base(self, session: Session) -> str:
        """What a saved index must have been made with, whatever the registry's stamp: the
        format, the package's version and the database."""
        url = session.get_bind().engine.url.render_as_string(hide_password=True)
        return repr((INDEX_FORMAT, __version__, url))


class StoredSentenceEncoder:
    """Chooses the sentence encoder once ``clusterbridge partners index`` has stored vectors of
    its model and the ``embeddings`` extra is installed; otherwise None (the light method).
    The table is asked first, so torch is imported only when it will be used, and the model is
    loaded once per process."""

    def __init__(self) -> None:
        self._loaded: Encoder | None = None
        self._missing = False

    def __call__(self, session: Session) -> Encoder | None:
        if self._missing or not has_embeddings(session, MINILM_NAME):
            return None
        if self._loaded is None:
            self._loaded = load_sentence_encoder()
            self._missing = self._loaded is None
        return self._loaded


def configured_cache(settings: Settings) -> MatchIndexCache:
    """The cache of the web application and the CLI: kept in the settings' cache folder, with
    the sentence encoder when its vectors are stored (unless ``matching_embeddings`` is off)."""
    chooser = StoredSentenceEncoder() if settings.matching_embeddings else None
    return MatchIndexCache(directory=settings.resolved_cache_dir(), choose_encoder=chooser)


def warm_up(cache: MatchIndexCache, database: Database) -> threading.Thread:
    """Build (or read back) the index in a background thread, so that the first page with
    suggestions does not wait for it: a question asked meanwhile waits for this build rather
    than starting its own. A failure is logged, and the next question tries again."""

    def build() -> None:
        try:
            with database.unit_of_work() as session:
                cache.get(session)
        except IndexNotReadyError:
            logger.info("no partner-matching index stored yet: a build has been asked for")
        except Exception:
            logger.exception("building the partner-matching index failed")

    thread = threading.Thread(target=build, name="matching-index", daemon=True)
    thread.start()
    return thread
