"""NUTS regions of every version 2006–2024: look-up by code, counts, single-region countries."""

from dataclasses import dataclass
from functools import cache

from clusterbridge.reference._nuts import (
    NUTS2_LEVEL,
    NUTS_VERSIONS,
    canonical_code,
    check_version,
    is_latin,
    nuts2_children,
    nuts_proper_countries,
    units,
    versions_by_code,
)
from clusterbridge.reference.countries import normalise_country
from clusterbridge.reference.errors import UnknownCountryError, UnknownRegionError

__all__ = [
    "NUTS_VERSIONS",
    "Region",
    "bare_country_outside_nuts",
    "count_regions",
    "country_single_region",
    "lookup_region",
]

_DEFAULT_SINGLE_REGION_VERSION = 2021
_COUNTRY_CODE_LENGTHS = (2, 3)


@dataclass(frozen=True, slots=True)
class Region:
    """A NUTS code as it exists across versions.

    `name` is the Latin-script name of the newest version that has one; `country` is the EU
    spelling (EL, UK); `versions` lists the NUTS versions in which the code exists. The same code
    can name a different territory in different versions.
    """

    code: str
    name: str
    level: int
    country: str
    nuts2_code: str | None
    versions: tuple[int, ...]


def lookup_region(code: str) -> Region:
    """Return the region with this NUTS code of any version 2006–2024, at any level.

    The code is matched case-insensitively after stripping spaces; `GR..`/`EL..` and
    `GB..`/`UK..` are the same code. Raises `UnknownRegionError` for any other value.
    """
    region = _regions().get(canonical_code(code))
    if region is None:
        first, last = NUTS_VERSIONS[0], NUTS_VERSIONS[-1]
        message = f'"{code.strip()}" is not a NUTS code of any version {first}–{last}'
        raise UnknownRegionError(message)
    return region


def count_regions(
    version: int, level: int, *, eu27_only: bool = True, include_extra_regio: bool = False
) -> int:
    """Count the units of one NUTS version at one level.

    By default only the 27 current Member States count and Extra-Regio codes are left out.
    With `eu27_only=False` every country of the NUTS classification proper counts (the UK up to
    NUTS 2016), but not Eurostat's statistical regions of EFTA and candidate countries.
    """
    check_version(version)
    proper = nuts_proper_countries(version)
    return sum(
        1
        for unit in units(version).values()
        if unit.level == level
        and (include_extra_regio or not unit.extra_regio)
        and (unit.in_eu27 if eu27_only else unit.country in proper)
    )


def list_region_codes(
    version: int, level: int, *, include_extra_regio: bool = False
) -> tuple[str, ...]:
    """Return the codes of one NUTS version at one level, sorted (every country of the file)."""
    check_version(version)
    return tuple(
        sorted(
            unit.code
            for unit in units(version).values()
            if unit.level == level and (include_extra_regio or not unit.extra_regio)
        )
    )


def country_single_region(
    country: str, version: int = _DEFAULT_SINGLE_REGION_VERSION
) -> str | None:
    """Return the NUTS-2 code of a country that is one NUTS-2 region in `version`, else None.

    Extra-Regio codes do not count. The country is normalised first (`lv`, `Latvia` → LV), so an
    unknown country raises `UnknownCountryError`; a known country absent from the version gives
    None.
    """
    check_version(version)
    children = nuts2_children(version).get(normalise_country(country), ())
    return children[0] if len(children) == 1 else None


def bare_country_outside_nuts(text: str) -> str | None:
    """Return the country's canonical code when `text` is the bare code of a country outside NUTS.

    Horizon Europe data, and people, put a country code in a NUTS field for a partner in a
    country without NUTS regions (`US`, `CA`, `IL`, `UA`): such a value means "no NUTS region",
    not a bad code. `text` is an ISO 3166-1 alpha-2 or alpha-3 code or an EU code (case and
    surrounding spaces ignored) of a country that has no level-0 code in any NUTS version
    2006–2024 (Ukraine, Bosnia and Herzegovina and Kosovo have statistical regions in NUTS 2024,
    but no level-0 code). Returns None for anything else: a NUTS code (`DE`, `UK`, `NO` are
    level-0 codes: use `lookup_region`), the code of a country with NUTS regions (`DEU`, `RE`),
    a country name, or a value that is no country code. Never raises.
    """
    code = text.strip().upper()
    if len(code) not in _COUNTRY_CODE_LENGTHS or not (code.isascii() and code.isalpha()):
        return None
    if canonical_code(code) in _regions():
        return None
    try:
        country = normalise_country(code)
    except UnknownCountryError:
        return None
    return None if country in _nuts_countries() else country


@cache
def _nuts_countries() -> frozenset[str]:
    """The countries with a level-0 code in some NUTS version (EU spelling)."""
    return frozenset(region.code for region in _regions().values() if region.level == 0)


@cache
def _regions() -> dict[str, Region]:
    return {code: _region(code, versions) for code, versions in versions_by_code().items()}


def _region(code: str, versions: tuple[int, ...]) -> Region:
    newest = units(versions[-1])[code]
    names = [units(v)[code].name for v in reversed(versions)]
    return Region(
        code=code,
        name=next((name for name in names if is_latin(name)), newest.name),
        level=newest.level,
        country=newest.country,
        nuts2_code=code[:4] if newest.level >= NUTS2_LEVEL else None,
        versions=versions,
    )
