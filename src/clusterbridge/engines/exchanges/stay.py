"""A stay at the host: its working days, whether its length is allowed, the great-circle
distance between two places, and the lump sum with its reasons.

The stay runs from ``start`` to ``end`` inclusive, the days at the host (travel excluded).
Working days are the days that are neither weekend days nor, when the programme says so, public
holidays of the host country (the ``holidays`` package; EU codes EL and UK become GR and GB).
"""

import calendar
import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import holidays

from clusterbridge.domain.calendar import day_text
from clusterbridge.domain.errors import DomainError
from clusterbridge.domain.money import format_euros
from clusterbridge.engines.exchanges.programme import DistanceRules, Programme
from clusterbridge.reference import get_country

#: A stay longer than this (days) is refused as input, not judged: it is far beyond any limit
#: of the programme, and its days are not worth counting one by one.
MAX_SPAN_DAYS = 366
#: The language of holiday names (the library's code; a country without it keeps its own).
HOLIDAY_LANGUAGE = "en_US"
#: The digits each directive of a holiday calendar's date format stands for.
_DATE_DIRECTIVES = {"%d": r"\d{1,2}", "%m": r"\d{1,2}", "%Y": r"\d{4}", "%y": r"\d{2}"}
#: The working days' reason as it was stored before days were written in words: ISO days,
#: each holiday as "2024-11-01 All Saints' Day" (see `reason_in_words`).
_ISO = r"\d{4}-\d{2}-\d{2}"
_OLD_DAYS_REASON = re.compile(
    rf"(\d+) working days from ({_ISO}) to ({_ISO})"
    rf"(?: \(public holidays not counted: ((?:{_ISO} [^;]+)(?:; {_ISO} [^;]+)*)\))?"
    r": ((?:fewer than|at least) \d+\.)"
)
#: Latitudes and longitudes must lie within these bounds (degrees).
MAX_LATITUDE = 90.0
MAX_LONGITUDE = 180.0


class StayDatesError(DomainError):
    """The stay's dates are not a period (the end before the start)."""


@dataclass(frozen=True, slots=True)
class Point:
    """A place on Earth in decimal degrees (validated)."""

    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.latitude) and abs(self.latitude) <= MAX_LATITUDE):
            raise ValueError(f"latitude {self.latitude} is not between -90 and 90")
        if not (math.isfinite(self.longitude) and abs(self.longitude) <= MAX_LONGITUDE):
            raise ValueError(f"longitude {self.longitude} is not between -180 and 180")


@dataclass(frozen=True, slots=True)
class Distance:
    """A great-circle distance: exact, rounded as the programme shows and compares it."""

    exact_km: float
    rounded_km: Decimal
    decimals: int


@dataclass(frozen=True, slots=True)
class StayAssessment:
    """The stay's working days, the holidays it skips, and why it is not allowed (None if it
    is)."""

    start: date
    end: date
    working_days: int
    holidays: tuple[tuple[date, str], ...]
    problem: str | None

    @property
    def allowed(self) -> bool:
        """Whether the stay's length is within the programme's limits."""
        return self.problem is None


@dataclass(frozen=True, slots=True)
class LumpSum:
    """The lump sum of one stay: ``amount_eur`` is None when the stay is not allowed or the
    host country has no threshold; ``reasons`` says how it was reached, in words."""

    host_country: str
    stay: StayAssessment
    distance: Distance
    threshold_eur: Decimal | None
    halved: bool
    amount_eur: Decimal | None
    reasons: tuple[str, ...]


def month_later(day: date, months: int) -> date:
    """The same day ``months`` later; a day the month lacks (31 January + 1 month) becomes the
    first day of the month after (1 March), so that a month is never shortened; past the last
    representable date, ``date.max``."""
    index = day.month - 1 + months
    if day.year + index // 12 > date.max.year:
        return date.max
    year, month = day.year + index // 12, index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if day.day <= last:
        return date(year, month, day.day)
    if (year, month) == (date.max.year, date.max.month):
        return date.max
    return date(year, month, last) + timedelta(days=1)


