"""Candidate features and learners tried for the matching rankers, on the validation split only.

ADR 0023, revision ``ranker2``: the 2023 questions of ``bench_matching`` (registry as of
2023-01-01, consortia of projects started in 2023; the test period, 2024 on, is never read), the
shipped features (``fit_matching_kind_rankers.FEATURES``) and candidate features the engine does
not compute, each added in turn to the conditional logistic regression the rankers are
(``fit_matching_kind_rankers.conditional``), 2-fold cross-validation by project:

- recency, from the projects' start dates in the CORDIS file (the index keeps none);
- second-order neighbours: the candidate's past partners' countries and idea similarity;
- interactions of shipped features;
- for questions without a kind, the ``kind`` ranker within each organisation type
  (``rerank.held_places``) against the weighted score;
- with ``--lambdamart``, LightGBM's LambdaMART and ``rank_xendcg`` (``pip install lightgbm``).

Run: ``.venv/bin/pip install scikit-learn`` (and ``lightgbm``), then ``OMP_NUM_THREADS=1
.venv/bin/python benchmarks/explore_matching_features.py [--cache /tmp/explore.pkl]`` (about
ten minutes on 2 cores the first time; the cache keeps the features).
"""

import argparse
import dataclasses
import pickle
import sys
import zlib
from datetime import date
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from bench_matching import Case, load_protocols, read, start_of
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.profile import MatchQuery
from clusterbridge.engines.matching.rerank import (
    RERANKED,
    Linear,
    Question,
    _degrees,
    candidate_features,
    candidate_rows,
)
from clusterbridge.engines.matching.score import (
    DEFAULT_WEIGHTS,
    QueryVectors,
    blocked_rows,
    score_rows,
    vectorise,
    weights_for,
)
from clusterbridge.services.registry.cordis import shipped_cordis_folder
from fit_matching_kind_rankers import FEATURES, asked

SPLIT, UNTIL = date(2023, 1, 1), date(2024, 1, 1)
STRENGTHS = (0.3, 1.0, 3.0)
INTERACTIONS = (
    ("idea", "same_country"),
    ("best_project", "same_country"),
    ("idea", "projects"),
    ("votes_100", "same_country"),
    ("idea_relative", "similar_projects_relative"),
    ("idea", "members_text"),
)
GROUPS = {
    "recency": (
        "recency_365", "recency_730", "recent_1y", "recent_2y", "last_project",
        "best_recent", "mean_similarity", "recent_coparticipation",
    ),
    "second order": ("partner_country_share", "partners_idea", "partners_idea_max", "degree"),
    "interactions": tuple(f"{a}*{b}" for a, b in INTERACTIONS),
}  # fmt: skip


@dataclasses.dataclass
class Item:
    """One question: its candidates' shipped features, the extra ones, the hidden member's
    place among them (-1 when not a candidate), their types and the fold."""

    matrix: np.ndarray
    extra: dict[str, np.ndarray]
    hit: int
    types: list[object]
    fold: int


def extras(
    index: MatchIndex,
    ages: np.ndarray,
    *,
    vectors: QueryVectors,
    query: MatchQuery,
    signals: dict[str, np.ndarray],
    rows: np.ndarray,
) -> dict[str, np.ndarray]:
    """The candidate features tried (see the module's doc)."""
    taking_part = index.participants[rows]
    similarity = vectors.projects.astype(np.float64)
    found: dict[str, np.ndarray] = {}
    for half in (365.0, 730.0):
        found[f"recency_{int(half)}"] = taking_part @ np.exp(-ages / half)
    found["recent_1y"] = taking_part @ (ages <= 365).astype(float)
    found["recent_2y"] = taking_part @ (ages <= 730).astype(float)
    found["last_project"] = taking_part.multiply(np.exp(-ages / 365.0)[None, :]).max(axis=1)
    recent_similarity = (similarity * np.exp(-ages / 730.0))[None, :]
    found["best_recent"] = taking_part.multiply(recent_similarity).max(axis=1)
    counts = np.asarray(taking_part.sum(axis=1)).ravel()
    found["mean_similarity"] = (taking_part @ similarity) / np.maximum(counts, 1)
    members = list(vectors.members)
    per_project = (
        np.asarray(index.participants[members].sum(axis=0)).ravel() if members else ages * 0
    )
    found["recent_coparticipation"] = taking_part @ (per_project * np.exp(-ages / 365.0))
    links, degrees = index.links[rows], _degrees(index.links)[rows]
    countries = [index.profiles[m].country for m in members] + [g.country for g in query.guests]
    in_countries = np.asarray(index.countries.matrix @ index.countries.vector(countries)).ravel()
    found["partner_country_share"] = (links @ (in_countries > 0).astype(float)) / degrees
    found["partners_idea"] = (links @ signals["idea"].astype(np.float64)) / degrees
    found["partners_idea_max"] = links.multiply(signals["idea"][None, :]).max(axis=1)
    found["degree"] = degrees
    return {
        name: np.asarray(values.toarray() if hasattr(values, "toarray") else values)
        .ravel()
        .astype(np.float32)
        for name, values in found.items()
    }


