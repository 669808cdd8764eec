"""What one consortium's index memoises is shared safely by every call, strand and report."""

from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusterbridge.domain.consortium import Application
from clusterbridge.domain.eligibility.conditions import ConsortiumCondition, register
from clusterbridge.domain.eligibility.evaluate import evaluate, index_consortium
from clusterbridge.domain.eligibility.index import PartnerIndex
from clusterbridge.domain.eligibility.outcome import Outcome
from clusterbridge.domain.eligibility.partner_conditions import AmongParams
from clusterbridge.domain.eligibility.proposal_conditions import (
    KEPT_OUTCOMES,
    RangeParams,
    check_range,
)
from clusterbridge.domain.enums import RuleStatus
from tests.domain.eligibility.checking import NOW, make_call
from tests.domain.eligibility.test_properties import CALLS, CONSORTIA, PROPERTY_SETTINGS
from tests.factories.partners import make_application, make_partner

pytestmark = pytest.mark.unit


Words = list[list[tuple[str, RuleStatus, str, tuple[str, ...]]]]


def _every_finding(application: Application, *, shared: bool) -> Words:
    """Every finding of every call and strand in full, with one index for all or one each."""
    index = index_consortium(application.consortium) if shared else None
    found = []
    for call in CALLS:
        for strand in [s.id for s in call.strands] or [None]:
            checked = Application(application.consortium, strand, 24, 2_500_000)
            report = evaluate(call, checked, now=NOW, index=index)
            found.append([(f.rule, f.status, f.message, f.partners) for f in report.findings])
    return found


@PROPERTY_SETTINGS
@given(partners=CONSORTIA)
def test_property_shared_index_gives_the_findings_of_separate_ones(partners: Any) -> None:
    """Statuses, messages and partners named do not depend on what the index memoised before."""
    application = make_application(*partners)

    assert _every_finding(application, shared=True) == _every_finding(application, shared=False)


def test_consortium_condition_judged_once_for_equal_rules_of_two_calls() -> None:
    first = make_call("legal_entity", {})
    second = make_call("legal_entity", {"among": {"roles": ["beneficiary", "coordinator"]}})
    application = make_application(make_partner(name="A", legal_entity=None))
    index = index_consortium(application.consortium)

    reports = [evaluate(call, application, now=NOW, index=index) for call in (first, second)]

    assert len(index.outcomes) == 1
    assert reports[0].findings == reports[1].findings


def test_register_refuses_consortium_condition_sharing_params_model() -> None:
    class Copy(ConsortiumCondition[AmongParams]):
        name: ClassVar[str] = "legal_entity_again"
        description: ClassVar[str] = "A second condition with the parameters of legal_entity."
        params_model = AmongParams

        def judge(self, params: AmongParams, index: PartnerIndex) -> Outcome:
            return Outcome(RuleStatus.PASS, "")

    with pytest.raises(ValueError, match="shares its params_model") as error:
        register(Copy)

    assert str(error.value) == (
        "condition 'legal_entity_again' shares its params_model with 'legal_entity': a condition "
        "on the consortium needs its own (outcomes are memoised by it)"
    )


def test_check_range_keeps_outcomes_up_to_a_limit() -> None:
    params = RangeParams(max=36)

    def check(value: int) -> Outcome:
        return check_range(value, params, what="project duration", unit="months", option="-d")

    same = check(24) is check(24)
    for value in range(KEPT_OUTCOMES + 10):
        check(value)

    assert (same, len(params.outcomes)) == (True, KEPT_OUTCOMES)
    assert check(KEPT_OUTCOMES + 5) == check(KEPT_OUTCOMES + 5)


@given(value=st.integers(min_value=0, max_value=100))
def test_property_check_range_kept_outcome_equals_a_fresh_one(value: int) -> None:
    kept, fresh = RangeParams(min=10, max=36), RangeParams(min=10, max=36)
    check_range(value, kept, what="project duration", unit="months", option="-d")

    again = check_range(value, kept, what="project duration", unit="months", option="-d")

    assert again == check_range(value, fresh, what="project duration", unit="months", option="-d")
