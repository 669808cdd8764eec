"""The registry as a matching index: profiles from rows, embeddings cached incrementally.

``load_match_index`` reads the registry in a constant number of queries (organisations,
technologies, ecosystems, memberships, participations, projects) and builds the engine's index.
With an ``Encoder`` it also gives every organisation a dense vector: vectors are cached in
``organisation_embedding`` by organisation, model and the SHA-256 of the text they encode, so
only new or changed profiles are encoded again (``update_embeddings``). ``MatchIndexCache``
keeps the last index of a process while the registry's stamp (row counts, last change) stays
the same; given a folder, it also keeps the index on disk under a key made of that stamp, the
database and the code's version, so that a new process (the CLI) reads it instead of building
it again. ``configured_cache`` is the cache the web application and the CLI use: on disk, and
with the sentence encoder once ``clusterbridge partners index`` has stored its vectors
(``StoredSentenceEncoder``); ``warm_up`` prepares it when a server starts.
"""

import contextlib
import hashlib
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from clusterbridge import __version__
from clusterbridge.config import Settings
from clusterbridge.db.base import utcnow
from clusterbridge.db.repositories import matching as repository
from clusterbridge.db.session import Database
from clusterbridge.engines.matching.encoder import MINILM_NAME, Encoder, load_sentence_encoder
from clusterbridge.engines.matching.index import MatchIndex, build_index, update_index
from clusterbridge.engines.matching.profile import OrgProfile, ProjectInfo, Technology
from clusterbridge.services.matching.store import (
    IndexNotReadyError,
    open_index,
    save_index,
    store_folder,
)
from clusterbridge.services.registry.keys import name_key

#: Bumped whenever ``MatchIndex`` or what ``build_index`` puts in it changes, so that indexes
#: saved by an older version are never read.
INDEX_FORMAT = 6
#: Positions in a stamp (``registry_stamp`` plus the encoder's name) that must be equal for an
#: index to be updated organisation by organisation rather than built again: participations
#: (count, last id), projects (count) and the encoder. The other positions (organisations,
#: their technologies, ecosystems, memberships, last change, search version) may differ.
SAME_FOR_UPDATE = (4, 5, 7, 9)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EmbeddingUpdate:
    """What ``update_embeddings`` did: vectors computed, reused from the cache, and seconds."""

    model: str
    computed: int
    reused: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Profiles encoded per second (0 when none was)."""
        return self.computed / self.seconds if self.computed and self.seconds else 0.0


def profile_text(description: str | None, profile: str | None) -> str:
    """The text an organisation is matched on: what it says about itself, then what it did."""
    return "\n".join(part for part in (description or "", profile or "") if part.strip())


def content_hash(text: str) -> str:
    """SHA-256 of ``text`` in hex: the cache key of its vector."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_profiles(session: Session) -> tuple[list[OrgProfile], dict[int, ProjectInfo]]:
    """Every organisation as an ``OrgProfile`` (id order) and every project; six queries."""
    profiles = read_organisations(session)
    projects = {
        number: ProjectInfo(
            number, acronym or "", title, "\n".join((title, keywords, objective)), keywords
        )
        for number, acronym, title, keywords, objective in repository.project_rows(session)
    }
    return profiles, projects


def read_organisations(session: Session) -> list[OrgProfile]:
    """Every organisation as an ``OrgProfile``, in id order; five queries."""
    ecosystems: defaultdict[int, list[str]] = defaultdict(list)
    for organisation_id, ecosystem in repository.ecosystem_pairs(session):
        ecosystems[organisation_id].append(ecosystem)
    technologies: defaultdict[tuple[int, str], list[Technology]] = defaultdict(list)
    for organisation_id, direction, label, code, evidence in repository.technology_rows(session):
        technologies[organisation_id, str(direction)].append(
            Technology(code or name_key(label), label, evidence_of(evidence))
        )
    clusters: defaultdict[int, list[int]] = defaultdict(list)
    for member_id, cluster_id in repository.membership_pairs(session):
        clusters[member_id].append(cluster_id)
    projects_of: defaultdict[int, list[int]] = defaultdict(list)
    for organisation_id, project_id in repository.participation_pairs(session):
        projects_of[organisation_id].append(project_id)
    return [
        _profile(row, ecosystems, technologies, clusters, projects_of)
        for row in repository.organisation_rows(session)
    ]


