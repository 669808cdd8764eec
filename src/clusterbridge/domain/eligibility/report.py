"""The eligibility report: one finding per rule, and the verdict."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from clusterbridge.domain.calls import Call, Source
from clusterbridge.domain.consortium import Application
from clusterbridge.domain.enums import CallStatus, RuleStatus, Verdict


@dataclass(frozen=True, slots=True)
class Finding:
    """The outcome of one rule: status, reason, partners concerned and the clause it encodes.

    ``blocking`` is true for rules whose failure makes the consortium ineligible; a rule that can
    only warn never blocks, not even when its data is missing.
    """

    rule: str
    title: str
    status: RuleStatus
    message: str
    source: Source
    citation: str
    partners: tuple[str, ...]
    blocking: bool


@dataclass(frozen=True, slots=True)
class EligibilityReport:
    """Everything a checklist shows: the call, the application, each finding and the verdict."""

    call: Call
    application: Application
    findings: tuple[Finding, ...]
    verdict: Verdict
    checked_at: datetime
    call_status: CallStatus
    time_left: timedelta | None

    def count(self, status: RuleStatus) -> int:
        """How many findings have ``status``."""
        return Counter(f.status for f in self.findings)[status]


def decide_verdict(findings: tuple[Finding, ...]) -> Verdict:
    """``ineligible`` if a blocking rule fails, ``incomplete`` if one is unknown, else ``eligible``."""
    statuses = {f.status for f in findings if f.blocking}
    if RuleStatus.FAIL in statuses:
        return Verdict.INELIGIBLE
    if RuleStatus.UNKNOWN in statuses:
        return Verdict.INCOMPLETE
    return Verdict.ELIGIBLE


@dataclass(frozen=True, slots=True)
class CallCheck:
    """The best report of a consortium for one call, and every strand reaching that verdict."""

    report: EligibilityReport
    strands: tuple[str, ...]
