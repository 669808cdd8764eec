"""How long a call has left, in words."""

from datetime import timedelta

import pytest

from clusterbridge.reports.serialise import describe_time_left

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("left", "words"),
    [
        (timedelta(days=12, hours=4, minutes=5), "12 days 4 hours left"),
        (timedelta(days=1), "1 day left"),
        (timedelta(hours=2, minutes=1), "2 hours 1 minute left"),
        (timedelta(hours=3), "3 hours left"),
        (timedelta(minutes=10, seconds=30), "10 minutes left"),
        (timedelta(seconds=20), "less than a minute left"),
        (-timedelta(days=30), "closed 30 days ago"),
        (-timedelta(minutes=5), "closed 5 minutes ago"),
    ],
)
def test_time_left_says_only_the_parts_that_are_not_zero(left: timedelta, words: str) -> None:
    assert describe_time_left(left) == words


def test_no_deadline_has_no_time_left() -> None:
    assert describe_time_left(None) is None
