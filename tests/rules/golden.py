"""Helpers of the golden tests: change one fact of an eligible application, compare the findings."""

from dataclasses import replace

from clusterbridge.domain.consortium import Application, Partner
from clusterbridge.domain.eligibility.report import EligibilityReport
from clusterbridge.domain.enums import RuleStatus, Verdict

#: What a finding decided: its status and the partners it names.
Decision = tuple[RuleStatus, tuple[str, ...]]


def decisions(report: EligibilityReport) -> dict[str, Decision]:
    """Each rule's status and named partners, by rule id."""
    return {f.rule: (f.status, f.partners) for f in report.findings}


def changed(base: EligibilityReport, report: EligibilityReport) -> dict[str, Decision]:
    """The findings of ``report`` whose status or partners differ from ``base``."""
    before = decisions(base)
    return {rule: now for rule, now in decisions(report).items() if before[rule] != now}


def with_partner(application: Application, name: str, **changes: object) -> Application:
    """``application`` with the partner called ``name`` changed (any ``Partner`` field)."""
    partners = tuple(
        replace(p, **changes) if p.name == name else p for p in application.consortium.partners
    )
    assert partners != application.consortium.partners, f"no change to {name!r}"
    return replace(application, consortium=replace(application.consortium, partners=partners))


def with_extra(application: Application, partner: Partner) -> Application:
    """``application`` with ``partner`` added last."""
    partners = (*application.consortium.partners, partner)
    return replace(application, consortium=replace(application.consortium, partners=partners))


def assert_changes(
    base: EligibilityReport,
    report: EligibilityReport,
    expected: dict[str, Decision],
    verdict: Verdict,
) -> None:
    """Exactly the findings in ``expected`` moved from ``base``, and the verdict is ``verdict``."""
    assert changed(base, report) == expected
    assert report.verdict == verdict
