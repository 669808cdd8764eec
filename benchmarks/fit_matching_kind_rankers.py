"""Fit the rankers per kind of question (``rankers/kind.json``, ``rankers/new.json``), on data before the test period.

Issue 14: a ranker fitted for one kind of question is used for that kind only. Two rankers:

- ``kind``: the question names the kind of partner sought (``MatchQuery.kind``), so every
  candidate is of that kind (``score.blocked_rows``) and the ranker cannot favour another type
  of organisation; it never reads the candidate's type.
- ``new``: new partners only (``new_only``; the benchmark asks ``--kind sme --new-only``).

Data (the benchmark's test period, projects started from 2024 on, is never read): the
registry as of 2023-01-01 and the consortia of projects started in 2023 (``bench_matching``'s
validation split). ``kind`` learns from every such consortium with one member of any type
hidden, asked for the hidden member's own type; ``new`` from those whose hidden member is an
SME that never worked with any other member, asked with kind ``sme`` and new partners only.
For each question the engine itself computes the weighted score (``weights_for`` the question),
leaves out what the question does not allow, takes the ``RERANKED`` best candidates and their
features (``rerank.candidate_features``). The learners of ``GRID`` (conditional logistic
regressions, gradient-boosted trees and logistic regressions from scikit-learn, used here only)
learn the hidden member against the other candidates.

The learner and its settings are chosen by a 2-fold cross-validation by project on these 2023
questions (``--ablation`` also prints what each feature group contributes); a ranker is written
only when it beats the weighted score there, fitted on all the questions, as plain numbers
(``rerank.ranker_from`` reads them). The benchmark then measures it once on the test period.
Run: ``.venv/bin/pip install scikit-learn`` (not a dependency), then ``OMP_NUM_THREADS=1
.venv/bin/python benchmarks/fit_matching_kind_rankers.py [--ablation] [--dry-run]
[--features-cache /tmp/features]`` (a few minutes on 2 cores).
"""

import argparse
import dataclasses
import json
import sys
import zlib
from datetime import date
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression

from bench_matching import Case, load_protocols, metrics, rank_of
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.rerank import (
    EXTRA_FEATURES,
    RERANKED,
    SCORE_SIGNALS,
    Linear,
    Question,
    Ranker,
    candidate_features,
    candidate_rows,
    ranker_from,
    trees_from,
)
from clusterbridge.engines.matching.score import (
    DEFAULT_WEIGHTS,
    blocked_rows,
    score_rows,
    vectorise,
    weights_for,
)
from clusterbridge.services.registry.cordis import shipped_cordis_folder
from fit_matching_ranker import check_export, export

RANKERS = Path(__file__).resolve().parents[1] / "src/clusterbridge/engines/matching/rankers"
FOLDS = 2
SEED = 20230101
#: Every feature the rankers may read: the fitted signals, the members' words, and the
#: candidate features of ``rerank``. (The kind asked, as one indicator per type, was tried
#: as input: it is the same for every candidate of a question, so a conditional logistic
#: regression cannot use it; rankers fitted per type of organisation did not gain either.)
FEATURES = (*SCORE_SIGNALS, "members_text", *EXTRA_FEATURES)
#: Feature groups for the ablation (each dropped in turn).
GROUPS = {
    "idea text": ("idea", "best_project", "idea_relative"),
    "members' text": ("members_text",),
    "similar projects": (
        "similar_projects",
        "topic_collaborations",
        "votes_100",
        "votes_500",
        "similar_projects_relative",
        "topic_walk",
    ),
    "network": ("coparticipation", "partners_of_partners", "distinct_members", "member_walk"),
    "activity": ("popularity", "projects"),
    "place": ("same_country", "same_region", "same_nuts3"),
    "consortium size": ("consortium_size",),
}
#: Hyperparameters tried: conditional logistic regressions (a softmax over each question's
#: candidates, L2 strength), trees (number, learning rate, depth, smallest leaf), and logistic
#: regressions of each candidate alone (inverse L2 strength ``C``); the logistic ones over the
#: features in logs (``rerank.Linear``).
GRID: tuple[tuple[object, ...], ...] = (
    ("conditional", 0.1),
    ("conditional", 1.0),
    ("conditional", 10.0),
    ("trees", 200, 0.05, 3, 100),
    ("logistic", 0.01),
    ("logistic", 0.1),
    ("logistic", 1.0),
    ("trees", 200, 0.05, 4, 100),
    ("trees", 300, 0.05, 3, 50),
)
#: A standard deviation below this is a constant column.
CONSTANT = 1e-6
#: Settings tried without ``--grid``.
QUICK_GRID = 7

