"""The duration range an authored call states, as a rule: made only when the call states one
and has no duration rule of its own, in the words of the call's page; the proposal form's reason
names an officer's rule."""

import pytest

from clusterbridge.domain.calls import Call, RuleSpec, Source
from clusterbridge.domain.eligibility.proposal_conditions import RangeParams
from clusterbridge.services.selection.durations import duration_problem, with_stated_duration

pytestmark = pytest.mark.unit

OWN_RULE = RuleSpec(
    id="max-30",
    title="The project lasts at most 30 months",
    condition="duration",
    params=RangeParams(max=30),
    source=Source("call", "Duration", "at most 30 months"),
)


def _call(low: int | None, high: int | None, rules: tuple[RuleSpec, ...] = ()) -> Call:
    return Call(
        id="QA-CALL-1", title="QA", programme="p", summary="", documents={"call": "The call"},
        rules=rules, duration_min_months=low, duration_max_months=high,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (12, 36, ("The project lasts 12–36 months", "Duration: 12–36 months")),
        (None, 36, ("The project lasts up to 36 months", "Duration: up to 36 months")),
        (6, None, ("The project lasts at least 6 months", "Duration: at least 6 months")),
        (24, 24, ("The project lasts 24 months", "Duration: 24 months")),
    ],
)
def test_a_stated_range_becomes_a_rule_quoting_it(
    low: int | None, high: int | None, expected: tuple[str, str]
) -> None:
    rules = with_stated_duration(_call(low, high)).rules

    assert [(r.id, r.condition, r.title, r.source.quote) for r in rules] == [
        ("stated-duration", "duration", *expected)
    ]
    assert rules[0].params == RangeParams(min=low, max=high)


def test_no_range_or_an_own_duration_rule_leaves_the_call_as_it_is() -> None:
    bare, own = _call(None, None), _call(12, 36, (OWN_RULE,))

    assert (with_stated_duration(bare), with_stated_duration(own)) == (bare, own)


def test_a_call_with_its_stated_range_rule_keeps_that_one_rule() -> None:
    stated = with_stated_duration(_call(12, 36))

    assert with_stated_duration(stated) == stated


def test_the_form_reason_names_an_officers_rule_but_not_the_stated_range() -> None:
    assert (
        duration_problem(with_stated_duration(_call(12, 36)), 48),
        duration_problem(_call(12, 36, (OWN_RULE,)), 31),
        duration_problem(_call(12, 36, (OWN_RULE,)), 30),
    ) == (
        "must be between 12 and 36 months for this call",
        "must be at most 30 months for this call (rule: The project lasts at most 30 months)",
        None,
    )
