"""The exchange programme's rules as data: durations, the lump-sum table and its reductions,
the distance method, who may take part, visits and payment (``data/clusterxchange.toml``).

Every rule carries its source (page and quoted clause) so that a page or an answer can show it.
The per-country lump sums ship as ``data/lump_sums_eye.csv``; an administrator may replace them
with a table of their own (``parse_lump_sum_table`` reads its text; the service reads the file).
"""

import csv
import io
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any

from clusterbridge.domain.enums import OrganisationKind
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.reference import get_country_set, normalise_country
from clusterbridge.reference.errors import UnknownCountryError

_PACKAGE = "clusterbridge.engines.exchanges"
_PROGRAMME_FILE = "clusterxchange.toml"


@dataclass(frozen=True, slots=True)
class RuleSource:
    """Where a rule comes from: the page, the quoted clause, and whether it was confirmed."""

    url: str
    quote: str
    verified: bool = True


@dataclass(frozen=True, slots=True)
class StayRules:
    """How long a stay may be and which days count as working days."""

    min_working_days: int
    max_months: int
    weekend_days: frozenset[int]
    exclude_host_public_holidays: bool
    calendar_note: str
    source: RuleSource


@dataclass(frozen=True, slots=True)
class LumpSumRules:
    """The threshold per host country (EUR) and when it is reduced (once, by the divisor)."""

    thresholds: Mapping[str, Decimal]
    reduced_below_working_days: int
    reduced_below_distance_km: Decimal
    reduction_divisor: int
    source: RuleSource
    table_source: RuleSource


@dataclass(frozen=True, slots=True)
class DistanceRules:
    """Great-circle distance on a sphere of ``earth_radius_km``, rounded to ``decimals``."""

    method: str
    earth_radius_km: float
    decimals: int
    source: RuleSource


@dataclass(frozen=True, slots=True)
class ParticipantRules:
    """Programme countries and, per kind of organisation, whether cluster membership is needed
    (a kind not listed may take part only as a host accepted case by case)."""

    countries: frozenset[str]
    membership_needed: Mapping[OrganisationKind, bool]
    source: RuleSource
    countries_source: RuleSource
    host_exception_source: RuleSource


@dataclass(frozen=True, slots=True)
class VisitRules:
    """How many times a visitor may visit; whether visitor and host must be in two countries."""

    visitor_visits: int
    different_countries: bool
    source: RuleSource
    different_countries_source: str


@dataclass(frozen=True, slots=True)
class Programme:
    """Every rule of one exchange programme."""

    id: str
    title: str
    source: str
    stay: StayRules
    lump_sum: LumpSumRules
    distance: DistanceRules
    participants: ParticipantRules
    visits: VisitRules
    payment_due_days: int
    payment_source: RuleSource
    indicator_source: RuleSource

    def with_thresholds(self, thresholds: Mapping[str, Decimal]) -> "Programme":
        """This programme with another lump-sum table (an administrator's)."""
        table_source = RuleSource(
            url="", quote="The partnership's own table, set by an administrator.", verified=True
        )
        rules = replace(
            self.lump_sum,
            thresholds=MappingProxyType(dict(thresholds)),
            table_source=table_source,
        )
        return replace(self, lump_sum=rules)


@cache
def load_programme() -> Programme:
    """The shipped ClusterXchange programme (read once, then cached)."""
    data = tomllib.loads(_read_text(_PROGRAMME_FILE))
    table = parse_lump_sum_table(_read_text(data["lump_sum"]["table"]), origin="shipped table")
    return Programme(
        id=data["id"],
        title=data["title"],
        source=data["source"],
        stay=_stay_rules(data["stay"]),
        lump_sum=_lump_sum_rules(data["lump_sum"], table),
        distance=_distance_rules(data["distance"]),
        participants=_participant_rules(data["participants"]),
        visits=_visit_rules(data["visits"]),
        payment_due_days=int(data["payment"]["due_days_after_validation"]),
        payment_source=_source(data["payment"]),
        indicator_source=_source(data["indicators"]),
    )


