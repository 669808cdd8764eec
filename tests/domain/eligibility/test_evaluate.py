"""evaluate and the verdict: warning-only rules never block; the verdict follows blocking rules."""

from dataclasses import replace

import pytest

from clusterbridge.domain.calls import RuleSpec
from clusterbridge.domain.eligibility.evaluate import evaluate
from clusterbridge.domain.eligibility.report import Finding, decide_verdict
from clusterbridge.domain.enums import RuleStatus, Verdict
from tests.domain.eligibility.checking import NOW, SOURCE, make_call
from tests.factories.partners import make_application, make_partner

pytestmark = pytest.mark.unit

PASS, FAIL = RuleStatus.PASS, RuleStatus.FAIL
WARNING, UNKNOWN = RuleStatus.WARNING, RuleStatus.UNKNOWN


def _finding(status: RuleStatus, *, blocking: bool) -> Finding:
    return Finding(
        rule="rule",
        title="Rule",
        status=status,
        message="",
        source=SOURCE,
        partners=(),
        blocking=blocking,
    )


@pytest.mark.parametrize(
    ("findings", "verdict"),
    [
        pytest.param((), Verdict.ELIGIBLE, id="no-rule"),
        pytest.param(((PASS, True), (PASS, True)), Verdict.ELIGIBLE, id="all-pass"),
        pytest.param(((PASS, True), (FAIL, True)), Verdict.INELIGIBLE, id="blocking-fail"),
        pytest.param(((UNKNOWN, True), (PASS, True)), Verdict.INCOMPLETE, id="blocking-unknown"),
        pytest.param(
            ((UNKNOWN, True), (FAIL, True)), Verdict.INELIGIBLE, id="fail-outweighs-unknown"
        ),
        pytest.param(
            ((FAIL, True), (UNKNOWN, True)), Verdict.INELIGIBLE, id="fail-first-outweighs-unknown"
        ),
        pytest.param(((WARNING, True), (PASS, True)), Verdict.ELIGIBLE, id="warning-only"),
        pytest.param(((WARNING, False),), Verdict.ELIGIBLE, id="warning-rule-warns"),
        pytest.param(((UNKNOWN, False),), Verdict.ELIGIBLE, id="warning-rule-unknown"),
        pytest.param(
            ((WARNING, False), (UNKNOWN, True)), Verdict.INCOMPLETE, id="warning-and-unknown"
        ),
    ],
)
def test_decide_verdict_table(
    findings: tuple[tuple[RuleStatus, bool], ...], verdict: Verdict
) -> None:
    built = tuple(_finding(status, blocking=blocking) for status, blocking in findings)

    result = decide_verdict(built)

    assert result == verdict


def _warning_only(rule: RuleSpec) -> RuleSpec:
    return replace(rule, on_fail=RuleStatus.WARNING, advice="Explain it.")


@pytest.mark.parametrize(
    ("months", "status", "message", "verdict"),
    [
        pytest.param(
            36,
            PASS,
            "The project duration is 36 months; it must be at most 36 months.",
            Verdict.ELIGIBLE,
            id="pass-without-advice",
        ),
        pytest.param(
            37,
            WARNING,
            "The project duration is 37 months; it must be at most 36 months. Explain it.",
            Verdict.ELIGIBLE,
            id="fail-becomes-warning",
        ),
        pytest.param(
            None,
            UNKNOWN,
            "The project duration is not given (--duration-months); it must be at most 36 "
            "months. Explain it.",
            Verdict.ELIGIBLE,
            id="unknown-never-blocks",
        ),
    ],
)
def test_evaluate_warning_only_rule(
    months: int | None, status: RuleStatus, message: str, verdict: Verdict
) -> None:
    call = make_call("duration", {"max": 36})
    call = replace(call, rules=tuple(_warning_only(rule) for rule in call.rules))

    report = evaluate(call, make_application(make_partner(), duration_months=months), now=NOW)

    finding = report.findings[0]
    assert (finding.status, finding.message, finding.blocking) == (status, message, False)
    assert report.verdict == verdict


def test_evaluate_blocking_rule_fails() -> None:
    call = make_call("duration", {"max": 36})

    report = evaluate(call, make_application(make_partner(), duration_months=37), now=NOW)

    assert [(f.status, f.blocking) for f in report.findings] == [(FAIL, True)]
    assert (report.verdict, report.count(FAIL), report.count(PASS)) == (Verdict.INELIGIBLE, 1, 0)
