"""Re-ranking with trees: tree arithmetic, walks, candidates and the shipped rankers."""

import numpy as np
import pytest

from clusterbridge.engines.matching.profile import MatchQuery
from clusterbridge.engines.matching.rerank import (
    EXTRA_FEATURES,
    SCORE_SIGNALS,
    Linear,
    Question,
    candidate_features,
    candidate_rows,
    held_places,
    member_walk,
    ranker_from,
    rerank,
    shipped_trees,
    trees_from,
)
from clusterbridge.engines.matching.score import (
    DEFAULT_WEIGHTS,
    score_rows,
    suggest,
    vectorise,
)
from tests.engines.matching.registry import registry_index

pytestmark = pytest.mark.unit

# Tree 1: projects <= 1.5 → 0.5, else (popularity <= 0.2 → 2.0, else 1.0). Tree 2: a stump.
HAND_MADE = {
    "features": ["projects", "popularity"],
    "baseline": -1.0,
    "depth": 2,
    "trees": [
        {
            "feature": [0, 0, 1, 0, 0],
            "threshold": [1.5, 0.0, 0.2, 0.0, 0.0],
            "left": [1, -1, 3, -1, -1],
            "right": [2, -1, 4, -1, -1],
            "value": [0.0, 0.5, 0.0, 2.0, 1.0],
        },
        {
            "feature": [1, 0, 0],
            "threshold": [0.5, 0.0, 0.0],
            "left": [1, -1, -1],
            "right": [2, -1, -1],
            "value": [0.0, 0.25, -0.25],
        },
    ],
}


def test_trees_add_up_the_leaves_each_row_reaches() -> None:
    trees = trees_from(HAND_MADE)
    rows = np.array([[1.0, 0.9], [2.0, 0.1], [2.0, 0.5], [1.5, 0.5]])

    scores = trees.predict(rows)

    # A threshold is inclusive: 1.5 <= 1.5 and 0.5 <= 0.5 go left.
    assert scores.tolist() == [-1.0 + 0.5 - 0.25, -1.0 + 2.0 + 0.25, -1.0 + 1.0 + 0.25, -0.25]


def test_trees_from_refuses_a_ranker_without_trees() -> None:
    with pytest.raises(ValueError, match="a ranker needs at least one tree"):
        trees_from(HAND_MADE | {"trees": []})


def test_candidate_rows_are_the_best_finite_scores_ties_by_row() -> None:
    scores = np.array([0.2, -np.inf, 0.7, 0.2, 0.9, 0.1])

    assert candidate_rows(scores, 3).tolist() == [4, 2, 0]
    assert candidate_rows(scores).tolist() == [4, 2, 0, 3, 5]


def test_member_walk_from_steel_works_reaches_its_partner_and_its_partner_s_partner() -> None:
    index = registry_index()

    chance = member_walk(index, [index.rows[1]], np.arange(index.size))

    # Steel Works — Hydrogen Lab (GREENSTEEL) — Cloud Co (H2CLOUD); four steps, restart 0.3.
    by_id = {p.id: float(chance[row]) for row, p in enumerate(index.profiles)}
    assert by_id == pytest.approx({1: 0.49355, 2: 0.0, 3: 0.3129, 4: 0.0, 5: 0.19355}, abs=1e-6)


def test_rerank_orders_candidates_by_the_trees() -> None:
    index = registry_index()
    query = MatchQuery(members=(1,), top=5)
    vectors = vectorise(index, query, dense=None)
    scores, signals = score_rows(index, vectors, query, DEFAULT_WEIGHTS)
    scores = scores.astype(np.float64)
    # Steel Works asks; the Bakery, without projects, keeps its own place (the next test).
    scores[[index.rows[1], index.rows[4]]] = -np.inf
    question = Question(vectors.members, query, vectors.projects)

    ranked = rerank(index, question, scores, signals, trees_from(HAND_MADE))

    # Hydrogen Lab has two projects (tree 1: 1.0, tree 2: -0.25, it is the most active); the
    # others one or none and a lower popularity.
    order = [index.profiles[row].id for row in np.argsort(-ranked, kind="stable")]
    assert order[0] == 3
    # Its score is the logistic of the trees' sum: 1 / (1 + e^0.25).
    assert ranked[index.rows[3]] == pytest.approx(1 / (1 + np.exp(0.25)), abs=1e-12)
    assert ranked[index.rows[1]] == -np.inf


def test_rerank_leaves_a_candidate_without_projects_at_the_weighted_score_s_place() -> None:
    index = registry_index()
    query = MatchQuery(members=(1,), top=5)
    vectors = vectorise(index, query, dense=None)
    _, signals = score_rows(index, vectors, query, DEFAULT_WEIGHTS)
    # The Bakery, registered by hand without projects, first by the weighted score.
    weighted = {1: -np.inf, 2: 0.4, 3: 0.3, 4: 0.9, 5: 0.2}
    scores = np.array([weighted[p.id] for p in index.profiles])
    question = Question(vectors.members, query, vectors.projects)

    ranked = rerank(index, question, scores, signals, trees_from(HAND_MADE))

    # The trees would put it last for lack of projects (the fewest, the lowest popularity);
    # it keeps the 1st place, and the trees order the others in the places left.
    order = [index.profiles[row].id for row in np.argsort(-ranked, kind="stable")]
    assert order == [4, 3, 2, 5, 1]
    assert ranked[index.rows[4]] == 1.0
    chances = rerank(
        index, question, np.where(np.arange(index.size) == index.rows[4], -np.inf, scores),
        signals, trees_from(HAND_MADE),
    )  # fmt: skip
    assert [index.profiles[row].id for row in np.argsort(-chances, kind="stable")][:3] == [3, 2, 5]


