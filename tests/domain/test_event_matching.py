"""Suggested meetings: word overlap and complementary profiles, with their reasons."""

import pytest

from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.domain.event_matching import MatchProfile, MatchSuggestion, suggest_matches

pytestmark = pytest.mark.unit

WEAVER = MatchProfile(
    key=1,
    offers="Technical textiles, weaving capacity",
    needs="Digital twins and sensors for our looms",
    org_type=OrgType.SME,
    sme_profile=SmeProfile.TRADITIONAL,
)


def test_suggest_matches_explains_every_point() -> None:
    sensor_firm = MatchProfile(
        key=2,
        offers="Sensors and digital twins",
        needs="Textiles for wearables",
        org_type=OrgType.SME,
        sme_profile=SmeProfile.TECH_SAVVY,
    )
    cluster = MatchProfile(key=3, offers="Network", needs="", org_type=OrgType.CLUSTER_ORGANISATION)
    stranger = MatchProfile(
        key=4, offers="Legal advice", needs="Office space", org_type=OrgType.OTHER
    )

    suggestions = suggest_matches(WEAVER, [stranger, cluster, sensor_firm, WEAVER])

    assert suggestions == [
        MatchSuggestion(
            2,
            3 * 3 + 3 + 5,
            (
                "offers what you look for: digital, sensors, twins",
                "looks for what you offer: textiles",
                "a traditional and a tech-savvy SME",
            ),
        ),
        MatchSuggestion(3, 2, ("an SME and a cluster organisation",)),
    ]


def test_suggest_matches_ignores_short_and_common_words_and_keeps_the_limit() -> None:
    others = [MatchProfile(key=k, offers="the new services for looms", needs="") for k in (9, 5, 7)]

    suggestions = suggest_matches(WEAVER, others, limit=2)

    assert suggestions == [
        MatchSuggestion(5, 3, ("offers what you look for: looms",)),
        MatchSuggestion(7, 3, ("offers what you look for: looms",)),
    ]
