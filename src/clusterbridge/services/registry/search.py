"""Searching the registry: ranked text search, filters and facet counts.

``services.registry`` re-exports everything public here; callers import from there.
"""

import dataclasses
from collections import Counter, OrderedDict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from threading import Lock
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation
from clusterbridge.db.repositories import organisations as repository
from clusterbridge.db.repositories import profiles as profile_repository
from clusterbridge.db.repositories.organisations import SearchCriteria
from clusterbridge.db.repositories.stamps import search_version
from clusterbridge.domain.enums import CLUSTER_TYPES, OrgType, SmeProfile
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.reference import RegionCategory, industrial_ecosystems, normalise_country
from clusterbridge.reference.errors import UnknownCountryError
from clusterbridge.services.registry.fields import technology_names
from clusterbridge.services.registry.keys import search_pic, search_terms

MAX_PER_PAGE = 100
#: Pages beyond this are refused: nobody pages that far, and offsets stay small.
MAX_PAGE = 10_000
_FACETS = ("country", "type", "sme_profile", "category")
#: The summary of every refusal of a search.
_NOT_VALID = "The search is not valid"
_COUNTRY_CODE_LENGTH = 2
_Choice = TypeVar("_Choice", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class OrganisationFilters:
    """What to look for, each value as a person gave it (``search_organisations`` checks them
    all, once). Empty parts do not filter; the values of one part are alternatives."""

    text: str = ""
    #: Country codes or names (``Greece``, ``gr``: both ``EL``).
    countries: tuple[str, ...] = ()
    #: Values of ``OrgType``.
    types: tuple[str, ...] = ()
    #: Values of ``SmeProfile``.
    sme_profiles: tuple[str, ...] = ()
    #: Slugs of industrial ecosystems.
    ecosystems: tuple[str, ...] = ()
    #: Values of ``RegionCategory`` (2021-2027).
    categories: tuple[str, ...] = ()
    #: Codes of the technology vocabulary the organisation offers (``ati-robotics``...).
    technologies: tuple[str, ...] = ()


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
    technologies: tuple[FacetCount, ...] = ()


@dataclass(frozen=True, slots=True)
class OrganisationListing:
    """An organisation as a list of results shows it: the columns a search loads."""

    id: int
    pic: str | None
    name: str
    short_name: str | None
    type: OrgType | None
    is_sme: bool | None
    sme_profile: SmeProfile | None
    country: str
    nuts: str | None
    city: str | None
    category_2021_2027: RegionCategory | None
    category_2014_2020: RegionCategory | None
    #: Why it matches the technologies and SME profile asked for, in words (derived values).
    evidence: tuple[str, ...] = ()

    @classmethod
    def of(cls, organisation: Organisation) -> "OrganisationListing":
        """The listing of a row loaded with (at least) the ``LISTED`` columns."""
        return cls(
            organisation.id,
            organisation.pic,
            organisation.name,
            organisation.short_name,
            organisation.type,
            organisation.is_sme,
            organisation.sme_profile,
            organisation.country,
            organisation.nuts,
            organisation.city,
            organisation.category_2021_2027,
            organisation.category_2014_2020,
        )


@dataclass(frozen=True, slots=True)
class OrganisationSearchResult:
    """One page of results, the total, and the facets (None when not asked for)."""

    items: list[OrganisationListing]
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
    profile; names weigh most. A text that is only a PIC (nine digits, spaces around allowed)
    finds the organisation with that PIC and no other, when one has it (the other filters
    still apply); otherwise it is searched as words. Countries are normalised (``GR`` →
    ``EL``). With ``with_facets`` the counts per country, type, SME profile, ecosystem, region
    category and technology offered come too (three grouped queries instead of one count).
    Every value of ``filters`` is checked here, and only here (web, API and CLI alike):
    InvalidInputError names at once, under its part of ``OrganisationFilters``, every country
    no list knows (a code is known when an organisation of the registry has it: CORDIS gives
    ``XH``), type, SME profile or region category that is none of their values, ecosystem or
    technology code that no list has, and a page below 1 or above ``MAX_PAGE``, ``per_page``
    outside 1-100. Reads only. A search asked again before the registry changes is answered from a cache.
    """
    criteria = _criteria(session, filters, page=page, per_page=per_page)
    version = search_version(session)
    cache = _cache_of(session)
    key = (version, criteria, page, per_page)
    cached = cache.get(key) if version is not None else None
    if cached is not None and (cached.facets is not None or not with_facets):
        facets = cached.facets if with_facets else None
        return OrganisationSearchResult(list(cached.items), cached.total, page, per_page, facets)
    criteria = _by_pic(session, criteria, filters.text)
    offset = (page - 1) * per_page
    rows = repository.search_page(session, criteria, offset=offset, limit=per_page)
    items = _with_evidence(session, [OrganisationListing.of(row) for row in rows], criteria)
    facets = None
    if with_facets:
        total, facets = _facets(session, criteria)
    else:
        total = repository.count_matches(session, criteria)
    if version is not None:
        cache.put(key, _CachedPage(tuple(items), total, facets))
    return OrganisationSearchResult(items, total, page, per_page, facets)


def _with_evidence(
    session: Session, items: list[OrganisationListing], criteria: SearchCriteria
) -> list[OrganisationListing]:
    """``items`` with the evidence of the technologies and SME profiles the search asks for."""
    if not items or not (criteria.technologies or criteria.sme_profiles):
        return items
    ids = [item.id for item in items]
    lines: dict[int, list[str]] = {id_: [] for id_ in ids}
    if criteria.sme_profiles:
        for id_, text in profile_repository.sme_profile_evidence(session, ids).items():
            lines[id_].append(text)
    if criteria.technologies:
        found = profile_repository.technology_evidence(session, ids, criteria.technologies)
        for id_, technologies in found.items():
            lines[id_] += [evidence or label for label, evidence in technologies]
    return [dataclasses.replace(item, evidence=tuple(lines[item.id])) for item in items]


@dataclass(frozen=True, slots=True)
class _CachedPage:
    """What a search found: its page of listings, the total and the facets."""

    items: tuple[OrganisationListing, ...]
    total: int
    facets: OrganisationFacets | None


class _SearchCache:
    """The latest searches of one database, keyed by (search version, criteria, page, size).

    The registry's search version changes with every write a search can see (revision 0003's
    triggers), so an entry is never stale: a search after a write reads a new version and
    misses. Entries of old versions are simply pushed out, least recently used first. Shared
    by the threads of a process, hence the lock. See docs/adr/0008.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, _CachedPage] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable) -> _CachedPage | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, entry: _CachedPage) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


