"""The spread of break counts that repairs with a fairness bound keep."""

import pytest

from clusterbridge.domain.scheduling.breaks import BreakSpread

pytestmark = pytest.mark.unit


def test_break_spread_counts_only_the_widening_beyond_the_bound() -> None:
    spread = BreakSpread([0, 1, 1, 0], fairness=1)

    assert spread.excess({}) == 0
    assert spread.excess({1: 2}) == 1
    assert spread.excess({1: 2, 0: 1, 3: 1}) == 0
    assert spread.excess({2: 3}) == 2


def test_break_spread_allows_what_the_schedule_already_has() -> None:
    spread = BreakSpread([0, 3], fairness=1)

    assert spread.allowed == 3
    assert spread.excess({1: 4}) == 1
    assert spread.excess({0: 1, 1: 4}) == 0


def test_break_spread_update_takes_the_new_counts() -> None:
    spread = BreakSpread([0, 1], fairness=1)

    spread.update({0: 1})

    assert spread.breaks == [1, 1]
    assert spread.excess({1: 3}) == 1


def test_break_spread_without_a_bound_never_objects() -> None:
    assert BreakSpread([0, 0], fairness=None).excess({0: 9}) == 0
