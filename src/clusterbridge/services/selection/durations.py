"""The duration range an authored call states, as an eligibility rule.

The authoring form has its own fields for the shortest and longest project (the call file's
``duration_min_months`` and ``duration_max_months``): they are the call's own words, shown on
its page as "Duration 12–36 months". A call that states a range and whose rules do not check
the duration themselves has a rule checking that range, made when its stored file is read
(`clusterbridge.services.selection.calls`): so its page lists the rule, every check against the
call (a consortium's, the CLI's, the frozen report at submission) has its finding, and the
proposal form refuses a duration outside it. When the officer wrote a ``duration`` rule (for
instance a warning-only one, "more than 24 months if justified"), the rules decide alone.
"""

from dataclasses import replace

from clusterbridge.domain.calls import Call, RuleSpec, Source
from clusterbridge.domain.eligibility.proposal_conditions import Duration, RangeParams
from clusterbridge.domain.enums import RuleStatus

#: The id of the rule made from the call's stated range.
STATED_DURATION = "stated-duration"


def with_stated_duration(call: Call) -> Call:
    """``call`` with a rule checking the duration range it states (titled and quoted in the
    words of its page, `Call.duration_words`; its source: the call's "Duration"), when it
    states one and none of its rules is a ``duration`` rule; otherwise ``call`` unchanged.
    Pure."""
    low, high = call.duration_min_months, call.duration_max_months
    if (low is None and high is None) or any(r.condition == Duration.name for r in call.rules):
        return call
    rule = RuleSpec(
        id=STATED_DURATION,
        title=f"The project lasts {call.duration_words}",
        condition=Duration.name,
        params=RangeParams(min=low, max=high),
        source=Source(call.id, "Duration", f"Duration: {call.duration_words}"),
    )
    return replace(call, rules=(*call.rules, rule))


def duration_problem(call: Call, months: int) -> str | None:
    """Why ``months`` is not a duration the call accepts (a failing blocking ``duration`` rule
    of the call, such as the one `with_stated_duration` made; a rule the officer wrote is
    named), or None."""
    for rule in call.rules:
        params = rule.params
        if (
            rule.condition == Duration.name
            and rule.on_fail is RuleStatus.FAIL
            and isinstance(params, RangeParams)
            and not params.contains(months)
        ):
            reason = f"must be {params.words} months for this call"
            return reason if rule.id == STATED_DURATION else f"{reason} (rule: {rule.title})"
    return None
