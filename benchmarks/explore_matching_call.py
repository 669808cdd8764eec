"""What the call a consortium answers adds to the matching rankers, on the validation split only.

ADR 0023, revision ``call``: a consortium is built for a call. Its topic code
(``HORIZON-CL4-2023-TWIN-TRANSITION-01-05``) is known before anyone applies, unlike the
project's EuroSciVoc terms (revision ``ranker3`` read the call series only from the past
projects nearest to the idea). Here the question carries its own call, and each candidate is
compared with it through its past projects: the same programme part (``HORIZON-CL4``), the same
destination (``TWIN-TRANSITION``), the same call (``HORIZON-CL4-TWIN-TRANSITION-01``), the same
topic series (the topic without its year) and the same funding scheme (``HORIZON-IA``); as the
share of the candidate's past projects and as their number.

A baseline that reads the call only (the candidate's past projects in the same topic series,
then call, destination and programme part, lexicographically) is measured among all the
candidates the question allows, beside TF-IDF on the idea, so that a gain is not just the call.

The 2023 questions of ``bench_matching`` (registry as of 2023-01-01, consortia of projects
started in 2023; the test period, 2024 on, is never read), the shipped features
(``fit_matching_kind_rankers.FEATURES``) and the conditional logistic regression the rankers are,
2-fold cross-validation by project.

Run: ``.venv/bin/pip install scikit-learn``, then ``OMP_NUM_THREADS=1 .venv/bin/python
benchmarks/explore_matching_call.py --cache <file>``.
"""

import argparse
import pickle
import re
import sys
import zlib
from datetime import date
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from bench_matching import Case, load_protocols, read
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.rerank import (
    RERANKED,
    Question,
    candidate_features,
    candidate_rows,
)
from clusterbridge.engines.matching.score import (
    DEFAULT_WEIGHTS,
    blocked_rows,
    score_rows,
    vectorise,
    weights_for,
)
from clusterbridge.services.registry.cordis import shipped_cordis_folder
from explore_matching_features import Item, fit, kept_rank, logs, rank, recall
from fit_matching_kind_rankers import FEATURES, asked

LEVELS = ("programme", "destination", "call", "series", "scheme")
STRENGTHS = (0.3, 1.0, 3.0)
#: ``HORIZON-CL4-2023-TWIN-TRANSITION-01-05``: programme part, year, destination, call, topic.
TOPIC = re.compile(r"^(?P<programme>[A-Z0-9]+-[A-Z0-9]+)-(?:19|20)\d\d-(?P<rest>.+)$")


def levels_of(row: dict[str, str]) -> dict[str, str]:
    """A project's call, level by level (empty when its topic code has another shape)."""
    topic = row["topic"].strip().upper()
    found = TOPIC.match(topic)
    programme = row["programme"].strip().upper()
    if found is None:
        return {"programme": programme, "destination": "", "call": "", "series": "",
                "scheme": row["fundingScheme"].strip().upper()}  # fmt: skip
    rest = found["rest"].split("-")
    number = next((n for n, part in enumerate(rest) if part.isdigit()), len(rest))
    destination = "-".join(rest[:number])
    call = "-".join(rest[: number + 1])
    return {
        "programme": programme,
        "destination": f"{found['programme']}-{destination}" if destination else "",
        "call": f"{found['programme']}-{call}",
        "series": f"{found['programme']}-{found['rest']}",
        "scheme": row["fundingScheme"].strip().upper(),
    }


def per_organisation(
    index: MatchIndex, folder: Path
) -> dict[str, tuple[dict[str, int], sp.csr_matrix]]:
    """Per level, the keys and each organisation's number of past projects per key."""
    projects = {row["projectID"]: row for row in read(folder, "he_projects.csv.gz")}
    grants = dict(enumerate(sorted(projects), start=1))
    rows = [levels_of(projects[grants[number]]) for number in index.project_ids]
    taking_part = sp.csr_matrix(index.participants.astype(np.float64))
    found = {}
    for level in LEVELS:
        keys = {k: n for n, k in enumerate(sorted({r[level] for r in rows if r[level]}))}
        cells = [(i, keys[r[level]]) for i, r in enumerate(rows) if r[level]]
        one_hot = sp.csr_matrix(
            ([1.0] * len(cells), ([i for i, _ in cells], [k for _, k in cells])),
            shape=(len(rows), len(keys)),
        )
        found[level] = (keys, sp.csr_matrix(taking_part @ one_hot))
    return found


def call_counts(
    counts: dict[str, tuple[dict[str, int], sp.csr_matrix]],
    levels: dict[str, str],
    rows: np.ndarray,
) -> dict[str, np.ndarray]:
    """Per level, the number of each row's past projects in the question's call."""
    found = {}
    for level in LEVELS:
        keys, matrix = counts[level]
        column = keys.get(levels[level])
        found[level] = (
            np.zeros(len(rows)) if column is None else matrix[rows, column].toarray().ravel()
        )
    return found