def collect(index: MatchIndex, ages: np.ndarray, cases: list[Case]) -> list[Item]:
    """The features of each case's ``RERANKED`` best allowed candidates, as the engine
    takes them (``weights_for`` the question, ``blocked_rows``)."""
    found = []
    for case in cases:
        query = case.query
        vectors = vectorise(index, query, dense=None)
        weights = weights_for(vectors, new_only=True) if query.new_only else DEFAULT_WEIGHTS
        scores, signals = score_rows(index, vectors, query, weights)
        blocked = blocked_rows(index, query, vectors)
        rows = candidate_rows(np.where(blocked, -np.inf, scores.astype(np.float64)), RERANKED)
        question = Question(vectors.members, query, vectors.projects)
        matrix = candidate_features(index, question, signals, rows, names=FEATURES)
        extra = extras(index, ages, vectors=vectors, query=query, signals=signals, rows=rows)
        for a, b in INTERACTIONS:
            extra[f"{a}*{b}"] = matrix[:, FEATURES.index(a)] * matrix[:, FEATURES.index(b)]
        hits = np.flatnonzero(rows == index.rows[case.hidden])
        found.append(
            Item(
                matrix.astype(np.float32),
                extra,
                int(hits[0]) if len(hits) else -1,
                [index.profiles[row].type for row in rows],
                zlib.crc32(query.idea.encode()) % 2,
            )
        )
    return found


def prepared(cache: Path | None) -> dict[str, list[Item]]:
    """Per question (``kind``, ``new``, and ``any`` and ``companies`` without a kind)."""
    if cache is not None and cache.exists():
        with cache.open("rb") as stream:
            return pickle.load(stream)  # noqa: S301 (our own cache file)
    folder = shipped_cordis_folder()
    index, protocols = load_protocols(folder, SPLIT, UNTIL, protocols=("any", "new", "companies"))
    projects = {row["projectID"]: row for row in read(folder, "he_projects.csv.gz")}
    starts = {n: start_of(projects[g]) for n, g in enumerate(sorted(projects), start=1)}
    ages = np.array([(SPLIT - (starts[p] or SPLIT)).days for p in index.project_ids], float)
    kinded = [asked(index, case, "kind") for case in protocols["any"]]
    data = {
        "kind": collect(index, ages, [c for c in kinded if c.query.kind is not None]),
        "new": collect(index, ages, protocols["new"]),
        "any": collect(index, ages, protocols["any"]),
        "companies": collect(index, ages, protocols["companies"]),
    }
    if cache is not None:
        with cache.open("wb") as stream:
            pickle.dump(data, stream)
    return data


def logs(item: Item, names: tuple[str, ...]) -> np.ndarray:
    columns = [item.matrix.astype(np.float64)]
    columns += [item.extra[name][:, None].astype(np.float64) for name in names]
    return np.log1p(Linear.SCALE * np.maximum(np.hstack(columns), 0.0))


def fit(items: list[Item], names: tuple[str, ...], strength: float) -> np.ndarray:
    """The conditional logistic regression's weights over the logs of the features."""
    found = [(logs(item, names), item.hit) for item in items if item.hit >= 0]
    stacked = np.concatenate([m for m, _hit in found])
    mean, deviation = stacked.mean(axis=0), stacked.std(axis=0)
    constant = deviation < 1e-6
    mean[constant], deviation[constant] = 0.0, 1.0
    matrix = (stacked - mean) / deviation
    matrix[:, constant] = 0.0
    bounds = np.cumsum([0] + [len(m) for m, _hit in found])
    starts, sizes = bounds[:-1], np.diff(bounds)
    hits = starts + np.array([hit for _m, hit in found])

    def loss(weights: np.ndarray) -> tuple[float, np.ndarray]:
        scores = matrix @ weights
        peaks = np.maximum.reduceat(scores, starts)
        spread = np.exp(scores - np.repeat(peaks, sizes))
        sums = np.add.reduceat(spread, starts)
        chances = spread / np.repeat(sums, sizes)
        value = -(scores[hits].sum() - (peaks + np.log(sums)).sum()) + strength * weights @ weights
        gradient = -matrix[hits].sum(axis=0) + chances @ matrix + 2 * strength * weights
        return float(value), gradient

    fitted = minimize(loss, np.zeros(matrix.shape[1]), jac=True, method="L-BFGS-B").x
    return np.where(constant, 0.0, fitted / deviation)


