"""The lump sum of a stay between two places, with the programme's own table when an
administrator sets one (``CLUSTERBRIDGE_EXCHANGE_LUMP_SUMS_FILE``); and an exchange's lump-sum
reasons as they are shown."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from clusterbridge.db.models import Exchange
from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.engines.exchanges import (
    LumpSum,
    Programme,
    assess_stay,
    compute_lump_sum,
    load_programme,
    measure_distance,
    parse_lump_sum_table,
)
from clusterbridge.engines.exchanges.stay import MAX_SPAN_DAYS, reason_in_words
from clusterbridge.reference import normalise_country
from clusterbridge.reference.errors import UnknownCountryError
from clusterbridge.services.exchanges.places import Place, resolve_place


@dataclass(frozen=True, slots=True)
class LumpSumEstimate:
    """A lump sum with the two places it was measured between."""

    lump_sum: LumpSum
    visitor_place: Place
    host_place: Place


def lump_sum_reasons(exchange: Exchange) -> list[str]:
    """The reasons of the exchange's lump sum as its page, the API and the Commitment to
    Quality show them: as stored when it was set up (the record of how its amount was
    computed, under the programme then in force), those of an exchange set up before days
    were written in words with their days in words (``reason_in_words``). Reads nothing."""
    return [reason_in_words(reason) for reason in exchange.reasons]


def open_programme(lump_sums_file: Path | None) -> Programme:
    """The shipped programme, with the lump-sum table of ``lump_sums_file`` (CSV with the
    columns ``country`` and ``amount_eur``) instead of the shipped one when it is given. Reads
    that file; ``InvalidInputError`` for a file that cannot be read or has bad rows."""
    programme = load_programme()
    if lump_sums_file is None:
        return programme
    try:
        text = lump_sums_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        issue = InputIssue(str(lump_sums_file), "", str(error))
        raise InvalidInputError("The lump-sum table cannot be read.", [issue]) from None
    return programme.with_thresholds(parse_lump_sum_table(text, origin=lump_sums_file.name))


def estimate_lump_sum(
    programme: Programme,
    *,
    host_country: str,
    visitor_place: str,
    host_place: str,
    start: date,
    end: date,
) -> LumpSumEstimate:
    """The lump sum for a stay from ``start`` to ``end`` (inclusive, travel excluded) in
    ``host_country``, between two places (``lat,lon`` or ``City, CC``). Every input problem is
    reported at once (``InvalidInputError``): an unknown country, a place not found, a host
    place outside the host country, an end before the start."""
    issues: list[InputIssue] = []
    country = _country(host_country, issues)
    visitor = _place(visitor_place, "--visitor-place", issues)
    host = _place(host_place, "--host-place", issues)
    if host and country and host.country not in {None, country}:
        reason = f"{host.label} is not in the host country {country}"
        issues.append(InputIssue("", "--host-place", reason))
    if end < start:
        reason = f"{day_text(end)} is before the start, {day_text(start)}"
        issues.append(InputIssue("", "--end", reason))
    elif (end - start).days >= MAX_SPAN_DAYS:
        issues.append(InputIssue("", "--end", f"the stay spans more than {MAX_SPAN_DAYS} days"))
    if issues or country is None or visitor is None or host is None:
        raise InvalidInputError("The stay cannot be judged.", issues)
    stay = assess_stay(programme, host_country=country, start=start, end=end)
    distance = measure_distance(programme.distance, visitor.point, host.point)
    lump_sum = compute_lump_sum(programme, host_country=country, stay=stay, distance=distance)
    return LumpSumEstimate(lump_sum, visitor, host)


def estimate_to_dict(estimate: LumpSumEstimate) -> dict[str, Any]:
    """The JSON form: working days, distance (km, rounded), halved, reasons, amount (EUR)."""
    lump_sum = estimate.lump_sum
    reasons = [
        f"Visitor's place: {estimate.visitor_place.how}.",
        f"Host's place: {estimate.host_place.how}.",
        *lump_sum.reasons,
    ]
    return {
        "working_days": lump_sum.stay.working_days,
        "distance_km": float(lump_sum.distance.rounded_km),
        "halved": lump_sum.halved,
        "reasons": reasons,
        "amount_eur": _number(lump_sum.amount_eur),
    }


def _number(amount: Decimal | None) -> int | float | None:
    if amount is None:
        return None
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _country(text: str, issues: list[InputIssue]) -> str | None:
    try:
        return normalise_country(text)
    except UnknownCountryError as error:
        issues.append(InputIssue("", "--host-country", str(error)))
        return None


def _place(text: str, field: str, issues: list[InputIssue]) -> Place | None:
    try:
        return resolve_place(text, field=field)
    except InvalidInputError as error:
        issues.extend(error.issues)
        return None