@pytest.mark.parametrize(
    ("name", "features"),
    [
        ("core", (*SCORE_SIGNALS, *EXTRA_FEATURES)),
        ("dense", (*SCORE_SIGNALS, *EXTRA_FEATURES, "dense")),
        ("kind", (*SCORE_SIGNALS, "members_text", *EXTRA_FEATURES)),
        ("new", (*SCORE_SIGNALS, "members_text", *EXTRA_FEATURES)),
    ],
)
def test_shipped_trees_read_the_features_the_engine_computes(
    name: str, features: tuple[str, ...]
) -> None:
    ranker = shipped_trees(name)

    assert ranker.features == features
    if isinstance(ranker, Linear):
        assert ranker.weights.shape == (len(features),)
    else:
        assert int(ranker.feature.max()) < len(ranker.features)


def test_candidate_features_follow_the_names_asked_for() -> None:
    index = registry_index()
    query = MatchQuery(members=(1,), idea="hydrogen electrolysers")
    vectors = vectorise(index, query, dense=None)
    _scores, signals = score_rows(index, vectors, query, DEFAULT_WEIGHTS)
    question = Question(vectors.members, query, vectors.projects)
    rows = np.array([index.rows[3], index.rows[5]])

    matrix = candidate_features(
        index, question, signals, rows, names=("distinct_members", "projects", "consortium_size")
    )

    # Hydrogen Lab worked with Steel Works and has two projects; Cloud Co neither.
    assert matrix.tolist() == [[1.0, 2.0, 1.0], [0.0, 1.0, 1.0]]


def test_suggest_reranks_with_the_shipped_trees_and_keeps_its_rules() -> None:
    index = registry_index()

    scored, _vectors = suggest(index, MatchQuery(members=(1, 2), exclude=frozenset({3}), top=10))

    # Members, excluded organisations and candidates without any evidence stay out.
    assert sorted(index.profiles[item.row].id for item in scored) == [4, 5]


def test_rerank_moves_rows_beyond_the_candidates_below_them_in_order() -> None:
    index = registry_index()
    query = MatchQuery(members=(1,), top=5)
    vectors = vectorise(index, query, dense=None)
    _scores, signals = score_rows(index, vectors, query, DEFAULT_WEIGHTS)
    scores = np.array([-np.inf, 0.5, 3.0, 2.0, 1.0])
    question = Question(vectors.members, query, vectors.projects)

    ranked = rerank(index, question, scores, signals, trees_from(HAND_MADE), count=2)

    # Hydrogen Lab and the Bakery (rows 2 and 3) are the two candidates; Vision AI and Cloud
    # Co keep their order below both.
    assert ranked[0] == -np.inf
    assert min(ranked[2], ranked[3]) > ranked[4] > ranked[1]


def test_a_logistic_ranker_weighs_the_logs_of_its_features() -> None:
    ranker = ranker_from(
        {
            "model": "logistic",
            "features": ["idea", "projects"],
            "weights": [2.0, -1.0],
            "intercept": 0.5,
        }
    )

    scores = ranker.predict(np.array([[0.3, 0.0], [0.0, 1.0], [-1.0, 0.1]]))

    # ln(1 + 10 x) of each feature, negative values read as 0.
    assert scores.tolist() == pytest.approx(
        [0.5 + 2 * np.log(4.0), 0.5 - np.log(11.0), 0.5 - np.log(2.0)]
    )
    with pytest.raises(ValueError, match="one weight per feature"):
        ranker_from(
            {"model": "logistic", "features": ["idea"], "weights": [1.0, 2.0], "intercept": 0}
        )


def test_held_places_keeping_types_gives_each_type_its_places_in_the_weighted_order() -> None:
    index = registry_index()
    # Best first by the weighted score: Steel Works (SME), Hydrogen Lab (research),
    # Cloud Co (SME), Vision AI (SME); the ranker prefers Cloud Co, then Hydrogen Lab.
    rows = np.array([index.rows[i] for i in (1, 3, 5, 2)])
    chances = np.array([0.1, 0.8, 0.9, 0.5])

    order = held_places(index, rows, chances, keep_types=True)

    # The SMEs' places (1st, 3rd, 4th) go to Cloud Co, Vision AI, Steel Works; Hydrogen Lab
    # keeps the 2nd although the ranker puts it above two SMEs.
    assert order.tolist() == [0.25, 0.75, 1.0, 0.5]
    ranked = [index.profiles[rows[i]].id for i in np.argsort(-order)]
    assert ranked == [5, 3, 2, 1]


def test_rerank_keeping_types_keeps_the_weighted_score_s_type_at_every_rank() -> None:
    index = registry_index()
    query = MatchQuery(idea="hydrogen steel cloud vision", top=5)
    vectors = vectorise(index, query, dense=None)
    scores, signals = score_rows(index, vectors, query, DEFAULT_WEIGHTS)
    scores = scores.astype(np.float64)
    question = Question(vectors.members, query, vectors.projects)

    def types(values: np.ndarray) -> list[object]:
        return [index.profiles[row].type for row in np.argsort(-values, kind="stable")]

    free = rerank(index, question, scores, signals, trees_from(HAND_MADE))
    kept = rerank(index, question, scores, signals, trees_from(HAND_MADE), keep_types=True)

    # The hand-made trees lift Hydrogen Lab (research) to the top; keeping the types, the
    # first place stays an SME's, as in the weighted score.
    assert types(free)[0] is not types(scores)[0]
    assert types(kept) == types(scores)
