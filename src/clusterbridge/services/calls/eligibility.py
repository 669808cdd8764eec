"""Use cases of the eligibility checker: one call, or every call ranked."""

from dataclasses import replace
from datetime import datetime

from clusterbridge.domain.calls import Call
from clusterbridge.domain.consortium import Application, Consortium
from clusterbridge.domain.eligibility.evaluate import evaluate, index_consortium
from clusterbridge.domain.eligibility.index import PartnerIndex
from clusterbridge.domain.eligibility.report import CallCheck, EligibilityReport
from clusterbridge.domain.enums import VERDICT_ORDER, CallStatus, RuleStatus
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.calls.catalogue import Catalogue


def check_application(
    catalogue: Catalogue,
    call_id: str,
    consortium: Consortium,
    *,
    now: datetime,
    strand: str | None = None,
    duration_months: int | None = None,
    requested_grant_eur: int | None = None,
) -> EligibilityReport:
    """Check a consortium against one call.

    Raises UnknownCallError for an unknown call and InvalidInputError for a strand the call does
    not have or impossible numbers; missing values are passed on as unknown, never defaulted.
    """
    call = catalogue.get(call_id)
    _validate_request(call, strand, duration_months, requested_grant_eur)
    application = Application(consortium, strand, duration_months, requested_grant_eur)
    return evaluate(call, application, now=now)


def check_all_calls(
    catalogue: Catalogue,
    consortium: Consortium,
    *,
    now: datetime,
    duration_months: int | None = None,
    requested_grant_eur: int | None = None,
) -> list[CallCheck]:
    """Check a consortium against every call, best verdict first; at equal verdicts, calls
    still open (or without a deadline) before closed ones, then fewer failures and unknowns.

    A call with strands is checked for each strand; its entry keeps the best report and lists
    the strands that reach that verdict.
    """
    _validate_request(None, None, duration_months, requested_grant_eur)
    index = index_consortium(consortium)
    checks = [
        _best_strand(
            call, index, Application(consortium, None, duration_months, requested_grant_eur), now
        )
        for call in catalogue.calls
    ]
    return sorted(checks, key=_rank)


def _best_strand(
    call: Call, index: PartnerIndex, template: Application, now: datetime
) -> CallCheck:
    strands: list[str | None] = [s.id for s in call.strands] or [None]
    reports = [
        evaluate(call, replace(template, strand=strand), now=now, index=index) for strand in strands
    ]
    best = min(reports, key=lambda r: _rank(CallCheck(r, ())))
    same = tuple(
        r.application.strand
        for r in reports
        if r.application.strand is not None and r.verdict is best.verdict
    )
    return CallCheck(best, same)


def _rank(check: CallCheck) -> tuple[int, int, int, int, int, str]:
    report = check.report
    return (
        VERDICT_ORDER.index(report.verdict),
        report.call_status is CallStatus.CLOSED,
        report.count(RuleStatus.FAIL),
        report.count(RuleStatus.UNKNOWN),
        report.count(RuleStatus.WARNING),
        report.call.id,
    )


def _validate_request(
    call: Call | None, strand: str | None, duration: int | None, grant: int | None
) -> None:
    issues = []
    if call is not None and strand is not None and call.strand(strand) is None:
        choices = ", ".join(s.id for s in call.strands) or "none (this call has no strands)"
        issues.append(
            InputIssue(
                "", "--strand", f'"{strand}" is not a strand of {call.id}; strands: {choices}'
            )
        )
    if duration is not None and duration <= 0:
        issues.append(
            InputIssue(
                "", "--duration-months", f"must be a positive number of months, not {duration}"
            )
        )
    if grant is not None and grant <= 0:
        issues.append(
            InputIssue("", "--requested-grant", f"must be a positive amount in euros, not {grant}")
        )
    if issues:
        raise InvalidInputError("The check cannot run", issues)
