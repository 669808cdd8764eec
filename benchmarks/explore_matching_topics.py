"""What a project's CORDIS classification adds to the matching rankers, on the validation split only.

ADR 0023, revision ``ranker3``: the 2023 questions of ``bench_matching`` (registry as of
2023-01-01, consortia of projects started in 2023; the test period, 2024 on, is never read), the
shipped features (``fit_matching_kind_rankers.FEATURES``) and, each added in turn to the
conditional logistic regression the rankers are, candidate features from the project columns of
the CORDIS file:

- EuroSciVoc terms (``euroSciVoc_terms``, IDF-weighted): the cosine of the candidate's terms
  (those of its past projects) with the idea's (those of the 20 or 100 past projects nearest to
  the idea, each counted by its squared cosine) and with the members';
- the programme part (``programme``, e.g. ``HORIZON-CL4``), the call series (``topic`` without
  its year, ``series_of``) and the funding scheme (``fundingScheme``), compared the same
  way;
- a country-affinity prior: the log lift of links between the members' countries and the
  candidate's on the co-participation graph of the registry (observed against expected).

The idea's classification is never the test project's own (which CORDIS assigns after the
grant): it is read from the past projects nearest to the idea's words. For questions without a
kind, the ``kind`` ranker with the features is applied within each organisation type
(``rerank.held_places`` with ``keep_types``).

Run: ``.venv/bin/pip install scikit-learn``, then ``OMP_NUM_THREADS=1 .venv/bin/python
benchmarks/explore_matching_topics.py --cache <file>`` (about ten minutes on 2 cores the first
time; the cache keeps the features).
"""

