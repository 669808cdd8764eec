"""Organisations without past projects listed beside the suggestions ("Registered here, no
projects yet"), on the hand-made registry, where the Bakery has no projects."""

from dataclasses import replace

import numpy as np
import pytest

from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.engines.matching.index import MatchIndex, build_index
from clusterbridge.engines.matching.profile import MatchQuery, OrgProfile
from clusterbridge.engines.matching.reasons import explain
from clusterbridge.engines.matching.score import (
    NEWCOMERS,
    Suggested,
    newcomers_of,
    suggest,
    suggest_with_newcomers,
)
from tests.engines.matching.registry import (
    BAKERY,
    PROFILES,
    PROJECTS,
    STEEL,
    VISION,
    registry_index,
)

pytestmark = pytest.mark.unit


def _names(index: MatchIndex, found: Suggested) -> tuple[list[str], list[str]]:
    return (
        [index.profiles[s.row].name for s in found.suggestions],
        [index.profiles[s.row].name for s in found.newcomers],
    )


def test_a_newcomer_whose_declared_needs_match_is_listed_beside_the_suggestions() -> None:
    # Cloud Co asks about hydrogen electrolysers for one partner: Hydrogen Lab (its projects)
    # is the suggestion; the Bakery, without projects, declares a need for the cloud computing
    # Cloud Co offers, in its region.
    index = registry_index()
    query = MatchQuery(members=(5,), idea="hydrogen electrolysers steel", top=1)

    found = suggest_with_newcomers(index, query, reranked=False)

    assert _names(index, found) == (["Hydrogen Lab"], ["Bakery"])
    (bakery,) = found.newcomers
    assert bakery.match == 69
    assert explain(index, query, found.vectors, bakery, newcomer=True) == [
        "declares a need for Cloud computing, which Cloud Co offers (no projects yet)",
        "a traditional SME, a potential customer of Cloud Co",
        "in the same region as Cloud Co: FR10 Ile-de-France",
    ]
    # The same candidate as a suggestion keeps the usual words.
    assert explain(index, query, found.vectors, bakery)[0] == (
        "needs Cloud computing, which Cloud Co offers"
    )


def test_newcomers_leave_the_suggestions_as_suggest_lists_them() -> None:
    index = registry_index()
    questions = [
        MatchQuery(members=(5,), idea="hydrogen electrolysers steel", top=1),
        MatchQuery(members=(1,), top=3),
        MatchQuery(members=(1,), idea="steel", kind="tech_savvy", top=2),
        MatchQuery(members=(3,), idea="hydrogen bread baking", top=1, new_only=True),
        MatchQuery(idea="cloud bread ovens", top=2),
    ]
    for query in questions:
        for reranked in (False, True):
            listed, _vectors = suggest(index, query, reranked=reranked)
            found = suggest_with_newcomers(index, query, reranked=reranked)
            assert found.suggestions == listed
            assert {s.row for s in found.newcomers}.isdisjoint({s.row for s in listed})


def test_a_newcomer_already_in_the_list_is_not_listed_again() -> None:
    # Asked for traditional SMEs, the Bakery is the suggestion itself.
    index = registry_index()
    query = MatchQuery(members=(5,), idea="hydrogen electrolysers steel", top=1, kind="traditional")

    assert _names(index, suggest_with_newcomers(index, query, reranked=False)) == (["Bakery"], [])


@pytest.mark.parametrize(
    "filters",
    [
        {"kind": "research_organisation"},
        {"kind": "tech_savvy"},
        {"countries": frozenset({"PL"})},
        {"exclude": frozenset({4})},
    ],
)
def test_newcomers_keep_the_question_s_filters(filters: dict[str, object]) -> None:
    index = registry_index()
    query = MatchQuery(members=(5,), idea="hydrogen electrolysers steel", top=1, **filters)  # type: ignore[arg-type]

    assert suggest_with_newcomers(index, query, reranked=False).newcomers == []


def test_in_a_question_with_technologies_a_newcomer_must_match_them() -> None:
    # Steel Works needs machine vision: the Bakery's description matches the idea, but it
    # declares nothing Steel Works needs or offers.
    index = registry_index()
    query = MatchQuery(members=(1,), idea="bread baking", top=1)

    found = suggest_with_newcomers(index, query, reranked=False)

    assert found.vectors.idea.nnz
    assert _names(index, found) == (["Vision AI"], [])


