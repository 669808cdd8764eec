"""The registry of conditions: every condition a call file may name, looked up by name."""

from typing import ClassVar

import pytest

from clusterbridge.domain.eligibility.conditions import (
    CONDITIONS,
    Condition,
    Context,
    NoParams,
    Outcome,
    get_condition,
    register,
)
from clusterbridge.domain.enums import RuleStatus
from tests.domain.eligibility.checking import check
from tests.factories.partners import make_application

pytestmark = pytest.mark.unit

REGISTERED = [
    "applicant_type",
    "country_eligible",
    "duration",
    "grant_range",
    "legal_entity",
    "min_distinct_countries",
    "min_partners",
    "min_partners_in_region",
    "min_share",
    "one_strand",
]
#: Parameters each condition accepts, for checks that must hold for every condition.
SAMPLE_PARAMS: dict[str, dict[str, object]] = {
    "applicant_type": {"allowed": ["cluster_organisation"]},
    "country_eligible": {"countries": ["eu_member_states"]},
    "duration": {"max": 36},
    "grant_range": {"min": 1},
    "legal_entity": {},
    "min_distinct_countries": {"min": 3},
    "min_partners": {"min": 3},
    "min_partners_in_region": {"period": "2021-2027", "categories": ["less_developed"]},
    "min_share": {"share": "1/2", "require": {"eccp_registered": True}},
    "one_strand": {},
}


def test_conditions_registry_names() -> None:
    names = sorted(CONDITIONS)

    assert names == REGISTERED


@pytest.mark.parametrize("name", REGISTERED)
def test_get_condition_registered_name(name: str) -> None:
    condition = get_condition(name)

    assert (condition.name, bool(condition.description)) == (name, True)


def test_get_condition_unknown_name_lists_known() -> None:
    with pytest.raises(KeyError) as error:
        get_condition("max_length")

    assert error.value.args[0] == (
        "unknown condition 'max_length'; known conditions: " + ", ".join(REGISTERED)
    )


def test_register_same_name_twice_raises() -> None:
    class Twice(Condition[NoParams]):
        name: ClassVar[str] = "duration"
        description: ClassVar[str] = "A second condition called duration."
        params_model = NoParams

        def check(self, params: NoParams, context: Context) -> Outcome:
            return Outcome(RuleStatus.PASS, "")

    with pytest.raises(ValueError, match="registered twice") as error:
        register(Twice)

    assert str(error.value) == "condition 'duration' is registered twice"
    assert type(CONDITIONS["duration"]).__name__ == "Duration"


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("applicant_type", RuleStatus.UNKNOWN),
        ("country_eligible", RuleStatus.UNKNOWN),
        ("duration", RuleStatus.UNKNOWN),
        ("grant_range", RuleStatus.UNKNOWN),
        ("legal_entity", RuleStatus.UNKNOWN),
        ("min_distinct_countries", RuleStatus.FAIL),
        ("min_partners", RuleStatus.FAIL),
        ("min_partners_in_region", RuleStatus.FAIL),
        # A share of nobody is no share: unknown, like the per-partner conditions.
        ("min_share", RuleStatus.UNKNOWN),
        ("one_strand", RuleStatus.UNKNOWN),
    ],
)
def test_condition_empty_application_answers_without_raising(name: str, status: RuleStatus) -> None:
    """No partner, no strand, duration or grant: per-partner, share and proposal conditions cannot
    tell, minimum counts certainly fail."""
    finding = check(name, SAMPLE_PARAMS[name], make_application())

    assert finding.status == status
