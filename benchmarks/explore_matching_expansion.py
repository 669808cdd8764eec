"""Pseudo-relevance feedback on the idea's words (Rocchio), on the validation split only.

ADR 0023, revision ``expansion``: the 2023 questions of ``bench_matching`` (registry as of
2023-01-01, consortia of projects started in 2023; the test period, 2024 on, is never read).
The idea's TF-IDF vector ``q`` (``score.vectorise``) is expanded with the ``N`` past projects
nearest to it (``QueryVectors.projects``, the cosines the engine computes anyway):

    q' = normalise(q + r * c),  c = sum_j w_j p_j / sum_j w_j

where ``p_j`` is project ``j``'s TF-IDF row over the organisations' vocabulary (unit length,
as the idea's), ``w_j`` its squared cosine with the idea (``cos2``) or 1 (``flat``), ``c``
kept to its ``T`` heaviest words, and ``r`` the weight of the expansion (beta / alpha). The
expanded idea signal is the cosine of ``q'`` with each organisation's text (``idea`` uses
``q``). Ordering by it within one question is ordering by ``idea + r * (text . c)``, so each
``(N, T, w)`` needs one product per question and every ``r`` is free.

Two more sources of feedback: the members' own past projects nearest to the idea
(``members``, the consortium's words about the idea); and the idea expanded over the
projects' words (``project_idf``), whose cosine with each past project then makes the
ranker's project features (best project, votes of the 100 and 500 nearest, similar projects,
topic walk, topic collaborations) instead of, or besides, the shipped ones.

Measured, 2-fold by project as ``fit_matching_kind_rankers.py`` does (the engine unchanged):

1. recall@20 (and recall@100, recall@300, median rank) of the idea signal alone, ``q``
   against ``q'``, among all the candidates the question allows: new SME partners (``new``,
   kind sme, new only, 532 questions) and a member of any type hidden asked for its type
   (``kind``, 1,516), with the CPU time of the expansion per question;
2. for the best expansions, the expanded similarity (alone, with its value relative to the
   best candidate's, or the centroid's cosine) added to the shipped features of the
   conditional logit (``new`` and ``kind`` rankers), against the shipped features in the same
   folds, and the questions the best of each side finds in its first 20 and the other not.

Run: ``.venv/bin/pip install scikit-learn``, then ``OMP_NUM_THREADS=1 nice -n 15
.venv/bin/python benchmarks/explore_matching_expansion.py --cache /tmp/expansion.pkl``
(about six minutes on 2 cores the first time; the cache keeps the features).
"""

import argparse
import itertools
import pickle
import sys
import time
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from bench_matching import Case, load_protocols, rank_of
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.rerank import (
    RERANKED,
    Question,
    _project_features,
    candidate_features,
    candidate_rows,
    topic_walk,
)
from clusterbridge.engines.matching.score import (
    DEFAULT_WEIGHTS,
    QueryVectors,
    _project_signals,
    blocked_rows,
    score_rows,
    vectorise,
    weights_for,
)
from clusterbridge.engines.matching.text import count_matrix, count_words, tf_idf, weigh_with
from clusterbridge.services.registry.cordis import shipped_cordis_folder
from explore_matching_features import SPLIT, UNTIL, fit, logs, rank, recall
from explore_matching_features import Item as FeatureItem
from fit_matching_kind_rankers import FEATURES, asked

#: Past projects nearest to the idea that expand it.
NEAREST = (5, 10, 20)
#: Expansion words kept (the centroid's heaviest; 0: all).
KEPT = (50, 200, 0)
#: How each project counts in the centroid.
WEIGHING = ("cos2", "flat")
#: Weight of the expansion against the idea's own vector (beta / alpha).
RATIOS = (0.3, 0.5, 1.0)
#: Expansions of the idea's vector over the projects' words (``project_idf``), whose cosine
#: with each past project then makes the project features of the ranker (best project, votes,
#: similar projects, topic walk, topic collaborations): (N, T, weighing, r).
PROJECT_VARIANTS = (
    (10, 200, "cos2", 0.5),
    (10, 0, "cos2", 1.0),
    (20, 0, "cos2", 0.5),
    (20, 0, "cos2", 1.0),
)
#: The ranker's features made of the idea's cosine with past projects.
PROJECT_FEATURES = (
    "best_project",
    "votes_100",
    "votes_500",
    "similar_projects",
    "similar_projects_relative",
    "topic_walk",
    "topic_collaborations",
)
#: Expansions with the members' own past projects nearest to the idea: (N, T, weighing).
MEMBER_VARIANTS = ((5, 0, "cos2"), (20, 0, "cos2"))
STRENGTHS = (0.3, 1.0, 3.0)
SEED = 20230101

