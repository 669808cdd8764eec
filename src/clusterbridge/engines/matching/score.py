"""Scoring every organisation of an index against one question, and keeping the best.

Each signal is a vector over the index's rows in ``[0, 1]``; the score is their weighted sum.
The signals are the ones a person can check afterwards (see ``reasons``): shared words with the
idea and with what the members worked on, past projects with the members and with their past
partners, technologies one needs and the other offers, shared ecosystems, an SME's
complementary profile, the region, and how active the organisation is. The weights were chosen
on a validation split of the CORDIS data that ends before the benchmark's test period
(docs/adr/0009-partner-matching.md).
"""

from dataclasses import asdict, dataclass

import numpy as np
import scipy.sparse as sp

from clusterbridge.engines.matching.index import (
    TECH_SAVVY_SME,
    TECHNOLOGY_PROVIDER,
    TRADITIONAL_SME,
    MatchIndex,
    kind_of,
    nuts2_of,
)
from clusterbridge.engines.matching.profile import MatchQuery, OrgProfile
from clusterbridge.engines.matching.text import count_words, normalise_rows, weigh


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each signal counts; a weight of 0 switches a signal off."""

    idea: float = 1.0
    members_text: float = 0.0
    coparticipation: float = 0.06
    partners_of_partners: float = 0.02
    popularity: float = 0.0
    technologies: float = 0.3
    ecosystems: float = 0.1
    profile_fit: float = 0.1
    same_region: float = 0.02
    dense: float = 1.0


DEFAULT_WEIGHTS = Weights()
#: Saturation of the counting signals: ``count / (count + k)``.
COPARTICIPATION_HALF = 1.0
PARTNERS_OF_PARTNERS_HALF = 4.0
SHARED_KEYS_HALF = 1.0


@dataclass(frozen=True, slots=True)
class QueryVectors:
    """The question as vectors over the index's vocabulary and rows."""

    members: tuple[int, ...]
    idea: sp.csr_matrix
    members_text: sp.csr_matrix
    dense: np.ndarray | None


@dataclass(frozen=True, slots=True)
class Scored:
    """One candidate: its row, its score and the value of each signal."""

    row: int
    score: float
    signals: dict[str, float]


def vectorise(index: MatchIndex, query: MatchQuery, *, dense: np.ndarray | None) -> QueryVectors:
    """The idea and the members' texts as TF-IDF vectors over the index's vocabulary; members
    not in the index are ignored. ``dense`` is the idea's (or the members') dense vector."""
    members = tuple(index.rows[m] for m in query.members if m in index.rows)
    idea = weigh([count_words(query.idea)], index.vocabulary)
    guests = weigh([count_words("\n".join(g.text for g in query.guests))], index.vocabulary)
    together = index.text[list(members)].sum(axis=0) if members else None
    combined = sp.csr_matrix(together) + guests if together is not None else guests
    return QueryVectors(members, idea, normalise_rows(sp.csr_matrix(combined)), dense)


