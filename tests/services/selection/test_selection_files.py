"""The numbers of a selection file (and of a call file's ``[selection]`` table): whatever a
JSON or TOML number can be (huge, infinite, not a number, negative zero) is read or refused in
words, and a value refused is not checked again against what depends on it."""

from typing import Any

import pytest

from clusterbridge.domain.errors import InvalidInputError
from clusterbridge.services.selection.files import parse_selection


def _settings(**changes: Any) -> dict[str, Any]:
    return {
        "budget": 1000,
        "criteria": [{"id": "relevance", "max": 30, "threshold": 15}, {"id": "impact", "max": 20}],
        "overall_threshold": 30,
        "proposals": [],
    } | changes


def _reasons(document: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInputError) as caught:
        parse_selection(document, source="call.toml")
    return [(i.location, i.reason) for i in caught.value.issues]


@pytest.mark.parametrize("huge", [10**400, 10**20])
def test_a_huge_whole_number_is_told_its_limit(huge: int) -> None:
    criteria = [{"id": "relevance", "max": huge, "threshold": 15}, {"id": "impact", "max": 20}]

    assert _reasons(_settings(criteria=criteria, overall_threshold=huge)) == [
        ("criteria[0].max", "must be at most 1,000,000"),
    ]


def test_an_overall_threshold_too_large_names_the_sum_of_the_maxima() -> None:
    assert _reasons(_settings(overall_threshold=10**400)) == [
        ("overall_threshold", "must be between 0 and 50, the sum of the maxima"),
    ]


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_infinity_and_not_a_number_are_no_number(value: float) -> None:
    assert _reasons(_settings(overall_threshold=value)) == [
        ("overall_threshold", "must be a number"),
    ]


def test_negative_zero_is_zero() -> None:
    problem = parse_selection(_settings(overall_threshold=-0.0), source="call.toml")

    assert str(problem.overall_threshold) == "0.0"


def test_a_maximum_that_is_no_number_is_not_checked_against_its_threshold() -> None:
    criteria = [{"id": "relevance", "max": "thirty", "threshold": 15}, {"id": "impact", "max": 20}]

    assert _reasons(_settings(criteria=criteria)) == [
        ("criteria[0].max", "must be a number"),
    ]


def test_a_threshold_that_is_no_number_is_still_named_beside_a_maximum_that_is_none() -> None:
    criteria = [{"id": "relevance", "max": "thirty", "threshold": "x"}, {"id": "impact", "max": 20}]

    assert _reasons(_settings(criteria=criteria)) == [
        ("criteria[0].max", "must be a number"),
        ("criteria[0].threshold", "must be a number"),
    ]


@pytest.mark.parametrize("maximum", [0, -0.0, -5, 10**7])
def test_a_maximum_out_of_range_is_the_only_mistake_named(maximum: float) -> None:
    criteria = [{"id": "relevance", "max": maximum, "threshold": 15}, {"id": "impact", "max": 20}]

    [(place, _reason)] = _reasons(_settings(criteria=criteria))

    assert place == "criteria[0].max"