Variant = tuple[int, int, str]


@dataclass
class Item:
    """One question: the shipped features of its candidates, the hidden member's place
    among them (-1 when not one), its fold; per expansion (a name) the organisations' cosine
    with the centroid at the candidates, and the numbers that normalise ``q + r c``; the
    project features with an expanded idea; and the hidden member's rank among all allowed
    rows by the idea alone and by each expansion."""

    matrix: np.ndarray
    hit: int
    fold: int
    idea: np.ndarray
    centroid: dict[str, np.ndarray] = field(default_factory=dict)
    overlap: dict[str, float] = field(default_factory=dict)
    length: dict[str, float] = field(default_factory=dict)
    projected: dict[str, np.ndarray] = field(default_factory=dict)
    ranks: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def name_of(variant: Variant, source: str = "nearest") -> str:
    count, kept, weighing = variant
    return f"{source} N {count:>2} T {kept or 'all':>3} {weighing}"


def centroid_of(projects: sp.csr_matrix, similarity: np.ndarray, variant: Variant) -> sp.csr_matrix:
    """The expansion ``c`` of one question (a 1-row matrix over the vocabulary): the
    ``variant``'s projects of positive ``similarity`` nearest to the idea."""
    count, kept, weighing = variant
    top = np.argpartition(-similarity, count)[:count] if len(similarity) > count else None
    chosen = np.arange(len(similarity)) if top is None else top
    chosen = chosen[similarity[chosen] > 0]
    if not len(chosen):
        return sp.csr_matrix((1, projects.shape[1]), dtype=np.float32)
    weights = similarity[chosen].astype(np.float64) ** 2 if weighing == "cos2" else None
    weights = np.ones(len(chosen)) if weights is None else weights
    summed = sp.csr_matrix(weights[None, :] / weights.sum()) @ projects[chosen]
    summed = sp.csr_matrix(summed, dtype=np.float32)
    if kept and summed.nnz > kept:
        cut = np.argpartition(-summed.data, kept)[kept:]
        summed.data[cut] = 0.0
        summed.eliminate_zeros()
    return summed


def similarity_to(index: MatchIndex, vector: sp.csr_matrix) -> np.ndarray:
    """Each organisation's text against ``vector`` (a dot product, as ``score``)."""
    if vector.nnz == 0:
        return np.zeros(index.size, dtype=np.float32)
    columns = index.text_by_term[:, vector.indices]
    return np.asarray(columns @ vector.data, dtype=np.float32).ravel()


@dataclass(frozen=True)
class Spaces:
    """The past projects' TF-IDF rows over the organisations' vocabulary (as the idea's
    ``q``) and over the projects' (``project_idf``, as ``project_similarity`` reads them)."""

    organisations: sp.csr_matrix
    projects: sp.csr_matrix


def expand(
    index: MatchIndex,
    item: Item,
    key: str,
    centroid: sp.csr_matrix,
    *,
    idea: sp.csr_matrix,
    rows: np.ndarray,
) -> np.ndarray:
    """Keeps the centroid's cosine with each candidate and its overlap with the idea under
    ``key``; returns it for every row."""
    values = similarity_to(index, centroid).astype(np.float64)
    item.overlap[key] = float(idea.multiply(centroid).sum())
    item.length[key] = float(centroid.multiply(centroid).sum())
    item.centroid[key] = values[rows].astype(np.float32)
    return values


