"""Re-ranking the best candidates of the weighted score with a learned ranker.

The weighted sum of ``score`` picks the ``RERANKED`` best candidates; a ranker (small regression
trees, ``Trees``, or a logistic regression, ``Linear``, fitted on the validation split of the
CORDIS data by ``benchmarks/fit_matching_ranker.py`` and ``fit_matching_kind_rankers.py``,
shipped as plain numbers in ``rankers/*.json``) then orders them. The rankers read the same
signals and a few more that a person can check: how many members the candidate worked with,
the same NUTS-3 area as a member, its best single project's similarity to the idea, its
projects among the 100 and 500 past projects nearest to the idea, random walks on the
co-participation graph from the members and from the organisations of similar projects, its
number of projects, the size of the consortium, and the idea's and similar projects' signals
relative to the best candidate's. They never see the candidate's type or country code.
One ranker per kind of question (docs/adr/0009-partner-matching.md, ADR 0023): ``kind`` for a
question that names the kind of partner sought (every candidate is then of that kind, so the
ranker cannot favour another), ``new`` for new SME partners only; ``core`` and ``dense`` were
fitted on questions whose missing partner was a company, asked without a kind, and favour
companies: ``score`` uses ``dense`` only for questions that ask for such a partner
(``FITTED_KINDS``). A question without a kind gets ``kind`` too, but only to order the
candidates of each organisation type among themselves (``held_places`` with ``keep_types``):
every rank keeps the weighted score's type, so no type is favoured that the user did not ask
for.
"""

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import scipy.sparse as sp

from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.profile import MatchQuery

#: The kinds of partner sought (``MatchQuery.kind``) that the ``core`` and ``dense`` trees were
#: fitted for: a company or other organisation (CORDIS activity types PRC and OTH) was missing,
#: asked without a kind. With sentence embeddings they are used for these kinds only.
FITTED_KINDS = frozenset(
    {
        OrgType.SME.value,
        OrgType.LARGE_ENTERPRISE.value,
        OrgType.OTHER.value,
        OrgType.CLUSTER_ORGANISATION.value,
        SmeProfile.TECH_SAVVY.value,
        SmeProfile.TRADITIONAL.value,
    }
)
#: The kinds for which the ``new`` ranker (fitted on new SME partners, ``new_only``) orders new
#: partners only: SMEs and the SME profiles.
NEW_PARTNER_KINDS = frozenset(
    {OrgType.SME.value, SmeProfile.TECH_SAVVY.value, SmeProfile.TRADITIONAL.value}
)
#: Candidates of the weighted score that the trees re-order.
RERANKED = 300
#: The wider circles of past projects nearest to the idea whose participants are counted.
WIDE_VOTES = (100, 500)
#: Random walk from the members on the co-participation graph: chance of going back to a
#: member at each step, and the number of steps.
WALK_RESTART = 0.3
WALK_STEPS = 4
#: A walk step reads only the rows the walker stands on while they are fewer than one in
#: this many rows.
SPARSE_SHARE = 8
#: Characters of a NUTS-3 code (``PL823``).
NUTS3_LENGTH = 5
#: The signals of ``score`` the trees read, in this order, before the ones computed here: those
#: the CORDIS data has, whose weights are fitted too (``benchmarks/fit_matching_weights.py``).
SCORE_SIGNALS = (
    "idea",
    "similar_projects",
    "topic_collaborations",
    "coparticipation",
    "partners_of_partners",
    "popularity",
    "same_country",
    "same_region",
)
#: The features computed here for the candidates only (``candidate_features``).
EXTRA_FEATURES = (
    "distinct_members",
    "same_nuts3",
    "best_project",
    "votes_100",
    "votes_500",
    "member_walk",
    "topic_walk",
    "projects",
    "consortium_size",
    "idea_relative",
    "similar_projects_relative",
)


@dataclass(frozen=True, slots=True)
class Question:
    """What the trees need of a question: the members' rows, the question itself and the
    idea's cosine with each past project (``score.project_similarity``)."""

    members: tuple[int, ...]
    query: MatchQuery
    similarity: np.ndarray


