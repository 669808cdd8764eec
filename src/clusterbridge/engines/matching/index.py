"""The registry as matrices: one row per organisation, built once and queried many times.

``build_index`` turns profiles into a TF-IDF text matrix, a co-participation graph (how many
projects two organisations shared), technology and ecosystem incidence matrices, and codes for
the structured fields. Optional dense vectors (from a sentence-embedding ``Encoder``) are one
more matrix. Everything a question needs is a sparse product or a NumPy operation over rows.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.engines.matching.profile import OrgProfile, ProjectInfo
from clusterbridge.engines.matching.text import (
    Vocabulary,
    build_vocabulary,
    count_matrix,
    count_words,
    tf_idf,
    vocabulary_of,
    words_of,
)

#: Characters of a NUTS-2 code (``PL82``).
NUTS2_LENGTH = 4
#: What an organisation can be to an SME: codes of ``MatchIndex.kinds``.
OTHER_KIND, TRADITIONAL_SME, TECH_SAVVY_SME, TECHNOLOGY_PROVIDER = 0, 1, 2, 3
TECHNOLOGY_PROVIDERS = frozenset(
    {OrgType.TECHNOLOGY_CENTRE, OrgType.RESEARCH_ORGANISATION, OrgType.UNIVERSITY}
)


def kind_of(profile: OrgProfile) -> int:
    """Traditional SME, tech-savvy SME, technology provider (centre, research body,
    university) or other."""
    if profile.sme_profile is SmeProfile.TRADITIONAL:
        return TRADITIONAL_SME
    if profile.sme_profile is SmeProfile.TECH_SAVVY:
        return TECH_SAVVY_SME
    return TECHNOLOGY_PROVIDER if profile.type in TECHNOLOGY_PROVIDERS else OTHER_KIND


@dataclass(frozen=True, slots=True)
class Incidence:
    """Which rows have which keys (technologies, ecosystems, countries): a 0/1 matrix."""

    keys: tuple[str, ...]
    columns: dict[str, int]
    matrix: sp.csr_matrix

    def vector(self, keys: Sequence[str]) -> np.ndarray:
        """A 0/1 column vector over this incidence's keys (unknown keys are ignored)."""
        vector = np.zeros(len(self.keys), dtype=np.float32)
        for key in keys:
            if key in self.columns:
                vector[self.columns[key]] = 1.0
        return vector


@dataclass(frozen=True)
class MatchIndex:
    """The matrices of one registry. Row ``i`` is ``profiles[i]``; ``rows`` maps id → row."""

    profiles: tuple[OrgProfile, ...]
    rows: Mapping[int, int]
    vocabulary: Vocabulary
    text: sp.csr_matrix
    text_by_term: sp.csc_matrix
    graph: sp.csr_matrix
    popularity: np.ndarray
    offered: Incidence
    needed: Incidence
    ecosystems: Incidence
    countries: Incidence
    regions: Incidence
    kinds: np.ndarray
    projects: Mapping[int, ProjectInfo]
    acronyms: frozenset[str] = frozenset()
    dense: np.ndarray | None = None

    @property
    def size(self) -> int:
        """How many organisations the index holds."""
        return len(self.profiles)

    def nbytes(self) -> int:
        """Bytes held by the index's arrays (not the profiles' Python objects)."""
        matrices = (self.text, self.text_by_term, self.graph, self.offered.matrix)
        total = sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes for m in matrices)
        total += self.popularity.nbytes + (self.dense.nbytes if self.dense is not None else 0)
        return int(total)