def projected(
    index: MatchIndex,
    *,
    spaces: Spaces,
    vectors: QueryVectors,
    idea: sp.csr_matrix,
    rows: np.ndarray,
    variant: tuple[int, int, str, float],
) -> dict[str, np.ndarray]:
    """The project features of the candidates with the idea expanded over the projects'
    words: the cosine of ``normalise(q_p + r c_p)`` with each past project (``idea`` is
    ``q_p``, the idea weighed with ``project_idf``)."""
    count, kept, weighing, ratio = variant
    similarity = vectors.projects.astype(np.float64)
    if not similarity.any():
        return {name: np.zeros(len(rows), dtype=np.float32) for name in PROJECT_FEATURES}
    centroid = centroid_of(spaces.projects, similarity, (count, kept, weighing))
    # The expanded cosines are (q_p . p_j + r c_p . p_j) / |q_p + r c_p|.
    by_term = index.project_text_by_term
    extra = np.asarray(by_term[:, centroid.indices] @ centroid.data).ravel()
    overlap = float(idea.multiply(centroid).sum())
    length = float(centroid.multiply(centroid).sum())
    cosines = (similarity + ratio * extra) / np.sqrt(1 + 2 * ratio * overlap + ratio**2 * length)
    swapped = replace(vectors, projects=cosines.astype(np.float32))
    project_signals = _project_signals(index, swapped)
    found = {
        **_project_features(index, swapped.projects, rows),
        "similar_projects": project_signals["similar_projects"][rows],
        "topic_collaborations": project_signals["topic_collaborations"][rows],
        "topic_walk": topic_walk(index, project_signals["similar_projects"], rows),
    }
    values = found["similar_projects"]
    found["similar_projects_relative"] = values / np.float32(float(values.max(initial=0.0)) or 1.0)
    return {name: np.asarray(found[name], dtype=np.float32) for name in PROJECT_FEATURES}


def collect(index: MatchIndex, spaces: Spaces, cases: list[Case]) -> list[Item]:
    """Features, ranks and expansions of each case, as the engine takes the candidates
    (``weights_for`` the question, ``blocked_rows``)."""
    found = []
    rng = np.random.default_rng(SEED)
    for number, case in enumerate(cases):
        query = case.query
        vectors: QueryVectors = vectorise(index, query, dense=None)
        weights = weights_for(vectors, new_only=True) if query.new_only else DEFAULT_WEIGHTS
        scores, signals = score_rows(index, vectors, query, weights)
        blocked = blocked_rows(index, query, vectors)
        rows = candidate_rows(np.where(blocked, -np.inf, scores.astype(np.float64)), RERANKED)
        question = Question(vectors.members, query, vectors.projects)
        matrix = candidate_features(index, question, signals, rows, names=FEATURES)
        hidden = index.rows[case.hidden]
        hits = np.flatnonzero(rows == hidden)
        idea = signals["idea"].astype(np.float64)
        item = Item(
            matrix.astype(np.float32),
            int(hits[0]) if len(hits) else -1,
            zlib.crc32(query.idea.encode()) % 2,
            idea[rows].astype(np.float32),
        )
        item.ranks["idea"] = rank_of(idea, hidden, blocked, rng)
        similarity = vectors.projects.astype(np.float64)
        members = list(vectors.members)
        theirs = (
            np.asarray(index.participants[members].sum(axis=0)).ravel() > 0
            if members
            else np.zeros(len(similarity), dtype=bool)
        )
        sources = [(name_of(v), v, similarity) for v in itertools.product(NEAREST, KEPT, WEIGHING)]
        sources += [
            (name_of(v, "members"), v, np.where(theirs, similarity, 0.0)) for v in MEMBER_VARIANTS
        ]
        for key, variant, chosen_from in sources:
            start = time.process_time()
            centroid = centroid_of(spaces.organisations, chosen_from, variant)
            values = expand(index, item, key, centroid, idea=vectors.idea, rows=rows)
            item.seconds[key] = time.process_time() - start
            for ratio in RATIOS:
                item.ranks[f"{key} r {ratio}"] = rank_of(
                    idea + ratio * values, hidden, blocked, rng
                )
        weighed = weigh_with(
            count_matrix([count_words(query.idea)], index.vocabulary.columns), index.project_idf
        )
        for variant in PROJECT_VARIANTS:
            start = time.process_time()
            features = projected(
                index, spaces=spaces, vectors=vectors, idea=weighed, rows=rows, variant=variant
            )
            for name, values in features.items():
                item.projected[f"{name}@{variant}"] = values
            item.seconds[f"projects {variant}"] = time.process_time() - start
        found.append(item)
        if number % 100 == 0:
            print(f"    {number} / {len(cases)}", flush=True)
    return found


