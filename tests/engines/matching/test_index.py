"""Updating an index organisation by organisation gives what building it again gives."""

import dataclasses

import numpy as np
import pytest

from clusterbridge.engines.matching import index as engine_index
from clusterbridge.engines.matching.index import (
    MatchIndex,
    build_index,
    update_index,
    without_projects,
)
from clusterbridge.engines.matching.profile import OrgProfile
from tests.engines.matching.registry import BAKERY, CLOUD, PROFILES, PROJECTS, registry_index

MATRICES = (
    "text", "text_by_term", "graph", "links", "participants", "project_text_by_term",
    "own_counts", "project_counts", "offered.matrix", "needed.matrix", "ecosystems.matrix",
    "types.matrix",
)  # fmt: skip
ARRAYS = ("popularity", "kinds", "headline", "documents", "project_idf", "vocabulary.idf")


def _field(index: MatchIndex, name: str) -> object:
    value: object = index
    for part in name.split("."):
        value = getattr(value, part)
    return value


def assert_same_index(updated: MatchIndex, built: MatchIndex) -> None:
    assert updated.profiles == built.profiles
    assert dict(updated.rows) == dict(built.rows)
    assert updated.vocabulary.terms == built.vocabulary.terms
    assert updated.acronyms == built.acronyms
    assert updated.project_ids == built.project_ids
    for name in MATRICES:
        left, right = _field(updated, name), _field(built, name)
        assert left.shape == right.shape, name  # type: ignore[attr-defined]
        assert abs(left - right).max() < 1e-6, name  # type: ignore[operator]
    for name in ARRAYS:
        np.testing.assert_allclose(_field(updated, name), _field(built, name), err_msg=name)  # type: ignore[arg-type]


def test_an_edited_text_with_new_words_gives_the_index_a_build_gives() -> None:
    edited = dataclasses.replace(BAKERY, text="sourdough bread and robotic ovens")
    profiles = (*PROFILES[:3], edited, PROFILES[4])

    updated = update_index(registry_index(), profiles)

    assert_same_index(updated, build_index(profiles, PROJECTS))
    assert "sourdough" in updated.vocabulary.columns
    # "baking" was only in the bakery's old text: gone from the vocabulary.
    assert "baking" not in updated.vocabulary.columns


def test_added_removed_and_re_described_organisations_give_the_index_a_build_gives() -> None:
    newcomer = OrgProfile(9, "Robot Works", "IT", text="collaborative robots", offered=(CLOUD,))
    profiles = (
        PROFILES[0], dataclasses.replace(PROFILES[1], offered=()), *PROFILES[2:4], newcomer,
    )  # fmt: skip

    updated = update_index(registry_index(), profiles)

    assert_same_index(updated, build_index(profiles, PROJECTS))
    assert updated.rows[9] == 4


def test_only_the_changed_texts_are_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    index = registry_index()
    read: list[str] = []
    counting = engine_index.count_words

    def counted(text: str) -> object:
        read.append(text)
        return counting(text)

    monkeypatch.setattr(engine_index, "count_words", counted)
    edited = dataclasses.replace(BAKERY, text="sourdough bread")

    update_index(index, (*PROFILES[:3], edited, PROFILES[4]))

    assert read == ["sourdough bread"]


def test_update_refuses_repeated_ids() -> None:
    with pytest.raises(ValueError, match="unique"):
        update_index(registry_index(), (*PROFILES, PROFILES[0]))


def test_without_projects_is_where_popularity_is_zero_built_or_updated() -> None:
    # The Bakery has no projects; Robot Works names a project the index does not hold, which
    # still counts as a project (as ``profile.projects`` says).
    robots = OrgProfile(9, "Robot Works", "IT", text="collaborative robots", projects=(99,))
    profiles = (*PROFILES, robots)

    built = build_index(profiles, PROJECTS)
    updated = update_index(registry_index(), profiles)

    expected = [False, False, False, True, False, False]
    assert [not p.projects for p in profiles] == expected
    assert without_projects(built).tolist() == expected
    assert without_projects(updated).tolist() == expected
    assert (built.popularity[~without_projects(built)] > 0).all()


def test_without_projects_of_a_registry_without_any_project_is_every_row() -> None:
    index = build_index([BAKERY, dataclasses.replace(BAKERY, id=2, projects=())], {})

    assert without_projects(index).tolist() == [True, True]