def assess_stay(
    programme: Programme, *, host_country: str, start: date, end: date
) -> StayAssessment:
    """Count the working days of the stay in ``host_country`` (canonical code) and judge its
    length: at least ``min_working_days`` and ending before the same day ``max_months`` later.
    Raises ``StayDatesError`` when ``end`` is before ``start`` or the stay spans more than
    ``MAX_SPAN_DAYS`` days."""
    if end < start:
        raise StayDatesError(
            f"The stay ends ({day_text(end)}) before it starts ({day_text(start)})."
        )
    if (end - start).days >= MAX_SPAN_DAYS:
        raise StayDatesError(f"The stay spans more than {MAX_SPAN_DAYS} days.")
    rules = programme.stay
    skipped = _host_holidays(host_country, start, end) if rules.exclude_host_public_holidays else {}
    working = 0
    holidays_skipped: list[tuple[date, str]] = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        if day.weekday() in rules.weekend_days:
            continue
        if day in skipped:
            holidays_skipped.append((day, skipped[day]))
            continue
        working += 1
    problem = _length_problem(programme, start=start, end=end, working_days=working)
    return StayAssessment(start, end, working, tuple(holidays_skipped), problem)


def measure_distance(rules: DistanceRules, origin: Point, destination: Point) -> Distance:
    """The great-circle (haversine) distance between two points, exact and rounded half up."""
    lat1, lon1 = math.radians(origin.latitude), math.radians(origin.longitude)
    lat2, lon2 = math.radians(destination.latitude), math.radians(destination.longitude)
    half = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    exact = 2 * rules.earth_radius_km * math.asin(min(1.0, math.sqrt(half)))
    quantum = Decimal(1).scaleb(-rules.decimals)
    rounded = Decimal(repr(exact)).quantize(quantum, rounding=ROUND_HALF_UP)
    return Distance(exact_km=exact, rounded_km=rounded, decimals=rules.decimals)


def compute_lump_sum(
    programme: Programme, *, host_country: str, stay: StayAssessment, distance: Distance
) -> LumpSum:
    """The lump sum for a stay in ``host_country``: the country's threshold, halved once when
    the stay has fewer working days than the limit and/or the rounded distance is below the
    limit. No amount when the stay is not allowed or the country has no threshold."""
    rules = programme.lump_sum
    threshold = rules.thresholds.get(host_country)
    reasons = [_days_reason(programme, stay), _distance_reason(programme, distance)]
    short = stay.working_days < rules.reduced_below_working_days
    near = distance.rounded_km < rules.reduced_below_distance_km
    if not stay.allowed or threshold is None:
        reasons.append(stay.problem or f"The programme sets no lump sum for {host_country}.")
        return LumpSum(host_country, stay, distance, threshold, False, None, tuple(reasons))
    halved = short or near
    amount = threshold / rules.reduction_divisor if halved else threshold
    reasons.append(_amount_reason(host_country, threshold, amount, short=short, near=near))
    return LumpSum(host_country, stay, distance, threshold, halved, amount, tuple(reasons))


def _length_problem(
    programme: Programme, *, start: date, end: date, working_days: int
) -> str | None:
    rules = programme.stay
    if working_days < rules.min_working_days:
        return (
            f"The stay has {working_days} working day{'s' if working_days != 1 else ''}; "
            f"the programme asks for at least {rules.min_working_days}."
        )
    limit = month_later(start, rules.max_months)
    if end >= limit:
        months = "one month" if rules.max_months == 1 else f"{rules.max_months} months"
        last = limit - timedelta(days=1)
        return f"The stay is longer than {months}: it must end by {day_text(last)}."
    return None


def _days_reason(programme: Programme, stay: StayAssessment) -> str:
    limit = programme.lump_sum.reduced_below_working_days
    text = f"{stay.working_days} working days from {day_text(stay.start)} to {day_text(stay.end)}"
    if stay.holidays:
        names = "; ".join(f"{name} ({day_text(day)})" for day, name in stay.holidays)
        text += f" (public holidays not counted: {names})"
    relation = "fewer than" if stay.working_days < limit else "at least"
    return f"{text}: {relation} {limit}."


