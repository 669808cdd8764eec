"""Scoring a question against a hand-made registry: ranking, exclusions and signals."""

import numpy as np
import pytest

from clusterbridge.engines.matching.profile import MatchQuery
from clusterbridge.engines.matching.score import (
    DEFAULT_WEIGHTS,
    DENSE_WEIGHTS,
    suggest,
    vectorise,
    weights_for,
)
from tests.engines.matching.registry import registry_index

pytestmark = pytest.mark.unit


def _ids(query: MatchQuery) -> list[int]:
    # The weighted score alone; test_rerank covers the trees that re-order its best.
    index = registry_index()
    scored, _vectors = suggest(index, query, reranked=False)
    return [index.profiles[item.row].id for item in scored]


def test_suggest_for_traditional_sme_ranks_past_partner_then_provider_of_its_need() -> None:
    # Hydrogen Lab shared GREENSTEEL (and its words) with Steel Works; Vision AI offers the
    # machine vision Steel Works needs, next door; Cloud Co is a tech-savvy partner's partner.
    assert _ids(MatchQuery(members=(1,), top=3)) == [3, 2, 5]


def test_suggest_for_tech_savvy_sme_puts_the_sme_that_needs_its_offer_first() -> None:
    # The Bakery needs the cloud computing Cloud Co offers, is a traditional SME (a customer)
    # and is in its region; Hydrogen Lab is a past partner, but the most active organisation
    # of this registry (popularity has a negative weight).
    assert _ids(MatchQuery(members=(5,), top=2)) == [4, 3]


def test_suggest_scores_are_the_weighted_signals() -> None:
    index = registry_index()

    scored, _vectors = suggest(index, MatchQuery(members=(1,), top=3), reranked=False)

    cloud = scored[2]
    assert index.profiles[cloud.row].id == 5
    # Without an idea the members' words are the topic ("hydrogen", from H2CLOUD and
    # GREENSTEEL), weight 1; partners of partners 1 / (1 + 4) = 0.2, weight 0.113; tech-savvy
    # for a traditional SME 1, weight 0.1; popularity ln 2 / ln 3, weight -0.216.
    assert cloud.signals["idea"] == pytest.approx(0.0782, abs=1e-4)
    expected = cloud.signals["idea"] + 0.113 * 0.2 + 0.1 * 1.0 - 0.216 * 0.63093
    assert cloud.score == pytest.approx(expected, abs=1e-5)
    assert cloud.signals["popularity"] == pytest.approx(0.6309, abs=1e-4)


def test_project_signals_vote_with_squared_cosines_of_past_projects() -> None:
    index = registry_index()

    scored, _vectors = suggest(index, MatchQuery(members=(1,), idea="hydrogen electrolysers"))
    signals = {index.profiles[s.row].id: s.signals for s in scored}

    # Project IDF over 3 projects: "hydrogen" (GREENSTEEL, H2CLOUD) ln(4/3) + 1, every other
    # word ln(4/2) + 1. Cosine of the idea with GREENSTEEL 0.2434, with H2CLOUD 0.6641.
    greensteel, h2cloud = 0.2434**2, 0.6641**2
    assert signals[3]["similar_projects"] == pytest.approx(
        (greensteel + h2cloud) / (greensteel + h2cloud + 0.05), abs=1e-3
    )
    assert signals[5]["similar_projects"] == pytest.approx(h2cloud / (h2cloud + 0.05), abs=1e-3)
    # Only Hydrogen Lab took part in a project with the member (GREENSTEEL, one member).
    assert signals[3]["topic_collaborations"] == pytest.approx(
        greensteel / (greensteel + 0.05), abs=1e-3
    )
    assert signals[5]["topic_collaborations"] == 0.0
    # Steel Works is the one member, in Vision AI's country.
    assert signals[2]["same_country"] == 1.0


def test_weights_follow_the_question_s_dense_vector() -> None:
    index = registry_index()
    query = MatchQuery(idea="hydrogen")

    plain = vectorise(index, query, dense=None)
    dense = vectorise(index, query, dense=np.ones(4, dtype=np.float32) / 2)

    assert weights_for(plain) is DEFAULT_WEIGHTS
    assert weights_for(dense) is DENSE_WEIGHTS
    assert DEFAULT_WEIGHTS.dense == 0.0


def test_suggest_never_returns_members_or_excluded() -> None:
    ids = _ids(MatchQuery(members=(1, 2), exclude=frozenset({3}), top=10))

    # Both complement an SME member (0.1); Cloud Co, a partner's partner, is also more active.
    assert ids == [4, 5]


def test_suggest_with_only_keeps_those_candidates() -> None:
    # The Bakery has nothing in common with Steel Works, so it is not suggested at all.
    assert _ids(MatchQuery(members=(1,), only=frozenset({4, 5}), top=10)) == [5]


def test_suggest_for_an_idea_alone_ranks_by_shared_words() -> None:
    assert _ids(MatchQuery(idea="hydrogen electrolysers", top=5)) == [3, 5, 1]


def test_suggest_drops_candidates_without_any_signal() -> None:
    assert _ids(MatchQuery(idea="bread ovens", top=5)) == [4]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"members": (1,), "top": 0}, "top must be between 1 and 100, not 0"),
        ({"members": (1,), "top": 101}, "top must be between 1 and 100, not 101"),
        ({"idea": "  "}, "a question needs members, guests or an idea"),
    ],
)
def test_match_query_refuses_bad_questions(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        MatchQuery(**kwargs)  # type: ignore[arg-type]
