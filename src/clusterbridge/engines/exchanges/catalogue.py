"""The catalogue of validated participants: the other side (hosts for a visitor, visitors for
a host) in another country, ranked by the partner-matching engine's similarity of the two
registry profiles (``engines.matching``: shared topics, past projects, technologies one
offers and the other needs, ecosystems, complementary SME profiles; the light default
weights) plus what the two enrolments share: a preferred country, activity types and
sectors. Each suggestion keeps the engine's reasons and adds those of the enrolments; the
score is the engine's match from 0 to 100 of the sum."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from clusterbridge.engines.matching.score import match_of
from clusterbridge.reference import UnknownCountryError, get_country

#: How much the enrolments add to the engine's weighted score (its technologies count 0.3,
#: its ecosystems 0.1, a text as close as the idea's 1): a country the participant prefers,
#: being in a country the other prefers, and shared activity types and sectors (each
#: saturating as the engine's counts do, ``n / (n + 1)``). A judgement, as the engine's
#: technologies and ecosystems weights are (ADR 0017).
PREFERRED_COUNTRY_WEIGHT = 0.2
PREFERRED_BY_WEIGHT = 0.1
ACTIVITIES_WEIGHT = 0.1
SECTORS_WEIGHT = 0.1
SHARED_HALF = 1.0


@dataclass(frozen=True, slots=True)
class CatalogueProfile:
    """A validated participant as the catalogue sees it: its enrolment (sectors, preferred
    countries, activity types in words)."""

    id: int
    name: str
    country: str
    sectors: tuple[str, ...] = ()
    preferred_countries: tuple[str, ...] = ()
    activity_types: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Similarity:
    """What the matching engine found between two registry profiles: its weighted score
    and its reasons."""

    score: float
    reasons: tuple[str, ...] = ()


NOTHING = Similarity(0.0)


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One participant of the other side, its match (0-100) and the reasons for it, the
    engine's first."""

    id: int
    score: int
    reasons: tuple[str, ...]
    weighted: float = 0.0


def rank_catalogue(
    me: CatalogueProfile,
    others: Sequence[CatalogueProfile],
    similarity: Mapping[int, Similarity],
) -> list[Suggestion]:
    """The ``others`` established in another country than ``me``, best first (by the
    weighted sum, then by name and id). ``similarity`` is the engine's, by other id (none:
    nothing in common in the registry). A participant sharing nothing is listed with a
    match of 0 and no reason. Pure."""
    suggestions = [
        _suggestion(me, other, similarity.get(other.id, NOTHING))
        for other in others
        if other.country != me.country
    ]
    names = {other.id: other.name.casefold() for other in others}
    return sorted(suggestions, key=lambda s: (-s.weighted, names[s.id], s.id))


def _suggestion(me: CatalogueProfile, other: CatalogueProfile, found: Similarity) -> Suggestion:
    total, reasons = max(found.score, 0.0), list(found.reasons)
    if other.country in me.preferred_countries:
        total += PREFERRED_COUNTRY_WEIGHT
        reasons.append(f"is in {country_name(other.country)}, a country you prefer")
    if me.country in other.preferred_countries:
        total += PREFERRED_BY_WEIGHT
        reasons.append(f"prefers your country, {country_name(me.country)}")
    for what, weight, mine, theirs in (
        ("activities", ACTIVITIES_WEIGHT, me.activity_types, other.activity_types),
        ("sectors", SECTORS_WEIGHT, me.sectors, other.sectors),
    ):
        shared = _shared(mine, theirs)
        if shared:
            total += weight * len(shared) / (len(shared) + SHARED_HALF)
            reasons.append(f"shares your {what}: {', '.join(shared)}")
    return Suggestion(other.id, match_of(total), tuple(reasons), total)


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