Data = list[tuple[np.ndarray, int]]


def asked(index: MatchIndex, case: Case, question: str) -> Case:
    """The case as the ranker ``question`` sees it: for ``kind`` asked for the hidden member's
    own type (as the benchmark's ``+kind`` questions)."""
    if question == "new":
        return case
    kind = index.profiles[index.rows[case.hidden]].type
    query = dataclasses.replace(case.query, kind=kind.value if kind else None)
    return Case(case.hidden, query)


def candidates(index: MatchIndex, cases: list[Case]) -> tuple[Data, dict[str, list[int]]]:
    """Per case the features of the weighted score's best allowed candidates and the hidden
    member's position among them (-1 when not there); and the ranks of the TF-IDF and
    co-participation baselines among all allowed rows."""
    found: Data = []
    baselines: dict[str, list[int]] = {"tfidf": [], "coparticipation": [], "weighted": []}
    rng = np.random.default_rng(SEED)
    for case in cases:
        query = case.query
        vectors = vectorise(index, query, dense=None)
        weights = weights_for(vectors, new_only=True) if query.new_only else DEFAULT_WEIGHTS
        scores, signals = score_rows(index, vectors, query, weights)
        blocked = blocked_rows(index, query, vectors)
        hidden = index.rows[case.hidden]
        open_scores = np.where(blocked, -np.inf, scores.astype(np.float64))
        rows = candidate_rows(open_scores, RERANKED)
        question = Question(vectors.members, query, vectors.projects)
        matrix = candidate_features(index, question, signals, rows, names=FEATURES)
        hits = np.flatnonzero(rows == hidden)
        found.append((matrix.astype(np.float32), int(hits[0]) if len(hits) else -1))
        coparticipation = (
            signals["coparticipation"]
            + 0.01 * signals["partners_of_partners"]
            + 0.0001 * signals["popularity"]
        )
        for name, values in (
            ("tfidf", signals["idea"]),
            ("coparticipation", coparticipation),
            ("weighted", scores),
        ):
            baselines[name].append(rank_of(values, hidden, blocked, rng))
    return found, baselines


def fit(
    data: Data, columns: list[int], grid: tuple[object, ...]
) -> tuple[Ranker, dict[str, object]]:
    """The ranker (trees or logistic, ``grid``) of hidden member against the other
    candidates, on ``columns`` of ``FEATURES``, as the engine reads it and as JSON."""
    names = tuple(FEATURES[c] for c in columns)
    matrix = np.concatenate([m[:, columns] for m, _hit in data]).astype(np.float64)
    labels = np.concatenate([np.arange(len(m)) == hit for m, hit in data]).astype(np.int8)
    if grid[0] == "conditional":
        return conditional(data, columns, float(grid[1]))  # type: ignore[arg-type]
    if grid[0] == "logistic":
        spread = np.log1p(Linear.SCALE * np.maximum(matrix, 0.0))
        mean, deviation = spread.mean(axis=0), spread.std(axis=0)
        # A column constant in these questions (the kind asked, in ``new``) has no weight.
        constant = deviation < CONSTANT
        mean[constant], deviation[constant] = 0.0, 1.0
        spread[:, constant] = 0.0
        model = LogisticRegression(C=float(grid[1]), max_iter=5000)  # type: ignore[arg-type]
        model.fit((spread - mean) / deviation, labels)
        weights = np.where(constant, 0.0, model.coef_[0] / deviation)
        intercept = float(model.intercept_[0] - weights @ mean)
        exported: dict[str, object] = {
            "model": "logistic",
            "features": list(names),
            "weights": weights.tolist(),
            "intercept": intercept,
        }
        return ranker_from(exported), exported
    _kind, trees, rate, depth, leaf = grid
    classifier = HistGradientBoostingClassifier(
        max_iter=trees,
        learning_rate=rate,
        max_depth=depth,
        min_samples_leaf=leaf,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=0,
    )
    classifier.fit(matrix, labels)
    exported = export(classifier, names)
    found = trees_from(exported)
    check_export(found, classifier, [(m[:, columns], hit) for m, hit in data])
    return found, exported


