"""Partner suggestions from the database, the embedding cache and consortium files by id."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from clusterbridge.config import Settings
from clusterbridge.db.models import OrganisationTechnology
from clusterbridge.db.repositories.stamps import has_embeddings
from clusterbridge.db.session import Database
from clusterbridge.domain.enums import OrgType, SmeProfile, TechnologyDirection
from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.engines.matching.encoder import HashingEncoder
from clusterbridge.engines.matching.index import MatchIndex
from clusterbridge.engines.matching.profile import MatchQuery
from clusterbridge.engines.matching.score import suggest as engine_suggest
from clusterbridge.services.calls.catalogue import load_catalogue
from clusterbridge.services.consortia.file import read_consortium
from clusterbridge.services.matching import index as matching_index
from clusterbridge.services.matching import loading as matching_loading
from clusterbridge.services.matching.index import MatchIndexCache
from clusterbridge.services.matching.loading import evidence_of, read_profiles, update_embeddings
from clusterbridge.services.matching.questions import (
    Answer,
    Seeking,
    answer_for_pic,
    answer_for_team,
    index_partners,
    seeking,
)
from clusterbridge.services.matching.store import current_version, is_memory_mapped
from clusterbridge.services.matching.suggestions import (
    CallContext,
    answer_for_consortium,
    answer_for_organisation,
    lookup_partners,
)
from clusterbridge.services.registry import OrganisationNotFoundError
from tests.factories.matching import make_matching_registry, make_project
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.integration, pytest.mark.db]

NOW = datetime(2024, 12, 1, tzinfo=UTC)


def test_an_organisation_s_suggestions_are_ranked_with_reasons(session: Session) -> None:
    orgs = make_matching_registry(session)

    found = answer_for_organisation(
        session, orgs["steel"].id, cache=MatchIndexCache(), top=5
    ).suggestions

    # Asked alone, without an idea nor a kind, a traditional SME asks for its needs: Vision AI
    # offers them, next door; the cluster, a past partner, offers nothing it needs.
    assert [(s.name, s.reasons) for s in found] == [
        (
            "Vision AI",
            (
                "offers Machine vision, which Steel Works needs",
                "a tech-savvy SME, for Steel Works (a traditional SME)",
                "in the same region as Steel Works: DE21 Oberbayern",
            ),
        ),
    ]


def test_an_answer_lists_newcomers_apart_from_the_suggestions(session: Session) -> None:
    orgs = make_matching_registry(session)
    cache = MatchIndexCache()
    idea = "green steel and hydrogen"

    found = answer_for_organisation(session, orgs["steel"].id, cache=cache, idea=idea, top=1)
    longer = answer_for_organisation(session, orgs["steel"].id, cache=cache, idea=idea, top=2)
    none = answer_for_organisation(
        session, orgs["steel"].id, cache=cache, idea=idea, top=1, newcomers=0
    )  # fmt: skip

    # Vision AI, without projects, declares the machine vision Steel Works needs: apart from
    # the one suggestion (the cluster, by their project), or among two suggestions and then
    # not apart; never asked for, none.
    assert [s.name for s in found.suggestions] == ["Rzeszow Hydrogen Cluster"]
    assert [(s.name, s.score, s.reasons[0]) for s in found.newcomers] == [
        ("Vision AI", 71, "declares Machine vision, which Steel Works needs (no projects yet)")
    ]
    assert [s.name for s in longer.suggestions] == ["Rzeszow Hydrogen Cluster", "Vision AI"]
    assert longer.newcomers == []
    assert none == Answer(found.suggestions, [])


def test_a_newcomer_says_the_rules_of_the_call_it_helps_pass(session: Session) -> None:
    orgs = make_matching_registry(session)
    rzeszow = make_organisation(
        session, name="Rzeszow Vision", country="PL", nuts="PL823", type=OrgType.SME,
        sme_profile=SmeProfile.TECH_SAVVY,
    )  # fmt: skip
    session.add(
        OrganisationTechnology(
            organisation=rzeszow, direction=TechnologyDirection.OFFERED, label="Machine vision",
            code="ati-vision",
        )
    )  # fmt: skip
    session.flush()
    call = CallContext(load_catalogue(), "SMP-COSME-2024-CLUSTER", "1", NOW)

    found = answer_for_organisation(
        session, orgs["steel"].id, cache=MatchIndexCache(), idea="green steel and hydrogen",
        top=1, call=call,
    )  # fmt: skip

    # Both declare the machine vision Steel Works needs; Vision AI is next door, Rzeszow Vision
    # in a less developed region, which the call's first strand asks for.
    assert [s.name for s in found.newcomers] == ["Vision AI", "Rzeszow Vision"]
    assert found.newcomers[1].reasons == (
        "SMP-COSME-2024-CLUSTER: located in a less developed region (2021-2027): "
        "PL82 Podkarpackie (fail → pass)",
        "declares Machine vision, which Steel Works needs (no projects yet)",
        "a tech-savvy SME, for Steel Works (a traditional SME)",
    )


@pytest.mark.parametrize(
    ("idea", "wanted"),
    [
        ("", seeking()),
        ("green steel and hydrogen", seeking()),
        ("machine vision", seeking(kind="sme", new_only=True)),
        ("", seeking(countries=["PL"])),
    ],
)
def test_a_question_by_pic_from_the_index_says_what_the_registry_question_says(
    session: Session, idea: str, wanted: Seeking
) -> None:
    orgs = make_matching_registry(session)
    cache = MatchIndexCache()

    for org in orgs.values():
        assert org.pic is not None
        alone = {"cache": cache, "idea": idea, "wanted": wanted, "newcomers": 0}
        by_pic = answer_for_pic(session, org.pic, **alone)
        assert by_pic is not None
        assert by_pic == answer_for_organisation(session, org.id, **alone)
        for top in (1, 20):
            asked = {"cache": cache, "idea": idea, "wanted": wanted, "top": top}
            answer = answer_for_pic(session, org.pic, **asked)
            assert answer == answer_for_organisation(session, org.id, **asked)
            assert answer is not None
            assert answer.suggestions == by_pic.suggestions[:top]
    assert answer_for_pic(session, "999999999", cache=cache) is None


@pytest.mark.parametrize(
    "rows",
    [
        "id\n100000001\n100000003\n",
        "id,name,country,type,sme_profile\n100000002,,,,\n,Newcomer Robotics,PL,sme,tech_savvy\n",
        "name,country,type\nOnly Guests Ltd,DE,sme\n",
    ],
)
def test_a_consortium_question_from_the_index_says_what_the_registry_question_says(
    session: Session, tmp_path: Path, rows: str
) -> None:
    make_matching_registry(session)
    cache = MatchIndexCache()
    path = tmp_path / "team.csv"
    path.write_text(rows, encoding="utf-8")

    from_index = read_consortium(path, registry=index_partners(cache.get(session)))
    from_registry = read_consortium(path, registry=lookup_partners(session))
    by_index = answer_for_team(
        session, from_index, cache=cache, idea="machine vision for steel"
    ).suggestions
    by_rows = answer_for_consortium(
        session, from_registry, cache=cache, idea="machine vision for steel"
    ).suggestions

    assert by_index == by_rows
    assert by_index
    for top in (1, 20):
        asked = {"cache": cache, "idea": "green steel and hydrogen", "top": top}
        answer = answer_for_team(session, from_index, **asked)
        assert answer == answer_for_consortium(session, from_registry, **asked)
    assert [p.pic for p in from_index.partners] == [p.pic for p in from_registry.partners]


def test_a_consortium_s_suggestions_with_a_call_say_what_they_add(
    session: Session, tmp_path: Path
) -> None:
    make_matching_registry(session)
    team = tmp_path / "team.csv"
    team.write_text("id,role\n100000001,coordinator\n100000002,beneficiary\n", encoding="utf-8")
    call = CallContext(load_catalogue(), "SMP-COSME-2024-CLUSTER", "1", NOW)

    consortium = read_consortium(team, registry=lookup_partners(session))
    found = answer_for_consortium(
        session, consortium, cache=MatchIndexCache(), idea="hydrogen for steel", top=1, call=call
    ).suggestions

    assert [p.name for p in consortium.partners] == ["Steel Works", "Vision AI"]
    # One cluster of three partners is not half, so the ECCP rule gains nothing.
    assert [(s.pic, s.reasons) for s in found] == [
        (
            "100000003",
            (
                "SMP-COSME-2024-CLUSTER: located in a less developed region (2021-2027): "
                "PL82 Podkarpackie (fail → pass)",
                "took part in 1 of the 1 past projects most similar to the idea: GREENSTEEL "
                "(Green steel)",
                "worked with Steel Works (GREENSTEEL)",
            ),
        )
    ]


def test_read_consortium_refuses_an_unknown_pic_alone(session: Session, tmp_path: Path) -> None:
    make_matching_registry(session)
    team = tmp_path / "team.csv"
    team.write_text("id\n100000001\n123456789\n", encoding="utf-8")

    with pytest.raises(InvalidInputError) as caught:
        read_consortium(team, registry=lookup_partners(session))

    assert [str(issue) for issue in caught.value.issues] == [
        "line 3, id: PIC 123456789 is not in the registry, so name and country are required"
    ]


def test_an_organisation_s_suggestions_refuse_bad_questions(session: Session) -> None:
    orgs = make_matching_registry(session)

    with pytest.raises(InvalidInputError) as caught:
        answer_for_organisation(
            session, orgs["steel"].id, cache=MatchIndexCache(), idea="x" * 20_001, top=0
        )
    with pytest.raises(OrganisationNotFoundError):
        answer_for_organisation(session, 10**9, cache=MatchIndexCache())

    assert [str(issue) for issue in caught.value.issues] == [
        "top: must be between 1 and 100, not 0",
        "idea: must be at most 20,000 characters, not 20,001",
    ]


def test_update_embeddings_encodes_only_changed_profiles(session: Session) -> None:
    orgs = make_matching_registry(session)
    encoder = HashingEncoder(16)

    first = update_embeddings(session, encoder, read_profiles(session)[0])[1]
    second = update_embeddings(session, encoder, read_profiles(session)[0])[1]
    orgs["bakery"].description = "Bread, pastry and cakes"
    session.flush()
    vectors, third = update_embeddings(session, encoder, read_profiles(session)[0])

    assert (first.computed, first.reused) == (4, 0)
    assert (second.computed, second.reused) == (0, 4)
    assert (third.computed, third.reused) == (1, 3)
    assert vectors[3].tolist() == encoder.encode(["Bread, pastry and cakes"])[0].tolist()


def test_match_index_cache_rebuilds_when_the_registry_changes(session: Session) -> None:
    orgs = make_matching_registry(session)
    cache = MatchIndexCache()

    first = cache.get(session)
    same = cache.get(session)
    orgs["bakery"].description = "Steel bread"
    orgs["bakery"].updated_at = datetime(2030, 1, 1, tzinfo=UTC)
    session.flush()
    rebuilt = cache.get(session)

    assert same is first
    assert rebuilt is not first


def test_match_index_cache_keeps_the_index_on_disk_until_the_registry_changes(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    orgs = make_matching_registry(session)
    built = MatchIndexCache(directory=tmp_path).get(session)
    saved = current_version(tmp_path / "match-index")

    def no_build(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the index was built again")

    with monkeypatch.context() as patch:
        patch.setattr(matching_loading, "load_match_index", no_build)
        read = MatchIndexCache(directory=tmp_path).get(session)
    orgs["bakery"].description = "Steel bread"
    orgs["bakery"].updated_at = datetime(2030, 1, 1, tzinfo=UTC)
    session.flush()
    changed = MatchIndexCache(directory=tmp_path).get(session)

    assert [p.name for p in tmp_path.iterdir()] == ["match-index"]
    assert read.profiles == built.profiles
    assert (read.text != built.text).nnz == 0
    assert [is_memory_mapped(read.text.data), is_memory_mapped(built.text.data)] == [True, False]
    assert current_version(tmp_path / "match-index") not in {saved, None}
    assert len(list((tmp_path / "match-index").glob("v-*"))) == 2
    assert "steel bread" in changed.profiles[3].text.lower()


def test_match_index_cache_builds_when_the_saved_index_is_unreadable(
    session: Session, tmp_path: Path
) -> None:
    make_matching_registry(session)
    MatchIndexCache(directory=tmp_path).get(session)
    [saved] = (tmp_path / "match-index").glob("v-*")
    (saved / "objects.pickle").write_bytes(b"not a pickle")

    index = MatchIndexCache(directory=tmp_path).get(session)

    assert index.size == 4


def test_match_index_cache_uses_the_encoder_chosen_from_the_stored_vectors(
    session: Session,
) -> None:
    make_matching_registry(session)
    encoder = HashingEncoder(dimension=16)
    choices: list[str | None] = []

    def choose(chosen_in: Session) -> HashingEncoder | None:
        stored = has_embeddings(chosen_in, encoder.name)
        choices.append(encoder.name if stored else None)
        return encoder if stored else None

    cache = MatchIndexCache(choose_encoder=choose)
    light = cache.get(session)
    update_embeddings(session, encoder, read_profiles(session)[0])
    dense = cache.get(session)
    again = cache.get(session)

    assert light.dense is None
    assert dense is not light
    assert dense.dense is not None
    assert dense.dense.shape == (4, 16)
    assert again is dense
    assert cache.encoder is encoder
    assert choices == [None, encoder.name, encoder.name]


def test_stored_sentence_encoder_loads_the_model_once_and_only_when_vectors_are_stored(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_matching_registry(session)
    stand_in = HashingEncoder(dimension=8)
    loads: list[int] = []

    def load() -> HashingEncoder:
        loads.append(1)
        return stand_in

    monkeypatch.setattr(matching_index, "load_sentence_encoder", load)
    monkeypatch.setattr(matching_index, "MINILM_NAME", stand_in.name)
    chooser = matching_index.StoredSentenceEncoder()

    before = chooser(session)
    update_embeddings(session, stand_in, read_profiles(session)[0])
    after = [chooser(session), chooser(session)]

    assert before is None
    assert after == [stand_in, stand_in]
    assert loads == [1]


def test_stored_sentence_encoder_gives_the_light_method_without_the_extra(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_matching_registry(session)
    stand_in = HashingEncoder(dimension=8)
    update_embeddings(session, stand_in, read_profiles(session)[0])
    loads: list[int] = []

    def missing() -> None:
        loads.append(1)

    monkeypatch.setattr(matching_index, "load_sentence_encoder", missing)
    monkeypatch.setattr(matching_index, "MINILM_NAME", stand_in.name)
    chooser = matching_index.StoredSentenceEncoder()

    assert [chooser(session), chooser(session)] == [None, None]
    assert loads == [1]


def test_configured_cache_keeps_the_index_in_the_cache_folder(tmp_path: Path) -> None:
    on = Settings(data_dir=tmp_path)
    off = Settings(data_dir=tmp_path, cache_dir=tmp_path / "elsewhere", matching_embeddings=False)

    with_vectors = matching_index.configured_cache(on)
    light = matching_index.configured_cache(off)

    assert with_vectors.directory == tmp_path / "cache"
    assert isinstance(with_vectors.choose_encoder, matching_index.StoredSentenceEncoder)
    assert light.directory == tmp_path / "elsewhere"
    assert light.choose_encoder is None


def test_warm_up_builds_the_index_in_the_background(
    clean_database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with clean_database.unit_of_work() as session:
        make_matching_registry(session)
    cache = MatchIndexCache(directory=tmp_path)

    matching_index.warm_up(cache, clean_database).join(timeout=60)

    def no_build(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the index was built again")

    monkeypatch.setattr(matching_loading, "load_match_index", no_build)
    with clean_database.unit_of_work() as session:
        index = cache.get(session)
    assert index.size == 4
    assert [p.name for p in tmp_path.iterdir()] == ["match-index"]


def test_warm_up_logs_a_failure(
    clean_database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(matching_loading, "load_match_index", broken)

    matching_index.warm_up(MatchIndexCache(), clean_database).join(timeout=60)

    assert [r.getMessage() for r in caplog.records] == [
        "building the partner-matching index failed"
    ]


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("robotics: 3 projects, e.g. SoliDAIR, ROBOFOOD", "3 projects, e.g. SoliDAIR, ROBOFOOD"),
        ("robotics: 1 project, SoliDAIR", "1 project, SoliDAIR"),
        (None, ""),
        ("", ""),
    ],
)
def test_evidence_of_keeps_what_follows_the_label(stored: str | None, shown: str) -> None:
    assert evidence_of(stored) == shown


def _no_build(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("the whole index was built again")


def test_an_edited_organisation_is_updated_in_the_index_not_built_again(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    orgs = make_matching_registry(session)
    cache = MatchIndexCache()
    cache.get(session)
    orgs["bakery"].description = "Sourdough bread and hydrogen ovens"
    orgs["bakery"].updated_at = datetime(2030, 1, 1, tzinfo=UTC)
    session.flush()

    monkeypatch.setattr(matching_loading, "load_match_index", _no_build)
    index = cache.get(session)
    found, _vectors = engine_suggest(index, MatchQuery(idea="sourdough ovens", top=5))

    assert [index.profiles[s.row].name for s in found] == ["Bakery"]


def test_a_new_process_updates_the_saved_index_of_an_earlier_registry(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    orgs = make_matching_registry(session)
    MatchIndexCache(directory=tmp_path).get(session)
    earlier = current_version(tmp_path / "match-index")
    orgs["vision"].description = "Collaborative robots for foundries"
    orgs["vision"].updated_at = datetime(2030, 1, 1, tzinfo=UTC)
    session.flush()

    with monkeypatch.context() as patch:
        patch.setattr(matching_loading, "load_match_index", _no_build)
        updated = MatchIndexCache(directory=tmp_path).get(session)
        saved = current_version(tmp_path / "match-index")
        read = MatchIndexCache(directory=tmp_path).get(session)

    assert "robots" in updated.vocabulary.columns
    assert "Collaborative robots" in updated.profiles[updated.rows[orgs["vision"].id]].text
    assert saved not in {earlier, None}
    assert read.vocabulary.terms == updated.vocabulary.terms


def test_a_new_participation_builds_the_index_again(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    orgs = make_matching_registry(session)
    cache = MatchIndexCache()
    cache.get(session)
    make_project(
        session, grant_id="900002", acronym="BREAD", title="Bread", text="ovens",
        members=[orgs["bakery"], orgs["vision"]],
    )  # fmt: skip
    built: list[bool] = []
    building = matching_loading.load_match_index

    def counted(*args: Any, **kwargs: Any) -> MatchIndex:
        built.append(True)
        return building(*args, **kwargs)

    monkeypatch.setattr(matching_loading, "load_match_index", counted)
    index = cache.get(session)

    assert built == [True]
    assert index.graph[index.rows[orgs["bakery"].id], index.rows[orgs["vision"].id]] == 1
