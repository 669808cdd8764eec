"""Indicators of a monitored project (issue 19, part 2; ADR 0029). Pure: the computed sources
the platform offers, the limits of an indicator's fields, and progress to a target."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from clusterbridge.domain.money import format_euros

MAX_INDICATOR_NAME = 200
MAX_UNIT = 40
MAX_DEFINITION = 5000
MAX_NOTE = 2000
#: Values are stored with two decimals (euros and cents for financial support).
VALUE_PLACES = Decimal("0.01")
MAX_VALUE = Decimal("999999999999.99")
#: What a page writes where a value is not known.
NO_VALUE = "–"
#: The units, as typed in any case, whose values are amounts in euros.
MONEY_UNITS = frozenset({"eur", "€", "euro", "euros"})


class IndicatorSource(StrEnum):
    """Where a computed indicator's values come from (ADR 0029 says what each counts)."""

    EVENTS_HELD = "events_held"
    PARTICIPANTS = "participants"
    MEETINGS_HELD = "meetings_held"
    OUTCOMES = "outcomes"
    EXCHANGES_COMPLETED = "exchanges_completed"
    FINANCIAL_SUPPORT_PAID = "financial_support_paid"
    SMES_SUPPORTED = "smes_supported"
    SMES_BY_COUNTRY = "smes_by_country"
    SMES_BY_REGION_CATEGORY = "smes_by_region_category"
    SMES_BY_ECOSYSTEM = "smes_by_ecosystem"
    SERVICES_DELIVERED = "services_delivered"
    PEOPLE_TRAINED = "people_trained"


SOURCE_LABELS: dict[IndicatorSource, str] = {
    IndicatorSource.EVENTS_HELD: "Match-making events held",
    IndicatorSource.PARTICIPANTS: "Validated event participants",
    IndicatorSource.MEETINGS_HELD: "One-to-one meetings held",
    IndicatorSource.OUTCOMES: "Results of meetings and exchanges, by type",
    IndicatorSource.EXCHANGES_COMPLETED: "Exchanges completed",
    IndicatorSource.FINANCIAL_SUPPORT_PAID: "Financial support paid to SMEs (EUR)",
    IndicatorSource.SMES_SUPPORTED: "SMEs supported (each counted once)",
    IndicatorSource.SMES_BY_COUNTRY: "SMEs supported, by country",
    IndicatorSource.SMES_BY_REGION_CATEGORY: "SMEs supported, by region category 2021–2027",
    IndicatorSource.SMES_BY_ECOSYSTEM: "SMEs supported, by industrial ecosystem",
    IndicatorSource.SERVICES_DELIVERED: "Services delivered to SMEs (trainings once each)",
    IndicatorSource.PEOPLE_TRAINED: "People trained",
}

#: The sources whose breakdown groups may overlap (an SME works in several ecosystems), so
#: that the groups add up to more than the value.
OVERLAPPING_BREAKDOWNS = frozenset({IndicatorSource.SMES_BY_ECOSYSTEM})


@dataclass(frozen=True, slots=True)
class Progress:
    """A value against its target: ``percent`` of the target reached (None without a target
    or with a zero target), capped at nothing (a target can be exceeded)."""

    value: Decimal | None
    target: Decimal | None
    percent: Decimal | None


def progress(value: Decimal | None, target: Decimal | None) -> Progress:
    """``value`` as a share of ``target``, in percent rounded half up to one decimal; None
    when either is missing or the target is zero."""
    if value is None or target is None or target == 0:
        return Progress(value, target, None)
    percent = (Decimal(100) * value / target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Progress(value, target, percent)


def as_value(number: Decimal | int) -> Decimal:
    """A value as stored: two decimals, rounded half up."""
    return Decimal(number).quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)


def is_money_unit(unit: str) -> bool:
    """Whether an indicator's ``unit`` (free text its partners chose) is euros: "EUR", "€",
    "euro" or "euros", in any case ("EUR thousands" is not: its values are not amounts)."""
    return unit.strip().casefold() in MONEY_UNITS


def format_value(value: Decimal | None, *, unit: str = "") -> str:
    """A value for people: an amount when ``unit`` is euros ("EUR 12,000", "EUR 1,250.50"),
    else no decimals when it is whole ("12", "1250.50"); "–" for none."""
    if value is None:
        return NO_VALUE
    if is_money_unit(unit):
        return format_euros(value)
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value)


def format_quantity(value: Decimal | None, *, unit: str) -> str:
    """A value with its unit, for a sentence: "EUR 12,000" (an amount names its currency
    itself), "12 meetings", "– meetings" for none."""
    text = format_value(value, unit=unit)
    return text if value is not None and is_money_unit(unit) else f"{text} {unit}"