@dataclass(frozen=True)
class Trees:
    """Additive regression trees over named features, all trees' nodes in flat arrays.

    A row goes from node ``n`` to ``left[n]`` when ``row[feature[n]] <= threshold[n]``, else
    to ``right[n]``; a leaf leads to itself, so after ``depth`` steps every row is at a leaf of
    every tree. The score is ``baseline`` plus the ``value`` of these leaves."""

    features: tuple[str, ...]
    baseline: float
    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    depth: int

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        """The score of every row of ``matrix`` (one column per feature, in order)."""
        count, width = matrix.shape
        flat = np.ascontiguousarray(matrix, dtype=np.float64).ravel()
        starts = (np.arange(count, dtype=np.int64) * width)[:, None]
        nodes = np.broadcast_to(self.roots, (count, len(self.roots)))
        for _ in range(self.depth):
            goes_left = flat.take(starts + self.feature.take(nodes)) <= self.threshold.take(nodes)
            nodes = np.where(goes_left, self.left.take(nodes), self.right.take(nodes))
        return np.asarray(self.baseline + self.value.take(nodes).sum(axis=1), dtype=np.float64)


@dataclass(frozen=True)
class Linear:
    """A logistic regression over named features, each read as ``ln(1 + SCALE * max(x, 0))``:
    the score is ``intercept`` plus the weighted sum of these."""

    features: tuple[str, ...]
    weights: np.ndarray
    intercept: float

    #: How the features are spread before the logarithm (most are shares in [0, 1]).
    SCALE = 10.0

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        """The score of every row of ``matrix`` (one column per feature, in order)."""
        spread = np.log1p(self.SCALE * np.maximum(np.asarray(matrix, dtype=np.float64), 0.0))
        return np.asarray(self.intercept + spread @ self.weights, dtype=np.float64)


#: A shipped ranker: trees or a logistic regression, both scoring candidates' feature rows.
Ranker = Trees | Linear


def ranker_from(data: dict[str, object]) -> Ranker:
    """A ranker from its JSON form: ``model`` ``logistic`` (``features``, ``weights``,
    ``intercept``) or trees (``trees_from``)."""
    if data.get("model") != "logistic":
        return trees_from(data)
    weights = np.array(data["weights"], dtype=np.float64)
    features = tuple(str(name) for name in data["features"])  # type: ignore[attr-defined]
    if len(weights) != len(features):
        raise ValueError("a logistic ranker needs one weight per feature")
    return Linear(features, weights, float(data["intercept"]))  # type: ignore[arg-type]


def trees_from(data: dict[str, object]) -> Trees:
    """Trees from their JSON form: ``features``, ``baseline``, ``depth`` and ``trees``, each a
    dict of node lists ``feature``, ``threshold``, ``left``, ``right`` (tree-local, -1 at
    leaves) and ``value``. Raises ValueError for a ranker without trees."""
    trees = data["trees"]
    if not isinstance(trees, list) or not trees:
        raise ValueError("a ranker needs at least one tree")
    roots, lefts, rights, offset = [], [], [], 0
    for tree in trees:
        own = np.arange(len(tree["value"])) + offset
        left, right = np.array(tree["left"]), np.array(tree["right"])
        lefts.append(np.where(left < 0, own, left + offset))
        rights.append(np.where(right < 0, own, right + offset))
        roots.append(offset)
        offset += len(own)
    nodes = {
        key: np.concatenate([np.array(t[key]) for t in trees])
        for key in ("feature", "threshold", "value")
    }
    return Trees(
        features=tuple(str(name) for name in data["features"]),  # type: ignore[attr-defined]
        baseline=float(data["baseline"]),  # type: ignore[arg-type]
        roots=np.array(roots, dtype=np.int64),
        feature=nodes["feature"].astype(np.int64),
        threshold=nodes["threshold"].astype(np.float64),
        left=np.concatenate(lefts).astype(np.int64),
        right=np.concatenate(rights).astype(np.int64),
        value=nodes["value"].astype(np.float64),
        depth=int(data["depth"]),  # type: ignore[call-overload]
    )


@cache
def shipped_trees(name: str) -> Ranker:
    """The ranker ``rankers/<name>.json`` shipped with the package (``core``, ``dense``,
    ``kind`` or ``new``); read once per process."""
    source = resources.files("clusterbridge.engines.matching") / "rankers" / f"{name}.json"
    return ranker_from(json.loads(source.read_text(encoding="utf-8")))


