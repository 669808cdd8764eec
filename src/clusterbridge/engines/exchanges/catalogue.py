"""The catalogue of validated participants: the other side (hosts for a visitor, visitors for
a host) in another country, ranked by what the two profiles share, each with its reasons.

The partner-matching index scores a question against the whole registry, not a given set, so
the catalogue scores the registry profiles' overlaps directly: technologies one offers and the
other needs, the ecosystems, the sectors, the activity types and the preferred countries.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from clusterbridge.reference import UnknownCountryError, get_country

#: Points for each technology one side offers and the other needs.
TECHNOLOGY_POINTS = 3
#: Points when the other side is in a country the participant prefers.
PREFERRED_COUNTRY_POINTS = 2
#: Points when the other side prefers the participant's country.
PREFERRED_BY_POINTS = 1
#: Points for each shared ecosystem, sector or activity type.
SHARED_POINTS = 1


@dataclass(frozen=True, slots=True)
class Topic:
    """A technology as a reason names it: its key (vocabulary code or folded label) and
    label."""

    key: str
    label: str


@dataclass(frozen=True, slots=True)
class CatalogueProfile:
    """A validated participant as the catalogue sees it: its registry profile (technologies,
    ecosystems) and its enrolment (sectors, preferred countries, activity types in words)."""

    id: int
    name: str
    country: str
    offered: tuple[Topic, ...] = ()
    needed: tuple[Topic, ...] = ()
    ecosystems: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    preferred_countries: tuple[str, ...] = ()
    activity_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One participant of the other side, its score and the reasons for it (best first)."""

    id: int
    score: int
    reasons: tuple[str, ...]


def rank_catalogue(me: CatalogueProfile, others: Sequence[CatalogueProfile]) -> list[Suggestion]:
    """The ``others`` established in another country than ``me``, highest score first, then by
    name and id. A participant sharing nothing is listed with a score of 0 and no reason."""
    suggestions = [_suggestion(me, other) for other in others if other.country != me.country]
    names = {other.id: other.name.casefold() for other in others}
    return sorted(suggestions, key=lambda s: (-s.score, names[s.id], s.id))


def _suggestion(me: CatalogueProfile, other: CatalogueProfile) -> Suggestion:
    score, reasons = 0, []
    offers = _topics(other.offered, me.needed)
    if offers:
        score += TECHNOLOGY_POINTS * len(offers)
        reasons.append(f"offers {', '.join(offers)}, which you need")
    needs = _topics(other.needed, me.offered)
    if needs:
        score += TECHNOLOGY_POINTS * len(needs)
        reasons.append(f"needs {', '.join(needs)}, which you offer")
    if other.country in me.preferred_countries:
        score += PREFERRED_COUNTRY_POINTS
        reasons.append(f"is in {country_name(other.country)}, a country you prefer")
    if me.country in other.preferred_countries:
        score += PREFERRED_BY_POINTS
        reasons.append(f"prefers your country, {country_name(me.country)}")
    for what, mine, theirs in (
        ("activities", me.activity_types, other.activity_types),
        ("ecosystems", me.ecosystems, other.ecosystems),
        ("sectors", me.sectors, other.sectors),
    ):
        shared = _shared(mine, theirs)
        if shared:
            score += SHARED_POINTS * len(shared)
            reasons.append(f"shares your {what}: {', '.join(shared)}")
    return Suggestion(other.id, score, tuple(reasons))


def _topics(theirs: Sequence[Topic], mine: Sequence[Topic]) -> list[str]:
    keys = {topic.key for topic in mine}
    labels: list[str] = []
    for topic in theirs:
        if topic.key in keys and topic.label not in labels:
            labels.append(topic.label)
    return labels


def _shared(mine: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """The entries of ``theirs`` also in ``mine``, compared without case, in their order."""
    folded = {item.strip().casefold() for item in mine}
    shared: list[str] = []
    for item in theirs:
        if item.strip().casefold() in folded and item.strip() not in shared:
            shared.append(item.strip())
    return shared


def country_name(code: str) -> str:
    """The country's English name (``Portugal``), or the code itself if unknown."""
    try:
        return get_country(code).name
    except UnknownCountryError:
        return code
