"""Searches are cached under the registry's search version, which every visible write changes
(revision 0003's triggers), so a cached answer is never stale. Runs on SQLite and PostgreSQL."""

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation, OrganisationEcosystem, OrganisationTechnology
from clusterbridge.db.repositories.stamps import search_version
from clusterbridge.domain.enums import OrgType, TechnologyDirection
from clusterbridge.services.registry import (
    OrganisationFilters,
    OrganisationSearchResult,
    search_organisations,
)
from tests.factories.organisations import make_organisation
from tests.querycount import count_queries


def _names(result: OrganisationSearchResult) -> list[str]:
    """The names found, sorted: the ranking itself differs between SQLite and PostgreSQL."""
    return sorted(item.name for item in result.items)


@pytest.fixture
def registry(session: Session) -> list[Organisation]:
    return [
        make_organisation(session, name="Hydrogen Valley Cluster", country="DE"),
        make_organisation(session, name="Solar Cluster", country="ES", type=OrgType.SME),
    ]


def test_a_repeated_search_reads_only_the_version(
    session: Session, registry: list[Organisation]
) -> None:
    filters = OrganisationFilters(text="cluster")
    first = search_organisations(session, filters)

    with count_queries(session.get_bind().engine) as log:
        again = search_organisations(session, filters)

    assert log.count == 1
    assert again == first
    assert _names(again) == ["Hydrogen Valley Cluster", "Solar Cluster"]
    assert [(c.value, c.count) for c in again.facets.countries] == [("DE", 1), ("ES", 1)]  # type: ignore[union-attr]


def test_a_cached_search_with_facets_also_answers_one_without(
    session: Session, registry: list[Organisation]
) -> None:
    search_organisations(session, OrganisationFilters(text="cluster"))

    with count_queries(session.get_bind().engine) as log:
        result = search_organisations(
            session, OrganisationFilters(text="cluster"), with_facets=False
        )

    assert (log.count, result.total, result.facets) == (1, 2, None)


def test_a_search_cached_without_facets_counts_them_when_asked(
    session: Session, registry: list[Organisation]
) -> None:
    search_organisations(session, OrganisationFilters(text="cluster"), with_facets=False)

    result = search_organisations(session, OrganisationFilters(text="cluster"))

    assert [(c.value, c.count) for c in result.facets.types] == [  # type: ignore[union-attr]
        ("cluster_organisation", 1),
        ("sme", 1),
    ]


def _rename(session: Session, organisations: list[Organisation]) -> None:
    organisations[0].name = "Hydrogen Valley Network"


def _delete(session: Session, organisations: list[Organisation]) -> None:
    session.delete(organisations[1])


def _add_technology(session: Session, organisations: list[Organisation]) -> None:
    session.add(
        OrganisationTechnology(
            organisation_id=organisations[1].id,
            direction=TechnologyDirection.OFFERED,
            label="electrolysers",
        )
    )


def _add_ecosystem(session: Session, organisations: list[Organisation]) -> None:
    session.add(OrganisationEcosystem(organisation_id=organisations[1].id, ecosystem="digital"))


def _sql_update(session: Session, organisations: list[Organisation]) -> None:
    session.execute(sa.text("UPDATE organisation SET country = 'PL' WHERE name LIKE 'Solar%'"))


@pytest.mark.parametrize(
    ("write", "text", "expected"),
    [
        (_rename, "cluster", ["Solar Cluster"]),
        (_delete, "cluster", ["Hydrogen Valley Cluster"]),
        (_add_technology, "electrolysers", ["Solar Cluster"]),
        (_add_ecosystem, "cluster", ["Hydrogen Valley Cluster", "Solar Cluster"]),
        (_sql_update, "cluster", ["Hydrogen Valley Cluster", "Solar Cluster"]),
    ],
    ids=["rename", "delete", "technology", "ecosystem", "plain-sql"],
)
def test_every_write_a_search_can_see_changes_the_version(
    session: Session,
    registry: list[Organisation],
    write: Callable[[Session, list[Organisation]], None],
    text: str,
    expected: list[str],
) -> None:
    before = search_organisations(session, OrganisationFilters(text=text))
    version = search_version(session)

    write(session, registry)
    session.flush()
    after = search_organisations(session, OrganisationFilters(text=text))

    assert search_version(session) not in (None, version)
    assert _names(after) == expected
    assert after != before


def test_facets_follow_a_write(session: Session, registry: list[Organisation]) -> None:
    search_organisations(session, OrganisationFilters(text="cluster"))

    _sql_update(session, registry)
    result = search_organisations(session, OrganisationFilters(text="cluster"))

    assert [(c.value, c.count) for c in result.facets.countries] == [("DE", 1), ("PL", 1)]  # type: ignore[union-attr]
