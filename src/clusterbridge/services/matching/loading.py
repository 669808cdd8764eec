"""The registry read as a matching index: profiles from rows, embeddings cached incrementally.

``load_match_index`` reads the registry in a constant number of queries (organisations,
technologies, ecosystems, memberships, participations, projects) and builds the engine's index.
With an ``Encoder`` it also gives every organisation a dense vector: vectors are cached in
``organisation_embedding`` by organisation, model and the SHA-256 of the text they encode, so
only new or changed profiles are encoded again (``update_embeddings``). This is the module of
the matching service that reads the registry through the ORM models; ``services.matching.index``
imports it only when an index must be built, so that a question answered from a saved index
never loads the models.
"""

import hashlib
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from clusterbridge.db.base import utcnow
from clusterbridge.db.repositories import matching as repository
from clusterbridge.engines.matching.encoder import Encoder
from clusterbridge.engines.matching.index import MatchIndex, build_index, update_index
from clusterbridge.engines.matching.profile import OrgProfile, ProjectInfo, Technology
from clusterbridge.services.registry.keys import name_key


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
