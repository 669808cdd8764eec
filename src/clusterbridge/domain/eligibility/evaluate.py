"""Evaluate a call's rules against an application."""

from datetime import datetime

from clusterbridge.domain.calls import Call, RuleSpec
from clusterbridge.domain.consortium import Application, Consortium
from clusterbridge.domain.eligibility.conditions import Context, get_condition
from clusterbridge.domain.eligibility.index import PartnerIndex
from clusterbridge.domain.eligibility.report import EligibilityReport, Finding, decide_verdict
from clusterbridge.domain.enums import FAIL, PASS


def evaluate_rule(rule: RuleSpec, context: Context) -> Finding:
    """Run one rule. A failure of a warning-only rule becomes a warning; advice joins non-passes."""
    outcome = get_condition(rule.condition).check(rule.params, context)
    status = outcome.status
    if status is FAIL:
        status = rule.on_fail
    message = outcome.message
    if rule.advice and status is not PASS:
        message = f"{message} {rule.advice}"
    blocking = rule.on_fail is FAIL
    return Finding(rule.id, rule.title, status, message, rule.source, outcome.partners, blocking)


def evaluate(
    call: Call, application: Application, *, now: datetime, index: PartnerIndex | None = None
) -> EligibilityReport:
    """Check ``application`` against every rule of ``call``; pure, no side effects.

    ``index`` is the consortium's index when the caller checks one consortium against several
    calls or strands (build it once with ``index_consortium``); it is built here otherwise. The
    deadline is reported as the call's status at ``now`` (an aware datetime), never as a failure
    of the consortium.
    """
    if index is None:
        index = index_consortium(application.consortium)
    context = Context(application, call, index)
    findings = tuple(evaluate_rule(rule, context) for rule in call.rules)
    return EligibilityReport(call, application, findings, decide_verdict(findings), now)


def index_consortium(consortium: Consortium) -> PartnerIndex:
    """The consortium's partners indexed for evaluation; reusable across calls and strands."""
    return PartnerIndex(consortium.partners)