#: One cache per database engine (tests and tools open several databases in one process).
_CACHES: "WeakKeyDictionary[Engine, _SearchCache]" = WeakKeyDictionary()
_CACHES_LOCK = Lock()
CACHE_SIZE = 2048


def _cache_of(session: Session) -> _SearchCache:
    engine = session.get_bind().engine
    with _CACHES_LOCK:
        cache = _CACHES.get(engine)
        if cache is None:
            cache = _CACHES[engine] = _SearchCache(CACHE_SIZE)
        return cache


def find_clusters(
    session: Session, text: str, *, exclude_id: int | None = None, limit: int = 10
) -> list[OrganisationListing]:
    """At most ``limit`` cluster organisations and networks (those others can be members of)
    that ``text`` matches as in ``search_organisations`` (words as prefixes, a PIC exactly),
    best match first, never ``exclude_id`` (the organisation being edited). None for a text
    with nothing to search. Reads only."""
    if not search_terms(text):
        return []
    filters = OrganisationFilters(text=text, types=tuple(sorted(CLUSTER_TYPES)))
    result = search_organisations(session, filters, per_page=limit + 1, with_facets=False)
    return [item for item in result.items if item.id != exclude_id][:limit]


def list_listings(session: Session, ids: Iterable[int]) -> list[OrganisationListing]:
    """The organisations with these ids as lists show them, in the order of ``ids`` (unknown
    ids skipped). Reads only."""
    by_id = {row.id: row for row in repository.list_by_ids(session, ids)}
    return [OrganisationListing.of(by_id[id_]) for id_ in dict.fromkeys(ids) if id_ in by_id]