def conditional(
    data: Data, columns: list[int], strength: float
) -> tuple[Ranker, dict[str, object]]:
    """A conditional logistic regression: the chance of the hidden member among its question's
    candidates is the softmax of their scores; fitted on the questions whose hidden member is
    a candidate, L2 ``strength`` on the standardised logs of the features."""
    names = tuple(FEATURES[c] for c in columns)
    found = [
        (np.log1p(Linear.SCALE * np.maximum(m[:, columns].astype(np.float64), 0.0)), hit)
        for m, hit in data
        if hit >= 0
    ]
    stacked = np.concatenate([m for m, _hit in found])
    mean, deviation = stacked.mean(axis=0), stacked.std(axis=0)
    constant = deviation < CONSTANT
    mean[constant], deviation[constant] = 0.0, 1.0
    matrix = (stacked - mean) / deviation
    matrix[:, constant] = 0.0
    bounds = np.cumsum([0] + [len(m) for m, _hit in found])
    hits = np.array([start + hit for start, (_m, hit) in zip(bounds[:-1], found, strict=True)])
    starts = bounds[:-1]

    def loss(weights: np.ndarray) -> tuple[float, np.ndarray]:
        scores = matrix @ weights
        peaks = np.maximum.reduceat(scores, starts)
        spread = np.exp(scores - np.repeat(peaks, np.diff(bounds)))
        sums = np.add.reduceat(spread, starts)
        chances = spread / np.repeat(sums, np.diff(bounds))
        value = -(scores[hits].sum() - (peaks + np.log(sums)).sum()) + strength * weights @ weights
        gradient = -matrix[hits].sum(axis=0) + chances @ matrix + 2 * strength * weights
        return float(value), gradient

    fitted = minimize(loss, np.zeros(matrix.shape[1]), jac=True, method="L-BFGS-B").x
    weights = np.where(constant, 0.0, fitted / deviation)
    exported: dict[str, object] = {
        "model": "logistic",
        "features": list(names),
        "weights": weights.tolist(),
        "intercept": float(-weights @ mean),
    }
    return ranker_from(exported), exported


