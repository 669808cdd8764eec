"""A consortium indexed as bit masks, so that rules are a few integer operations.

Bit ``i`` of a mask stands for the i-th partner. For every attribute the index keeps one mask per
value and one for "not known". A three-valued test over partners is then a pair of masks:
``certain`` (partners that surely pass) and ``possible`` (those that may, certain ones included).
Counting is ``int.bit_count``. The index is built once per consortium and shared by every rule
and every call it is checked against.
"""

from collections.abc import Container
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from clusterbridge.domain.consortium import Partner
from clusterbridge.domain.geography import cohesion_area, place_partner
from clusterbridge.reference import CategoryAnswer, Period, RegionCategory

INDEXED_ATTRIBUTES = ("role", "type", "sme_profile", "legal_entity", "eccp_registered")


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


@dataclass(frozen=True, slots=True)
class RegionPlacement:
    """Per category, the partners located in such a region; and the partners not placeable."""

    period: Period
    by_category: dict[RegionCategory, int]
    outside: int  # outside the EU of the period: certainly in no category
    unplaced: int  # no NUTS code, or a code whose category cannot be said
    answers: tuple[CategoryAnswer | None, ...]  # per partner, None when outside or without code

    def note(self, partner: Partner, bit: int) -> str:
        """How the partner at ``bit`` was placed, as a sentence (built only when shown)."""
        if self.outside >> bit & 1:
            return f"{partner.label} is outside the EU of {self.period.value}."
        answer = self.answers[bit]
        note = answer.note if answer else f"{partner.label}: no NUTS code given"
        return note if note.endswith(".") else f"{note}."


@dataclass(slots=True)
class PartnerIndex:
    """Masks of one consortium's partners by attribute value, country and region."""

    partners: tuple[Partner, ...]
    everyone: int = 0
    values: dict[str, dict[object, int]] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)
    memo: dict[object, Masks] = field(default_factory=dict)
    regions: dict[Period, RegionPlacement] = field(default_factory=dict)
    labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.everyone = (1 << len(self.partners)) - 1
        for attribute in INDEXED_ATTRIBUTES:
            by_value: dict[object, int] = {}
            for bit, value in enumerate(map(attrgetter(attribute), self.partners)):
                by_value[value] = by_value.get(value, 0) | 1 << bit
            self.unknown[attribute] = by_value.pop(None, 0)
            self.values[attribute] = by_value
        for bit, partner in enumerate(self.partners):
            self.countries[partner.country] = self.countries.get(partner.country, 0) | 1 << bit

    def having(self, attribute: str, allowed: Container[object]) -> int:
        """Partners whose ``attribute`` is known and one of ``allowed``."""
        mask = 0
        for value, partners in self.values[attribute].items():
            if value in allowed:
                mask |= partners
        return mask

    def in_countries(self, countries: frozenset[str]) -> int:
        """Partners established in one of ``countries``."""
        mask = 0
        for country, partners in self.countries.items():
            if country in countries:
                mask |= partners
        return mask

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
        partners = self.partners
        return tuple(partners[bit].name for bit in bits(mask))

    def labels_of(self, mask: int) -> str:
        """The partners of ``mask`` as a readable list: ``A (DE), B (FR)``."""
        if not self.labels:
            self.labels = tuple(p.label for p in self.partners)
        labels = self.labels
        return ", ".join(labels[bit] for bit in bits(mask))


def bits(mask: int) -> list[int]:
    """The positions of the set bits of ``mask``, lowest first."""
    found = []
    while mask:
        lowest = mask & -mask
        found.append(lowest.bit_length() - 1)
        mask ^= lowest
    return found


def _place(partners: tuple[Partner, ...], period: Period) -> RegionPlacement:
    by_category: dict[RegionCategory, int] = {}
    outside = unplaced = 0
    answers: list[CategoryAnswer | None] = []
    area = cohesion_area(period)
    for bit, partner in enumerate(partners):
        answer = None
        if partner.country not in area:
            outside |= 1 << bit
        else:
            answer = place_partner(partner.country, partner.nuts, period)
            category = answer.category if answer else None
            if category is None:
                unplaced |= 1 << bit
            else:
                by_category[category] = by_category.get(category, 0) | 1 << bit
        answers.append(answer)
    return RegionPlacement(period, by_category, outside, unplaced, tuple(answers))