def prepared(cache: Path | None) -> dict[str, list[Item]]:
    """Per question (``new``, ``kind``)."""
    if cache is not None and cache.exists():
        with cache.open("rb") as stream:
            return pickle.load(stream)  # type: ignore[no-any-return] # noqa: S301 (our own cache file)
    index, protocols = load_protocols(
        shipped_cordis_folder(), SPLIT, UNTIL, protocols=("any", "new")
    )
    print("  index built", flush=True)
    spaces = Spaces(
        tf_idf(index.project_counts, index.vocabulary),
        sp.csr_matrix(index.project_text_by_term),
    )
    kinded = [asked(index, case, "kind") for case in protocols["any"]]
    data = {
        "new": collect(index, spaces, protocols["new"]),
        "kind": collect(index, spaces, [c for c in kinded if c.query.kind is not None]),
    }
    if cache is not None:
        with cache.open("wb") as stream:
            pickle.dump(data, stream)
    return data


def as_features(
    items: list[Item], key: str | None = None, ratio: float = 0.0, swapped: str | None = None
) -> list[FeatureItem]:
    """The items as ``explore_matching_features`` fits them: with ``key``, the expanded
    similarity (``q + ratio c``), its value relative to the best candidate's and the
    centroid's as extra features; with ``swapped`` (a ``PROJECT_VARIANTS`` entry as text),
    the project features computed from the expanded idea instead of the shipped ones, and
    the same as extra features (``+name``)."""
    found = []
    for item in items:
        extra: dict[str, np.ndarray] = {}
        matrix = item.matrix
        if key is not None:
            squared = 1.0 + 2 * ratio * item.overlap[key] + ratio**2 * item.length[key]
            values = (item.idea + ratio * item.centroid[key]) / np.sqrt(squared)
            peak = float(values.max()) if len(values) else 0.0
            extra = {
                "expanded": values.astype(np.float32),
                "expanded_relative": (values / (peak or 1.0)).astype(np.float32),
                "centroid": item.centroid[key],
            }
        if swapped is not None:
            matrix = matrix.copy()
            for name in PROJECT_FEATURES:
                values = item.projected[f"{name}@{swapped}"]
                matrix[:, FEATURES.index(name)] = values
                extra[f"+{name}"] = values
        found.append(FeatureItem(matrix, extra, item.hit, [], item.fold))
    return found


def cross_validated(items: list[FeatureItem], names: tuple[str, ...], strength: float) -> list[int]:
    """The hidden member's rank per question by the conditional logit on the shipped
    features plus ``names``, each fold's questions ranked by a model fitted on the other's."""
    found = [0] * len(items)
    for held in (0, 1):
        weights = fit([i for i in items if i.fold != held], names, strength)
        for number, item in enumerate(items):
            if item.fold == held:
                found[number] = rank(item, logs(item, names) @ weights)
    return found


