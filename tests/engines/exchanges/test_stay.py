"""The stay rules: working days (weekends, the host country's public holidays), the length
limits, the great-circle distance with its rounding, and the lump sum halved once."""

from datetime import date
from decimal import Decimal

import pytest

from clusterbridge.engines.exchanges import (
    Point,
    StayDatesError,
    assess_stay,
    compute_lump_sum,
    load_programme,
    measure_distance,
    month_later,
)
from clusterbridge.engines.exchanges.stay import reason_in_words

pytestmark = pytest.mark.unit

PROGRAMME = load_programme()
#: Kilometres per degree of latitude on the programme's sphere.
KM_PER_DEGREE = PROGRAMME.distance.earth_radius_km * 3.141592653589793 / 180
ORIGIN = Point(40.0, -8.0)


def _north_of_origin(km: float) -> Point:
    return Point(ORIGIN.latitude + km / KM_PER_DEGREE, ORIGIN.longitude)


@pytest.mark.parametrize(
    ("country", "start", "end", "km", "working_days", "halved", "amount"),
    [
        # 5 working days (Mon-Fri) and 201 km: the full threshold of Portugal.
        ("PT", date(2025, 3, 3), date(2025, 3, 7), 201, 5, False, Decimal(780)),
        # 4 working days: halved.
        ("PT", date(2025, 3, 3), date(2025, 3, 6), 201, 4, True, Decimal(390)),
        # 199 km: halved.
        ("PT", date(2025, 3, 3), date(2025, 3, 7), 199, 5, True, Decimal(390)),
        # Both reasons together: halved once, not twice.
        ("PT", date(2025, 3, 3), date(2025, 3, 6), 199, 4, True, Decimal(390)),
        # Exactly 200 km is not under 200 km.
        ("PT", date(2025, 3, 3), date(2025, 3, 7), 200, 5, False, Decimal(780)),
        # A weekend inside the stay is not counted: Thu-Wed is 5 working days.
        ("DE", date(2025, 3, 6), date(2025, 3, 12), 500, 5, False, Decimal(830)),
        # Freedom Day (Friday 25 April 2025) is a public holiday in Portugal: 4 working days.
        ("PT", date(2025, 4, 21), date(2025, 4, 25), 500, 4, True, Decimal(390)),
        # The same week in Spain has no national holiday: 5 working days.
        ("ES", date(2025, 4, 21), date(2025, 4, 25), 500, 5, False, Decimal(830)),
        # Easter Monday (21 April 2025) is a public holiday in Germany: 4 working days.
        ("DE", date(2025, 4, 21), date(2025, 4, 25), 500, 4, True, Decimal(415)),
        # 3 working days, the least allowed.
        ("EL", date(2025, 3, 10), date(2025, 3, 12), 900, 3, True, Decimal(390)),
        # Just under one month.
        ("DK", date(2025, 3, 3), date(2025, 4, 2), 900, 23, False, Decimal(1100)),
    ],
)
def test_lump_sum_table_of_cases(
    country: str,
    start: date,
    end: date,
    km: int,
    working_days: int,
    halved: bool,
    amount: Decimal,
) -> None:
    stay = assess_stay(PROGRAMME, host_country=country, start=start, end=end)
    distance = measure_distance(PROGRAMME.distance, ORIGIN, _north_of_origin(km))

    lump_sum = compute_lump_sum(PROGRAMME, host_country=country, stay=stay, distance=distance)

    assert distance.rounded_km == Decimal(f"{km}.0")
    assert stay.working_days == working_days
    assert lump_sum.halved is halved
    assert lump_sum.amount_eur == amount


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        (
            date(2025, 3, 3),
            date(2025, 3, 4),
            "The stay has 2 working days; the programme asks for at least 3.",
        ),
        # Friday to Monday: 2 working days however many days it spans.
        (
            date(2025, 3, 7),
            date(2025, 3, 10),
            "The stay has 2 working days; the programme asks for at least 3.",
        ),
        (
            date(2025, 3, 3),
            date(2025, 4, 3),
            "The stay is longer than one month: it must end by 02 April 2025.",
        ),
        (
            date(2025, 1, 31),
            date(2025, 3, 1),
            "The stay is longer than one month: it must end by 28 February 2025.",
        ),
    ],
)
def test_stay_outside_the_limits_has_no_lump_sum(start: date, end: date, problem: str) -> None:
    stay = assess_stay(PROGRAMME, host_country="PT", start=start, end=end)
    distance = measure_distance(PROGRAMME.distance, ORIGIN, _north_of_origin(500))

    lump_sum = compute_lump_sum(PROGRAMME, host_country="PT", stay=stay, distance=distance)

    assert stay.allowed is False
    assert stay.problem == problem
    assert lump_sum.amount_eur is None
    assert lump_sum.halved is False
    assert lump_sum.reasons[-1] == problem


def test_lump_sum_reasons_name_holidays_distance_and_halving() -> None:
    stay = assess_stay(PROGRAMME, host_country="PT", start=date(2025, 4, 21), end=date(2025, 4, 25))
    distance = measure_distance(PROGRAMME.distance, ORIGIN, _north_of_origin(150))

    lump_sum = compute_lump_sum(PROGRAMME, host_country="PT", stay=stay, distance=distance)

    assert lump_sum.reasons == (
        "4 working days from 21 April 2025 to 25 April 2025 (public holidays not counted: "
        "Freedom Day (25 April 2025)): fewer than 5.",
        "Distance 150.0 km (great circle, rounded to 1 decimal): under 200 km.",
        "Threshold for PT: EUR 780, halved once because the stay is short and the places are "
        "near: EUR 390.",
    )


