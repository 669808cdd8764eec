"""A consortium indexed as bit masks, so that rules are a few integer operations.

Bit ``i`` of a mask stands for the i-th partner. For every attribute the index keeps one mask per
value and one for "not known". A three-valued test over partners is then a pair of masks:
``certain`` (partners that surely pass) and ``possible`` (those that may, certain ones included).
Counting is ``int.bit_count``. The index is built once per consortium and shared by every rule
and every call it is checked against, and it memoises what they ask of it.
"""

from collections.abc import Container
from operator import attrgetter
from typing import Any, NamedTuple, cast

from clusterbridge.domain.consortium import Partner, partner_label
from clusterbridge.domain.eligibility.outcome import Outcome
from clusterbridge.domain.geography import cohesion_area, place_partner
from clusterbridge.reference import CategoryAnswer, Period, RegionCategory

INDEXED_ATTRIBUTES = ("role", "type", "sme_profile", "legal_entity", "eccp_registered")

#: The partners' names and their countries, in consortium order: what a message needs to name
#: the partners of a mask. Two tuples of strings, so that a deferred message holding it holds
#: nothing the garbage collector has to walk (see ADR 0007).
Roster = tuple[tuple[str, ...], tuple[str, ...]]


class Masks(NamedTuple):
    """The partners that certainly and possibly pass a three-valued test."""

    certain: int
    possible: int

    def meet(self, other: "Masks") -> "Masks":
        """The three-valued conjunction: partners passing both tests."""
        return Masks(self.certain & other.certain, self.possible & other.possible)

    @property
    def undecided(self) -> int:
        """Partners that may or may not pass, for want of data."""
        return self.possible & ~self.certain


class RegionPlacement(NamedTuple):
    """Per category, the partners located in such a region; and the partners not placeable."""

    period: Period
    by_category: dict[RegionCategory, int]
    outside: int  # outside the EU of the period: certainly in no category
    unplaced: int  # no NUTS code, or a code whose category cannot be said
    partners: tuple[Partner, ...]

    def answer(self, bit: int) -> CategoryAnswer | None:
        """How the partner at ``bit`` was placed; None when it is outside the EU of the period,
        or has no NUTS code in a country of several regions."""
        if self.outside >> bit & 1:
            return None
        partner = self.partners[bit]
        return place_partner(partner.country, partner.nuts, self.period)

    def note(self, label: str, bit: int) -> str:
        """How the partner at ``bit``, whose label is ``label``, was placed, as a sentence."""
        if self.outside >> bit & 1:
            return f"{label} is outside the EU of {self.period.value}."
        answer = self.answer(bit)
        note = answer.note if answer else f"{label}: no NUTS code given"
        return note if note.endswith(".") else f"{note}."


class PartnerIndex:
    """Masks of one consortium's partners by attribute value, country and region.

    ``memo`` is for the filters (``PartnerFilter.masks``), ``tests`` for the tests of per-partner
    conditions (the partners that pass, those that fail), ``outcomes`` for the outcomes of
    conditions on the consortium alone (``ConsortiumCondition``); ``having_any``,
    ``in_countries`` and ``placement`` memoise their own answers. Everything is derived from
    ``partners``.
    """

    __slots__ = (
        "countries",
        "everyone",
        "located",
        "memo",
        "outcomes",
        "partners",
        "regions",
        "roster",
        "selected",
        "tests",
        "unknown",
        "values",
    )

    def __init__(self, partners: tuple[Partner, ...]) -> None:
        self.partners = partners
        self.everyone = (1 << len(partners)) - 1
        *tables, countries = _tables(partners)
        self.values: dict[str, dict[object, int]] = dict(
            zip(INDEXED_ATTRIBUTES, tables, strict=True)
        )
        self.unknown = {
            attribute: self.values[attribute].pop(None, 0) for attribute in INDEXED_ATTRIBUTES
        }
        self.countries: dict[str, int] = countries
        self.roster: Roster = (tuple(map(_NAME, partners)), tuple(map(_COUNTRY, partners)))
        self.memo: dict[object, Masks] = {}
        self.tests: dict[str, tuple[int, int]] = {}
        self.outcomes: dict[str, Outcome] = {}
        self.selected: dict[tuple[str, frozenset[object]], int] = {}
        self.located: dict[frozenset[str], int] = {}
        self.regions: dict[Period, RegionPlacement] = {}

    def having(self, attribute: str, allowed: Container[object]) -> int:
        """Partners whose ``attribute`` is known and one of ``allowed``."""
        mask = 0
        for value, partners in self.values[attribute].items():
            if value in allowed:
                mask |= partners
        return mask

    def having_any(self, attribute: str, allowed: frozenset[object]) -> int:
        """``having`` for a set of values, memoised: calls and rules ask the same sets again."""
        key = (attribute, allowed)
        found = self.selected.get(key)
        if found is None:
            by_value = self.values[attribute]
            if len(allowed) < len(by_value):
                found = 0
                for value in allowed:
                    found |= by_value.get(value, 0)
            else:
                found = self.having(attribute, allowed)
            self.selected[key] = found
        return found

    def in_countries(self, countries: frozenset[str]) -> int:
        """Partners established in one of ``countries`` (memoised per set of countries)."""
        found = self.located.get(countries)
        if found is None:
            found = 0
            for country, partners in self.countries.items():
                if country in countries:
                    found |= partners
            self.located[countries] = found
        return found

    def placement(self, period: Period) -> RegionPlacement:
        """Where the partners are for ``period``'s regional categories (computed once)."""
        found = self.regions.get(period)
        if found is None:
            found = self.regions[period] = _place(self.partners, period)
        return found

    def pick(self, mask: int) -> list[Partner]:
        """The partners whose bits are set in ``mask``, in order."""
        return [self.partners[bit] for bit in bits(mask)]

    def names(self, mask: int) -> tuple[str, ...]:
        """The names of the partners of ``mask``, for a finding's ``partners``."""
        return names_of(self.roster, mask)

    def labels_of(self, mask: int) -> str:
        """The partners of ``mask`` as a readable list: ``A (DE), B (FR)``."""
        return labels_of(self.roster, mask)


