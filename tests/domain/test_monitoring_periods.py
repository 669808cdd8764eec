"""Reporting periods of a monitored project: whole months from the start, the last one cut at
the end, month ends kept inside the month."""

from datetime import date

import pytest

from clusterbridge.domain.monitoring import Period, add_months, reporting_periods


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 15), 6, date(2025, 7, 15)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 11, 1), 2, date(2026, 1, 1)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
    ],
)
def test_add_months_keeps_the_day_inside_the_month(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_periods_cover_the_project_and_the_last_one_is_cut_at_the_end() -> None:
    assert reporting_periods(date(2025, 1, 1), date(2026, 3, 31), months=6) == [
        Period(1, date(2025, 1, 1), date(2025, 6, 30)),
        Period(2, date(2025, 7, 1), date(2025, 12, 31)),
        Period(3, date(2026, 1, 1), date(2026, 3, 31)),
    ]


def test_periods_from_a_month_end_do_not_drift() -> None:
    periods = reporting_periods(date(2025, 8, 31), date(2026, 8, 30), months=3)
    assert [(p.start, p.end) for p in periods] == [
        (date(2025, 8, 31), date(2025, 11, 29)),
        (date(2025, 11, 30), date(2026, 2, 27)),
        (date(2026, 2, 28), date(2026, 5, 30)),
        (date(2026, 5, 31), date(2026, 8, 30)),
    ]


def test_a_one_day_project_has_one_period_and_labels_name_it() -> None:
    [period] = reporting_periods(date(2025, 5, 5), date(2025, 5, 5), months=12)
    assert period.label == "P1 (2025-05-05 – 2025-05-05)"
    assert reporting_periods(date(2025, 5, 5), date(2025, 5, 4), months=12) == []
