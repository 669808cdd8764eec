"""The reasons given for suggestions, word for word, from the hand-made registry."""

import pickle
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from clusterbridge.domain.consortium import Application, Consortium, Partner
from clusterbridge.domain.enums import OrgType, Role, SmeProfile
from clusterbridge.engines.matching import reasons as reasons_module
from clusterbridge.engines.matching.eligibility import eligibility_gains
from clusterbridge.engines.matching.index import build_index
from clusterbridge.engines.matching.profile import MatchQuery, OrgProfile, ProjectInfo, Technology
from clusterbridge.engines.matching.reasons import (
    ReasonTables,
    explain,
    keep_reason_tables,
    reason_tables,
)
from clusterbridge.engines.matching.score import suggest
from clusterbridge.services.calls.catalogue import load_catalogue
from tests.engines.matching.registry import PROJECTS, STEEL, registry_index

pytestmark = pytest.mark.unit

NOW = datetime(2024, 12, 1, tzinfo=UTC)


def _reasons(query: MatchQuery) -> dict[int, list[str]]:
    # The weighted score picks the candidates, so that these stay the same small set.
    index = registry_index()
    scored, vectors = suggest(index, query, reranked=False)
    return {index.profiles[s.row].id: explain(index, query, vectors, s) for s in scored}


def test_reasons_for_a_traditional_sme_name_projects_technologies_and_region() -> None:
    reasons = _reasons(MatchQuery(members=(1,), idea="hydrogen electrolysers", top=3))

    # "electrolysers" is in the idea and in H2CLOUD's text only, no keyword nor technology:
    # never a topic. "hydrogen" names a technology, shown by H2CLOUD's title (not GREENSTEEL's:
    # its title and keywords do not have it). H2CLOUD is the past project most similar to the idea.
    assert reasons == {
        3: [
            "shared topics with the idea: Hydrogen technologies (H2CLOUD)",
            "took part in 2 of the 2 past projects most similar to the idea: H2CLOUD (Hydrogen "
            "data); GREENSTEEL (Green steel)",
            "worked with Steel Works (GREENSTEEL)",
            "a research organisation, for Steel Works (a traditional SME)",
        ],
        5: [
            "shared topics with the idea: Hydrogen technologies (H2CLOUD)",
            "took part in 1 of the 2 past projects most similar to the idea: H2CLOUD (Hydrogen "
            "data)",
            "worked with partners of the members: Hydrogen Lab (a partner of Steel Works)",
            "a tech-savvy SME, for Steel Works (a traditional SME)",
        ],
        2: [
            "offers Machine vision, which Steel Works needs",
            "a tech-savvy SME, for Steel Works (a traditional SME)",
            "in the same region as Steel Works: DE21 Oberbayern",
        ],
    }


def test_reasons_without_an_idea_name_the_topics_of_the_members_projects() -> None:
    reasons = _reasons(MatchQuery(members=(1,), kind="research_organisation", top=2))

    # GREENSTEEL's title, "Green steel", is a term of the industrial decarbonisation technology.
    assert reasons[3][0] == (
        "shared topics with Steel Works: Transformative industrial technologies for decarbonisation "
        "(GREENSTEEL)"
    )


