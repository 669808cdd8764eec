"""Eligibility reports as plain JSON-ready dictionaries (the stable machine-readable format)."""

from datetime import datetime, timedelta
from typing import Any

from clusterbridge.domain.calls import Call, Source
from clusterbridge.domain.consortium import Partner
from clusterbridge.domain.eligibility.report import EligibilityReport, Finding
from clusterbridge.domain.enums import RuleStatus

JSON = dict[str, Any]


def report_to_dict(report: EligibilityReport) -> JSON:
    """The report: call, strand, verdict, counts, consortium and one entry per finding."""
    application = report.application
    return {
        "call": call_summary(report.call, now=report.checked_at),
        "strand": application.strand,
        "duration_months": application.duration_months,
        "requested_grant_eur": application.requested_grant_eur,
        "verdict": report.verdict.value,
        "counts": {status.value: report.count(status) for status in RuleStatus},
        "checked_at": report.checked_at.isoformat(timespec="seconds"),
        "consortium": {
            "name": application.consortium.name,
            "partners": [partner_to_dict(p) for p in application.consortium.partners],
        },
        "findings": [finding_to_dict(f, report.call) for f in report.findings],
    }


def call_summary(call: Call, *, now: datetime) -> JSON:
    """The identity and status of a call."""
    status, left = call.status(now)
    return {
        "id": call.id,
        "title": call.title,
        "programme": call.programme,
        "deadline": call.deadline.isoformat() if call.deadline else None,
        "status": status.value,
        "time_left": describe_time_left(left),
    }


def finding_to_dict(finding: Finding, call: Call) -> JSON:
    """One finding with its full source."""
    return {
        "rule": finding.rule,
        "title": finding.title,
        "status": finding.status.value,
        "message": finding.message,
        "blocking": finding.blocking,
        "partners": list(finding.partners),
        "source": source_to_dict(finding.source, call),
    }


def source_to_dict(source: Source, call: Call) -> JSON:
    """A citation: the document id and title, the section and the quoted words."""
    return {
        "document": source.document,
        "document_title": call.document_title(source.document),
        "section": source.section,
        "quote": source.quote,
    }


def partner_to_dict(partner: Partner) -> JSON:
    """A partner with every known field (unknown ones as null)."""
    return {
        "name": partner.name,
        "country": partner.country,
        "nuts": partner.nuts,
        "type": partner.type.value if partner.type else None,
        "sme_profile": partner.sme_profile.value if partner.sme_profile else None,
        "legal_entity": partner.legal_entity,
        "eccp_registered": partner.eccp_registered,
        "role": partner.role.value if partner.role else None,
        "pic": partner.pic,
    }


def describe_time_left(left: timedelta | None) -> str | None:
    """``"12 days 4 hours left"``, ``"10 minutes left"``, ``"closed 3 days ago"``, or None
    without a deadline; a part that is zero is left out."""
    if left is None:
        return None
    seconds = abs(int(left.total_seconds()))
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes = rest // 60
    # Only the parts that say something: "10 minutes", not "0 hours 10 minutes".
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (minutes, "minute")]
    said = [f"{count} {unit}{'s' * (count != 1)}" for count, unit in parts if count]
    span = " ".join(said) or "less than a minute"
    return f"{span} left" if left.total_seconds() > 0 else f"closed {span} ago"