class Rankers:
    """Ranker figures of one question, the best (per question ranks) kept for a paired
    comparison with the shipped features."""

    def __init__(self) -> None:
        self.best: dict[str, tuple[float, list[int]]] = {}
        self.chosen = ""

    def figures(self, label: str, items: list[FeatureItem], names: tuple[str, ...]) -> str:
        cells = []
        for strength in STRENGTHS:
            ranks = cross_validated(items, names, strength)
            value = recall(ranks)
            side = "shipped" if label == "shipped" else "tried"
            if value > self.best.get(side, (-1.0, []))[0]:
                self.best[side] = (value, ranks)
                if side == "tried":
                    self.chosen = f"{label}, L2 {strength}"
            cells.append(f"{value:.3f}")
        return " / ".join(cells)

    def paired(self) -> str:
        """How many questions the best tried ranker finds in its first 20 and the best
        shipped one does not, and the other way round."""
        tried = np.array(self.best["tried"][1]) <= 20
        shipped = np.array(self.best["shipped"][1]) <= 20
        return (
            f"best tried ({self.chosen}) {self.best['tried'][0]:.3f} against the shipped "
            f"features' best {self.best['shipped'][0]:.3f}: found in the first 20 by it only "
            f"{int(np.sum(tried & ~shipped))}, by the shipped features only "
            f"{int(np.sum(shipped & ~tried))}"
        )


def alone(items: list[Item], key: str) -> str:
    """recall@20 (recall@100, recall@300, median rank) of one ranking of all allowed rows."""
    found = np.array([i.ranks[key] for i in items])
    return (
        f"{np.mean(found <= 20):.3f} ({np.mean(found <= 100):.3f}, {np.mean(found <= 300):.3f}, "
        f"{np.median(found):.0f})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--best", type=int, default=2, help="expansions fed to the rankers")
    args = parser.parse_args()
    data = prepared(args.cache)
    keys = list(data["new"][0].centroid)
    for question in ("new", "kind"):
        items = data[question]
        print(
            f"\n[{question}] {len(items)} questions of 2023: the idea signal alone among all "
            f"allowed rows, recall@20 (recall@100, recall@300, median rank)"
        )
        print(f"  TF-IDF on the idea: {alone(items, 'idea')}")
        table = {}
        for key in keys:
            cells = []
            for ratio in RATIOS:
                table[(key, ratio)] = recall([i.ranks[f"{key} r {ratio}"] for i in items])
                cells.append(f"r {ratio}: {alone(items, f'{key} r {ratio}')}")
            cpu = np.percentile([i.seconds[key] for i in items], 95) * 1000
            print(f"  {key}: {'; '.join(cells)}  [CPU p95 {cpu:.1f} ms]")
        print("  learned ranker (conditional logit), L2 0.3 / 1 / 3, recall@20, 2 folds:")
        rankers = Rankers()
        print(f"    shipped features: {rankers.figures('shipped', as_features(items), ())}")
        nearest = [cell for cell in table if cell[0].startswith("nearest")]
        chosen = sorted(nearest, key=lambda cell: -table[cell])[: args.best]
        chosen += [
            max((c for c in table if c[0] == name_of(v, "members")), key=lambda c: table[c])
            for v in MEMBER_VARIANTS
        ]
        for key, ratio in chosen:
            with_it = as_features(items, key, ratio)
            for names in (("expanded",), ("expanded", "expanded_relative"), ("centroid",)):
                label = f"+ {'+'.join(names)} of {key} r {ratio}"
                print(f"    {label}: {rankers.figures(label, with_it, names)}", flush=True)
        for variant in PROJECT_VARIANTS:
            cpu = np.percentile([i.seconds[f"projects {variant}"] for i in items], 95) * 1000
            label = f"project features from the idea expanded over projects {variant}"
            instead = rankers.figures(
                f"{label} instead", as_features(items, swapped=str(variant)), ()
            )
            added = tuple(f"+{n}" for n in PROJECT_FEATURES)
            besides = rankers.figures(f"{label} besides", _besides(items, str(variant)), added)
            print(
                f"    {label} [CPU p95 {cpu:.1f} ms]: instead {instead}; besides {besides}",
                flush=True,
            )
        print(f"  {rankers.paired()}")
    return 0


def _besides(items: list[Item], swapped: str) -> list[FeatureItem]:
    """The shipped features with the expanded project features as extra ones."""
    return [
        FeatureItem(
            item.matrix,
            {f"+{n}": item.projected[f"{n}@{swapped}"] for n in PROJECT_FEATURES},
            item.hit,
            [],
            item.fold,
        )
        for item in items
    ]


if __name__ == "__main__":
    sys.exit(main())