def score_rows(
    index: MatchIndex, vectors: QueryVectors, query: MatchQuery, weights: Weights
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The score of every row and the signals it is made of."""
    members_text = _text_similarity(index, vectors.members_text)
    # Without an idea, what the members worked on is the topic.
    idea = _text_similarity(index, vectors.idea) if vectors.idea.nnz else members_text
    signals = {
        "idea": idea,
        "members_text": members_text,
        **_graph_signals(index, vectors.members),
        "popularity": index.popularity,
        "technologies": _technology_signal(index, vectors.members, query.guests),
        "ecosystems": _shared(
            index.ecosystems.matrix, index, vectors.members, query.guests, "ecosystems"
        ),
        "profile_fit": _profile_fit(index, vectors.members, query.guests),
        "same_region": _region_signal(index, vectors.members, query.guests),
    }
    if vectors.dense is not None and index.dense is not None:
        signals["dense"] = np.clip(index.dense @ vectors.dense, 0.0, 1.0)
    total = np.zeros(index.size, dtype=np.float32)
    for name, values in signals.items():
        weight = getattr(weights, name)
        if weight:
            total += np.float32(weight) * values
    return total, signals


def suggest(
    index: MatchIndex,
    query: MatchQuery,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    dense: np.ndarray | None = None,
) -> tuple[list[Scored], QueryVectors]:
    """The ``query.top`` best candidates, best first (ties by id), never a member nor anyone
    in ``query.exclude``, only those in ``query.only`` when it is given, and only candidates
    with a positive score. Pure."""
    vectors = vectorise(index, query, dense=dense)
    scores, signals = score_rows(index, vectors, query, weights)
    scores[_blocked(index, query)] = -np.inf
    return _top(index, scores, signals, query.top), vectors


def _blocked(index: MatchIndex, query: MatchQuery) -> np.ndarray:
    blocked = np.zeros(index.size, dtype=bool)
    for member in (*query.members, *query.exclude):
        if member in index.rows:
            blocked[index.rows[member]] = True
    if query.only is not None:
        allowed = np.zeros(index.size, dtype=bool)
        allowed[[index.rows[i] for i in query.only if i in index.rows]] = True
        blocked |= ~allowed
    return blocked


def _top(
    index: MatchIndex, scores: np.ndarray, signals: dict[str, np.ndarray], top: int
) -> list[Scored]:
    count = min(top, index.size)
    if count == 0:
        return []
    best = (
        np.argpartition(-scores, count - 1)[:count] if count < index.size else np.arange(index.size)
    )
    ordered = sorted(
        (int(row) for row in best if scores[row] > 0),
        key=lambda row: (-float(scores[row]), index.profiles[row].id),
    )
    return [
        Scored(
            row, float(scores[row]), {name: float(values[row]) for name, values in signals.items()}
        )
        for row in ordered
    ]


def _text_similarity(index: MatchIndex, vector: sp.csr_matrix) -> np.ndarray:
    if vector.nnz == 0:
        return np.zeros(index.size, dtype=np.float32)
    columns = index.text_by_term[:, vector.indices]
    return np.asarray(columns @ vector.data, dtype=np.float32).ravel()


def _graph_signals(index: MatchIndex, members: tuple[int, ...]) -> dict[str, np.ndarray]:
    if not members:
        zeros = np.zeros(index.size, dtype=np.float32)
        return {"coparticipation": zeros, "partners_of_partners": zeros}
    direct = np.asarray(index.graph[list(members)].sum(axis=0), dtype=np.float32).ravel()
    reached = sp.csr_matrix((direct > 0).astype(np.float32))
    second = np.asarray((reached @ index.graph).todense(), dtype=np.float32).ravel()
    return {
        "coparticipation": direct / (direct + COPARTICIPATION_HALF),
        "partners_of_partners": second / (second + PARTNERS_OF_PARTNERS_HALF),
    }


def _keys(
    index: MatchIndex, members: tuple[int, ...], guests: tuple[OrgProfile, ...], field: str
) -> list[str]:
    profiles = [index.profiles[row] for row in members] + list(guests)
    values: set[str] = set()
    for profile in profiles:
        items = getattr(profile, field)
        values.update(item if isinstance(item, str) else item.key for item in items)
    return sorted(values)


def _shared(
    matrix: sp.csr_matrix,
    index: MatchIndex,
    members: tuple[int, ...],
    guests: tuple[OrgProfile, ...],
    field: str,
) -> np.ndarray:
    incidence = {"ecosystems": index.ecosystems, "offered": index.offered, "needed": index.needed}[
        field
    ]
    vector = incidence.vector(_keys(index, members, guests, field))
    counts = np.asarray(matrix @ vector, dtype=np.float32).ravel()
    return counts / (counts + SHARED_KEYS_HALF)


def _technology_signal(
    index: MatchIndex, members: tuple[int, ...], guests: tuple[OrgProfile, ...]
) -> np.ndarray:
    """Candidates that offer what the members need, or need what they offer."""
    offers_needed = index.offered.matrix @ index.offered.vector(
        _keys(index, members, guests, "needed")
    )
    needs_offered = index.needed.matrix @ index.needed.vector(
        _keys(index, members, guests, "offered")
    )
    counts = np.asarray(offers_needed + needs_offered, dtype=np.float32).ravel()
    return counts / (counts + SHARED_KEYS_HALF)


def _profile_fit(
    index: MatchIndex, members: tuple[int, ...], guests: tuple[OrgProfile, ...]
) -> np.ndarray:
    """1 for the complement of an SME member: technology for a traditional SME, customers
    (traditional SMEs) for a tech-savvy one."""
    kinds = {int(index.kinds[row]) for row in members}
    kinds |= {_guest_kind(guest) for guest in guests}
    fit = np.zeros(index.size, dtype=np.float32)
    if TRADITIONAL_SME in kinds:
        fit[(index.kinds == TECH_SAVVY_SME) | (index.kinds == TECHNOLOGY_PROVIDER)] = 1.0
    if TECH_SAVVY_SME in kinds:
        fit[index.kinds == TRADITIONAL_SME] = 1.0
    return fit


def _guest_kind(guest: OrgProfile) -> int:
    return kind_of(guest)


def _region_signal(
    index: MatchIndex, members: tuple[int, ...], guests: tuple[OrgProfile, ...]
) -> np.ndarray:
    """1 in a member's NUTS-2 region, 0.5 in a member's country."""
    profiles = [index.profiles[row] for row in members] + list(guests)
    countries = index.countries.vector([p.country for p in profiles])
    regions = index.regions.vector([n for p in profiles if (n := nuts2_of(p.nuts))])
    same_country = np.asarray(index.countries.matrix @ countries, dtype=np.float32).ravel() > 0
    same_region = np.asarray(index.regions.matrix @ regions, dtype=np.float32).ravel() > 0
    return np.maximum(same_country * np.float32(0.5), same_region.astype(np.float32))


def weights_of(weights: Weights) -> dict[str, float]:
    """The weights by signal name."""
    return asdict(weights)