def reason_in_words(reason: str) -> str:
    """A lump sum's reason as ``compute_lump_sum`` writes it now. Exchanges proposed before
    days were written in words keep their reasons as written then: the working days' reason
    with ISO 8601 days ("5 working days from 2024-11-04 to 2024-11-08 (public holidays not
    counted: 2024-11-01 All Saints' Day): at least 3."). That reason gets its days in words
    and each holiday after its name ("... from 04 November 2024 to 08 November 2024 (public
    holidays not counted: All Saints' Day (01 November 2024)): at least 3."), its figures
    untouched; any other reason is returned as it is. Pure."""
    found = _OLD_DAYS_REASON.fullmatch(reason)
    if found is None:
        return reason
    days, start, end, holidays_text, verdict = found.groups()
    text = f"{days} working days from {_iso_in_words(start)} to {_iso_in_words(end)}"
    if holidays_text is not None:
        names = "; ".join(_old_holiday_in_words(item) for item in holidays_text.split("; "))
        text += f" (public holidays not counted: {names})"
    return f"{text}: {verdict}"


def _iso_in_words(text: str) -> str:
    return day_text(date.fromisoformat(text))


def _old_holiday_in_words(item: str) -> str:
    day, _, name = item.partition(" ")
    return f"{name} ({_iso_in_words(day)})"


def _distance_reason(programme: Programme, distance: Distance) -> str:
    limit = programme.lump_sum.reduced_below_distance_km
    relation = "under" if distance.rounded_km < limit else "at least"
    return (
        f"Distance {distance.rounded_km} km (great circle, rounded to {distance.decimals} "
        f"decimal{'s' if distance.decimals != 1 else ''}): {relation} {limit} km."
    )


def _amount_reason(
    country: str, threshold: Decimal, amount: Decimal, *, short: bool, near: bool
) -> str:
    paid = format_euros(amount)
    why = " and ".join(
        part
        for part, applies in (("the stay is short", short), ("the places are near", near))
        if applies
    )
    if not why:
        return f"Threshold for {country}: {format_euros(threshold)}, paid in full: {paid}."
    return f"Threshold for {country}: {format_euros(threshold)}, halved once because {why}: {paid}."


def _host_holidays(country: str, start: date, end: date) -> dict[date, str]:
    calendar_days = _holiday_calendar(_iso_code(country), tuple(range(start.year, end.year + 1)))
    return {day: name for day, name in calendar_days.items() if start <= day <= end}


@cache
def _holiday_calendar(iso_code: str, years: tuple[int, ...]) -> dict[date, str]:
    if iso_code not in holidays.list_supported_countries():
        return {}
    # Named in English whatever the server's locale: left to itself the library reads the
    # LANGUAGE, LC_* and LANG variables (English under C.UTF-8, Ukrainian under POSIX).
    native = holidays.country_holidays(iso_code)  # no year: nothing is computed
    english = HOLIDAY_LANGUAGE in native.supported_languages
    calendar_days = holidays.country_holidays(
        iso_code, years=years, language=HOLIDAY_LANGUAGE if english else native.default_language
    )
    return {day: _holiday_name(name, calendar_days) for day, name in calendar_days.items()}


def _holiday_name(name: str, calendar_days: holidays.HolidayBase) -> str:
    """The library's ``name`` of a holiday with the dates it writes in it (a substituted
    day's "Day off (substituted from 01/11/2020)", month first in English) as ISO dates
    ("... from 2020-01-11"), read with the calendar's own date format."""
    template = getattr(calendar_days, "substituted_date_format", None)
    if template is None:
        return name
    date_format = calendar_days.tr(template)
    pattern = re.escape(date_format)
    for directive, digits in _DATE_DIRECTIVES.items():
        pattern = pattern.replace(re.escape(directive), digits)

    def iso(found: re.Match[str]) -> str:
        try:
            read = datetime.strptime(found.group(), date_format).replace(tzinfo=UTC)
            return read.date().isoformat()
        except ValueError:
            return found.group()

    return re.sub(pattern, iso, name)


def _iso_code(country: str) -> str:
    return get_country(country).iso_code
