"""Needs declared in words the vocabulary does not know: matched through the topics they name."""

import pytest

from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.engines.matching import topics as topics_module
from clusterbridge.engines.matching.index import build_index
from clusterbridge.engines.matching.needs import is_worded, worded_needs
from clusterbridge.engines.matching.profile import MatchQuery, OrgProfile, ProjectInfo, Technology
from clusterbridge.engines.matching.reasons import explain
from clusterbridge.engines.matching.score import suggest

pytestmark = pytest.mark.unit

HPC = Technology("high performance computing", "high-performance computing")
SUPPLY = Technology("reliable supply", "reliable supply")
AI = Technology("ati-ai", "Artificial intelligence")
PROJECTS = {
    1: ProjectInfo(
        1, "EXA", "Exascale software", "high performance computing for science",
        keywords="high performance computing, exascale",
    ),
    2: ProjectInfo(
        2, "HPC2", "Supercomputers for industry", "high performance computing in industry",
        keywords="high performance computing",
    ),
    3: ProjectInfo(
        3, "ALU", "Light cars", "recycled aluminium for car bodies", keywords="aluminium, cars"
    ),
    4: ProjectInfo(4, "BREAD", "Bread ovens", "a reliable supply of bread", keywords="bread"),
}  # fmt: skip


def _index(*needed: Technology) -> tuple[OrgProfile, ...]:
    asker = OrgProfile(
        1, "Kelvin", "DE", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY, needed=needed
    )
    lab = OrgProfile(2, "HPC Lab", "FR", type=OrgType.RESEARCH_ORGANISATION, projects=(1, 2))
    foundry = OrgProfile(
        3, "Foundry", "IT", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY, projects=(3,)
    )
    bakery = OrgProfile(4, "Bakery", "FR", type=OrgType.SME, projects=(4,))
    return (asker, lab, foundry, bakery)


def test_a_need_in_words_is_shown_by_the_projects_that_name_its_topics() -> None:
    # "high-performance computing" and "aluminium powder" are not technologies of the
    # vocabulary: nobody "offers" them, but the lab's and the foundry's projects show them
    # (the second through the critical raw material's phrase); "reliable supply" names no
    # topic (plain words), so the bakery whose project has those words is not a match.
    powder = Technology("aluminium powder", "aluminium powder")
    profiles = _index(HPC, powder, SUPPLY, AI)
    index = build_index(profiles, PROJECTS)

    needs = worded_needs(index, [profiles[0]])

    assert [(n.label, n.topics, n.shows.tolist()) for n in needs] == [
        (
            "high-performance computing",
            ("high performance computing",),
            [False, True, False, False],
        ),
        ("aluminium powder", ("Bauxite/Alumina/Aluminium",), [False, False, True, False]),
        ("reliable supply", (), [False, False, False, False]),
    ]
    assert [is_worded(t) for t in (HPC, AI)] == [True, False]


def test_asked_alone_an_organisation_gets_who_shows_its_needs_with_the_projects() -> None:
    profiles = _index(HPC)
    index = build_index(profiles, PROJECTS)
    query = MatchQuery(members=(1,), top=5)

    scored, vectors = suggest(index, query, reranked=False)

    # One organisation asking with no idea nor kind gets only its complements: the lab shows
    # its need (a research organisation, a technology provider); the bakery does not.
    assert [index.profiles[s.row].name for s in scored] == ["HPC Lab"]
    assert explain(index, query, vectors, scored[0]) == [
        "its projects show high performance computing (EXA, HPC2), for Kelvin's need: "
        "high-performance computing"
    ]


def test_a_question_without_needs_in_words_reads_no_topic() -> None:
    # Reading the topics of an index takes a few tenths of a second on the CORDIS registry:
    # a question whose needs are all of the vocabulary does not pay it.
    profiles = _index(AI)
    index = build_index(profiles, PROJECTS)

    assert worded_needs(index, [profiles[0]]) == ()
    assert id(index) not in topics_module._TOPICS


def test_an_organisation_without_projects_shows_a_need_in_its_description() -> None:
    # A cluster's member imported from a spreadsheet has a description and no project.
    profiles = (
        *_index(HPC),
        OrgProfile(
            5, "Compute SME", "DE", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY,
            text="We run high performance computing for small manufacturers.",
        ),
    )  # fmt: skip
    index = build_index(profiles, PROJECTS)
    query = MatchQuery(members=(1,), top=5)

    scored, vectors = suggest(index, query, reranked=False)
    found = {index.profiles[s.row].name: explain(index, query, vectors, s) for s in scored}

    assert vectors.worded_needs[0].shows.tolist() == [False, True, False, False, True]
    assert found["Compute SME"][0] == (
        "its description names high performance computing, for Kelvin's need: "
        "high-performance computing"
    )