def evidence_of(text: str | None) -> str:
    """What a derived technology's stored evidence says after its label (``3 projects, e.g.
    SoliDAIR, ROBOFOOD``); empty for a declared one."""
    if not text:
        return ""
    _label, _colon, rest = text.partition(": ")
    return rest.strip()


def _profile(
    row: tuple[Any, ...],
    ecosystems: dict[int, list[str]],
    technologies: dict[tuple[int, str], list[Technology]],
    clusters: dict[int, list[int]],
    projects_of: dict[int, list[int]],
) -> OrgProfile:
    number, pic, name, country, kind, sme_profile, nuts, category, description, profile = row[:10]
    legal_entity, eccp_registered = row[10:]
    return OrgProfile(
        id=number,
        name=name,
        country=country,
        pic=pic,
        type=kind,
        sme_profile=sme_profile,
        nuts=nuts,
        category=category,
        text=profile_text(description, profile),
        ecosystems=tuple(sorted(ecosystems.get(number, ()))),
        offered=tuple(technologies.get((number, "offered"), ())),
        needed=tuple(technologies.get((number, "needed"), ())),
        clusters=tuple(sorted(clusters.get(number, ()))),
        projects=tuple(sorted(projects_of.get(number, ()))),
        legal_entity=legal_entity,
        eccp_registered=eccp_registered,
    )


def update_embeddings(
    session: Session, encoder: Encoder, profiles: list[OrgProfile]
) -> tuple[np.ndarray, EmbeddingUpdate]:
    """One vector per profile (in order), encoding only profiles whose text changed since
    their cached vector (or that have none), and writing those to the cache. Flushes."""
    started = time.perf_counter()
    cached = repository.embeddings_of(session, encoder.name)
    hashes = [content_hash(profile.text) for profile in profiles]
    vectors = np.zeros((len(profiles), encoder.dimension), dtype=np.float32)
    stale: list[int] = []
    for row, (profile, digest) in enumerate(zip(profiles, hashes, strict=True)):
        found = cached.get(profile.id)
        if found and found[0] == digest and found[1] == encoder.dimension:
            vectors[row] = np.frombuffer(found[2], dtype="<f4")
        else:
            stale.append(row)
    if stale:
        fresh = encoder.encode([profiles[row].text for row in stale])
        vectors[stale] = fresh
        now = utcnow()
        repository.save_embeddings(
            session,
            encoder.name,
            [
                {
                    "organisation_id": profiles[row].id,
                    "content_hash": hashes[row],
                    "dimension": encoder.dimension,
                    "vector": fresh[position].astype("<f4").tobytes(),
                    "updated_at": now,
                }
                for position, row in enumerate(stale)
            ],
        )
        session.flush()
    seconds = time.perf_counter() - started
    update = EmbeddingUpdate(encoder.name, len(stale), len(profiles) - len(stale), seconds)
    return vectors, update


def load_match_index(session: Session, *, encoder: Encoder | None = None) -> MatchIndex:
    """The matching index of the whole registry; with an ``encoder``, dense vectors too (cached
    ones reused, changed ones recomputed and saved). Reads; writes only the cache."""
    profiles, projects = read_profiles(session)
    dense = update_embeddings(session, encoder, profiles)[0] if encoder else None
    return build_index(profiles, projects, dense=dense)


def refresh_match_index(
    session: Session, index: MatchIndex, *, encoder: Encoder | None = None
) -> MatchIndex:
    """``index`` brought up to date with the organisations as they are now, when only
    organisations (their fields, technologies, ecosystems, memberships; added or removed ones)
    changed since it was built, not projects nor participations: only the words of the
    organisations whose text changed are read again (``engines.matching.index.update_index``).
    With an ``encoder``, only their vectors are computed again. Reads; writes only the cache."""
    profiles = read_organisations(session)
    dense = update_embeddings(session, encoder, profiles)[0] if encoder else None
    return update_index(index, profiles, dense=dense)


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
        stamp = repository.registry_stamp(session)
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
        if earlier is not None and updatable(earlier[0], stamp):
            self.last_action = "updated"
            return refresh_match_index(session, earlier[1], encoder=self.encoder)
        self.last_action = "built"
        return load_match_index(session, encoder=self.encoder)

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
        if self._missing or not repository.has_embeddings(session, MINILM_NAME):
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