def ranks(data: Data, columns: list[int], model: Ranker | None) -> list[int]:
    """The hidden member's rank per case (by the model among the candidates, by the weighted
    score without one; ``RERANKED + 1`` when not a candidate)."""
    found = []
    for matrix, hit in data:
        if hit < 0:
            found.append(RERANKED + 1)
        elif model is None:
            found.append(hit + 1)
        else:
            scores = model.predict(matrix[:, columns].astype(np.float64))
            # Ties count half against the hidden member (its expected rank among them).
            better = np.count_nonzero(scores > scores[hit])
            ties = np.count_nonzero(scores == scores[hit]) - 1
            found.append(1 + int(better) + ties // 2)
    return found


def cross_validate(
    data: Data, folds: list[int], columns: list[int], grid: tuple[object, ...]
) -> dict[str, float]:
    """The ranker's figures on held-out folds (fitted on the other folds)."""
    found: list[int] = []
    for held in range(FOLDS):
        model, _json = fit(
            [d for d, f in zip(data, folds, strict=True) if f != held], columns, grid
        )
        found += ranks([d for d, f in zip(data, folds, strict=True) if f == held], columns, model)
    return metrics(found)


def fold_of(case: Case) -> int:
    """The case's fold, by its project (the idea's text)."""
    return zlib.crc32(case.query.idea.encode()) % FOLDS


def show(label: str, figures: dict[str, float]) -> None:
    print(
        f"  {label:<34} recall@10 {figures['recall@10']:.3f}  recall@20 "
        f"{figures['recall@20']:.3f}  MRR {figures['mrr']:.3f}",
        flush=True,
    )


def prepared(question: str, cache: Path | None) -> tuple[Data, list[int], dict[str, list[int]]]:
    """The candidates' features, folds and baseline ranks of ``question``'s cases (kept in
    ``cache`` when given, read from it when there)."""
    if cache is not None and cache.exists():
        with np.load(cache) as stored:
            parts = np.split(stored["matrix"], np.cumsum(stored["sizes"])[:-1])
            data = [(part, int(hit)) for part, hit in zip(parts, stored["hits"], strict=True)]
            baselines = {
                name: stored[name].tolist() for name in ("tfidf", "coparticipation", "weighted")
            }
            return data, stored["folds"].tolist(), baselines
    index, protocols = load_protocols(
        shipped_cordis_folder(), date(2023, 1, 1), date(2024, 1, 1), protocols=("any", "new")
    )
    cases = [
        asked(index, case, question) for case in protocols["new" if question == "new" else "any"]
    ]
    cases = [case for case in cases if case.query.kind is not None]
    data, baselines = candidates(index, cases)
    folds = [fold_of(case) for case in cases]
    if cache is not None:
        np.savez(
            cache,
            matrix=np.concatenate([m for m, _hit in data]),
            sizes=np.array([len(m) for m, _hit in data]),
            hits=np.array([hit for _m, hit in data]),
            folds=np.array(folds),
            **{name: np.array(values) for name, values in baselines.items()},
        )
    return data, folds, baselines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--grid", action="store_true", help="try every setting of GRID")
    parser.add_argument("--question", choices=("kind", "new"), action="append")
    parser.add_argument(
        "--features-cache", type=Path, help="keep features in <this>.<question>.npz"
    )
    args = parser.parse_args()
    for question in args.question or ("kind", "new"):
        cache = args.features_cache.with_suffix(f".{question}.npz") if args.features_cache else None
        data, folds, baselines = prepared(question, cache)
        print(f"\n[{question}] {len(data)} questions of 2023", flush=True)
        for name, values in baselines.items():
            show(name, metrics(values))
        everything = list(range(len(FEATURES)))
        tried = {
            grid: cross_validate(data, folds, everything, grid)
            for grid in (GRID if args.grid else GRID[:QUICK_GRID])
        }
        for grid, figures in tried.items():
            show(f"trees {grid}", figures)
        chosen = max(tried, key=lambda grid: tried[grid]["recall@20"])
        plain = metrics(baselines["weighted"])
        print(f"  chosen: {chosen}", flush=True)
        if tried[chosen]["recall@20"] <= plain["recall@20"]:
            print("  no ranker beats the weighted score: none written", flush=True)
            if not args.dry_run:
                (RANKERS / f"{question}.json").unlink(missing_ok=True)
            continue
        if args.ablation:
            for group, names in GROUPS.items():
                kept = [n for n, f in enumerate(FEATURES) if f not in names]
                show(f"without {group}", cross_validate(data, folds, kept, chosen))
        if args.dry_run:
            continue
        _ranker, exported = fit(data, everything, chosen)
        target = RANKERS / f"{question}.json"
        target.write_text(json.dumps(exported, separators=(",", ":")) + "\n", "utf-8")
        print(f"wrote {target} ({chosen})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