def test_reasons_for_new_partners_only_never_speak_of_collaborations() -> None:
    # Cloud Co worked with Hydrogen Lab, a partner of Steel Works, never with Steel Works.
    asked = _reasons(MatchQuery(members=(1,), idea="hydrogen electrolysers", top=3))
    new = _reasons(MatchQuery(members=(1,), idea="hydrogen electrolysers", top=3, new_only=True))

    assert (
        "worked with partners of the members: Hydrogen Lab (a partner of Steel Works)" in asked[5]
    )
    assert new[5] == [
        "shared topics with the idea: Hydrogen technologies (H2CLOUD)",
        "took part in 1 of the 2 past projects most similar to the idea: H2CLOUD (Hydrogen data)",
        "a tech-savvy SME, for Steel Works (a traditional SME)",
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


def test_reasons_quote_distinctive_keywords_never_common_words() -> None:
    # "furnace" is a keyword of two projects; "production line" a keyword of 30 projects of 40;
    # "moves" a keyword of two but a word of 25 texts (the stop list from document
    # frequency); "idle" is in two objectives, never a keyword.
    projects = {n: _project(n) for n in range(40)}
    profiles = [OrgProfile(100 + n, f"Org {n}", "DE", projects=(n,)) for n in range(40)]
    index = build_index(profiles, projects)
    query = MatchQuery(idea="furnace production line moves idle", top=1)
    scored, vectors = suggest(index, query, reranked=False)

    reasons = explain(index, query, vectors, scored[0])

    assert reasons[0] == "shared topics with the idea: furnace (P0)"


def test_reasons_never_quote_a_keyword_of_single_letters() -> None:
    # "R&I" is a keyword of two projects, read as the letters "r i": no topic a person reads.
    projects = {
        n: ProjectInfo(n, f"P{n}", "Project", f"{text}\n{keywords}", keywords)
        for n, (text, keywords) in enumerate(
            [("R&I for the furnace", "R&I, furnace")] * 2 + [("other", "")] * 38
        )
    }
    profiles = [OrgProfile(100 + n, f"Org {n}", "DE", projects=(n,)) for n in range(40)]
    index = build_index(profiles, projects)
    query = MatchQuery(idea="R&I on the furnace", top=1)
    scored, vectors = suggest(index, query, reranked=False)

    reasons = explain(index, query, vectors, scored[0])

    assert reasons[0] == "shared topics with the idea: furnace (P0)"


def _project(n: int) -> ProjectInfo:
    if n < 2:
        text, keywords = "furnace moves idle production line", "Furnace, moves, production line"
    elif n < 25:
        text, keywords = "moves production line", "production line"
    else:
        text, keywords = ("production line", "production line") if n < 30 else ("other", "")
    return ProjectInfo(n, f"P{n}", "Project", f"{text}\n{keywords}", keywords)


def test_reasons_quote_phrases_and_technologies_once_with_the_projects_that_show_them() -> None:
    # "Digital twins" is the keyword of three projects; "machine learning" and "AI" are terms of
    # one technology, quoted once by its label; "twins" alone is inside a longer topic.
    keywords = ["Digital twins, machine learning", "digital twins, twins, AI", "Digital twins"]
    projects = {
        n: ProjectInfo(n, f"TWIN{n}", "Plant", f"plant twins {words}", words)
        for n, words in enumerate([*keywords, "twins", "twins"])
    }
    profiles = [
        OrgProfile(100, "Twin Lab", "DE", projects=(0, 1, 2)),
        OrgProfile(101, "Other", "DE"),
    ]
    index = build_index(profiles, projects)
    query = MatchQuery(idea="AI and machine learning for digital twins", top=1)
    scored, vectors = suggest(index, query, reranked=False)

    reasons = explain(index, query, vectors, scored[0])

    assert reasons[0] == (
        "shared topics with the idea: digital twins (TWIN0, TWIN1, TWIN2), "
        "Artificial intelligence (TWIN0, TWIN1)"
    )


def test_reasons_name_a_technology_offered_first_and_never_again_as_a_topic() -> None:
    iot = Technology("ati-iot", "Internet of things", "2 projects, e.g. TWIN1")
    maker = OrgProfile(
        1, "Chair Maker", "ES", type=OrgType.SME, sme_profile=SmeProfile.TRADITIONAL, needed=(iot,)
    )
    sensors = OrgProfile(
        2, "Sensor Co", "PT", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY,
        offered=(iot,), projects=(1, 2),
    )  # fmt: skip
    projects = {
        n: ProjectInfo(n, f"TWIN{n}", "Plant", "IoT digital twins", "IoT, digital twins")
        for n in (1, 2)
    }
    index = build_index((maker, sensors), projects)
    query = MatchQuery(members=(1,), idea="IoT and digital twins for chairs", top=1)
    scored, vectors = suggest(index, query, reranked=False)

    reasons = explain(index, query, vectors, scored[0])

    assert reasons[:2] == [
        "offers Internet of things (2 projects, e.g. TWIN1), which Chair Maker needs",
        "shared topics with the idea: digital twins (TWIN1, TWIN2)",
    ]


def test_reasons_name_a_technology_topic_as_the_registry_names_the_technology() -> None:
    # "5G" is a term of the connectivity technology, whose topic the term file labels
    # "connectivity (5G/6G)"; the registry, and the reason, name it "Connectivity". Offered to
    # the member by its code, it is not repeated as a topic under the other name.
    connectivity = Technology("ati-connectivity", "Connectivity", "2 projects, e.g. NET1")
    maker = OrgProfile(
        1, "Chair Maker", "ES", type=OrgType.SME, sme_profile=SmeProfile.TRADITIONAL,
        needed=(connectivity,),
    )  # fmt: skip
    offering = OrgProfile(
        2, "Net Co", "PT", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY,
        offered=(connectivity,), projects=(1, 2),
    )  # fmt: skip
    lab = OrgProfile(3, "Net Lab", "FR", type=OrgType.UNIVERSITY, projects=(3,))
    projects = {
        n: ProjectInfo(n, f"NET{n}", "Factory networks", "5G for factories", "5G, factories")
        for n in (1, 2, 3)
    }
    index = build_index((maker, offering, lab), projects)
    query = MatchQuery(members=(1,), idea="5G networks for chair factories", top=2)
    scored, vectors = suggest(index, query, reranked=False)

    found = {index.profiles[s.row].name: explain(index, query, vectors, s) for s in scored}

    assert found["Net Lab"][0] == (
        "shared topics with the idea: Connectivity (NET3), factories (NET3)"
    )
    assert found["Net Co"][:2] == [
        "offers Connectivity (2 projects, e.g. NET1), which Chair Maker needs",
        "shared topics with the idea: factories (NET1, NET2)",
    ]


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

    assert reasons[0] == (
        "offers Machine vision (2 projects, e.g. INSPECT), which Steel Works needs"
    )


def test_reasons_name_an_institute_flagged_sme_by_its_type_and_ecosystems_by_their_names() -> None:
    # CORDIS flags some research and technology institutes as SMEs (AIDIMME, a Spanish
    # furniture institute, has a tech-savvy SME profile in the demo): they are not "a tech-savvy
    # SME" (as the call rules read it), and a question for tech-savvy SMEs does not list them.
    # Ecosystems read as the Commission names them, not as their slugs.
    iot = Technology("ati-iot", "Internet of things")
    maker = OrgProfile(
        1, "Chair Maker", "ES", type=OrgType.SME, sme_profile=SmeProfile.TRADITIONAL,
        needed=(iot,), ecosystems=("energy-intensive", "digital", "not-an-ecosystem"),
    )  # fmt: skip
    institute = OrgProfile(
        2, "Furniture Institute", "ES", type=OrgType.RESEARCH_ORGANISATION,
        sme_profile=SmeProfile.TECH_SAVVY, offered=(iot,),
        ecosystems=("digital", "energy-intensive", "not-an-ecosystem"),
    )  # fmt: skip
    index = build_index((maker, institute), {})
    tech_savvy = MatchQuery(members=(1,), kind="tech_savvy", top=1)
    assert suggest(index, tech_savvy, reranked=False)[0] == []
    query = MatchQuery(members=(1,), top=1)
    scored, vectors = suggest(index, query, reranked=False)

    reasons = explain(index, query, vectors, scored[0])

    assert reasons == [
        "offers Internet of things, which Chair Maker needs",
        "works in the same industrial ecosystems: Digital, Energy-Intensive Industries, "
        "not-an-ecosystem",
        "a research organisation, for Chair Maker (a traditional SME)",
        "in the same country as Chair Maker: Spain (ES)",
    ]


def test_a_suggestion_with_no_other_reason_names_its_projects_closest_to_the_question() -> None:
    # The demo's furniture maker, asking for new traditional SMEs, got ROUSSAS with no reason
    # at all: their projects share plain words ("supply", "chain"), no distinctive topic. The
    # projects that carry the likeness are then named, for a person to judge.
    maker = OrgProfile(
        1, "Chair Maker", "ES", type=OrgType.SME, sme_profile=SmeProfile.TRADITIONAL,
        projects=(1,),
    )  # fmt: skip
    hauler = OrgProfile(
        2, "Hauler", "EL", type=OrgType.SME, sme_profile=SmeProfile.TRADITIONAL,
        projects=(2, 3),
    )  # fmt: skip
    projects = {
        1: ProjectInfo(1, "WOODNET", "Wood networks", "resilient supply chain of furniture"),
        2: ProjectInfo(2, "FREIGHT", "Green freight", "supply chain of freight transport"),
        3: ProjectInfo(3, "", "Olive harvest", "olive oil pressing"),
    }
    index = build_index((maker, hauler), projects)

    def reasons(query: MatchQuery) -> list[str]:
        scored, vectors = suggest(index, query, reranked=False)
        return explain(index, query, vectors, scored[0])

    assert reasons(MatchQuery(members=(1,), kind="traditional", new_only=True, top=1)) == [
        "its project closest to Chair Maker's work: FREIGHT (Green freight)"
    ]
    # With an idea, the similar past projects already say it.
    assert reasons(MatchQuery(members=(1,), idea="freight supply chain", new_only=True, top=1)) == [
        "took part in 1 of the 2 past projects most similar to the idea: FREIGHT (Green freight)"
    ]


def test_the_members_work_is_compared_with_the_past_projects_once_per_question(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two suggestions with no other reason: the second reads the similarity the first computed
    # (it took 1.6 ms per suggestion on the demo registry, so 32 ms for a list of 20).
    maker = OrgProfile(1, "Chair Maker", "ES", type=OrgType.SME, projects=(1,))
    haulers = [
        OrgProfile(row, f"Hauler {row}", "EL", type=OrgType.SME, projects=(row,)) for row in (2, 3)
    ]
    projects = {
        1: ProjectInfo(1, "WOODNET", "Wood networks", "resilient supply chain of furniture"),
        2: ProjectInfo(2, "FREIGHT", "Green freight", "supply chain of freight transport"),
        3: ProjectInfo(3, "SHIPS", "Green ships", "supply chain of ships"),
    }
    index = build_index((maker, *haulers), projects)
    query = MatchQuery(members=(1,), new_only=True, top=2)
    scored, vectors = suggest(index, query, reranked=False)
    computed = []
    original = reasons_module.project_similarity

    def counted(*args: object, **kwargs: object) -> object:
        computed.append(args)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reasons_module, "project_similarity", counted)

    found = [explain(index, query, vectors, s) for s in scored]

    assert sorted(found) == [
        ["its project closest to Chair Maker's work: FREIGHT (Green freight)"],
        ["its project closest to Chair Maker's work: SHIPS (Green ships)"],
    ]
    assert len(computed) == 1


KEPT_QUESTIONS = (
    MatchQuery(members=(1,), idea="hydrogen electrolysers", top=4),
    MatchQuery(members=(1,), top=4),
    MatchQuery(members=(1,), idea="hydrogen electrolysers", top=3, new_only=True),
    MatchQuery(members=(5,), top=2),
    MatchQuery(guests=(OrgProfile(-1, "Munich", "DE", nuts="DE213"),), idea="vision", top=2),
)


def _all_reasons(kept: ReasonTables | None) -> list[list[list[str]]]:
    index = registry_index()
    if kept is not None:
        keep_reason_tables(index, kept)
    found = []
    for query in KEPT_QUESTIONS:
        scored, vectors = suggest(index, query, reranked=False)
        found.append([explain(index, query, vectors, s) for s in scored])
    return found


def test_reasons_from_kept_tables_are_the_reasons_read_from_the_index() -> None:
    # What a saved index keeps (pickled, as the store writes it) reads as the index itself.
    kept = pickle.loads(pickle.dumps(reason_tables(registry_index())))

    with_tables = _all_reasons(kept)

    assert with_tables == _all_reasons(None)
    # The questions do quote topics and places (what the tables hold).
    assert [
        reason
        for question in with_tables
        for reasons in question
        for reason in reasons
        if reason.startswith(("shared topics", "in the same"))
    ] == [
        "shared topics with the idea: Hydrogen technologies (H2CLOUD)",
        "shared topics with the idea: Hydrogen technologies (H2CLOUD)",
        "in the same region as Steel Works: DE21 Oberbayern",
        "in the same region as Steel Works: DE21 Oberbayern",
        "shared topics with the idea: Hydrogen technologies (H2CLOUD)",
        "in the same region as Steel Works: DE21 Oberbayern",
        "in the same region as Cloud Co: FR10 Ile-de-France",
        "in the same area as Munich: DE213 Rosenheim, Kreisfreie Stadt",
        "in the same region as Munich: DE21 Oberbayern",
    ]


def test_reason_tables_name_every_area_and_region_of_the_registry() -> None:
    tables = reason_tables(registry_index())

    assert dict(tables.places) == {
        "DE21": "DE21 Oberbayern",
        "DE212": "DE212 München, Kreisfreie Stadt",
        "DE213": "DE213 Rosenheim, Kreisfreie Stadt",
        "FR10": "FR10 Ile-de-France",
        "FR101": "FR101 Paris",
        "FR102": "FR102 Seine-et-Marne",
        "PL82": "PL82 Podkarpackie",
        "PL823": "PL823 Rzeszowski",
    }


def test_reasons_read_the_places_of_the_kept_tables() -> None:
    index = registry_index()
    tables = reason_tables(index)
    keep_reason_tables(index, replace(tables, places={**tables.places, "DE21": "DE21 Upper"}))
    query = MatchQuery(members=(STEEL.id,), top=1)
    scored, vectors = suggest(index, query, reranked=False)

    reasons = explain(index, query, vectors, scored[0])

    assert reasons[-1] == "in the same region as Steel Works: DE21 Upper"