def _compute_sme(*offered: Technology, needed: tuple[Technology, ...] = ()) -> OrgProfile:
    # An SME whose one project is about bread: only what it declared shows what it offers.
    return OrgProfile(
        5, "Compute SME", "DE", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY,
        projects=(4,), offered=offered, needed=needed,
    )  # fmt: skip


def test_a_need_in_words_is_shown_by_an_offer_in_other_words_that_names_its_topic() -> None:
    on_demand = Technology(
        "high performance computing on demand", "HPC: high performance computing on demand"
    )
    profiles = (*_index(HPC), _compute_sme(on_demand))
    index = build_index(profiles, PROJECTS)
    query = MatchQuery(members=(1,), top=5)

    scored, vectors = suggest(index, query, reranked=False)
    found = {index.profiles[s.row].name: explain(index, query, vectors, s) for s in scored}

    assert vectors.worded_needs[0].shows.tolist() == [False, True, False, False, True]
    assert vectors.worded_needs[0].offers == {4: ("HPC: high performance computing on demand",)}
    assert sorted(found) == ["Compute SME", "HPC Lab"]
    assert found["Compute SME"][0] == (
        "offers HPC: high performance computing on demand, for Kelvin's need: "
        "high-performance computing"
    )


def test_a_need_of_the_vocabulary_is_shown_by_an_offer_in_words_that_names_it() -> None:
    # The asker needs artificial intelligence (a code); one SME offers it by that code, another
    # wrote its offer in its own words. Both complement the asker, each with its own reason.
    in_words = Technology(
        "artificial intelligence for quality inspection",
        "Artificial intelligence for quality inspection",
    )
    coded = OrgProfile(
        6, "Coded AI SME", "FR", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY,
        offered=(AI,), text="We sell software.",
    )  # fmt: skip
    profiles = (*_index(AI), _compute_sme(in_words), coded)
    index = build_index(profiles, PROJECTS)
    query = MatchQuery(members=(1,), top=5)

    scored, vectors = suggest(index, query, reranked=False)
    found = {index.profiles[s.row].name: explain(index, query, vectors, s) for s in scored}

    [need] = vectors.worded_needs
    assert (need.label, need.topics, need.by_projects) == (
        "Artificial intelligence",
        ("artificial intelligence",),
        False,
    )
    # The SME offering the code is matched by it, not again through the words.
    assert need.offers == {4: ("Artificial intelligence for quality inspection",)}
    assert sorted(found) == ["Coded AI SME", "Compute SME"]
    assert found["Compute SME"][0] == (
        "offers Artificial intelligence for quality inspection, for Kelvin's need: "
        "Artificial intelligence"
    )
    assert found["Coded AI SME"][0] == "offers Artificial intelligence, which Kelvin needs"


def test_an_offer_in_words_finds_those_whose_declared_needs_name_its_topics() -> None:
    # The tech-savvy SME asks alone with an offer in words: the bakery that declared a need
    # naming the same topic is a customer; the foundry, which needs nothing, is not.
    on_demand = Technology(
        "high performance computing on demand", "high performance computing on demand"
    )
    asker = OrgProfile(
        1, "Kelvin", "DE", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY, offered=(on_demand,)
    )
    bakery = OrgProfile(
        4, "Bakery", "FR", type=OrgType.SME, sme_profile=SmeProfile.TRADITIONAL, projects=(4,),
        needed=(HPC,),
    )  # fmt: skip
    profiles = (asker, *_index()[1:3], bakery)
    index = build_index(profiles, PROJECTS)
    query = MatchQuery(members=(1,), top=5)

    scored, vectors = suggest(index, query, reranked=False)

    [offer] = vectors.worded_offers
    assert (offer.topics, offer.needs) == (
        ("high performance computing",),
        {3: ("high-performance computing",)},
    )
    assert [index.profiles[s.row].name for s in scored] == ["Bakery"]
    assert explain(index, query, vectors, scored[0])[0] == (
        "needs high-performance computing, for Kelvin's offer: high performance computing on demand"
    )


def test_a_registry_without_technologies_in_words_reads_no_topic_for_offers() -> None:
    profiles = (*_index(AI), _compute_sme(AI))
    index = build_index(profiles, PROJECTS)

    vectors = suggest(index, MatchQuery(members=(5,), top=5), reranked=False)[1]

    assert vectors.worded_offers == ()
    assert vectors.worded_needs == ()
    assert id(index) not in topics_module._TOPICS


