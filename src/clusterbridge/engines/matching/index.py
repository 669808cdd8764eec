"""The registry as matrices: one row per organisation, built once and queried many times.

``build_index`` turns profiles into a TF-IDF text matrix, a co-participation graph (how many
projects two organisations shared), technology and ecosystem incidence matrices, and codes for
the structured fields. Projects get their own TF-IDF matrix (weights from how many projects
have a word) and a participation matrix, so a question can be matched against past projects one
by one. Optional dense vectors (from a sentence-embedding ``Encoder``) are one more matrix.
Everything a question needs is a sparse product or a NumPy operation over rows.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.engines.matching.profile import OrgProfile, ProjectInfo, sme_profile_of
from clusterbridge.engines.matching.text import (
    Vocabulary,
    build_vocabulary,
    count_matrix,
    count_words,
    tf_idf,
    vocabulary_of,
    weigh_with,
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
    sme_profile = sme_profile_of(profile)
    if sme_profile is SmeProfile.TRADITIONAL:
        return TRADITIONAL_SME
    if sme_profile is SmeProfile.TECH_SAVVY:
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
    #: ``ln(1 + n)`` of each organisation's number of projects, over the largest: 0 exactly
    #: for an organisation without projects (``without_projects``).
    popularity: np.ndarray
    offered: Incidence
    needed: Incidence
    ecosystems: Incidence
    countries: Incidence
    regions: Incidence
    kinds: np.ndarray
    #: Each row's organisation type and SME profile (``OrgType`` / ``SmeProfile`` values).
    types: Incidence
    #: Each row's cohesion-policy region category (``RegionCategory`` values).
    categories: Incidence
    projects: Mapping[int, ProjectInfo]
    acronyms: frozenset[str] = frozenset()
    dense: np.ndarray | None = None
    #: The ids of the projects that are columns of ``participants`` and rows of
    #: ``project_text``, in that order.
    project_ids: tuple[int, ...] = ()
    #: ``participants[i, j]``: 1 when organisation ``i`` took part in project ``project_ids[j]``.
    participants: sp.csr_matrix = field(default_factory=lambda: sp.csr_matrix((0, 0)))
    #: Each project's words (TF-IDF with ``project_idf``, rows L2-normalised), term-major.
    project_text_by_term: sp.csc_matrix = field(default_factory=lambda: sp.csc_matrix((0, 0)))
    #: Inverse document frequency of each word over projects (0 for words in no project).
    project_idf: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    #: In how many independent texts each word occurs: projects, and organisations' own texts
    #: that have it when none of their projects does (a CORDIS profile repeats its projects).
    documents: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    #: One bool per word of the vocabulary: in the title or keywords of some project.
    headline: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    #: ``graph`` with every link 1 (float64): who has worked with whom, for random walks.
    links: sp.csr_matrix = field(default_factory=lambda: sp.csr_matrix((0, 0)))
    #: Each organisation's own text as word counts (rows as ``profiles``): what
    #: ``update_index`` keeps for the organisations that did not change.
    own_counts: sp.csr_matrix = field(default_factory=lambda: sp.csr_matrix((0, 0)))
    #: Each project's word counts (rows as ``project_ids``): projects are not read again
    #: when organisations change.
    project_counts: sp.csr_matrix = field(default_factory=lambda: sp.csr_matrix((0, 0)))

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
    _check(profiles, dense)
    return _index_from(profiles, projects, word_counts(profiles, projects), dense)


def update_index(
    index: MatchIndex, profiles: Sequence[OrgProfile], *, dense: np.ndarray | None = None
) -> MatchIndex:
    """The index ``build_index(profiles, index.projects, dense=dense)`` would give, reading
    the words of only the organisations whose text changed or that are new: everyone else's
    word counts, and every project's, are reused from ``index``. ``profiles`` is the whole
    registry as it is now (organisations changed, added or removed; the projects unchanged).
    Raises ValueError as ``build_index``. Pure."""
    _check(profiles, dense)
    words = updated_counts(index, profiles)
    # Title and keyword words are words of projects, which every vocabulary keeps.
    before = index.vocabulary.columns
    headline = np.array(
        [t in before and bool(index.headline[before[t]]) for t in words.vocabulary.terms],
        dtype=bool,
    )
    return _index_from(
        profiles, index.projects, words, dense, headline=headline, acronyms=index.acronyms
    )


def _check(profiles: Sequence[OrgProfile], dense: np.ndarray | None) -> None:
    if len({profile.id for profile in profiles}) != len(profiles):
        raise ValueError("profile ids must be unique")
    if dense is not None and dense.shape[0] != len(profiles):
        raise ValueError(f"dense vectors: {dense.shape[0]} rows for {len(profiles)} profiles")


def _index_from(
    profiles: Sequence[OrgProfile],
    projects: Mapping[int, ProjectInfo],
    words: "WordCounts",
    dense: np.ndarray | None,
    *,
    headline: np.ndarray | None = None,
    acronyms: frozenset[str] | None = None,
) -> MatchIndex:
    counts, vocabulary = words.counts, words.vocabulary
    text = tf_idf(counts, vocabulary)
    participations = [len(profile.projects) for profile in profiles]
    totals = np.array(participations, dtype=np.float32)
    peak = float(np.log1p(totals.max())) if len(profiles) and totals.max() > 0 else 1.0
    graph = coparticipation_graph(profiles)
    return MatchIndex(
        profiles=tuple(profiles),
        rows={profile.id: row for row, profile in enumerate(profiles)},
        vocabulary=vocabulary,
        text=text,
        text_by_term=text.tocsc(),
        graph=graph,
        popularity=(np.log1p(totals) / peak).astype(np.float32),
        offered=incidence([[t.key for t in p.offered] for p in profiles]),
        needed=incidence([[t.key for t in p.needed] for p in profiles]),
        ecosystems=incidence([list(p.ecosystems) for p in profiles]),
        countries=incidence([[p.country] for p in profiles]),
        regions=incidence([[nuts2] if (nuts2 := nuts2_of(p.nuts)) else [] for p in profiles]),
        kinds=np.array([kind_of(p) for p in profiles], dtype=np.int8),
        headline=headline
        if headline is not None
        else headline_words(projects.values(), vocabulary),
        types=incidence([_type_keys(p) for p in profiles]),
        categories=incidence([[p.category.value] if p.category else [] for p in profiles]),
        projects=dict(projects),
        acronyms=acronyms
        if acronyms is not None
        else frozenset(word for project in projects.values() for word in words_of(project.acronym)),
        dense=dense,
        project_ids=words.project_ids,
        participants=words.participants,
        project_text_by_term=weigh_with(words.project_counts, words.project_idf).tocsc(),
        project_idf=words.project_idf,
        documents=words.documents,
        links=links_of(graph),
        own_counts=words.own_counts,
        project_counts=words.project_counts,
    )


def headline_words(projects: Iterable[ProjectInfo], vocabulary: Vocabulary) -> np.ndarray:
    """One bool per word of ``vocabulary``: whether it is in some project's title or
    keywords (what a project says it is about, not how its objective says it)."""
    found = np.zeros(len(vocabulary.terms), dtype=bool)
    for project in projects:
        for word in words_of(f"{project.title} {project.keywords}"):
            column = vocabulary.columns.get(word)
            if column is not None:
                found[column] = True
    return found


def _type_keys(profile: OrgProfile) -> list[str]:
    keys = [profile.type.value] if profile.type else []
    sme_profile = sme_profile_of(profile)
    return keys + ([sme_profile.value] if sme_profile else [])


def rows_with(incidence: Incidence, keys: Sequence[str]) -> np.ndarray:
    """A boolean mask of the rows that have at least one of ``keys``."""
    return np.asarray(incidence.matrix @ incidence.vector(keys)).ravel() > 0


def without_projects(index: MatchIndex) -> np.ndarray:
    """A boolean mask of the rows whose organisation took part in no past project (an
    organisation registered by hand): where ``popularity`` (``ln(1 + projects)`` over the
    largest) is 0, which it is exactly then."""
    return np.asarray(index.popularity == 0)


def nuts2_of(nuts: str | None) -> str | None:
    """The NUTS-2 code a NUTS-2 or NUTS-3 code lies in (``PL823`` → ``PL82``), else None."""
    return nuts[:NUTS2_LENGTH] if nuts and len(nuts) >= NUTS2_LENGTH else None


@dataclass(frozen=True, slots=True)
class WordCounts:
    """The words of a registry: per organisation (own text plus its projects), per project,
    and which organisation took part in which project."""

    counts: sp.csr_matrix
    vocabulary: Vocabulary
    project_ids: tuple[int, ...]
    project_counts: sp.csr_matrix
    participants: sp.csr_matrix
    project_idf: np.ndarray
    documents: np.ndarray
    own_counts: sp.csr_matrix


def word_counts(profiles: Sequence[OrgProfile], projects: Mapping[int, ProjectInfo]) -> WordCounts:
    """Each profile's word counts (own text plus its projects' texts), each project's, the
    vocabulary (IDF over organisations) and the IDF over projects."""
    numbers = sorted(projects)
    project_bags = [count_words(projects[number].text) for number in numbers]
    own_bags = [count_words(profile.text) for profile in profiles]
    terms = vocabulary_of([*project_bags, *own_bags])
    columns = {term: column for column, term in enumerate(terms)}
    own_counts = count_matrix(own_bags, columns)
    project_counts = count_matrix(project_bags, columns)
    return _assembled(profiles, tuple(numbers), terms, own_counts, project_counts)


def updated_counts(index: MatchIndex, profiles: Sequence[OrgProfile]) -> WordCounts:
    """``word_counts(profiles, index.projects)``, counting the words of only the profiles
    whose text differs from ``index``'s (or that it does not have). The vocabulary gains the
    new words and loses those no text has any more, in the same sorted order."""
    before = index.vocabulary.terms
    reused: dict[int, int] = {}
    fresh: dict[int, Counter[str]] = {}
    for row, profile in enumerate(profiles):
        old = index.rows.get(profile.id)
        if old is not None and index.profiles[old].text == profile.text:
            reused[row] = old
        else:
            fresh[row] = count_words(profile.text)
    added = sorted({word for bag in fresh.values() for word in bag} - set(before))
    terms = (*before, *added)
    width = len(terms)
    columns = {term: column for column, term in enumerate(terms)}
    # Rows that changed read an empty row appended to the old counts, then get their new
    # counts scattered in.
    blank = index.own_counts.shape[0]
    padded = sp.vstack([index.own_counts, sp.csr_matrix((1, index.own_counts.shape[1]))])
    kept = sp.csr_matrix(padded, dtype=np.float32)[
        [reused.get(row, blank) for row in range(len(profiles))]
    ]
    kept.resize((len(profiles), width))
    scatter = incidence_matrix([[n] for n in fresh], len(profiles)).T
    own = sp.csr_matrix(kept + scatter @ count_matrix(list(fresh.values()), columns))
    own.sort_indices()
    project_counts = sp.csr_matrix(index.project_counts, dtype=np.float32, copy=True)
    project_counts.resize((project_counts.shape[0], width))
    present = (np.bincount(own.indices, minlength=width) > 0) | (
        np.bincount(project_counts.indices, minlength=width) > 0
    )
    final = tuple(sorted(term for term, there in zip(terms, present, strict=True) if there))
    position = {term: column for column, term in enumerate(final)}
    remap = np.array([position.get(term, -1) for term in terms], dtype=np.int64)
    return _assembled(
        profiles,
        index.project_ids,
        final,
        _remapped(own, remap, len(final)),
        _remapped(project_counts, remap, len(final)),
    )


def _remapped(matrix: sp.csr_matrix, remap: np.ndarray, width: int) -> sp.csr_matrix:
    """``matrix`` with column ``c`` moved to ``remap[c]`` (every stored column kept)."""
    moved = sp.csr_matrix(
        (matrix.data.astype(np.float32), remap[matrix.indices].astype(np.int32), matrix.indptr),
        shape=(matrix.shape[0], width),
    )
    moved.sort_indices()
    return moved


def _assembled(
    profiles: Sequence[OrgProfile],
    numbers: tuple[int, ...],
    terms: tuple[str, ...],
    own_counts: sp.csr_matrix,
    project_counts: sp.csr_matrix,
) -> WordCounts:
    """Everything ``WordCounts`` holds, from the word counts of the organisations' own texts
    and of the projects (columns ``terms``)."""
    position = {number: column for column, number in enumerate(numbers)}
    taking_part = incidence_matrix(
        [[position[n] for n in p.projects if n in position] for p in profiles], len(numbers)
    )
    counts = sp.csr_matrix(own_counts + taking_part @ project_counts, dtype=np.float32)
    counts.sort_indices()
    in_projects = np.bincount(project_counts.indices, minlength=len(terms))
    idf = np.log((len(numbers) + 1) / (in_projects + 1)) + 1.0
    own = sp.csr_matrix(own_counts > 0, dtype=np.float32)
    from_projects = sp.csr_matrix((taking_part @ project_counts) > 0, dtype=np.float32)
    independent = sp.csr_matrix(own - own.multiply(from_projects))
    independent.eliminate_zeros()
    return WordCounts(
        counts=counts,
        vocabulary=build_vocabulary(terms, counts),
        project_ids=numbers,
        project_counts=project_counts,
        participants=taking_part,
        project_idf=np.where(in_projects > 0, idf, 0.0).astype(np.float32),
        documents=(in_projects + np.bincount(independent.indices, minlength=len(terms))).astype(
            np.int32
        ),
        own_counts=own_counts,
    )


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


def links_of(graph: sp.csr_matrix) -> sp.csr_matrix:
    """``graph`` with every stored link set to 1, as float64."""
    linked = sp.csr_matrix(graph, dtype=np.float64, copy=True)
    linked.data[:] = 1.0
    return linked


def incidence(keys_per_row: Sequence[Sequence[str]]) -> Incidence:
    """The 0/1 matrix of which row has which key."""
    keys = tuple(sorted({key for row in keys_per_row for key in row}))
    columns = {key: column for column, key in enumerate(keys)}
    matrix = incidence_matrix([[columns[key] for key in row] for row in keys_per_row], len(keys))
    return Incidence(keys, columns, matrix)