def candidate_rows(scores: np.ndarray, count: int = RERANKED) -> np.ndarray:
    """The rows of the ``count`` best finite scores, best first (ties by row)."""
    finite = np.flatnonzero(np.isfinite(scores))
    if len(finite) > count:
        finite = finite[np.argpartition(-scores[finite], count - 1)[:count]]
    return finite[np.lexsort((finite, -scores[finite]))]


def candidate_features(
    index: MatchIndex,
    question: Question,
    signals: dict[str, np.ndarray],
    rows: np.ndarray,
    *,
    names: tuple[str, ...],
) -> np.ndarray:
    """One row per candidate in ``rows``, one column per feature of ``names`` (the signals of
    ``score`` and ``EXTRA_FEATURES``), as float32 values widened to float64."""
    known = {name: signals[name][rows] for name in names if name in signals}
    known |= _extra_features(index, question, signals, rows)
    return np.stack([known[name] for name in names], axis=1).astype(np.float32).astype(np.float64)


def _extra_features(
    index: MatchIndex, question: Question, signals: dict[str, np.ndarray], rows: np.ndarray
) -> dict[str, np.ndarray]:
    members = list(question.members)
    size = len(members) + len(question.query.guests)
    projects = np.array([len(index.profiles[row].projects) for row in rows], dtype=np.float32)
    found = {
        "distinct_members": _distinct_members(index, members, rows),
        "same_nuts3": _same_nuts3(index, members, question.query, rows),
        **_project_features(index, question.similarity, rows),
        "member_walk": member_walk(index, members, rows),
        "topic_walk": topic_walk(index, signals["similar_projects"], rows),
        "projects": projects,
        "consortium_size": np.full(len(rows), size, dtype=np.float32),
    }
    for name in ("idea", "similar_projects"):
        values = signals[name][rows]
        peak = float(values.max()) if len(values) else 0.0
        found[f"{name}_relative"] = values / np.float32(peak or 1.0)
    return found


def _distinct_members(index: MatchIndex, members: list[int], rows: np.ndarray) -> np.ndarray:
    """How many of the members each candidate took part in a past project with."""
    if not members:
        return np.zeros(len(rows), dtype=np.float32)
    together = index.graph[members][:, rows]
    return np.asarray((together > 0).sum(axis=0), dtype=np.float32).ravel()


def _same_nuts3(
    index: MatchIndex, members: list[int], query: MatchQuery, rows: np.ndarray
) -> np.ndarray:
    """1 for candidates in the NUTS-3 area of a member or guest."""
    codes = [index.profiles[row].nuts for row in members] + [g.nuts for g in query.guests]
    areas = {code for code in codes if code and len(code) == NUTS3_LENGTH}
    return np.array([index.profiles[row].nuts in areas for row in rows], dtype=np.float32)


def _project_features(
    index: MatchIndex, cosines: np.ndarray, rows: np.ndarray
) -> dict[str, np.ndarray]:
    """The candidate's best project's cosine with the idea, and the squared cosines of its
    projects among the ``WIDE_VOTES`` nearest to the idea."""
    similarity = cosines.astype(np.float64)
    taking_part = index.participants[rows]
    if taking_part.shape[1] == 0:
        zeros = np.zeros(len(rows), dtype=np.float32)
        return {"best_project": zeros} | {f"votes_{n}": zeros for n in WIDE_VOTES}
    best = taking_part.multiply(similarity[None, :]).max(axis=1).toarray().ravel()
    found = {"best_project": best.astype(np.float32)}
    squared = similarity**2
    for count in WIDE_VOTES:
        nearest = squared.copy()
        if len(nearest) > count:
            nearest[np.argpartition(-nearest, count)[count:]] = 0.0
        found[f"votes_{count}"] = np.asarray(taking_part @ nearest, dtype=np.float32).ravel()
    return found


def member_walk(index: MatchIndex, members: list[int], rows: np.ndarray) -> np.ndarray:
    """For each of ``rows``, the chance that a random walk on the co-participation graph
    (every past partner equally likely) stands there after ``WALK_STEPS`` steps, when it
    starts from a member chosen at random and goes back to one with chance ``WALK_RESTART``
    at each step; zeros without members."""
    if not members or len(rows) == 0:
        return np.zeros(len(rows), dtype=np.float32)
    start = np.zeros(index.size)
    start[members] = 1.0 / len(members)
    chance = start
    for _ in range(WALK_STEPS - 1):
        chance = WALK_RESTART * start + (1.0 - WALK_RESTART) * _step(index.links, chance)
    last = index.links[rows] @ (chance / _degrees(index.links))
    return np.asarray(WALK_RESTART * start[rows] + (1.0 - WALK_RESTART) * last, np.float32)


