"""The catalogue's ranking: the other side in another country, scored by what the profiles
share, with the exact order and reasons."""

import pytest

from clusterbridge.engines.exchanges import CatalogueProfile, Suggestion, Topic, rank_catalogue

pytestmark = pytest.mark.unit

ROBOTS = Topic("robotics", "Robotics")
TEXTILE = Topic("smart-textiles", "Smart textiles")
AI = Topic("ai", "Artificial intelligence")

VERA = CatalogueProfile(
    id=1,
    name="Munich Cluster",
    country="DE",
    offered=(ROBOTS,),
    needed=(TEXTILE, AI),
    ecosystems=("Textiles",),
    sectors=("Fashion",),
    preferred_countries=("PT",),
    activity_types=("knowledge sharing",),
)


def test_rank_catalogue_orders_by_shared_interests_with_reasons() -> None:
    porto = CatalogueProfile(
        id=10,
        name="Porto Cluster",
        country="PT",
        offered=(TEXTILE, AI),
        needed=(Topic("robotics", "Robots"),),
        ecosystems=("Textiles", "Digital"),
        sectors=("fashion ",),
        preferred_countries=("DE",),
        activity_types=("knowledge sharing", "networking"),
    )
    lyon = CatalogueProfile(
        id=11, name="Lyon Hub", country="FR", activity_types=("knowledge sharing",)
    )
    braga = CatalogueProfile(id=12, name="braga Hub", country="PT")
    berlin = CatalogueProfile(id=13, name="Berlin Hub", country="DE", offered=(TEXTILE,))
    arad = CatalogueProfile(id=14, name="Arad Hub", country="RO")

    ranked = rank_catalogue(VERA, [lyon, braga, berlin, arad, porto])

    assert ranked == [
        Suggestion(
            10,
            3 * 3 + 2 + 1 + 1 + 1 + 1,
            (
                "offers Smart textiles, Artificial intelligence, which you need",
                "needs Robots, which you offer",
                "is in Portugal, a country you prefer",
                "prefers your country, Germany",
                "shares your activities: knowledge sharing",
                "shares your ecosystems: Textiles",
                "shares your sectors: fashion",
            ),
        ),
        Suggestion(12, 2, ("is in Portugal, a country you prefer",)),
        Suggestion(11, 1, ("shares your activities: knowledge sharing",)),
        Suggestion(14, 0, ()),
    ]


def test_rank_catalogue_breaks_ties_by_name_then_id() -> None:
    others = [
        CatalogueProfile(id=7, name="Zagreb Hub", country="HR"),
        CatalogueProfile(id=5, name="athens hub", country="GR"),
        CatalogueProfile(id=3, name="Athens Hub", country="GR"),
    ]

    ranked = rank_catalogue(VERA, others)

    assert [s.id for s in ranked] == [3, 5, 7]


def test_rank_catalogue_is_empty_without_another_country() -> None:
    assert rank_catalogue(VERA, [CatalogueProfile(id=2, name="Bonn", country="DE")]) == []
