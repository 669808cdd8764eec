"""Fit the trees that re-rank partner suggestions, on the validation split (how ``rankers/`` were made).

The validation split of ``bench_matching``: the registry as of 2023-01-01 and the consortia of
projects started in 2023, one company or other organisation hidden in each (the benchmark's
test period, 2024 on, is never read). For every case the engine itself computes the weighted
score, takes its ``RERANKED`` best candidates (members excluded) and their features
(``rerank.candidate_features``): these candidates, the hidden member among them when it is
there, are the training rows. A gradient-boosted classifier (scikit-learn, used here only) is
fitted on them; its trees are written as plain numbers to
``src/clusterbridge/engines/matching/rankers/<core|dense>.json`` and checked to give the same
scores through ``rerank.Trees``. Before that, a 2-fold cross-validation (folds by project)
prints the weighted score's and the trees' figures on the held-out half, both for hidden
companies and other organisations (the benchmark's protocol) and for hidden members of any
type (``--hide-any``). ``--train`` chooses the questions the trees learn from: ``companies``
(what is shipped), ``any`` or ``both``.

``--dense`` uses ``DENSE_WEIGHTS`` and the sentence-embedding similarity (the ``embeddings``
extra; vectors cached as in ``bench_matching``). ``--dry-run`` prints without writing. Run:
``.venv/bin/pip install scikit-learn`` (not a dependency), then ``.venv/bin/python
benchmarks/fit_matching_ranker.py --train companies [--dense]`` (about 10
minutes without ``--dense`` on 2 cores).
"""

import argparse
import json
import sys
import zlib
from datetime import date
from pathlib import Path

import numpy as np
from platformdirs import user_cache_path
from sklearn.ensemble import HistGradientBoostingClassifier

from bench_matching import Case, load, metrics, with_dense
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.rerank import (
    EXTRA_FEATURES,
    RERANKED,
    SCORE_SIGNALS,
    Question,
    Trees,
    candidate_features,
    candidate_rows,
    trees_from,
)
from clusterbridge.engines.matching.score import (
    DEFAULT_WEIGHTS,
    DENSE_WEIGHTS,
    score_rows,
    vectorise,
)
from clusterbridge.services.registry.cordis import shipped_cordis_folder

RANKERS = Path(__file__).resolve().parents[1] / "src/clusterbridge/engines/matching/rankers"
TREES = 200
LEARNING_RATE = 0.05
DEPTH = 3
MIN_LEAF = 100
L2 = 1.0
FOLDS = 2
#: Which hidden members the cases have: a company or other organisation (the benchmark's
#: protocol), a member of any type (``--hide-any``), or both sets of cases together.
PROTOCOLS = ("companies", "any", "both")


def candidates(
    index: MatchIndex, cases: list[Case], names: tuple[str, ...], ideas: np.ndarray | None
) -> list[tuple[np.ndarray, int]]:
    """Per case: the features of the weighted score's best candidates (best first) and the
    position of the hidden member among them (-1 when it is not there)."""
    weights = DENSE_WEIGHTS if ideas is not None else DEFAULT_WEIGHTS
    found = []
    for number, case in enumerate(cases):
        dense = ideas[number] if ideas is not None else None
        vectors = vectorise(index, case.query, dense=dense)
        scores, signals = score_rows(index, vectors, case.query, weights)
        open_scores = scores.astype(np.float64)
        open_scores[list(vectors.members)] = -np.inf
        rows = candidate_rows(open_scores, RERANKED)
        question = Question(vectors.members, case.query, vectors.projects)
        matrix = candidate_features(index, question, signals, rows, names=names)
        hits = np.flatnonzero(rows == index.rows[case.hidden])
        found.append((matrix, int(hits[0]) if len(hits) else -1))
    return found


def write_features(path: Path, data: list[tuple[np.ndarray, int]]) -> None:
    """Keep the candidates' features (to refit without recomputing them)."""
    sizes = np.array([len(matrix) for matrix, _hit in data])
    hits = np.array([hit for _matrix, hit in data])
    np.savez(path, matrix=np.concatenate([m for m, _hit in data]), sizes=sizes, hits=hits)


def read_features(path: Path) -> list[tuple[np.ndarray, int]]:
    """The features kept by ``write_features``."""
    with np.load(path) as stored:
        parts = np.split(stored["matrix"], np.cumsum(stored["sizes"])[:-1])
        return [(part, int(hit)) for part, hit in zip(parts, stored["hits"], strict=True)]


def fit(data: list[tuple[np.ndarray, int]]) -> HistGradientBoostingClassifier:
    """The classifier of hidden member against the other candidates."""
    matrix = np.concatenate([m for m, _hit in data])
    labels = np.concatenate([np.arange(len(m)) == hit for m, hit in data]).astype(np.int8)
    model = HistGradientBoostingClassifier(
        max_iter=TREES,
        learning_rate=LEARNING_RATE,
        max_depth=DEPTH,
        min_samples_leaf=MIN_LEAF,
        l2_regularization=L2,
        early_stopping=False,
        random_state=0,
    )
    return model.fit(matrix, labels)


