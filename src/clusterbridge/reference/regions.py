"""Cohesion-policy category of a region (less developed / transition / more developed).

The Decisions classify NUTS-2 regions of one NUTS version each: NUTS 2006 for 2014-2020
(Decision 2014/99/EU), NUTS 2016 for 2021-2027 (Decision (EU) 2021/1130). Codes of other
versions and NUTS-3 codes are placed through the projected lookup table; see
`data/PROVENANCE.md` for how far each source can be trusted.
"""

from dataclasses import dataclass
from functools import cache

from clusterbridge.reference._categories import (
    CATEGORY_SOURCES,
    DECISION_NUTS_VERSION,
    MIXED_PREFIX,
    NOT_APPLICABLE,
    CategoryRow,
    category_rows,
    decision_caveats,
    describe_value,
)
from clusterbridge.reference._nuts import (
    NUTS2_LEVEL,
    Unit,
    is_latin,
    nuts2_children,
    translate_codes,
    units,
)
from clusterbridge.reference.countries import get_country
from clusterbridge.reference.enums import Period, RegionCategory
from clusterbridge.reference.nuts import (
    NUTS_VERSIONS,
    Region,
    count_regions,
    country_single_region,
    lookup_region,
)

__all__ = [
    "CATEGORY_SOURCES",
    "DECISION_NUTS_VERSION",
    "NUTS_VERSIONS",
    "CategoryAnswer",
    "Period",
    "Region",
    "RegionCategory",
    "count_regions",
    "country_single_region",
    "lookup_region",
    "region_category",
    "region_category_for_country",
]

_NUTS3_LEVEL = 3


@dataclass(frozen=True, slots=True)
class CategoryAnswer:
    """The category of one code for one period, with a sentence saying how it was found.

    `category` is None when it cannot be said: the region was outside the EU in that period,
    the code straddles regions of different categories, a level-0/1 code covers several NUTS-2
    regions, or the code is Extra-Regio. `code` is the canonical spelling (`GR30` → `EL30`);
    `nuts2_code` and `nuts_version` name the NUTS-2 region and version the answer was read from.
    """

    code: str
    nuts2_code: str | None
    period: Period
    category: RegionCategory | None
    nuts_version: int | None
    note: str


def region_category(code: str, period: Period) -> CategoryAnswer:
    """Return the regional category of a NUTS code (any version, levels 0–3) for `period`.

    The code is read in the Decision's NUTS version if it exists there, else in the newest
    version that has it; disagreement between versions is mentioned in the note. A NUTS-3 code
    whose NUTS-2 region straddles categories is matched to the Decision's version through the
    correspondence tables. Raises `UnknownRegionError` for a code of no NUTS version.
    """
    return _answer(lookup_region(code).code, Period(period))


def region_category_for_country(country: str, period: Period) -> CategoryAnswer | None:
    """Return the category of a country that is one NUTS-2 region in the Decision's version.

    Lets a partner without a NUTS code be placed when its country is a single region (LV, EE,
    LU, MT, CY, …). Returns None for a country of several regions or absent from that version;
    raises `UnknownCountryError` for an unknown country.
    """
    period = Period(period)
    code = country_single_region(country, DECISION_NUTS_VERSION[period])
    return None if code is None else _answer(code, period)


@cache
def _answer(code: str, period: Period) -> CategoryAnswer:
    versions = lookup_region(code).versions
    version = DECISION_NUTS_VERSION[period]
    unit = units(version if version in versions else versions[-1])[code]
    if unit.extra_regio:
        note = f"{_label(unit)} is an Extra-Regio code, which has no regional category"
        return _unanswered(unit, None, period, note)
    nuts2 = _nuts2_of(code, unit.version)
    if nuts2 is None:
        count = len(nuts2_children(unit.version).get(code, ()))
        note = f"{_label(unit)} covers {count} NUTS-2 regions; give a NUTS-2 or NUTS-3 code"
        return _unanswered(unit, None, period, note)
    row = category_rows(period).get((unit.version, nuts2))
    if row is None or row.value == NOT_APPLICABLE:
        return _unanswered(unit, nuts2, period, _outside_note(unit, period))
    if row.value.startswith(MIXED_PREFIX):
        return _answer_mixed(unit, nuts2, row, period)
    return _answer_known(unit, nuts2, row, period)


def _answer_known(unit: Unit, nuts2: str, row: CategoryRow, period: Period) -> CategoryAnswer:
    category = RegionCategory(row.value)
    clauses = [
        _main_sentence(unit, nuts2, category, period),
        _source_clause(row, nuts2, period),
        *_caveat_clauses(row, period),
        _disagreement_clause(unit, row.value, period),
    ]
    note = "; ".join(clause for clause in clauses if clause)
    return CategoryAnswer(unit.code, nuts2, period, category, unit.version, note)


