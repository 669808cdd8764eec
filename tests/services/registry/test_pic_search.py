"""Searching by PIC: a search that is a 9-digit PIC finds that organisation and no other.
Runs on SQLite and PostgreSQL."""

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation
from clusterbridge.services.registry import (
    OrganisationFilters,
    OrganisationSearchResult,
    search_organisations,
)
from clusterbridge.services.registry.keys import search_pic
from tests.factories.organisations import make_organisation
from tests.querycount import count_queries

pytestmark = [pytest.mark.integration, pytest.mark.db]


def _found(result: OrganisationSearchResult) -> list[tuple[str | None, str]]:
    return sorted((item.pic, item.name) for item in result.items)


@pytest.fixture
def registry(session: Session) -> list[Organisation]:
    """Two organisations with PICs, and one whose description mentions both numbers."""
    robots = make_organisation(session, name="Tiny Robots GmbH", pic="999000002")
    steel = make_organisation(session, name="Big Steel AG", country="AT", nuts=None)
    steel.pic = "999000003"
    steel.description = "Partner of 999000002 and of project 123456789."
    session.flush()
    return [robots, steel]


@pytest.mark.parametrize(
    ("text", "pic"),
    [
        ("999000002", "999000002"),
        ("  999000002 \t", "999000002"),
        ("99900000", None),
        ("9990000021", None),
        ("999 000 002", "999000002"),
        ("PIC 999000002", "999000002"),
        (" pic: 999 000 002 ", "999000002"),
        ("PIC999000002", "999000002"),
        ("999  000 002", None),
        ("999-000-002", None),
        ("PIC 99900000", None),
        ("PICS 999000002", None),
        ("robots 999000002", None),
        ("٩٩٩٠٠٠٠٠٢", None),
    ],
)
def test_search_pic_is_nine_ascii_digits_alone(text: str, pic: str | None) -> None:
    # Alone, or written as the portal's users write it too: "PIC 999000002", "999 000 002".
    assert search_pic(text) == pic


def test_a_pic_finds_its_organisation_alone(session: Session, registry: list[Organisation]) -> None:
    result = search_organisations(session, OrganisationFilters(text=" 999000002 "))

    # Big Steel's description holds the number too, but a PIC search is not a word search.
    assert _found(result) == [("999000002", "Tiny Robots GmbH")]
    assert (result.total, result.pages) == (1, 1)
    assert [(c.value, c.count) for c in result.facets.countries] == [("DE", 1)]  # type: ignore[union-attr]


def test_a_pic_without_facets_counts_one(session: Session, registry: list[Organisation]) -> None:
    result = search_organisations(session, OrganisationFilters(text="999000003"), with_facets=False)

    assert (_found(result), result.total) == ([("999000003", "Big Steel AG")], 1)


def test_a_pic_nobody_has_is_searched_as_a_word(
    session: Session, registry: list[Organisation]
) -> None:
    result = search_organisations(session, OrganisationFilters(text="123456789"))

    assert _found(result) == [("999000003", "Big Steel AG")]


def test_digits_that_are_not_a_pic_are_searched_as_words(
    session: Session, registry: list[Organisation]
) -> None:
    result = search_organisations(session, OrganisationFilters(text="partner 999000002"))

    assert _found(result) == [("999000003", "Big Steel AG")]


@pytest.mark.parametrize("text", ["PIC 999000002", "999 000 002", "pic: 999 000 002"])
def test_a_pic_written_with_its_name_or_in_groups_finds_its_organisation(
    session: Session, registry: list[Organisation], text: str
) -> None:
    # A new user typed "PIC 876409357" and found nothing.
    result = search_organisations(session, OrganisationFilters(text=text))

    assert (_found(result), result.total) == ([("999000002", "Tiny Robots GmbH")], 1)


def test_the_other_filters_still_apply_to_a_pic(
    session: Session, registry: list[Organisation]
) -> None:
    result = search_organisations(session, OrganisationFilters(text="999000002", countries=("AT",)))

    assert (result.items, result.total) == ([], 0)
    assert [(c.value, c.count, c.selected) for c in result.facets.countries] == [  # type: ignore[union-attr]
        ("DE", 1, False),
        ("AT", 0, True),
    ]


def test_a_repeated_pic_search_reads_only_the_version(
    session: Session, registry: list[Organisation]
) -> None:
    first = search_organisations(session, OrganisationFilters(text="999000002"))

    with count_queries(session.get_bind().engine) as log:
        again = search_organisations(session, OrganisationFilters(text="999000002"))

    assert (log.count, again) == (1, first)


def test_a_pic_given_later_is_found_at_once(session: Session, registry: list[Organisation]) -> None:
    before = search_organisations(session, OrganisationFilters(text="999000009"))
    newcomer = make_organisation(session, name="Newcomer SME", country="PT", nuts=None)
    newcomer.pic = "999000009"
    session.flush()

    after = search_organisations(session, OrganisationFilters(text="999000009"))

    assert before.total == 0
    assert _found(after) == [("999000009", "Newcomer SME")]
