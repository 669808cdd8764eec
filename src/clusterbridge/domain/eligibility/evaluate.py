"""Evaluate a call's rules against an application."""

from datetime import datetime

from clusterbridge.domain.calls import Call, RuleSpec
from clusterbridge.domain.consortium import Application, Consortium
from clusterbridge.domain.eligibility.conditions import CONDITIONS, Context, Outcome, get_condition
from clusterbridge.domain.eligibility.index import PartnerIndex
from clusterbridge.domain.eligibility.report import EligibilityReport, Finding, to_finding


def check_rule(rule: RuleSpec, context: Context) -> Outcome:
    """What the condition of ``rule`` finds in ``context``."""
    condition = CONDITIONS.get(rule.condition) or get_condition(rule.condition)
    return condition.check(rule.params, context)


def evaluate_rule(rule: RuleSpec, context: Context) -> Finding:
    """Run one rule. A failure of a warning-only rule becomes a warning; advice joins non-passes."""
    return to_finding(rule, check_rule(rule, context), context.index.partners)


def evaluate(
    call: Call, application: Application, *, now: datetime, index: PartnerIndex | None = None
) -> EligibilityReport:
    """Check ``application`` against every rule of ``call``; pure, no side effects.

    ``index`` is the consortium's index when the caller checks one consortium against several
    calls or strands (build it once with ``index_consortium``); it is built here otherwise. The
    deadline is reported as the call's status at ``now`` (an aware datetime), never as a failure
    of the consortium. The report builds its findings' sentences when they are first read.
    """
    if index is None:
        index = index_consortium(application.consortium)
    context = Context(application, call, index)
    conditions = CONDITIONS  # check_rule, inlined: this loop is the engine's hottest
    outcomes = tuple(
        [
            (conditions.get(rule.condition) or get_condition(rule.condition)).check(
                rule.params, context
            )
            for rule in call.rules
        ]
    )
    return EligibilityReport(call, application, outcomes, now)


def index_consortium(consortium: Consortium) -> PartnerIndex:
    """The consortium's partners indexed for evaluation; reusable across calls and strands."""
    return PartnerIndex(consortium.partners)
