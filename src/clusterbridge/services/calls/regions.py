"""Region look-up: what a NUTS code (or a single-region country) is, and its categories."""

from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.domain.geography import RegionDescription
from clusterbridge.reference import (
    Period,
    Region,
    UnknownCountryError,
    UnknownRegionError,
    bare_country_outside_nuts,
    country_single_region,
    get_country,
    lookup_region,
    normalise_country,
    region_category,
)


def describe_region(code: str, periods: tuple[Period, ...] = tuple(Period)) -> RegionDescription:
    """Look up a NUTS code of any version and level, or the code of a single-region country.

    ``LV`` is answered as ``LV00``: a country that is one NUTS-2 region needs no NUTS code.
    Raises InvalidInputError when the code is neither.
    """
    placed_by_country = False
    try:
        region = lookup_region(code)
        if region.level < 2:
            single = country_single_region(region.country)
            if single is not None:
                region, placed_by_country = lookup_region(single), True
    except UnknownRegionError as error:
        region = _single_region_country(code, error)
        placed_by_country = True
    return RegionDescription(
        region=region,
        country_name=get_country(region.country).name,
        categories=tuple(region_category(region.code, period) for period in periods),
        placed_by_country=placed_by_country,
    )


def _single_region_country(code: str, error: UnknownRegionError) -> Region:
    try:
        single = country_single_region(normalise_country(code))
    except UnknownCountryError:
        single = None
    if single is None:
        outside = bare_country_outside_nuts(code)
        reason = str(error)
        if outside is not None:
            name = get_country(outside).name
            reason = f"{name} ({outside}) is outside the NUTS regions: it has no region category"
        raise InvalidInputError("Unknown region", [InputIssue("", "CODE", reason)]) from None
    return lookup_region(single)