def test_a_substituted_day_off_names_its_date_as_iso() -> None:
    # 11 January 2020, a Saturday, was worked in Ukraine for Monday 6 January off: the
    # library writes "01/11/2020", month first.
    stay = assess_stay(PROGRAMME, host_country="UA", start=date(2020, 1, 6), end=date(2020, 1, 10))

    assert stay.holidays == (
        (date(2020, 1, 6), "Day off (substituted from 2020-01-11)"),
        (date(2020, 1, 7), "Christmas Day"),
    )
    assert stay.working_days == 3


def test_holiday_names_do_not_follow_the_servers_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    # Left to itself the library names Ukraine's holidays in Ukrainian under an empty locale.
    # (A year no other test asks for: the calendars are cached.)
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(variable, "")

    stay = assess_stay(PROGRAMME, host_country="UA", start=date(2019, 12, 30), end=date(2020, 1, 3))

    assert stay.holidays == (
        (date(2019, 12, 30), "Day off (substituted from 2019-12-21)"),
        (date(2019, 12, 31), "Day off (substituted from 2019-12-28)"),
        (date(2020, 1, 1), "New Year's Day"),
    )


def test_lump_sum_country_without_threshold_has_no_amount() -> None:
    stay = assess_stay(PROGRAMME, host_country="CH", start=date(2025, 3, 3), end=date(2025, 3, 7))
    distance = measure_distance(PROGRAMME.distance, ORIGIN, _north_of_origin(500))

    lump_sum = compute_lump_sum(PROGRAMME, host_country="CH", stay=stay, distance=distance)

    assert lump_sum.amount_eur is None
    assert lump_sum.reasons[-1] == "The programme sets no lump sum for CH."


@pytest.mark.parametrize(
    ("km", "rounded", "halved"),
    [(199.94, Decimal("199.9"), True), (199.96, Decimal("200.0"), False)],
)
def test_distance_is_compared_as_shown_rounded(km: float, rounded: Decimal, halved: bool) -> None:
    stay = assess_stay(PROGRAMME, host_country="PT", start=date(2025, 3, 3), end=date(2025, 3, 7))
    distance = measure_distance(PROGRAMME.distance, ORIGIN, _north_of_origin(km))

    lump_sum = compute_lump_sum(PROGRAMME, host_country="PT", stay=stay, distance=distance)

    assert distance.rounded_km == rounded
    assert lump_sum.halved is halved


def test_distance_porto_to_lisbon_is_the_great_circle() -> None:
    porto, lisbon = Point(41.14961, -8.61099), Point(38.71667, -9.13333)

    distance = measure_distance(PROGRAMME.distance, porto, lisbon)

    # 274.17 km by the spherical law of cosines on the same radius (6371.0088 km).
    assert distance.rounded_km == Decimal("274.2")
    assert measure_distance(PROGRAMME.distance, lisbon, porto) == distance


def test_stay_end_before_start_is_an_error() -> None:
    with pytest.raises(StayDatesError, match=r"ends \(01 March 2025\) before it starts"):
        assess_stay(PROGRAMME, host_country="PT", start=date(2025, 3, 3), end=date(2025, 3, 1))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 3, 3), date(2025, 4, 3)),
        (date(2025, 1, 31), date(2025, 3, 1)),
        (date(2024, 1, 30), date(2024, 3, 1)),
        (date(2024, 1, 29), date(2024, 2, 29)),
        (date(2025, 12, 15), date(2026, 1, 15)),
    ],
)
def test_month_later_never_shortens_a_month(day: date, expected: date) -> None:
    assert month_later(day, 1) == expected


@pytest.mark.parametrize(
    ("latitude", "longitude"), [(90.5, 0.0), (0.0, -181.0), (float("nan"), 0.0)]
)
def test_point_outside_the_globe_is_refused(latitude: float, longitude: float) -> None:
    with pytest.raises(ValueError, match="between"):
        Point(latitude, longitude)


def test_stay_over_a_year_is_refused_as_input() -> None:
    with pytest.raises(StayDatesError, match="more than 366 days"):
        assess_stay(PROGRAMME, host_country="PT", start=date(2025, 1, 1), end=date(9999, 12, 31))


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        (
            "5 working days from 2024-11-04 to 2024-11-08: at least 3.",
            "5 working days from 04 November 2024 to 08 November 2024: at least 3.",
        ),
        (
            "3 working days from 2024-10-31 to 2024-11-05 (public holidays not counted: "
            "2024-11-01 All Saints' Day): at least 3.",
            "3 working days from 31 October 2024 to 05 November 2024 (public holidays not "
            "counted: All Saints' Day (01 November 2024)): at least 3.",
        ),
        (
            "2 working days from 2026-12-24 to 2026-12-28 (public holidays not counted: "
            "2026-12-25 Christmas Day; 2026-12-28 Christmas Day (observed)): fewer than 3.",
            "2 working days from 24 December 2026 to 28 December 2026 (public holidays not "
            "counted: Christmas Day (25 December 2026); Christmas Day (observed) "
            "(28 December 2026)): fewer than 3.",
        ),
        # Reasons written in words already, and the other reasons, are shown as stored.
        (
            "5 working days from 04 November 2024 to 08 November 2024: at least 3.",
            "5 working days from 04 November 2024 to 08 November 2024: at least 3.",
        ),
        (
            "Distance 1503.2 km (great circle, rounded to 1 decimal): at least 200 km.",
            "Distance 1503.2 km (great circle, rounded to 1 decimal): at least 200 km.",
        ),
    ],
    ids=["days", "holiday", "holidays", "in words", "distance"],
)
def test_a_stored_reason_with_iso_days_is_shown_with_its_days_in_words(
    stored: str, shown: str
) -> None:
    assert reason_in_words(stored) == shown