def parse_lump_sum_table(text: str, *, origin: str) -> Mapping[str, Decimal]:
    """Parse a CSV table with the columns ``country`` and ``amount_eur`` (other columns are
    ignored) into canonical country code → amount. Every bad row is reported at once as an
    ``InvalidInputError`` naming ``origin``, the row and the reason."""
    reader = csv.DictReader(io.StringIO(text))
    missing = {"country", "amount_eur"} - set(reader.fieldnames or ())
    if missing:
        issue = InputIssue(origin, "header", f"needs the columns {', '.join(sorted(missing))}")
        raise InvalidInputError("The lump-sum table cannot be read.", [issue])
    table: dict[str, Decimal] = {}
    issues: list[InputIssue] = []
    for number, row in enumerate(reader, start=2):
        _parse_table_row(row, table, issues, location=f"{origin}, row {number}")
    if issues:
        raise InvalidInputError("The lump-sum table cannot be read.", issues)
    return MappingProxyType(table)


def _parse_table_row(
    row: Mapping[str, str | None],
    table: dict[str, Decimal],
    issues: list[InputIssue],
    *,
    location: str,
) -> None:
    try:
        country = normalise_country(row.get("country") or "")
    except UnknownCountryError as error:
        issues.append(InputIssue(location, "country", str(error)))
        return
    if country in table:
        issues.append(InputIssue(location, "country", f"{country} is listed twice"))
        return
    try:
        amount = Decimal((row.get("amount_eur") or "").strip())
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount <= 0:
        reason = f'"{row.get("amount_eur") or ""}" is not a positive amount in euros'
        issues.append(InputIssue(location, "amount_eur", reason))
        return
    table[country] = amount


def _read_text(name: str) -> str:
    return (resources.files(_PACKAGE) / "data" / name).read_text(encoding="utf-8")


def _source(section: Mapping[str, Any], prefix: str = "") -> RuleSource:
    return RuleSource(
        url=section[f"{prefix}url"],
        quote=section[f"{prefix}quote"],
        verified=bool(section.get(f"{prefix}verified", True)),
    )


def _stay_rules(section: Mapping[str, Any]) -> StayRules:
    return StayRules(
        min_working_days=int(section["min_working_days"]),
        max_months=int(section["max_months"]),
        weekend_days=frozenset(int(day) for day in section["weekend_days"]),
        exclude_host_public_holidays=bool(section["exclude_host_public_holidays"]),
        calendar_note=section["calendar_note"],
        source=_source(section),
    )


def _lump_sum_rules(section: Mapping[str, Any], table: Mapping[str, Decimal]) -> LumpSumRules:
    return LumpSumRules(
        thresholds=table,
        reduced_below_working_days=int(section["reduced_below_working_days"]),
        reduced_below_distance_km=Decimal(str(section["reduced_below_distance_km"])),
        reduction_divisor=int(section["reduction_divisor"]),
        source=_source(section),
        table_source=RuleSource(
            url=section["table_url"],
            quote=section["table_note"],
            verified=bool(section["table_verified"]),
        ),
    )


def _distance_rules(section: Mapping[str, Any]) -> DistanceRules:
    return DistanceRules(
        method=section["method"],
        earth_radius_km=float(section["earth_radius_km"]),
        decimals=int(section["decimals"]),
        source=_source(section),
    )


def _participant_rules(section: Mapping[str, Any]) -> ParticipantRules:
    countries = {normalise_country(code) for code in section["extra_countries"]}
    for name in section["country_sets"]:
        countries |= get_country_set(name).members
    kinds = {OrganisationKind(kind): bool(needed) for kind, needed in section["kinds"].items()}
    return ParticipantRules(
        countries=frozenset(countries),
        membership_needed=MappingProxyType(kinds),
        source=_source(section),
        countries_source=_source(section, "countries_"),
        host_exception_source=_source(section, "host_exception_"),
    )


def _visit_rules(section: Mapping[str, Any]) -> VisitRules:
    return VisitRules(
        visitor_visits=int(section["visitor_visits"]),
        different_countries=bool(section["different_countries"]),
        source=_source(section),
        different_countries_source=section["different_countries_source"],
    )
