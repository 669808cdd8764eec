"""Countries and regions as the rules need them, over the reference data (cached)."""

from dataclasses import dataclass
from functools import cache

from clusterbridge.reference import (
    COUNTRY_SET_NAMES,
    CategoryAnswer,
    Period,
    Region,
    UnknownCountryError,
    eu_member_state_codes,
    get_country,
    get_country_set,
    normalise_country,
    region_category,
    region_category_for_country,
)


@dataclass(frozen=True, slots=True)
class RegionDescription:
    """A region with its country and its category answer for each period asked."""

    region: Region
    country_name: str
    categories: tuple[CategoryAnswer, ...]
    placed_by_country: bool


@dataclass(frozen=True, slots=True)
class CountryScope:
    """The countries a call accepts: named sets and single codes, resolved to codes.

    ``unverified`` holds codes that are members only through a set the reference data does not
    confirm (e.g. the list of countries associated to the Single Market Programme).
    """

    entries: tuple[str, ...]
    members: frozenset[str]
    unverified: frozenset[str]
    title: str


@cache
def resolve_country_scope(entries: tuple[str, ...]) -> CountryScope:
    """Resolve set names (``eu_member_states``) and codes (``IS``) into a scope.

    Raises ValueError naming the entry that is neither a known set nor a country code.
    """
    confirmed: set[str] = set()
    unverified: set[str] = set()
    titles: list[str] = []
    for entry in entries:
        if entry in COUNTRY_SET_NAMES:
            country_set = get_country_set(entry)
            confirmed |= country_set.members - country_set.unverified
            unverified |= country_set.unverified
            titles.append(country_set.title)
        else:
            try:
                code = normalise_country(entry)
            except UnknownCountryError:
                sets = ", ".join(COUNTRY_SET_NAMES)
                msg = f'"{entry}" is neither a country set ({sets}) nor a country code such as DE or EL'
                raise ValueError(msg) from None
            confirmed.add(code)
            titles.append(get_country(code).name)
    return CountryScope(
        entries=entries,
        members=frozenset(confirmed | unverified),
        unverified=frozenset(unverified - confirmed),
        title=", ".join(titles),
    )


def is_eu_member_state(country: str) -> bool:
    """Whether a canonical country code is one of the 27 Member States."""
    return country in eu_member_state_codes()


@cache
def place_partner(country: str, nuts: str | None, period: Period) -> CategoryAnswer | None:
    """The cohesion-policy category answer for a partner's location, or None if it cannot be placed.

    A NUTS code is used when given; otherwise a country that is a single NUTS-2 region (Latvia,
    Estonia...) is placed by its country code alone.
    """
    if nuts:
        return region_category(nuts, period)
    return region_category_for_country(country, period)


#: Member States that have left the EU, with the last programming period they took part in.
FORMER_MEMBER_STATES: dict[str, Period] = {"UK": Period.P2014_2020}


@cache
def cohesion_area(period: Period) -> frozenset[str]:
    """The countries whose regions had a cohesion-policy category in ``period``."""
    former = {country for country, last in FORMER_MEMBER_STATES.items() if last is period}
    return eu_member_state_codes() | former


def in_cohesion_area(country: str, period: Period) -> bool:
    """Whether regions of ``country`` had a cohesion-policy category in ``period``."""
    return country in cohesion_area(period)