_NAME, _COUNTRY = attrgetter("name"), attrgetter("country")


def _tables(partners: tuple[Partner, ...]) -> list[dict[Any, int]]:
    """Per attribute of ``INDEXED_ATTRIBUTES``, then per country: each value's partners.

    Written out in one loop over the partners: this runs once per consortium, and one pass
    with plain attribute reads costs half as much as one generic pass per attribute.
    """
    role: dict[Any, int] = {}
    kind: dict[Any, int] = {}
    profile: dict[Any, int] = {}
    legal: dict[Any, int] = {}
    eccp: dict[Any, int] = {}
    country: dict[Any, int] = {}
    bit = 1
    for partner in partners:
        value: Any = partner.role
        role[value] = role.get(value, 0) | bit
        value = partner.type
        kind[value] = kind.get(value, 0) | bit
        value = partner.sme_profile
        profile[value] = profile.get(value, 0) | bit
        value = partner.legal_entity
        legal[value] = legal.get(value, 0) | bit
        value = partner.eccp_registered
        eccp[value] = eccp.get(value, 0) | bit
        value = partner.country
        country[value] = country.get(value, 0) | bit
        bit <<= 1
    return [role, kind, profile, legal, eccp, country]


def names_of(roster: Roster, mask: int) -> tuple[str, ...]:
    """The names of the partners of ``mask``, in order (``roster`` is ``PartnerIndex.roster``)."""
    names = roster[0]
    return tuple(names[bit] for bit in bits(mask))


def labels_of(roster: Roster, mask: int) -> str:
    """The partners of ``mask`` as a readable list: ``A (DE), B (FR)``."""
    names, countries = roster
    return ", ".join(partner_label(names[bit], countries[bit]) for bit in bits(mask))


def bits(mask: int) -> list[int]:
    """The positions of the set bits of ``mask``, lowest first."""
    found = []
    while mask:
        lowest = mask & -mask
        found.append(lowest.bit_length() - 1)
        mask ^= lowest
    return found


#: Where a (country, NUTS code) lies for a period: its category; None when that cannot be said
#: (no NUTS code, a code straddling categories...); or OUTSIDE the EU of the period.
OUTSIDE = "outside"
Place = RegionCategory | str | None

#: Per period, the place of each (country, NUTS code) met so far: one dict lookup per partner
#: instead of the area test and the cached ``place_partner`` call with its three arguments.
_PLACES: dict[Period, dict[tuple[str, str | None], Place]] = {period: {} for period in Period}


def _place(partners: tuple[Partner, ...], period: Period) -> RegionPlacement:
    by_place: dict[Place, int] = {}
    places = _PLACES[period]
    bit = 1
    for partner in partners:
        where = (partner.country, partner.nuts)
        try:
            place = places[where]
        except KeyError:
            place = places[where] = _locate(partner.country, partner.nuts, period)
        by_place[place] = by_place.get(place, 0) | bit
        bit <<= 1
    outside, unplaced = by_place.pop(OUTSIDE, 0), by_place.pop(None, 0)
    by_category = cast(dict[RegionCategory, int], by_place)  # only categories are left
    return RegionPlacement(period, by_category, outside, unplaced, partners)


def _locate(country: str, nuts: str | None, period: Period) -> Place:
    if country not in cohesion_area(period):
        return OUTSIDE
    answer = place_partner(country, nuts, period)
    return answer.category if answer else None