def topic_walk(index: MatchIndex, similar_projects: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each of ``rows``, the chance of reaching it in one step of a walk on the
    co-participation graph from the organisations of the past projects similar to the idea
    (weighted by their ``similar_projects`` signal)."""
    total = float(similar_projects.sum())
    if total <= 0 or len(rows) == 0:
        return np.zeros(len(rows), dtype=np.float32)
    chance = similar_projects.astype(np.float64) / total / _degrees(index.links)
    return np.asarray(index.links[rows] @ chance, dtype=np.float32)


def _degrees(links: sp.csr_matrix) -> np.ndarray:
    """Each row's number of links, at least 1 (a row without links leads nowhere)."""
    counts = np.diff(np.asarray(links.indptr, dtype=np.int64))
    return np.asarray(np.maximum(counts, 1), dtype=np.float64)


def _step(links: sp.csr_matrix, chance: np.ndarray) -> np.ndarray:
    """One step of the walk from ``chance``: the graph is symmetric, so the walker's next
    position is ``links @ (chance / degree)``, read from the rows where it stands when it
    stands on few of them."""
    share = chance / _degrees(links)
    where = np.flatnonzero(share)
    if len(where) * SPARSE_SHARE > len(share):
        return np.asarray(links @ share)
    return np.asarray(links[where].T @ share[where])


def rerank(
    index: MatchIndex,
    question: Question,
    scores: np.ndarray,
    signals: dict[str, np.ndarray],
    trees: Ranker,
    *,
    count: int = RERANKED,
    keep_types: bool = False,
) -> np.ndarray:
    """``scores`` (the weighted sum; -inf for rows never to suggest) with the ``count``
    best rows scored by ``trees`` instead, as a chance in (0, 1) (the logistic of the trees'
    sum), and every other row moved below them in the same order. With ``keep_types`` the
    trees only re-order the candidates of each organisation type among themselves
    (``held_places``); a candidate without past projects keeps its place there too.
    Pure."""
    rows = candidate_rows(scores, count)
    if len(rows) == 0:
        return scores
    matrix = candidate_features(index, question, signals, rows, names=trees.features)
    chances = 1.0 / (1.0 + np.exp(-trees.predict(matrix)))
    unknown = [row for row in rows.tolist() if not index.profiles[row].projects]
    if keep_types or unknown:
        chances = held_places(index, rows, chances, keep_types=keep_types)
    result = scores.astype(np.float64)
    others = np.isfinite(result)
    others[rows] = False
    if others.any():
        result[others] += float(chances.min()) - 1.0 - float(result[others].max())
    result[rows] = chances
    return result


def held_places(
    index: MatchIndex, rows: np.ndarray, chances: np.ndarray, *, keep_types: bool
) -> np.ndarray:
    """Each of ``rows`` (the candidates, best first by the weighted score) gets a place in
    that order held by its group, the group's candidates taking its places in the order of
    ``chances``: with ``keep_types`` (a question that names no kind) a group is an organisation
    type, so that the list has the weighted score's type at every rank and the ranker cannot
    favour a type the user did not ask for; else all candidates are one. A candidate without past projects (registered by hand, not from
    CORDIS) is a group of its own and keeps the weighted score's place: the rankers were
    fitted on organisations with projects, and most of what they read (the projects' words,
    votes, walks, the number of projects) is 0 for it for lack of projects, not for lack of
    a match; they would put it last. Returns what the list is sorted by:
    ``1 - place / len(rows)``, in (0, 1], highest first. Pure."""
    places: dict[object, list[int]] = {}
    for place, row in enumerate(rows.tolist()):
        profile = index.profiles[row]
        group = (profile.type if keep_types else None) if profile.projects else ("own", row)
        places.setdefault(group, []).append(place)
    found = np.empty(len(rows), dtype=np.int64)
    for held in places.values():
        positions = np.array(held, dtype=np.int64)
        found[positions[np.argsort(-chances[positions], kind="stable")]] = positions
    return 1.0 - found / len(rows)
