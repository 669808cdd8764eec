"""Indexes over the regional-category files, built once on first use."""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Final

from clusterbridge.reference._data import is_true, read_rows
from clusterbridge.reference._nuts import canonical_code
from clusterbridge.reference.enums import Period, RegionCategory

MIXED_PREFIX: Final = "mixed:"
NOT_APPLICABLE: Final = "not_applicable_non_EU"

DECISION_NUTS_VERSION: Final[Mapping[Period, int]] = MappingProxyType(
    {Period.P2014_2020: 2006, Period.P2021_2027: 2016}
)
CATEGORY_SOURCES: Final[Mapping[Period, str]] = MappingProxyType(
    {
        Period.P2014_2020: (
            "Implementing Decision 2014/99/EU (NUTS 2006), reconstructed by hand, not "
            "transcribed: medium trust, check against its Annexes I-III (OJ L 50, 20.2.2014) "
            "before accepting or rejecting an application"
        ),
        Period.P2021_2027: (
            "Implementing Decision (EU) 2021/1130 (NUTS 2016), computed from Eurostat GDP per "
            "head 2015-2017 (2019 vintage): high trust, but verify borderline regions against "
            "its annexes (OJ L 244, 9.7.2021)"
        ),
    }
)
_COLUMN_SUFFIX: Final = {Period.P2014_2020: "2014_2020", Period.P2021_2027: "2021_2027"}
_MEDIUM_CONFIDENCE: Final = "medium"


@dataclass(frozen=True, slots=True)
class CategoryRow:
    """The category of one NUTS-2 code of one version for one period, as the lookup file has it.

    `value` is a `RegionCategory` value, `mixed:<cat>|<cat>` or `not_applicable_non_EU`;
    `sources` are the codes of the Decision's own list the value was taken from.
    """

    value: str
    sources: tuple[str, ...]


@cache
def category_rows(period: Period) -> dict[tuple[int, str], CategoryRow]:
    """Return the lookup file's rows for `period`, keyed by (NUTS version, NUTS-2 code)."""
    suffix = _COLUMN_SUFFIX[period]
    return {
        (int(row["nuts_version"]), canonical_code(row["nuts2_code"])): CategoryRow(
            value=row[f"category_{suffix}"],
            sources=tuple(canonical_code(c) for c in row[f"source_codes_{suffix}"].split()),
        )
        for row in read_rows("cohesion", "regional_category_lookup_all_nuts_versions.csv")
    }


def describe_value(value: str) -> str:
    """Return a category value in words (`less developed`, `mixed (…)`, `not applicable`)."""
    if value.startswith(MIXED_PREFIX):
        parts = value.removeprefix(MIXED_PREFIX).split("|")
        return f"mixed ({' and '.join(describe_value(part) for part in parts)})"
    if value == NOT_APPLICABLE:
        return "not applicable (outside the EU)"
    return RegionCategory(value).value.replace("_", " ")


@cache
def decision_caveats(period: Period) -> dict[str, str]:
    """Return, per code of the Decision's list, why that row needs checking (if it does)."""
    if period is Period.P2014_2020:
        return _caveats_2014_2020()
    return _caveats_2021_2027()


def _caveats_2014_2020() -> dict[str, str]:
    rows = read_rows("cohesion", "regional_categories_2014_2020_RECONSTRUCTED.csv")
    return {
        canonical_code(row["nuts2006_code"]): f"medium-confidence row ({row['note']})"
        for row in rows
        if row["confidence"] == _MEDIUM_CONFIDENCE
    }


def _caveats_2021_2027() -> dict[str, str]:
    rows = read_rows("cohesion", "regional_categories_2021_2027.csv")
    return {
        row["nuts2016_code"]: (
            f"borderline row (GDP index {row['gdp_pps_per_head_index_2015_2017']}, "
            "not independently confirmed): verify against the Decision's annex"
        )
        for row in rows
        if is_true(row["borderline_within_1pt"]) and not row["independent_confirmation"]
    }