def _choices(
    enum: type[_Choice], values: Iterable[str], part: str, what: str, issues: list[InputIssue]
) -> tuple[_Choice, ...]:
    chosen = []
    for value in values:
        try:
            chosen.append(enum(value.strip()))
        except ValueError:
            reason = f'"{value}" is not {what}; use one of {", ".join(enum)}'
            issues.append(InputIssue("query", part, reason))
    return tuple(chosen)


def _criteria(
    session: Session, filters: OrganisationFilters, *, page: int, per_page: int
) -> SearchCriteria:
    """The criteria of ``filters``: every value checked, all issues raised at once."""
    issues: list[InputIssue] = []
    if not 1 <= page <= MAX_PAGE:
        issues.append(InputIssue("query", "page", f"must be between 1 and {MAX_PAGE}"))
    if not 1 <= per_page <= MAX_PER_PAGE:
        issues.append(InputIssue("query", "per_page", f"must be between 1 and {MAX_PER_PAGE}"))
    countries = tuple(_country(session, value, issues) for value in filters.countries)
    types = _choices(OrgType, filters.types, "types", "a type of organisation", issues)
    profiles = _choices(SmeProfile, filters.sme_profiles, "sme_profiles", "an SME profile", issues)
    categories = _choices(
        RegionCategory, filters.categories, "categories", "a region category", issues
    )
    issues += _vocabulary_issues(filters)
    if issues:
        raise InvalidInputError(_NOT_VALID, issues)
    return SearchCriteria(
        terms=search_terms(filters.text),
        countries=countries,
        types=types,
        sme_profiles=profiles,
        ecosystems=filters.ecosystems,
        categories=categories,
        technologies=filters.technologies,
    )


def _vocabulary_issues(filters: OrganisationFilters) -> list[InputIssue]:
    """The ecosystems and technology codes of ``filters`` that no list has."""
    issues = []
    # The sets are made only for a search that filters by them (most give only words).
    slugs = {ecosystem.slug for ecosystem in industrial_ecosystems()} if filters.ecosystems else ()
    for slug in filters.ecosystems:
        if slug not in slugs:
            reason = (
                f'"{slug}" is not an industrial ecosystem; use one of {", ".join(sorted(slugs))}'
            )
            issues.append(InputIssue("query", "ecosystems", reason))
    codes = technology_names() if filters.technologies else {}
    for code in filters.technologies:
        if code not in codes:
            reason = f'"{code}" is not a technology code; use a code such as ati-robotics'
            issues.append(InputIssue("query", "technologies", reason))
    return issues


def _by_pic(session: Session, criteria: SearchCriteria, text: str) -> SearchCriteria:
    """``criteria`` for the one organisation with the PIC that ``text`` is, if any has it.

    Looked up only when a search misses the cache: whether a PIC is known changes only with
    the organisations, and so with the search version the cache is keyed by.
    """
    pic = search_pic(text)
    if pic is None or not repository.has_pic(session, pic):
        return criteria
    return dataclasses.replace(criteria, terms=(), pic=pic)


def _country(session: Session, value: str, issues: list[InputIssue]) -> str:
    """The canonical code of a country code or name (``GR`` → ``EL``); a two-letter code no
    list knows but the registry has (CORDIS gives ``XH``) as it is. Anything else adds an issue
    to ``issues``."""
    try:
        return normalise_country(value)
    except UnknownCountryError as error:
        text = value.strip().upper()
        if len(text) != _COUNTRY_CODE_LENGTH or not repository.has_country(session, text):
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
    technologies = Counter(repository.technology_counts(session, criteria))
    facets = OrganisationFacets(
        countries=_listed(counts["country"], chosen["country"]),
        types=_listed(counts["type"], chosen["type"]),
        sme_profiles=_listed(counts["sme_profile"], chosen["sme_profile"]),
        ecosystems=_listed(ecosystems, set(criteria.ecosystems)),
        categories=_listed(counts["category"], chosen["category"]),
        technologies=_listed(technologies, set(criteria.technologies)),
    )
    return total, facets


def _listed(counts: Counter[Any], chosen: set[Any]) -> tuple[FacetCount, ...]:
    values = set(counts) | chosen
    ordered = sorted(values, key=lambda value: (-counts[value], str(value)))
    return tuple(FacetCount(str(value), counts[value], value in chosen) for value in ordered)