def test_in_a_question_without_technologies_a_newcomer_matches_by_its_description() -> None:
    # Hydrogen Lab declares no technologies: the Bakery's own words match the idea's.
    index = registry_index()
    query = MatchQuery(members=(3,), idea="hydrogen bread baking", top=1)

    found = suggest_with_newcomers(index, query, reranked=False)

    assert _names(index, found) == (["Cloud Co"], ["Bakery"])
    assert found.newcomers[0].match == 60
    assert explain(index, query, found.vectors, found.newcomers[0], newcomer=True) == [
        "its own description is close to the idea"
    ]
    # Without words in common, nobody: a description unrelated to the idea is no match.
    unrelated = MatchQuery(members=(3,), idea="hydrogen electrolysers", top=1)
    assert suggest_with_newcomers(index, unrelated, reranked=False).newcomers == []


def _with_vision_newcomers(*extra: OrgProfile) -> MatchIndex:
    return build_index((*PROFILES, *extra), PROJECTS)


def _vision_sme(number: int, nuts: str, country: str = "DE", **fields: object) -> OrgProfile:
    return OrgProfile(
        number, f"Vision {number}", country, type=OrgType.SME,
        sme_profile=SmeProfile.TECH_SAVVY, nuts=nuts, text="cameras", offered=(VISION,),
        **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def test_at_most_newcomers_are_listed_by_match_then_region_then_id() -> None:
    # Seven SMEs without projects declare the machine vision Steel Works (DE212) needs, with
    # the same words: the one in its region (DE21) first, then its country, then the others,
    # each group by id; five are listed.
    extra = [
        _vision_sme(10, "FR101", "FR"),
        _vision_sme(11, "DE300"),
        _vision_sme(12, "DE219"),
        _vision_sme(13, "ES511", "ES"),
        _vision_sme(14, "DE300"),
        _vision_sme(15, "IT111", "IT"),
        _vision_sme(16, "PL823", "PL"),
    ]
    index = _with_vision_newcomers(*extra)
    query = MatchQuery(members=(1,), kind="tech_savvy", top=1, new_only=True)

    found = suggest_with_newcomers(index, query, reranked=False)

    assert NEWCOMERS == 5
    assert [index.profiles[s.row].id for s in found.suggestions] == [2]
    assert [index.profiles[s.row].id for s in found.newcomers] == [12, 11, 14, 10, 13]
    # Technologies 1 / (1 + 1) (weight 1), a tech-savvy SME for a traditional one (0.3); the
    # match counts the same country (0.122) and region (0.173, half in the country) though
    # new partners only does not choose by them: 1.095, 1.0085 and 0.8 of 0.5 more.
    assert [s.match for s in found.newcomers] == [69, 67, 67, 62, 62]


def test_newcomers_leave_out_competitors_and_organisations_with_projects() -> None:
    # A traditional SME in Steel Works' region and sector that needs machine vision too is a
    # competitor; Hydrogen Lab has projects.
    rival = replace(STEEL, id=20, name="Rival Steel", pic=None, projects=(), nuts="DE213")
    index = _with_vision_newcomers(rival, _vision_sme(21, "DE300"))
    query = MatchQuery(members=(1,), idea="steel hydrogen", top=1)

    found = suggest_with_newcomers(index, query, reranked=False)

    assert _names(index, found)[1] == ["Vision 21"]


def test_newcomers_of_orders_by_score_then_region_then_id() -> None:
    index = _with_vision_newcomers(
        _vision_sme(10, "FR101", "FR"), _vision_sme(11, "DE300"), _vision_sme(12, "DE219")
    )
    rows = [index.rows[i] for i in (10, 11, 12, 4, 2)]
    weighted = np.zeros(index.size)
    weighted[rows] = [0.5, 0.5, 0.5, 0.7, 0.9]
    region = np.zeros(index.size, dtype=np.float32)
    region[rows] = [0.0, 0.5, 1.0, 0.0, 1.0]
    candidates = np.zeros(index.size, dtype=bool)
    candidates[rows] = True

    found = newcomers_of(index, [], weighted, {"same_region": region}, candidates, limit=3)

    # Vision AI (row of id 2) has projects: never a newcomer.
    assert [index.profiles[s.row].id for s in found] == [4, 12, 11]
    assert [s.score for s in found] == [0.7, 0.5, 0.5]
    assert found[0].signals == {"same_region": 0.0}
    listed = found[:1]
    again = newcomers_of(index, listed, weighted, {"same_region": region}, candidates, limit=9)
    assert [index.profiles[s.row].id for s in again] == [12, 11, 10]
    assert newcomers_of(index, [], weighted, {"same_region": region}, candidates, limit=0) == []
    assert BAKERY.projects == ()
