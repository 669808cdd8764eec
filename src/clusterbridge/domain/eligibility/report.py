"""The eligibility report: one finding per rule, and the verdict."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from clusterbridge.domain.calls import Call, Source
from clusterbridge.domain.consortium import Application
from clusterbridge.domain.enums import FAIL, UNKNOWN, CallStatus, RuleStatus, Verdict


class Finding(NamedTuple):
    """The outcome of one rule: status, reason, partners concerned and the clause it encodes.

    A NamedTuple: one is built per rule per check, on the hot path. ``blocking`` is true for rules whose failure makes the consortium ineligible; a rule that can
    only warn never blocks, not even when its data is missing.
    """

    rule: str
    title: str
    status: RuleStatus
    message: str
    source: Source
    partners: tuple[str, ...]
    blocking: bool


class EligibilityReport(NamedTuple):
    """Everything a checklist shows: the call, the application, each finding and the verdict.

    A NamedTuple, immutable and cheap to build: one is made per consortium-call check. The
    call's status is derived from ``checked_at`` on demand.
    """

    call: Call
    application: Application
    findings: tuple[Finding, ...]
    verdict: Verdict
    checked_at: datetime

    def count(self, status: RuleStatus) -> int:
        """How many findings have ``status``."""
        return sum(1 for f in self.findings if f.status is status)

    @property
    def call_status(self) -> CallStatus:
        """Whether the call was open when the check ran."""
        return self.call.status(self.checked_at)[0]

    @property
    def time_left(self) -> timedelta | None:
        """The time from the check to the deadline (negative once closed), if there is one."""
        return self.call.status(self.checked_at)[1]


def decide_verdict(findings: tuple[Finding, ...]) -> Verdict:
    """``ineligible`` if a blocking rule fails, ``incomplete`` if one is unknown, else ``eligible``."""
    unknown = False
    for finding in findings:
        if finding.blocking:
            if finding.status is FAIL:
                return Verdict.INELIGIBLE
            unknown = unknown or finding.status is UNKNOWN
    return Verdict.INCOMPLETE if unknown else Verdict.ELIGIBLE


@dataclass(frozen=True, slots=True)
class CallCheck:
    """The best report of a consortium for one call, and every strand reaching that verdict."""

    report: EligibilityReport
    strands: tuple[str, ...]