def ranks(data: list[tuple[np.ndarray, int]], scorer: object | None) -> list[int]:
    """The hidden member's rank per case: by the trees among the candidates, by the weighted
    score (the candidates' order) without ``scorer``; ``RERANKED + 1`` when not a candidate."""
    found = []
    for matrix, hit in data:
        if hit < 0:
            found.append(RERANKED + 1)
            continue
        if scorer is None:
            found.append(hit + 1)
            continue
        scores = scorer.decision_function(matrix)  # type: ignore[attr-defined]
        found.append(1 + int(np.count_nonzero(scores > scores[hit])))
    return found


def fold_of(case: Case) -> int:
    """The case's fold, by its project (the idea's text), the same for both protocols."""
    return zlib.crc32(case.query.idea.encode()) % FOLDS


def cross_validate(
    train: list[tuple[np.ndarray, int]],
    train_folds: list[int],
    held_out: dict[str, tuple[list[tuple[np.ndarray, int]], list[int]]],
) -> dict[str, dict[str, float]]:
    """Weighted score and trees on held-out folds (projects) of each protocol's cases, the
    trees fitted on ``train``'s cases of the other folds."""
    found: dict[str, dict[str, list[int]]] = {
        name: {"weighted": [], "trees": []} for name in held_out
    }
    for held in range(FOLDS):
        model = fit([d for d, f in zip(train, train_folds, strict=True) if f != held])
        for name, (data, folds) in held_out.items():
            chosen = [d for d, f in zip(data, folds, strict=True) if f == held]
            found[name]["weighted"] += ranks(chosen, None)
            found[name]["trees"] += ranks(chosen, model)
    return {
        f"{name} {method}": metrics(values)
        for name, by in found.items()
        for method, values in by.items()
    }


def export(model: HistGradientBoostingClassifier, names: tuple[str, ...]) -> dict[str, object]:
    """The trees as plain numbers (``rerank.trees_from`` reads them)."""
    trees = []
    depth = 0
    for (predictor,) in model._predictors:  # no public access to the trees
        nodes = predictor.nodes
        leaf = nodes["is_leaf"].astype(bool)
        left, right = nodes["left"].astype(np.int64), nodes["right"].astype(np.int64)
        trees.append(
            {
                "feature": np.where(leaf, 0, nodes["feature_idx"].astype(np.int64)).tolist(),
                "threshold": np.where(leaf, 0.0, nodes["num_threshold"]).tolist(),
                "left": np.where(leaf, -1, left).tolist(),
                "right": np.where(leaf, -1, right).tolist(),
                "value": np.where(leaf, nodes["value"], 0.0).tolist(),
            }
        )
        depth = max(depth, int(nodes["depth"].max()))
    baseline = float(np.ravel(model._baseline_prediction)[0])
    return {"features": list(names), "baseline": baseline, "depth": depth, "trees": trees}


def check_export(trees: Trees, model: HistGradientBoostingClassifier, data: list) -> None:  # type: ignore[type-arg]
    matrix = np.concatenate([m for m, _hit in data[:200]])
    difference = np.abs(trees.predict(matrix) - model.decision_function(matrix)).max()
    if difference > 1e-6:
        raise SystemExit(f"exported trees differ from the model by {difference}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dense", action="store_true")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument(
        "--train", choices=PROTOCOLS, default="companies", help="hidden members the trees learn"
    )
    parser.add_argument(
        "--features-cache", type=Path, help="keep the candidates' features in <this>.<protocol>.npz"
    )
    default_cache = user_cache_path("clusterbridge", appauthor=False) / "bench-matching-minilm.npz"
    parser.add_argument("--dense-cache", type=Path, default=default_cache)
    args = parser.parse_args()
    names = (*SCORE_SIGNALS, *EXTRA_FEATURES, *(("dense",) if args.dense else ()))
    data, folds = {}, {}
    for protocol in PROTOCOLS[:2]:
        index, cases = load(
            shipped_cordis_folder(), date(2023, 1, 1), date(2024, 1, 1), hide_any=protocol == "any"
        )
        ideas = None
        if args.dense:
            index, ideas = with_dense(index, cases, args.dense_cache)
        kept = args.features_cache.with_suffix(f".{protocol}.npz") if args.features_cache else None
        if kept and kept.exists():
            data[protocol] = read_features(kept)
        else:
            data[protocol] = candidates(index, cases, names, ideas)
            if kept:
                write_features(kept, data[protocol])
        folds[protocol] = [fold_of(case) for case in cases]
    if args.train == "both":
        data["both"] = data["companies"] + data["any"]
        folds["both"] = folds["companies"] + folds["any"]
    held_out = {p: (data[p], folds[p]) for p in PROTOCOLS[:2]}
    for name, values in cross_validate(data[args.train], folds[args.train], held_out).items():
        print(f"validation {FOLDS}-fold, trees fitted on {args.train}: {name} {values}")
    model = fit(data[args.train])
    exported = export(model, names)
    check_export(trees_from(exported), model, data[args.train])
    if not args.dry_run:
        target = RANKERS / ("dense.json" if args.dense else "core.json")
        target.parent.mkdir(exist_ok=True)
        target.write_text(json.dumps(exported, separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"wrote {target} ({len(exported['trees'])} trees)")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
