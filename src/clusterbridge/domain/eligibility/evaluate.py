"""Evaluate a call's rules against an application."""

from datetime import datetime

from clusterbridge.domain.calls import Call, RuleSpec
from clusterbridge.domain.consortium import Application
from clusterbridge.domain.eligibility.conditions import get_condition
from clusterbridge.domain.eligibility.report import EligibilityReport, Finding, decide_verdict
from clusterbridge.domain.enums import RuleStatus


def evaluate_rule(rule: RuleSpec, application: Application, call: Call) -> Finding:
    """Run one rule. A failure of a warning-only rule becomes a warning; advice joins non-passes."""
    outcome = get_condition(rule.condition).check(rule.params, application, call)
    status = outcome.status
    if status is RuleStatus.FAIL:
        status = rule.on_fail
    message = outcome.message
    if rule.advice and status is not RuleStatus.PASS:
        message = f"{message} {rule.advice}"
    return Finding(
        rule=rule.id,
        title=rule.title,
        status=status,
        message=message,
        source=rule.source,
        citation=rule.source.cite(call.documents),
        partners=outcome.partners,
        blocking=rule.on_fail is RuleStatus.FAIL,
    )


def evaluate(call: Call, application: Application, *, now: datetime) -> EligibilityReport:
    """Check ``application`` against every rule of ``call``; pure, no side effects.

    The deadline is reported as the call's status at ``now`` (an aware datetime), never as a
    failure of the consortium.
    """
    findings = tuple(evaluate_rule(rule, application, call) for rule in call.rules)
    call_status, time_left = call.status(now)
    return EligibilityReport(
        call=call,
        application=application,
        findings=findings,
        verdict=decide_verdict(findings),
        checked_at=now,
        call_status=call_status,
        time_left=time_left,
    )