import argparse
import pickle
import re
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from bench_matching import Case, load_protocols, read
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.profile import MatchQuery
from clusterbridge.engines.matching.rerank import (
    RERANKED,
    Question,
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
from explore_matching_features import SPLIT, UNTIL, Item, fit, kept_rank, logs, rank, recall
from fit_matching_kind_rankers import FEATURES, asked

#: The past projects nearest to the idea whose classification makes the idea's.
NEAREST = (20, 100)
STRENGTHS = (0.3, 1.0, 3.0)
#: The year inside a call topic code (``HORIZON-CL4-2023-TWIN-TRANSITION-01-05``).
TOPIC_YEAR = re.compile(r"-(?:19|20)\d\d-")


def series_of(topic: str) -> str:
    """The call series of a topic code: the code without its year
    (``HORIZON-CL4-2023-TWIN-TRANSITION-01-05`` → ``HORIZON-CL4-TWIN-TRANSITION-01-05``)."""
    return TOPIC_YEAR.sub("-", topic.strip().upper(), count=1)


@dataclass(frozen=True)
class Classes:
    """Per past project (rows as ``index.project_ids``) and per organisation (rows as the
    index's), each classification as unit-length rows: EuroSciVoc terms, programme part, call
    series, funding scheme; and the country-affinity prior."""

    projects: dict[str, sp.csr_matrix]
    organisations: dict[str, sp.csr_matrix]
    country_lift: np.ndarray
    country_of: np.ndarray


def _one_hot(values: list[list[str]], weights: dict[str, float] | None = None) -> sp.csr_matrix:
    keys = {key: n for n, key in enumerate(sorted({v for row in values for v in row}))}
    cells = [(i, keys[v]) for i, row in enumerate(values) for v in row]
    data = [1.0 if weights is None else weights[v] for row in values for v in row]
    return sp.csr_matrix(
        (data, ([i for i, _k in cells], [k for _i, k in cells])), shape=(len(values), len(keys))
    )


def _unit(matrix: sp.csr_matrix) -> sp.csr_matrix:
    lengths = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sp.csr_matrix(sp.diags(1.0 / np.maximum(lengths, 1e-12)) @ matrix)


def classes_of(index: MatchIndex, folder: Path) -> Classes:
    """The classifications of the index's past projects and organisations."""
    projects = {row["projectID"]: row for row in read(folder, "he_projects.csv.gz")}
    grants = dict(enumerate(sorted(projects), start=1))
    rows = [projects[grants[number]] for number in index.project_ids]
    terms = [[t.strip() for t in r["euroSciVoc_terms"].split(";") if t.strip()] for r in rows]
    counts: dict[str, int] = {}
    for found in terms:
        for term in set(found):
            counts[term] = counts.get(term, 0) + 1
    idf = {term: float(np.log((len(rows) + 1) / (n + 1)) + 1.0) for term, n in counts.items()}
    per_project = {
        "esv": _one_hot(terms, idf),
        "programme": _one_hot([[r["programme"]] for r in rows]),
        "series": _one_hot([[series_of(r["topic"])] for r in rows]),
        "scheme": _one_hot([[r["fundingScheme"]] for r in rows]),
    }
    taking_part = index.participants.astype(np.float64)
    countries = index.countries.matrix.astype(np.float64)
    between = np.asarray((countries.T @ index.links @ countries).todense())
    totals = between.sum(axis=1)
    expected = np.outer(totals, totals) / max(float(totals.sum()), 1.0)
    return Classes(
        projects={name: _unit(m) for name, m in per_project.items()},
        organisations={name: _unit(sp.csr_matrix(taking_part @ m)) for name, m in per_project.items()},
        country_lift=np.log((between + 1.0) / (expected + 1.0)),
        country_of=np.asarray(countries.argmax(axis=1)).ravel(),
    )  # fmt: skip


def extras(
    index: MatchIndex, classes: Classes, vectors: QueryVectors, query: MatchQuery, rows: np.ndarray
) -> dict[str, np.ndarray]:
    """The candidate features tried (see the module's doc)."""
    squared = vectors.projects.astype(np.float64) ** 2
    found: dict[str, np.ndarray] = {}
    for count in NEAREST:
        nearest = squared.copy()
        if len(nearest) > count:
            nearest[np.argpartition(-nearest, count)[count:]] = 0.0
        for name, matrix in classes.projects.items():
            idea = np.asarray(matrix.T @ nearest).ravel()
            length = float(np.linalg.norm(idea)) or 1.0
            found[f"{name}_idea{count}"] = classes.organisations[name][rows] @ (idea / length)
    members = list(vectors.members)
    for name in ("esv", "programme", "series"):
        theirs = classes.organisations[name]
        if members:
            profile = np.asarray(theirs[members].sum(axis=0)).ravel()
            profile /= float(np.linalg.norm(profile)) or 1.0
            found[f"{name}_members"] = theirs[rows] @ profile
        else:
            found[f"{name}_members"] = np.zeros(len(rows))
    columns = index.countries.columns
    asking = [classes.country_of[m] for m in members]
    asking += [columns[g.country] for g in query.guests if g.country in columns]
    lift = (
        classes.country_lift[np.array(asking)][:, classes.country_of[rows]].mean(axis=0)
        if asking
        else np.zeros(len(rows))
    )
    found["country_lift"] = np.maximum(lift, 0.0)
    found["country_unlift"] = np.maximum(-lift, 0.0)
    return {name: np.asarray(v, dtype=np.float32).ravel() for name, v in found.items()}


def collect(index: MatchIndex, classes: Classes, cases: list[Case]) -> list[Item]:
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
        hits = np.flatnonzero(rows == index.rows[case.hidden])
        found.append(
            Item(
                matrix.astype(np.float32),
                extras(index, classes, vectors, query, rows),
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
            return pickle.load(stream)  # type: ignore[no-any-return] # noqa: S301 (our own cache file)
    folder = shipped_cordis_folder()
    index, protocols = load_protocols(folder, SPLIT, UNTIL, protocols=("any", "new", "companies"))
    classes = classes_of(index, folder)
    kinded = [asked(index, case, "kind") for case in protocols["any"]]
    data = {
        "kind": collect(index, classes, [c for c in kinded if c.query.kind is not None]),
        "new": collect(index, classes, protocols["new"]),
        "any": collect(index, classes, protocols["any"]),
        "companies": collect(index, classes, protocols["companies"]),
    }
    if cache is not None:
        with cache.open("wb") as stream:
            pickle.dump(data, stream)
    return data


def cross_validated(items: list[Item], names: tuple[str, ...], strength: float) -> float:
    """recall@20 of the conditional logit on the shipped features plus ``names``, 2 folds."""
    found = []
    for held in (0, 1):
        weights = fit([i for i in items if i.fold != held], names, strength)
        found += [rank(i, logs(i, names) @ weights) for i in items if i.fold == held]
    return recall(found)


def within_types(
    data: dict[str, list[Item]], question: str, names: tuple[str, ...], strength: float
) -> float:
    """recall@20 of a question without a kind, the ``kind`` ranker (fitted on the other
    fold's ``kind`` questions) ordering each type's candidates among themselves."""
    found = []
    for held in (0, 1):
        weights = fit([i for i in data["kind"] if i.fold != held], names, strength)
        found += [kept_rank(i, logs(i, names) @ weights) for i in data[question] if i.fold == held]
    return recall(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args()
    data = prepared(args.cache)
    tried = tuple(data["kind"][0].extra)
    series = ("series_idea100", "series_members")
    for question in ("kind", "new"):
        items = data[question]
        print(f"\n[{question}] {len(items)} questions of 2023, recall@20 (2-fold by project)")
        print(f"  shipped features: {cross_validated(items, (), 1.0):.3f}", flush=True)
        for name in tried:
            print(f"  + {name}: {cross_validated(items, (name,), 1.0):.3f}", flush=True)
        print(f"  + everything: {cross_validated(items, tried, 1.0):.3f}")
        for strength in STRENGTHS:
            print(f"  + call series, L2 {strength}: {cross_validated(items, series, strength):.3f}")
    for question in ("any", "companies"):
        print(
            f"\n[{question}, no kind] the kind ranker within each type: shipped features "
            f"{within_types(data, question, (), 1.0):.3f}, + call series (L2 0.3 / 1) "
            f"{within_types(data, question, series, 0.3):.3f} / "
            f"{within_types(data, question, series, 1.0):.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