def _answer_mixed(unit: Unit, nuts2: str, row: CategoryRow, period: Period) -> CategoryAnswer:
    if unit.level == _NUTS3_LEVEL:
        resolved = _resolve_nuts3(unit, period)
        if resolved is not None:
            return resolved
    target = DECISION_NUTS_VERSION[period]
    rows = category_rows(period)
    parts = ", ".join(
        f"{source} {describe_value(rows[(target, source)].value)}"
        if (target, source) in rows
        else source
        for source in row.sources
    )
    where = _label(unit) if nuts2 == unit.code else f"{_label(unit)} lies in {nuts2}, which"
    note = (
        f"{where} straddles regions of different categories for {period} ({parts}); "
        f"give the NUTS-3 or NUTS {target} code"
    )
    return _unanswered(unit, nuts2, period, note)


def _resolve_nuts3(unit: Unit, period: Period) -> CategoryAnswer | None:
    """Place a NUTS-3 code in the Decision's version through the correspondence tables."""
    target = DECISION_NUTS_VERSION[period]
    codes = translate_codes({unit.code}, source=unit.version, target=target)
    parents = {code[:4] for code in codes or ()}
    if len(parents) != 1:
        return None
    parent = parents.pop()
    row = category_rows(period).get((target, parent))
    if row is None or row.value not in set(RegionCategory):
        return None
    category = RegionCategory(row.value)
    matched = ", ".join(sorted(codes or ()))
    note = (
        f"{_label(unit)} corresponds to {matched} in NUTS {target}, which lies in {parent} "
        f"{_name(parent, target)}, {_category_phrase(category, period)}"
    )
    note = "; ".join([note, *_caveat_clauses(row, period)])
    return CategoryAnswer(unit.code, parent, period, category, target, note)


def _nuts2_of(code: str, version: int) -> str | None:
    """Return the NUTS-2 code a code lies in, for level 0/1 only if it has exactly one."""
    unit = units(version)[code]
    if unit.level >= NUTS2_LEVEL:
        return code[:4]
    children = nuts2_children(version).get(code, ())
    return children[0] if len(children) == 1 else None


def _main_sentence(unit: Unit, nuts2: str, category: RegionCategory, period: Period) -> str:
    phrase = _category_phrase(category, period)
    if nuts2 == unit.code:
        return f"{_label(unit)} is {phrase}"
    return f"{_label(unit)} lies in {nuts2} {_name(nuts2, unit.version)}, {phrase}"


def _category_phrase(category: RegionCategory, period: Period) -> str:
    return f"a {describe_value(category.value)} region for {period}"


def _source_clause(row: CategoryRow, nuts2: str, period: Period) -> str:
    if not row.sources or row.sources == (nuts2,):
        return ""
    target = DECISION_NUTS_VERSION[period]
    named = ", ".join(f"{code} {_name(code, target)}" for code in row.sources)
    return f"category taken from {named} in the Decision's list"


def _caveat_clauses(row: CategoryRow, period: Period) -> list[str]:
    caveats = decision_caveats(period)
    return [f"{code}: {caveats[code]}" for code in row.sources if code in caveats]


def _disagreement_clause(unit: Unit, value: str, period: Period) -> str:
    rows = category_rows(period)
    others: list[str] = []
    for version in lookup_region(unit.code).versions:
        nuts2 = _nuts2_of(unit.code, version)
        other = rows.get((version, nuts2)) if nuts2 else None
        if version != unit.version and other is not None and other.value != value:
            others.append(f"NUTS {version}: {describe_value(other.value)}")
    if not others:
        return ""
    return f"other NUTS versions give this code a different category ({', '.join(others)})"


def _outside_note(unit: Unit, period: Period) -> str:
    if unit.in_eu27:
        return f"{_label(unit)}: the data records no {period} category for this region"
    country = get_country(unit.country).name
    return (
        f"{_label(unit)} lies outside the EU of {period} ({country}); no regional category applies"
    )


def _unanswered(unit: Unit, nuts2: str | None, period: Period, note: str) -> CategoryAnswer:
    return CategoryAnswer(unit.code, nuts2, period, None, unit.version, note)


def _label(unit: Unit) -> str:
    return f"{unit.code} {_name(unit.code, unit.version)} (NUTS {unit.version})"


def _name(code: str, version: int) -> str:
    """Name a code as in `version`, falling back to the newest Latin-script name."""
    unit = units(version).get(code)
    if unit is not None and is_latin(unit.name):
        return unit.name
    return lookup_region(code).name