def rank(item: Item, scores: np.ndarray) -> int:
    """The hidden member's rank among the candidates (ties count half against it)."""
    if item.hit < 0:
        return RERANKED + 1
    better = np.count_nonzero(scores > scores[item.hit])
    return 1 + int(better) + (int(np.count_nonzero(scores == scores[item.hit])) - 1) // 2


def kept_rank(item: Item, scores: np.ndarray) -> int:
    """The rank with the types kept, as ``rerank.held_places`` with ``keep_types`` orders the candidates."""
    if item.hit < 0:
        return RERANKED + 1
    places = {kind: [n for n, t in enumerate(item.types) if t == kind] for kind in item.types}
    held = places[item.types[item.hit]]
    order = sorted(held, key=lambda n: -scores[n])
    return held[order.index(item.hit)] + 1


def recall(ranks: list[int]) -> float:
    return float(np.mean(np.array(ranks) <= 20))


def cross_validated(
    items: list[Item], names: tuple[str, ...], strength: float, train: list[Item] | None = None
) -> list[int]:
    found = []
    for held in (0, 1):
        weights = fit([i for i in (train or items) if i.fold != held], names, strength)
        found += [rank(i, logs(i, names) @ weights) for i in items if i.fold == held]
    return found


def lambdamart(items: list[Item], names: tuple[str, ...]) -> None:
    import lightgbm  # noqa: PLC0415 (optional, exploration only)

    for objective in ("lambdarank", "rank_xendcg"):
        for leaves, rounds, rate in ((4, 300, 0.05), (7, 200, 0.05), (15, 300, 0.03)):
            parameters = {
                "objective": objective, "num_leaves": leaves, "learning_rate": rate,
                "min_data_in_leaf": 50, "lambdarank_truncation_level": 30, "verbose": -1,
                "num_threads": 1, "feature_fraction": 0.8, "bagging_fraction": 0.8,
                "bagging_freq": 1, "seed": 1,
            }  # fmt: skip
            found = []
            for held in (0, 1):
                train = [i for i in items if i.fold != held and i.hit >= 0]
                labels = np.concatenate([np.arange(len(i.matrix)) == i.hit for i in train])
                dataset = lightgbm.Dataset(
                    np.concatenate([logs(i, names) for i in train]),
                    labels.astype(int),
                    group=[len(i.matrix) for i in train],
                )
                model = lightgbm.train(parameters, dataset, rounds)
                found += [rank(i, model.predict(logs(i, names))) for i in items if i.fold == held]
            print(f"  LambdaMART {objective} {leaves} leaves {rounds} rounds: {recall(found):.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--lambdamart", action="store_true")
    args = parser.parse_args()
    data = prepared(args.cache)
    for question in ("kind", "new"):
        items = data[question]
        print(f"\n[{question}] {len(items)} questions of 2023, recall@20 (2-fold by project)")
        print(
            f"  weighted score: {recall([i.hit + 1 if i.hit >= 0 else 10**6 for i in items]):.3f}"
        )
        for strength in STRENGTHS:
            print(
                f"  shipped features, L2 {strength}: {recall(cross_validated(items, (), strength)):.3f}"
            )
        for group, names in GROUPS.items():
            alone = [f"{recall(cross_validated(items, (n,), 1.0)):.3f}" for n in names]
            together = recall(cross_validated(items, names, 1.0))
            print(f"  + {group}, one at a time: {', '.join(alone)}; together {together:.3f}")
        if args.lambdamart:
            lambdamart(items, ())
    for question in ("any", "companies"):
        items = data[question]
        weighted = recall([i.hit + 1 if i.hit >= 0 else 10**6 for i in items])
        found = []
        for held in (0, 1):
            weights = fit([i for i in data["kind"] if i.fold != held], (), 1.0)
            found += [kept_rank(i, logs(i, ()) @ weights) for i in items if i.fold == held]
        print(
            f"\n[{question}, no kind] weighted score {weighted:.3f}, the kind ranker within "
            f"each type (held_places) {recall(found):.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
