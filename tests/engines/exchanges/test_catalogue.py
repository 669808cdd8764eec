"""The catalogue's ranking: the other side in another country, the matching engine's
similarity of the registry profiles plus what the enrolments share, as a match from 0 to 100,
with the exact order and reasons."""

import pytest

from clusterbridge.engines.exchanges import (
    CatalogueProfile,
    Similarity,
    Suggestion,
    rank_catalogue,
)

pytestmark = pytest.mark.unit

VERA = CatalogueProfile(
    id=1,
    name="Munich Cluster",
    country="DE",
    sectors=("Fashion",),
    preferred_countries=("PT",),
    activity_types=("knowledge sharing",),
)
PORTO = CatalogueProfile(
    id=10,
    name="Porto Cluster",
    country="PT",
    sectors=("fashion ",),
    preferred_countries=("DE",),
    activity_types=("knowledge sharing", "networking"),
)
ENGINE = Similarity(0.6, ("offers Smart textiles, which Munich Cluster needs",))


def test_rank_catalogue_adds_the_enrolments_to_the_engines_similarity() -> None:
    lyon = CatalogueProfile(
        id=11, name="Lyon Hub", country="FR", activity_types=("knowledge sharing",)
    )
    braga = CatalogueProfile(id=12, name="braga Hub", country="PT")
    berlin = CatalogueProfile(id=13, name="Berlin Hub", country="DE")
    arad = CatalogueProfile(id=14, name="Arad Hub", country="RO")
    # The engine's popularity damping can make a score negative: it counts as nothing.
    similarity = {10: ENGINE, 13: Similarity(2.0, ("same topics",)), 14: Similarity(-0.2)}

    ranked = rank_catalogue(VERA, [lyon, braga, berlin, arad, PORTO], similarity)

    # 0.6 + 0.2 (a preferred country) + 0.1 (prefers Germany) + 0.1 * 1/2 (one activity)
    # + 0.1 * 1/2 (one sector) = 1.0, a match of 100 * 1.0 / 1.5.
    assert ranked == [
        Suggestion(
            10,
            67,
            (
                "offers Smart textiles, which Munich Cluster needs",
                "is in Portugal, a country you prefer",
                "prefers your country, Germany",
                "shares your activities: knowledge sharing",
                "shares your sectors: fashion",
            ),
            pytest.approx(1.0),
        ),
        Suggestion(12, 29, ("is in Portugal, a country you prefer",), pytest.approx(0.2)),
        Suggestion(11, 9, ("shares your activities: knowledge sharing",), pytest.approx(0.05)),
        Suggestion(14, 0, (), 0.0),
    ]


def test_the_engines_similarity_outranks_a_preferred_country() -> None:
    braga = CatalogueProfile(id=12, name="Braga Hub", country="PT")
    close = CatalogueProfile(id=20, name="Zagreb Hub", country="HR")

    ranked = rank_catalogue(VERA, [braga, close], {20: Similarity(0.3, ("shared topics",))})

    assert [(s.id, s.score) for s in ranked] == [(20, 38), (12, 29)]


def test_rank_catalogue_breaks_ties_by_name_then_id() -> None:
    others = [
        CatalogueProfile(id=7, name="Zagreb Hub", country="HR"),
        CatalogueProfile(id=5, name="athens hub", country="GR"),
        CatalogueProfile(id=3, name="Athens Hub", country="GR"),
    ]

    ranked = rank_catalogue(VERA, others, {})

    assert [s.id for s in ranked] == [3, 5, 7]


def test_rank_catalogue_is_empty_without_another_country() -> None:
    assert rank_catalogue(VERA, [CatalogueProfile(id=2, name="Bonn", country="DE")], {}) == []
