"""The reasons given for suggestions, word for word, from the hand-made registry."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from clusterbridge.domain.consortium import Application, Consortium, Partner
from clusterbridge.domain.enums import OrgType, Role
from clusterbridge.engines.matching.eligibility import eligibility_gains
from clusterbridge.engines.matching.index import build_index
from clusterbridge.engines.matching.profile import MatchQuery, OrgProfile, ProjectInfo, Technology
from clusterbridge.engines.matching.reasons import explain
from clusterbridge.engines.matching.score import suggest
from clusterbridge.services.calls.catalogue import load_catalogue
from tests.engines.matching.registry import PROJECTS, registry_index

pytestmark = pytest.mark.unit

NOW = datetime(2024, 12, 1, tzinfo=UTC)


def _reasons(query: MatchQuery) -> dict[int, list[str]]:
    # The weighted score picks the candidates, so that these stay the same small set.
    index = registry_index()
    scored, vectors = suggest(index, query, reranked=False)
    return {index.profiles[s.row].id: explain(index, query, vectors, s) for s in scored}


def test_reasons_for_a_traditional_sme_name_projects_technologies_and_region() -> None:
    reasons = _reasons(MatchQuery(members=(1,), idea="hydrogen electrolysers", top=3))

    # "electrolysers" is in the idea and in H2CLOUD only: a word of a single project is not
    # named as a topic. H2CLOUD is the past project most similar to the idea.
    assert reasons == {
        3: [
            "shared topics with the idea: hydrogen",
            "took part in 2 of the 2 past projects most similar to the idea: H2CLOUD (Hydrogen "
            "data); GREENSTEEL (Green steel)",
            "worked with Steel Works (GREENSTEEL)",
            "a research organisation, for Steel Works (a traditional SME)",
        ],
        5: [
            "shared topics with the idea: hydrogen",
            "took part in 1 of the 2 past projects most similar to the idea: H2CLOUD (Hydrogen "
            "data)",
            "worked with partners of your partners: Hydrogen Lab",
            "a tech-savvy SME, for Steel Works (a traditional SME)",
        ],
        2: [
            "offers Machine vision, which Steel Works needs",
            "a tech-savvy SME, for Steel Works (a traditional SME)",
            "in the same region as Steel Works: DE21 Oberbayern",
        ],
    }


def test_reasons_without_an_idea_name_the_projects_with_the_shared_words() -> None:
    reasons = _reasons(MatchQuery(members=(1,), top=2))

    assert reasons[3][:2] == [
        "shared topics with the members' work: hydrogen, steel",
        "past projects on these topics: GREENSTEEL (Green steel); H2CLOUD (Hydrogen data)",
    ]


def test_reasons_for_a_tech_savvy_sme_name_its_customer() -> None:
    reasons = _reasons(MatchQuery(members=(5,), top=2))

    assert reasons[4] == [
        "needs Cloud computing, which Cloud Co offers",
        "a traditional SME, a potential customer of Cloud Co",
        "in the same region as Cloud Co: FR10 Ile-de-France",
    ]


def test_reasons_name_the_nuts3_area_of_a_member_before_its_region() -> None:
    guest = OrgProfile(-1, "Munich Cluster", "DE", nuts="DE213")

    reasons = _reasons(MatchQuery(guests=(guest,), idea="machine vision inspection", top=1))

    assert reasons[2][-1] == "in the same area as Munich Cluster: DE213 Rosenheim, Kreisfreie Stadt"


def test_eligibility_gains_name_the_less_developed_region() -> None:
    call = load_catalogue().get("SMP-COSME-2024-CLUSTER")
    cluster = {"type": OrgType.CLUSTER_ORGANISATION, "role": Role.BENEFICIARY}
    team = Consortium(
        (
            Partner("A", "DE", nuts="DE212", **cluster),  # type: ignore[arg-type]
            Partner("B", "FR", nuts="FR101", **cluster),  # type: ignore[arg-type]
        )
    )
    candidate = Partner("Rzeszow Cluster", "PL", nuts="PL823", **cluster)  # type: ignore[arg-type]

    gains = eligibility_gains(call, Application(team, strand="1"), candidate, now=NOW)

    assert gains == [
        "SMP-COSME-2024-CLUSTER: Three cluster organisations or networks from three EU Member "
        "States: adds PL (fail → pass)",
        "SMP-COSME-2024-CLUSTER: located in a less developed region (2021-2027): PL82 "
        "Podkarpackie (fail → pass)",
    ]


def test_reasons_name_distinctive_words_never_common_or_generic_ones() -> None:
    # 30 projects of 40 are about "production lines"; "furnace" is a keyword of two; "moves"
    # is generic; "idle" is in two objectives only, never a title or keywords.
    projects = {
        n: ProjectInfo(
            n,
            f"P{n}",
            "Production line" if n < 30 else "Other",
            "production line furnace moves idle" if n < 2 else "production line",
            "furnace, moves" if n < 2 else "",
        )
        for n in range(40)
    }
    profiles = [OrgProfile(100 + n, f"Org {n}", "DE", projects=(n,)) for n in range(40)]
    index = build_index(profiles, projects)
    query = MatchQuery(idea="furnace production moves line idle", top=1)
    scored, vectors = suggest(index, query, reranked=False)

    reasons = explain(index, query, vectors, scored[0])

    assert reasons[0] == "shared topics with the idea: furnace"


def test_reasons_name_the_evidence_of_a_derived_technology() -> None:
    index = registry_index()
    vision = index.profiles[index.rows[2]]
    proven = replace(
        vision, offered=(Technology("ati-vision", "Machine vision", "2 projects, e.g. INSPECT"),)
    )
    index = build_index((index.profiles[0], proven, *index.profiles[2:]), PROJECTS)
    query = MatchQuery(members=(1,), kind="tech_savvy", new_only=True, top=1)
    scored, vectors = suggest(index, query, reranked=False)

    reasons = explain(index, query, vectors, scored[0])

    assert reasons[1] == (
        "offers Machine vision (2 projects, e.g. INSPECT), which Steel Works needs"
    )
