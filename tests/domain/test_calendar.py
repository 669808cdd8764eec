# ruff: noqa: DTZ001 -- deadlines are local wall-clock times, named with their zone apart
"""The platform's calendar: wall-clock times that name no single moment, and deadlines written
as a date alone."""

from datetime import date, datetime

import pytest

from clusterbridge.domain.calendar import date_without_time, local_time_problem

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("local", "zone", "problem"),
    [
        (datetime(2027, 1, 15, 17, 0), "Europe/Brussels", None),
        (
            datetime(2027, 3, 28, 2, 30),
            "Europe/Brussels",
            "2027-03-28 02:30 does not exist in Europe/Brussels: the clocks go forward that "
            "night; choose a time outside the skipped hour",
        ),
        (datetime(2027, 3, 28, 3, 0), "Europe/Brussels", None),
        (
            datetime(2027, 10, 31, 2, 0),
            "Europe/Brussels",
            "2027-10-31 02:00 happens twice in Europe/Brussels: the clocks go back that night; "
            "choose a time outside the repeated hour",
        ),
        (datetime(2027, 10, 31, 3, 0), "Europe/Brussels", None),
        (datetime(2027, 3, 28, 2, 30), "UTC", None),
        (datetime(1, 1, 1, 0, 0), "Europe/Brussels", None),
    ],
)
def test_a_local_time_names_one_moment_or_says_why_not(
    local: datetime, zone: str, problem: str | None
) -> None:
    assert local_time_problem(local, zone) == problem


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        (date(2027, 1, 15), True),
        ("2027-01-15", True),
        (" 2027-01-15 ", True),
        ("2027-01-15T17:00", False),
        (datetime(2027, 1, 15, 17, 0), False),
        ("next week", False),
        (None, False),
    ],
)
def test_a_deadline_needs_its_time_of_day(value: object, refused: bool) -> None:
    refusal = date_without_time(value)

    assert (refusal is not None) == refused
    if refused:
        assert refusal == (
            "give the time too, such as 2027-01-15T17:00: a date alone would close the call at "
            "midnight, when that day starts"
        )
