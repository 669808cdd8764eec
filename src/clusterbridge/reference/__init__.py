"""Reference data: countries, NUTS regions, cohesion-policy categories and EU policy lists.

The bottom layer of clusterbridge: it imports only the standard library and `pycountry` (the ISO
3166-1 countries). The CSV files ship in `data/` (origin, licence and trust of each in
`data/PROVENANCE.md`), are read through `importlib.resources` on first use and cached;
importing this package loads nothing, not even pycountry's database.
"""

from clusterbridge.reference.countries import (
    COUNTRY_SET_NAMES,
    Country,
    CountrySet,
    eu_member_state_codes,
    get_country,
    get_country_set,
    list_countries,
    normalise_country,
    outermost_region_codes,
    suggest_countries,
)
from clusterbridge.reference.enums import Period, RegionCategory
from clusterbridge.reference.errors import (
    UnknownCountryError,
    UnknownCountrySetError,
    UnknownEcosystemError,
    UnknownRegionError,
)
from clusterbridge.reference.nuts import (
    NUTS_VERSIONS,
    Region,
    bare_country_outside_nuts,
    count_regions,
    country_single_region,
    list_region_codes,
    lookup_region,
)
from clusterbridge.reference.policy import (
    CriticalRawMaterial,
    Ecosystem,
    NetZeroTechnology,
    StrategicRawMaterial,
    critical_raw_materials,
    get_ecosystem,
    industrial_ecosystems,
    net_zero_technologies,
    strategic_raw_materials,
    unknown_ecosystems_reason,
)
from clusterbridge.reference.regions import (
    CATEGORY_SOURCES,
    DECISION_NUTS_VERSION,
    CategoryAnswer,
    region_category,
    region_category_for_country,
)

__all__ = [
    "CATEGORY_SOURCES",
    "COUNTRY_SET_NAMES",
    "DECISION_NUTS_VERSION",
    "NUTS_VERSIONS",
    "CategoryAnswer",
    "Country",
    "CountrySet",
    "CriticalRawMaterial",
    "Ecosystem",
    "NetZeroTechnology",
    "Period",
    "Region",
    "RegionCategory",
    "StrategicRawMaterial",
    "UnknownCountryError",
    "UnknownCountrySetError",
    "UnknownEcosystemError",
    "UnknownRegionError",
    "bare_country_outside_nuts",
    "count_regions",
    "country_single_region",
    "critical_raw_materials",
    "eu_member_state_codes",
    "get_country",
    "get_country_set",
    "get_ecosystem",
    "industrial_ecosystems",
    "list_countries",
    "list_region_codes",
    "lookup_region",
    "net_zero_technologies",
    "normalise_country",
    "outermost_region_codes",
    "region_category",
    "region_category_for_country",
    "strategic_raw_materials",
    "suggest_countries",
    "unknown_ecosystems_reason",
]
