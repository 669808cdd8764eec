"""Fit the weights of partner matching on the validation split (how ``score.py``'s were made).

The validation split of ``bench_matching``: the registry as of 2023-01-01 and the consortia of
projects started in 2023, one company or other organisation hidden in each (the benchmark's
test period, 2024 on, is never read). For every case the engine's own signals are computed;
a conditional logistic regression then makes the hidden member likely against the 200 best
candidates of a simple pre-score and 400 random others (their weight scaled back to the whole
registry), one weight per signal, L2 penalty 1e-3. The weights are printed rescaled so that
the idea's is 1, with the validation figures of the rounded weights.

``--dense`` adds the sentence-embedding similarity (the ``embeddings`` extra; vectors cached as
in ``bench_matching``), for ``DENSE_WEIGHTS``. Run: ``.venv/bin/python
benchmarks/fit_matching_weights.py [--dense]`` (about a minute without ``--dense``).
"""

import argparse
import dataclasses
import sys
from datetime import date
from pathlib import Path

import numpy as np
from platformdirs import user_cache_path
from scipy.optimize import minimize

from bench_matching import SEED, Case, evaluate, load, with_dense
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.rerank import SCORE_SIGNALS
from clusterbridge.engines.matching.score import DEFAULT_WEIGHTS, Weights, score_rows, vectorise
from clusterbridge.services.registry.cordis import shipped_cordis_folder

#: The signals the CORDIS data has (the ones the re-ranking trees read too).
SIGNALS = SCORE_SIGNALS
TOP_CANDIDATES = 200
RANDOM_CANDIDATES = 400
L2 = 1e-3


def samples(
    index: MatchIndex, cases: list[Case], names: tuple[str, ...], ideas: np.ndarray | None
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per case: the signals of the hidden member (row 0) and of the sampled candidates, and
    the log-weight of each row in the partition function."""
    rng = np.random.default_rng(7)
    found = []
    for number, case in enumerate(cases):
        dense = ideas[number] if ideas is not None else None
        vectors = vectorise(index, case.query, dense=dense)
        _total, signals = score_rows(index, vectors, case.query, DEFAULT_WEIGHTS)
        matrix = np.stack([signals[name] for name in names], axis=1).astype(np.float64)
        hidden = index.rows[case.hidden]
        open_rows = np.ones(index.size, dtype=bool)
        open_rows[[hidden, *(index.rows[m] for m in case.query.members)]] = False
        pre = sum(signals[n] / (signals[n].max() + 1e-9) for n in ("idea", "similar_projects"))
        pre = pre + (signals["coparticipation"] > 0)
        best = np.argpartition(-np.where(open_rows, pre, -1.0), TOP_CANDIDATES)[:TOP_CANDIDATES]
        open_rows[best] = False
        rest = np.flatnonzero(open_rows)
        drawn = rng.choice(rest, size=min(RANDOM_CANDIDATES, len(rest)), replace=False)
        rows = np.concatenate([[hidden], best, drawn])
        offsets = np.zeros(len(rows))
        offsets[1 + len(best) :] = np.log(len(rest) / len(drawn))
        found.append((matrix[rows], offsets))
    return found


def fit(data: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The conditional-logit weights (hidden member = row 0 of each case)."""
    width = data[0][0].shape[1]

    def loss(weights: np.ndarray) -> tuple[float, np.ndarray]:
        total, gradient = 0.0, np.zeros(width)
        for matrix, offsets in data:
            scores = matrix @ weights + offsets
            top = scores.max()
            exp = np.exp(scores - top)
            chance = exp / exp.sum()
            total -= scores[0] - top - np.log(exp.sum())
            gradient -= matrix[0] - chance @ matrix
        count = len(data)
        return total / count + L2 * weights @ weights, gradient / count + 2 * L2 * weights

    return np.asarray(minimize(loss, np.zeros(width), jac=True, method="L-BFGS-B").x)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dense", action="store_true")
    default_cache = user_cache_path("clusterbridge", appauthor=False) / "bench-matching-minilm.npz"
    parser.add_argument("--dense-cache", type=Path, default=default_cache)
    args = parser.parse_args()
    index, cases = load(shipped_cordis_folder(), date(2023, 1, 1), date(2024, 1, 1))
    ideas = None
    names = SIGNALS
    if args.dense:
        index, ideas = with_dense(index, cases, args.dense_cache)
        names = (*SIGNALS, "dense")
    raw = fit(samples(index, cases, names, ideas))
    scaled = {name: round(float(w / raw[0]), 3) for name, w in zip(names, raw, strict=True)}
    print("fitted weights (idea = 1):", scaled)
    zeros = dict.fromkeys(DEFAULT_WEIGHTS.__slots__, 0.0)
    kept = {f.name: getattr(DEFAULT_WEIGHTS, f.name) for f in dataclasses.fields(Weights)}
    judged = {k: kept[k] for k in ("technologies", "ecosystems", "profile_fit")}
    weights = Weights(**(zeros | judged | scaled))
    figures = evaluate(index, cases, ideas, weights=weights, dense_weights=weights)
    print(f"validation with these weights (seed {SEED}):", figures["matching"])
    if ideas is not None:
        print("with the dense vectors:", figures["matching+dense"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
