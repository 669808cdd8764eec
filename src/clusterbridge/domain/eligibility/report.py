"""The eligibility report: what each rule's condition found, the findings, and the verdict.

A report is built for every consortium-call check, and most are never shown (the benchmark,
``--all-calls`` keeping one strand per call, a consortium builder trying many pairs). So it keeps
the conditions' ``Outcome`` objects, decides the verdict from their statuses at once, and builds
its ``Finding`` objects, with their sentences, only when they are read (ADR 0007).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from clusterbridge.domain.calls import Call, RuleSpec, Source
from clusterbridge.domain.consortium import Application, Partner
from clusterbridge.domain.eligibility.index import bits
from clusterbridge.domain.eligibility.outcome import Names, Outcome, Text, joined
from clusterbridge.domain.enums import FAIL, PASS, UNKNOWN, CallStatus, RuleStatus, Verdict

# Bound once: member access costs a descriptor call on Python 3.11 (see enums.py).
ELIGIBLE, INELIGIBLE, INCOMPLETE = Verdict.ELIGIBLE, Verdict.INELIGIBLE, Verdict.INCOMPLETE


class Finding:
    """The outcome of one rule: status, reason, partners concerned and the clause it encodes.

    ``blocking`` is true for rules whose failure makes the consortium ineligible; a rule that can
    only warn never blocks, not even when its data is missing.

    ``message`` may be given deferred (see ``deferred.py``): it is built on first access and
    kept. Equality, hashing, ``repr`` and pickling use the built message, so a finding behaves
    as the immutable record (formerly a NamedTuple) it is. Treat it as immutable.
    """

    __slots__ = ("_message", "blocking", "partners", "rule", "source", "status", "title")

    rule: str
    title: str
    status: RuleStatus
    source: Source
    partners: tuple[str, ...]
    blocking: bool

    def __init__(  # noqa: PLR0917 -- positional, as when it was a NamedTuple
        self,
        rule: str,
        title: str,
        status: RuleStatus,
        message: Text,
        source: Source,
        partners: tuple[str, ...],
        blocking: bool,
    ) -> None:
        self.rule = rule
        self.title = title
        self.status = status
        self._message = message
        self.source = source
        self.partners = partners
        self.blocking = blocking

    @property
    def message(self) -> str:
        """Why the rule has its status, in a sentence or a few (built on first access)."""
        message = self._message
        if not isinstance(message, str):
            message = self._message = message()
        return message

    def _values(self) -> tuple[str, str, RuleStatus, str, Source, tuple[str, ...], bool]:
        return (
            self.rule,
            self.title,
            self.status,
            self.message,
            self.source,
            self.partners,
            self.blocking,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        names = ("rule", "title", "status", "message", "source", "partners", "blocking")
        fields = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._values(), strict=True))
        return f"Finding({fields})"

    def __reduce__(self) -> tuple[type["Finding"], tuple[object, ...]]:
        return Finding, self._values()


def rule_status(rule: RuleSpec, outcome: Outcome) -> RuleStatus:
    """The status of ``rule`` given its condition's ``outcome``: a failure of a warning-only rule
    is a warning."""
    status = outcome.status
    return rule.on_fail if status is FAIL else status


def to_finding(rule: RuleSpec, outcome: Outcome, partners: tuple[Partner, ...]) -> Finding:
    """The finding of ``rule`` given its condition's ``outcome`` for a consortium of
    ``partners``: advice joins a non-pass, a mask of partners becomes their names."""
    status, message, named = outcome
    if status is FAIL:
        status = rule.on_fail
    if rule.advice and status is not PASS:
        message = joined(message, rule.advice)
    names = _names(named, partners) if named else ()
    return Finding(rule.id, rule.title, status, message, rule.source, names, rule.on_fail is FAIL)


def _names(named: Names, partners: tuple[Partner, ...]) -> tuple[str, ...]:
    if isinstance(named, int):
        return tuple([partners[bit].name for bit in bits(named)])
    return named


class EligibilityReport:
    """Everything a checklist shows: the call, the application, each finding and the verdict.

    ``outcomes`` holds what the condition of each of the call's rules found, in the call's order.
    The verdict is decided when the report is made; ``findings`` are built on first access and
    kept. The call's status is derived from ``checked_at`` on demand. Treat it as immutable.
    """

    __slots__ = (
        "_findings",
        "_statuses",
        "application",
        "call",
        "checked_at",
        "outcomes",
        "verdict",
    )

    call: Call
    application: Application
    outcomes: tuple[Outcome, ...]
    verdict: Verdict
    checked_at: datetime

    def __init__(
        self,
        call: Call,
        application: Application,
        outcomes: tuple[Outcome, ...],
        checked_at: datetime,
    ) -> None:
        self.call = call
        self.application = application
        self.outcomes = outcomes
        self.checked_at = checked_at
        self.verdict = _verdict(call.rules, outcomes)
        self._findings: tuple[Finding, ...] | None = None
        self._statuses: tuple[RuleStatus, ...] | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        """One finding per rule of the call, in the call's order."""
        findings = self._findings
        if findings is None:
            partners = self.application.consortium.partners
            findings = self._findings = tuple(
                to_finding(rule, outcome, partners)
                for rule, outcome in zip(self.call.rules, self.outcomes, strict=True)
            )
        return findings

    @property
    def statuses(self) -> tuple[RuleStatus, ...]:
        """Each finding's status, in the call's order, without building the findings."""
        statuses = self._statuses
        if statuses is None:
            statuses = self._statuses = tuple(map(rule_status, self.call.rules, self.outcomes))
        return statuses

    def count(self, status: RuleStatus) -> int:
        """How many findings have ``status``."""
        return self.statuses.count(status)

    @property
    def call_status(self) -> CallStatus:
        """Whether the call was open when the check ran."""
        return self.call.status(self.checked_at)[0]

    @property
    def time_left(self) -> timedelta | None:
        """The time from the check to the deadline (negative once closed), if there is one."""
        return self.call.status(self.checked_at)[1]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EligibilityReport):
            return NotImplemented
        return (self.call, self.application, self.findings, self.verdict, self.checked_at) == (
            other.call,
            other.application,
            other.findings,
            other.verdict,
            other.checked_at,
        )

    __hash__ = None  # type: ignore[assignment]  # like the NamedTuple it was: a Call is unhashable

    def __repr__(self) -> str:
        return (
            f"EligibilityReport(call={self.call.id!r}, verdict={self.verdict.value!r}, "
            f"findings={self.findings!r}, checked_at={self.checked_at!r})"
        )


def _verdict(rules: tuple[RuleSpec, ...], outcomes: tuple[Outcome, ...]) -> Verdict:
    # decide_verdict over the outcomes, without building findings. A blocking rule's status is
    # its outcome's status (on_fail = "fail" keeps a failure a failure).
    unknown = False
    for rule, outcome in zip(rules, outcomes, strict=True):
        if rule.on_fail is FAIL:
            status = outcome.status
            if status is FAIL:
                return INELIGIBLE
            unknown = unknown or status is UNKNOWN
    return INCOMPLETE if unknown else ELIGIBLE


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