def collect(index, counts, by_idea, cases: list[Case]) -> tuple[list[Item], list[int]]:  # type: ignore[no-untyped-def]
    """The pool's features with the call ones, and the call baseline's rank over all allowed rows."""
    items, baseline = [], []
    rng = np.random.default_rng(7)
    projects = np.asarray(index.participants.sum(axis=1)).ravel().astype(np.float64)
    for case in cases:
        query = case.query
        levels = by_idea[query.idea]
        vectors = vectorise(index, query, dense=None)
        weights = weights_for(vectors, new_only=True) if query.new_only else DEFAULT_WEIGHTS
        scores, signals = score_rows(index, vectors, query, weights)
        blocked = blocked_rows(index, query, vectors)
        rows = candidate_rows(np.where(blocked, -np.inf, scores.astype(np.float64)), RERANKED)
        question = Question(vectors.members, query, vectors.projects)
        matrix = candidate_features(index, question, signals, rows, names=FEATURES)
        hits = np.flatnonzero(rows == index.rows[case.hidden])
        found = call_counts(counts, levels, rows)
        extra = {}
        for level in LEVELS:
            extra[f"{level}_count"] = found[level]
            extra[f"{level}_share"] = found[level] / np.maximum(projects[rows], 1.0)
        items.append(
            Item(
                matrix.astype(np.float32),
                {k: v.astype(np.float32) for k, v in extra.items()},
                int(hits[0]) if len(hits) else -1,
                [index.profiles[row].type for row in rows],
                zlib.crc32(query.idea.encode()) % 2,
            )
        )
        every = np.arange(len(index.profiles))
        whole = call_counts(counts, levels, every)
        score = (
            whole["series"] * 1e6 + whole["call"] * 1e4 + whole["destination"] * 1e2
            + whole["programme"] + projects * 1e-3
        )  # fmt: skip
        score = np.where(blocked, -np.inf, score + rng.random(len(score)) * 1e-6)
        hidden = index.rows[case.hidden]
        baseline.append(1 + int(np.count_nonzero(score > score[hidden])))
    return items, baseline


def prepared(cache: Path | None):  # type: ignore[no-untyped-def]
    if cache is not None and cache.exists():
        with cache.open("rb") as stream:
            return pickle.load(stream)  # noqa: S301 (our own cache file)
    folder = shipped_cordis_folder()
    split, until = date(2023, 1, 1), date(2024, 1, 1)
    index, protocols = load_protocols(folder, split, until, protocols=("any", "new", "companies"))
    counts = per_organisation(index, folder)
    by_idea = {
        f"{row['title']}\n{row['objective']}": levels_of(row)
        for row in read(folder, "he_projects.csv.gz")
    }
    kinded = [asked(index, case, "kind") for case in protocols["any"]]
    data = {
        "kind": collect(index, counts, by_idea, [c for c in kinded if c.query.kind is not None]),
        "new": collect(index, counts, by_idea, protocols["new"]),
        "any": collect(index, counts, by_idea, protocols["any"]),
        "companies": collect(index, counts, by_idea, protocols["companies"]),
    }
    if cache is not None:
        with cache.open("wb") as stream:
            pickle.dump(data, stream)
    return data


def cross_validated(items: list[Item], names: tuple[str, ...], strength: float) -> float:
    found = []
    for held in (0, 1):
        weights = fit([i for i in items if i.fold != held], names, strength)
        found += [rank(i, logs(i, names) @ weights) for i in items if i.fold == held]
    return recall(found)


def within_types(data, question: str, names: tuple[str, ...], strength: float) -> float:  # type: ignore[no-untyped-def]
    found = []
    kind_items = data["kind"][0]
    for held in (0, 1):
        weights = fit([i for i in kind_items if i.fold != held], names, strength)
        found += [
            kept_rank(i, logs(i, names) @ weights) for i in data[question][0] if i.fold == held
        ]
    return recall(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args()
    data = prepared(args.cache)
    shares = tuple(f"{level}_share" for level in LEVELS)
    every = shares + tuple(f"{level}_count" for level in LEVELS)
    for question in ("kind", "new", "any", "companies"):
        items, baseline = data[question]
        pooled = np.mean([i.hit >= 0 for i in items])
        print(
            f"\n[{question}] {len(items)} questions; call baseline recall@20 "
            f"{recall(baseline):.3f}; hidden member in the pool {pooled:.3f}"
        )
    for question in ("kind", "new"):
        items = data[question][0]
        print(f"\n[{question}] recall@20 (2-fold by project)")
        print(f"  shipped features: {cross_validated(items, (), 1.0):.3f}", flush=True)
        for name in items[0].extra:
            print(f"  + {name}: {cross_validated(items, (name,), 1.0):.3f}", flush=True)
        for strength in STRENGTHS:
            print(
                f"  L2 {strength}: + shares {cross_validated(items, shares, strength):.3f}, "
                f"+ all {cross_validated(items, every, strength):.3f}",
                flush=True,
            )
    for question in ("any", "companies"):
        print(
            f"\n[{question}, no kind] kind ranker within types: shipped "
            f"{within_types(data, question, (), 1.0):.3f}, + shares "
            f"{within_types(data, question, shares, 1.0):.3f}, + all "
            f"{within_types(data, question, every, 1.0):.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
