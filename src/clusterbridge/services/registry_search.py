"""Searching the registry: ranked text search, filters and facet counts.

``services.registry`` re-exports everything public here; callers import from there.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation
from clusterbridge.db.repositories import organisations as repository
from clusterbridge.db.repositories.organisations import SearchCriteria
from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.reference import RegionCategory, industrial_ecosystems, normalise_country
from clusterbridge.reference.errors import UnknownCountryError
from clusterbridge.services.registry_keys import search_terms

MAX_PER_PAGE = 100
#: Pages beyond this are refused: nobody pages that far, and offsets stay small.
MAX_PAGE = 10_000
_FACETS = ("country", "type", "sme_profile", "category")


@dataclass(frozen=True, slots=True)
class OrganisationFilters:
    """What to look for. Empty parts do not filter; the values of one part are alternatives."""

    text: str = ""
    countries: tuple[str, ...] = ()
    types: tuple[OrgType, ...] = ()
    sme_profiles: tuple[SmeProfile, ...] = ()
    ecosystems: tuple[str, ...] = ()
    categories: tuple[RegionCategory, ...] = ()


@dataclass(frozen=True, slots=True)
class FacetCount:
    """How many results have one value of a facet (for ``selected`` ones, even zero)."""

    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True, slots=True)
class OrganisationFacets:
    """Counts per value of each facet. Each facet counts the results of every *other*
    filter, so that choosing a country still shows how many each other country has."""

    countries: tuple[FacetCount, ...] = ()
    types: tuple[FacetCount, ...] = ()
    sme_profiles: tuple[FacetCount, ...] = ()
    ecosystems: tuple[FacetCount, ...] = ()
    categories: tuple[FacetCount, ...] = ()


@dataclass(frozen=True, slots=True)
class OrganisationSearchResult:
    """One page of results, the total, and the facets (None when not asked for)."""

    items: list[Organisation]
    total: int
    page: int
    per_page: int
    facets: OrganisationFacets | None = field(default=None)

    @property
    def pages(self) -> int:
        """How many pages the results fill (at least one)."""
        return max(1, -(-self.total // self.per_page))


def search_organisations(
    session: Session,
    filters: OrganisationFilters,
    *,
    page: int = 1,
    per_page: int = 20,
    with_facets: bool = True,
) -> OrganisationSearchResult:
    """One page of the organisations matching ``filters``, best text match first (then by name).

    Text matches words as prefixes in name, short name, technologies, description and
    profile; names weigh most. Countries are normalised (``GR`` → ``EL``). With
    ``with_facets`` the counts per country, type, SME profile, ecosystem and region category
    come too (two grouped queries instead of one count). Raises InvalidInputError for a page
    below 1 or above ``MAX_PAGE``, ``per_page`` outside 1-100, an unknown country or ecosystem.
    Reads only.
    """
    criteria = _criteria(filters, page=page, per_page=per_page)
    offset = (page - 1) * per_page
    items = repository.search_page(session, criteria, offset=offset, limit=per_page)
    if not with_facets:
        total = repository.count_matches(session, criteria)
        return OrganisationSearchResult(items, total, page, per_page)
    total, facets = _facets(session, criteria)
    return OrganisationSearchResult(items, total, page, per_page, facets)


def _criteria(filters: OrganisationFilters, *, page: int, per_page: int) -> SearchCriteria:
    issues: list[InputIssue] = []
    if not 1 <= page <= MAX_PAGE:
        issues.append(InputIssue("query", "page", f"must be between 1 and {MAX_PAGE}"))
    if not 1 <= per_page <= MAX_PER_PAGE:
        issues.append(InputIssue("query", "per_page", f"must be between 1 and {MAX_PER_PAGE}"))
    countries = tuple(_country(value, issues) for value in filters.countries)
    slugs = {ecosystem.slug for ecosystem in industrial_ecosystems()}
    for slug in filters.ecosystems:
        if slug not in slugs:
            reason = (
                f'"{slug}" is not an industrial ecosystem; use one of {", ".join(sorted(slugs))}'
            )
            issues.append(InputIssue("query", "ecosystems", reason))
    if issues:
        raise InvalidInputError("The search is not valid", issues)
    return SearchCriteria(
        terms=search_terms(filters.text),
        countries=countries,
        types=filters.types,
        sme_profiles=filters.sme_profiles,
        ecosystems=filters.ecosystems,
        categories=filters.categories,
    )


def _country(value: str, issues: list[InputIssue]) -> str:
    try:
        return normalise_country(value)
    except UnknownCountryError as error:
        text = value.strip().upper()
        # Countries outside the reference list (US, CN...) are kept as given, as CORDIS does.
        if len(text) == 2 and text.isascii() and text.isalpha():
            return text
        issues.append(InputIssue("query", "countries", str(error)))
        return text


def _facets(session: Session, criteria: SearchCriteria) -> tuple[int, OrganisationFacets]:
    chosen: dict[str, set[Any]] = {
        "country": set(criteria.countries),
        "type": set(criteria.types),
        "sme_profile": set(criteria.sme_profiles),
        "category": set(criteria.categories),
    }
    counts: dict[str, Counter[Any]] = {name: Counter() for name in _FACETS}
    total = 0
    for *values, count in repository.facet_combinations(session, criteria):
        row = dict(zip(_FACETS, values, strict=True))
        passes = {name: not chosen[name] or row[name] in chosen[name] for name in _FACETS}
        total += count if all(passes.values()) else 0
        for name in _FACETS:
            others = all(passes[other] for other in _FACETS if other != name)
            if others and row[name] is not None:
                counts[name][row[name]] += count
    ecosystems = Counter(repository.ecosystem_counts(session, criteria))
    facets = OrganisationFacets(
        countries=_listed(counts["country"], chosen["country"]),
        types=_listed(counts["type"], chosen["type"]),
        sme_profiles=_listed(counts["sme_profile"], chosen["sme_profile"]),
        ecosystems=_listed(ecosystems, set(criteria.ecosystems)),
        categories=_listed(counts["category"], chosen["category"]),
    )
    return total, facets


def _listed(counts: Counter[Any], chosen: set[Any]) -> tuple[FacetCount, ...]:
    values = set(counts) | chosen
    ordered = sorted(values, key=lambda value: (-counts[value], str(value)))
    return tuple(FacetCount(str(value), counts[value], value in chosen) for value in ordered)
