"""The conditions on what is applied for: one_strand, duration, grant_range.

Tables of ``(params, application, expected status)`` with boundaries; exact messages; parameter
validation. The test call has strands "1" and "2" (``checking.make_call``).
"""

from typing import Any

import pytest
from pydantic import ValidationError

from clusterbridge.domain.consortium import Application
from clusterbridge.domain.eligibility.conditions import get_condition
from clusterbridge.domain.enums import RuleStatus
from tests.domain.eligibility.checking import check
from tests.factories.partners import make_application, make_partner

pytestmark = pytest.mark.unit

PASS, FAIL, UNKNOWN = RuleStatus.PASS, RuleStatus.FAIL, RuleStatus.UNKNOWN
PARTNER = make_partner()


def _strand(strand: str | None) -> Application:
    return make_application(PARTNER, strand=strand)


def _months(months: int | None) -> Application:
    return make_application(PARTNER, duration_months=months)


def _grant(euros: int | None) -> Application:
    return make_application(PARTNER, requested_grant_eur=euros)


@pytest.mark.parametrize(
    ("application", "status", "message"),
    [
        pytest.param(
            _strand("1"), PASS, "The proposal addresses one strand: Strand one.", id="strand-1"
        ),
        pytest.param(
            _strand("2"), PASS, "The proposal addresses one strand: Strand two.", id="strand-2"
        ),
        pytest.param(
            _strand("3"),
            FAIL,
            '"3" is not a strand of this call; choose one of: 1, 2.',
            id="no-such-strand",
        ),
        pytest.param(
            _strand(None),
            UNKNOWN,
            "No strand given; a proposal addresses exactly one of: 1, 2.",
            id="not-given",
        ),
    ],
)
def test_one_strand_table(application: Application, status: RuleStatus, message: str) -> None:
    finding = check("one_strand", {}, application)

    assert (finding.status, finding.message, finding.partners) == (status, message, ())


AT_MOST_36 = {"max": 36}
AT_LEAST_20 = {"min": 20}
FROM_20_TO_24 = {"min": 20, "max": 24}
EXACTLY_24 = {"min": 24, "max": 24}


@pytest.mark.parametrize(
    ("params", "months", "status"),
    [
        pytest.param(AT_MOST_36, 36, PASS, id="max-exactly"),
        pytest.param(AT_MOST_36, 37, FAIL, id="max-plus-one"),
        pytest.param(AT_MOST_36, 1, PASS, id="short"),
        pytest.param(AT_MOST_36, None, UNKNOWN, id="max-not-given"),
        pytest.param(AT_LEAST_20, 20, PASS, id="min-exactly"),
        pytest.param(AT_LEAST_20, 19, FAIL, id="min-minus-one"),
        pytest.param(AT_LEAST_20, 120, PASS, id="long"),
        pytest.param(FROM_20_TO_24, 19, FAIL, id="range-below"),
        pytest.param(FROM_20_TO_24, 20, PASS, id="range-low-end"),
        pytest.param(FROM_20_TO_24, 24, PASS, id="range-high-end"),
        pytest.param(FROM_20_TO_24, 25, FAIL, id="range-above"),
        pytest.param(EXACTLY_24, 24, PASS, id="exactly-24"),
        pytest.param(EXACTLY_24, 23, FAIL, id="not-24"),
    ],
)
def test_duration_table(params: dict[str, Any], months: int | None, status: RuleStatus) -> None:
    finding = check("duration", params, _months(months))

    assert (finding.status, finding.partners) == (status, ())


@pytest.mark.parametrize(
    ("params", "months", "message"),
    [
        pytest.param(
            AT_MOST_36,
            37,
            "The project duration is 37 months; it must be at most 36 months.",
            id="at-most",
        ),
        pytest.param(
            AT_LEAST_20,
            19,
            "The project duration is 19 months; it must be at least 20 months.",
            id="at-least",
        ),
        pytest.param(
            FROM_20_TO_24,
            22,
            "The project duration is 22 months; it must be between 20 and 24 months.",
            id="between",
        ),
        pytest.param(
            AT_MOST_36,
            None,
            "The project duration is not given (--duration-months); it must be at most 36 months.",
            id="not-given",
        ),
    ],
)
def test_duration_message(params: dict[str, Any], months: int | None, message: str) -> None:
    finding = check("duration", params, _months(months))

    assert finding.message == message


TWO_TO_THREE_MILLION = {"min": 2_000_000, "max": 3_000_000}


@pytest.mark.parametrize(
    ("euros", "status"),
    [
        pytest.param(1_999_999, FAIL, id="below"),
        pytest.param(2_000_000, PASS, id="low-end"),
        pytest.param(2_500_000, PASS, id="inside"),
        pytest.param(3_000_000, PASS, id="high-end"),
        pytest.param(3_000_001, FAIL, id="above"),
        pytest.param(None, UNKNOWN, id="not-given"),
    ],
)
def test_grant_range_table(euros: int | None, status: RuleStatus) -> None:
    finding = check("grant_range", TWO_TO_THREE_MILLION, _grant(euros))

    assert (finding.status, finding.partners) == (status, ())


@pytest.mark.parametrize(
    ("euros", "message"),
    [
        pytest.param(
            3_000_001,
            "The requested grant is EUR 3,000,001; it must be between EUR 2,000,000 and "
            "EUR 3,000,000.",
            id="above",
        ),
        pytest.param(
            None,
            "The requested grant is not given (--requested-grant); it must be between "
            "EUR 2,000,000 and EUR 3,000,000.",
            id="not-given",
        ),
    ],
)
def test_grant_range_message(euros: int | None, message: str) -> None:
    finding = check("grant_range", TWO_TO_THREE_MILLION, _grant(euros))

    assert finding.message == message


@pytest.mark.parametrize(
    ("condition", "params"),
    [
        pytest.param("one_strand", {"strands": 1}, id="one-strand-takes-no-params"),
        pytest.param("duration", {}, id="duration-no-bound"),
        pytest.param("duration", {"min": 30, "max": 24}, id="duration-min-above-max"),
        pytest.param("duration", {"max": -1}, id="duration-negative"),
        pytest.param("duration", {"max": "long"}, id="duration-not-a-number"),
        pytest.param("duration", {"max": 36, "unit": "weeks"}, id="duration-unknown-param"),
        pytest.param("grant_range", {"min": 3_000_000, "max": 2_000_000}, id="grant-min-above-max"),
        pytest.param("grant_range", {}, id="grant-no-bound"),
    ],
)
def test_proposal_condition_bad_params_raise(condition: str, params: dict[str, Any]) -> None:
    parser = get_condition(condition)

    with pytest.raises(ValidationError):
        parser.parse_params(params)


def test_range_params_min_above_max_message() -> None:
    parser = get_condition("duration")

    with pytest.raises(ValidationError) as error:
        parser.parse_params({"min": 30, "max": 24})

    assert [e["msg"] for e in error.value.errors()] == [
        "Value error, 'min' (30) is greater than 'max' (24)"
    ]