def test_the_same_words_offered_count_once_through_their_topics_not_as_a_code() -> None:
    # The SME wrote Kelvin's need in the same words, and one of its projects shows the topic:
    # one need, counted once (before, once by the whole phrase as if it were a code of the
    # vocabulary, and again by the project), and one reason that quotes its words.
    same_words = Technology("high performance computing", "High-performance computing")
    sme = OrgProfile(
        5, "Compute SME", "DE", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY,
        projects=(1,), offered=(same_words,),
    )  # fmt: skip
    profiles = (*_index(HPC), sme)
    index = build_index(profiles, PROJECTS)
    query = MatchQuery(members=(1,), top=5)

    scored, vectors = suggest(index, query, reranked=False)
    found = {index.profiles[s.row].name: s for s in scored}

    assert vectors.worded_needs[0].offers == {4: ("High-performance computing",)}
    assert found["Compute SME"].signals["technologies"] == pytest.approx(0.5)
    assert found["HPC Lab"].signals["technologies"] == pytest.approx(0.5)
    assert explain(index, query, vectors, found["Compute SME"]) == [
        "offers High-performance computing; its projects show high performance computing "
        "(EXA), for Kelvin's need: high-performance computing",
        "in the same country as Kelvin: Germany (DE)",
    ]


def test_the_same_words_that_name_no_topic_match_nobody() -> None:
    # "reliable supply" names no topic (plain words): an offer in the same words is no
    # evidence of anything, as the need is matched by nobody else either.
    same_words = Technology("reliable supply", "Reliable supply")
    sme = OrgProfile(
        5, "Supplier", "DE", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY,
        offered=(same_words,), text="We deliver parts.",
    )  # fmt: skip
    profiles = (*_index(SUPPLY), sme)
    index = build_index(profiles, PROJECTS)

    scored, vectors = suggest(index, MatchQuery(members=(1,), top=5), reranked=False)

    assert [(n.label, n.topics, n.offers) for n in vectors.worded_needs] == [
        ("reliable supply", (), {})
    ]
    assert scored == []


def test_a_need_in_words_quotes_a_technology_topic_by_the_registry_s_name() -> None:
    # "5G" names the connectivity technology; the reason calls it "Connectivity", as the
    # registry does, not by its topic's label in the term file ("connectivity (5G/6G)").
    private_5g = Technology("5g private networks", "5G private networks")
    projects = {**PROJECTS, 5: ProjectInfo(5, "NET5G", "5G for ports", "5G in ports", "5G")}
    profiles = (
        *_index(private_5g)[:3],
        OrgProfile(4, "Port Lab", "FR", type=OrgType.RESEARCH_ORGANISATION, projects=(5,)),
    )
    index = build_index(profiles, projects)
    query = MatchQuery(members=(1,), top=5)

    scored, vectors = suggest(index, query, reranked=False)

    assert vectors.worded_needs[0].topics == ("connectivity (5G/6G)",)
    assert [index.profiles[s.row].name for s in scored] == ["Port Lab"]
    assert explain(index, query, vectors, scored[0]) == [
        "its projects show Connectivity (NET5G), for Kelvin's need: 5G private networks"
    ]


def _welding_index() -> tuple[OrgProfile, ...]:
    # "welding" is the keyword of no two projects alone ("laser welding", "repair welding"),
    # so it is no topic; "automation" is in the texts of most projects: a common word.
    weld = Technology("welding automation", "welding automation")
    asker = OrgProfile(
        1, "Kelvin", "DE", type=OrgType.SME, sme_profile=SmeProfile.TRADITIONAL, needed=(weld,)
    )
    welders = OrgProfile(2, "Weld Lab", "FR", type=OrgType.RESEARCH_ORGANISATION, projects=(1, 2))
    automators = OrgProfile(
        3, "Automators", "IT", type=OrgType.RESEARCH_ORGANISATION, projects=tuple(range(3, 33))
    )
    return (asker, welders, automators)


WELDING_PROJECTS = {
    1: ProjectInfo(1, "LASWELD", "Laser welding cells", "laser welding of car bodies",
                   keywords="laser welding, automation"),
    2: ProjectInfo(2, "REWELD", "Rails repaired", "repair welding of rails",
                   keywords="repair welding, automation"),
    **{
        n: ProjectInfo(n, f"FAB{n}", f"Factory {n}", "automation of factories",
                       keywords="automation, factories")
        for n in range(3, 33)
    },
}  # fmt: skip


def test_a_need_in_words_naming_no_topic_is_shown_by_the_projects_that_name_its_words() -> None:
    # "welding automation" names no topic, yet the lab's projects give "welding" in their
    # keywords: the lab shows the need, and its reason quotes "welding" with those projects,
    # never "automation" (a word of most projects' texts).
    profiles = _welding_index()
    index = build_index(profiles, WELDING_PROJECTS)
    query = MatchQuery(members=(1,), top=5)

    scored, vectors = suggest(index, query, reranked=False)
    found = {index.profiles[s.row].name: explain(index, query, vectors, s) for s in scored}

    [need] = vectors.worded_needs
    assert (need.topics, need.words, need.shows.tolist()) == (
        (),
        ("welding",),
        [False, True, False],
    )
    assert found["Weld Lab"] == [
        "its projects show welding (LASWELD, REWELD), for Kelvin's need: welding automation",
        "a research organisation, for Kelvin (a traditional SME)",
    ]
    assert not any("automation" in reason for reason in found.get("Automators", []))