def build_index(
    profiles: Sequence[OrgProfile],
    projects: Mapping[int, ProjectInfo],
    *,
    dense: np.ndarray | None = None,
) -> MatchIndex:
    """Index ``profiles`` (ids unique) with the ``projects`` they name.

    An organisation's words are those of its own text and of every project it took part in
    (each project's words are counted once, then summed through the participations).
    ``dense``, when given, holds one unit-length vector per profile, in the same order. Raises
    ValueError for repeated ids or a dense matrix of the wrong height. Pure.
    """
    rows = {profile.id: row for row, profile in enumerate(profiles)}
    if len(rows) != len(profiles):
        raise ValueError("profile ids must be unique")
    if dense is not None and dense.shape[0] != len(profiles):
        raise ValueError(f"dense vectors: {dense.shape[0]} rows for {len(profiles)} profiles")
    counts, vocabulary = word_counts(profiles, projects)
    text = tf_idf(counts, vocabulary)
    participations = [len(profile.projects) for profile in profiles]
    totals = np.array(participations, dtype=np.float32)
    peak = float(np.log1p(totals.max())) if len(profiles) and totals.max() > 0 else 1.0
    return MatchIndex(
        profiles=tuple(profiles),
        rows=rows,
        vocabulary=vocabulary,
        text=text,
        text_by_term=text.tocsc(),
        graph=coparticipation_graph(profiles),
        popularity=(np.log1p(totals) / peak).astype(np.float32),
        offered=incidence([[t.key for t in p.offered] for p in profiles]),
        needed=incidence([[t.key for t in p.needed] for p in profiles]),
        ecosystems=incidence([list(p.ecosystems) for p in profiles]),
        countries=incidence([[p.country] for p in profiles]),
        regions=incidence([[nuts2] if (nuts2 := nuts2_of(p.nuts)) else [] for p in profiles]),
        kinds=np.array([kind_of(p) for p in profiles], dtype=np.int8),
        projects=dict(projects),
        acronyms=frozenset(
            word for project in projects.values() for word in words_of(project.acronym)
        ),
        dense=dense,
    )


def nuts2_of(nuts: str | None) -> str | None:
    """The NUTS-2 code a NUTS-2 or NUTS-3 code lies in (``PL823`` → ``PL82``), else None."""
    return nuts[:NUTS2_LENGTH] if nuts and len(nuts) >= NUTS2_LENGTH else None


def word_counts(
    profiles: Sequence[OrgProfile], projects: Mapping[int, ProjectInfo]
) -> tuple[sp.csr_matrix, Vocabulary]:
    """Each profile's word counts (own text plus its projects' texts) and the vocabulary."""
    numbers = sorted(projects)
    project_bags = [count_words(projects[number].text) for number in numbers]
    own_bags = [count_words(profile.text) for profile in profiles]
    terms = vocabulary_of([*project_bags, *own_bags])
    columns = {term: column for column, term in enumerate(terms)}
    position = {number: column for column, number in enumerate(numbers)}
    taking_part = incidence_matrix(
        [[position[n] for n in p.projects if n in position] for p in profiles], len(numbers)
    )
    counts = count_matrix(own_bags, columns) + taking_part @ count_matrix(project_bags, columns)
    counts = sp.csr_matrix(counts, dtype=np.float32)
    counts.sort_indices()
    return counts, build_vocabulary(terms, counts)


def incidence_matrix(columns_per_row: Sequence[Sequence[int]], width: int) -> sp.csr_matrix:
    """A 0/1 matrix with ``columns_per_row[i]`` set in row ``i``."""
    indptr = np.zeros(len(columns_per_row) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(set(columns)) for columns in columns_per_row])
    indices = np.array(
        [c for columns in columns_per_row for c in sorted(set(columns))], dtype=np.int32
    )
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(columns_per_row), width))


def coparticipation_graph(profiles: Sequence[OrgProfile]) -> sp.csr_matrix:
    """``graph[i, j]``: how many projects profiles ``i`` and ``j`` took part in together."""
    columns: dict[int, int] = {}
    per_row = [[columns.setdefault(n, len(columns)) for n in p.projects] for p in profiles]
    taking_part = incidence_matrix(per_row, len(columns))
    graph = (taking_part @ taking_part.T).tocsr()
    graph.setdiag(0)
    graph.eliminate_zeros()
    return sp.csr_matrix(graph, dtype=np.float32)


def incidence(keys_per_row: Sequence[Sequence[str]]) -> Incidence:
    """The 0/1 matrix of which row has which key."""
    keys = tuple(sorted({key for row in keys_per_row for key in row}))
    columns = {key: column for column, key in enumerate(keys)}
    matrix = incidence_matrix([[columns[key] for key in row] for row in keys_per_row], len(keys))
    return Incidence(keys, columns, matrix)
