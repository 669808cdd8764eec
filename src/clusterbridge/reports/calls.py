"""Calls as JSON-ready dictionaries and as text."""

import textwrap
from collections.abc import Sequence
from datetime import datetime

from clusterbridge.domain.calls import Call, Strand
from clusterbridge.domain.eligibility.conditions import get_condition
from clusterbridge.domain.geography import resolve_country_scope
from clusterbridge.domain.money import format_euros
from clusterbridge.reports.serialise import JSON, call_summary, source_to_dict
from clusterbridge.reports.text import describe_deadline

FACTS: tuple[tuple[str, str], ...] = (
    ("budget_eur", "Budget"),
    ("expected_projects", "Expected projects"),
    ("grant_min_eur", "Grant from"),
    ("grant_max_eur", "Grant up to"),
    ("duration_min_months", "Duration at least (months)"),
    ("duration_max_months", "Duration at most (months)"),
    ("duration_indicative_months", "Duration envisioned (months)"),
)


def call_to_dict(call: Call, *, now: datetime, with_rules: bool) -> JSON:
    """A call's identity, status, facts and strands, and its rules when ``with_rules``."""
    data = call_summary(call, now=now)
    data |= {name: getattr(call, name) for name, _ in FACTS}
    data |= {
        "summary": call.summary,
        "strands": [
            {
                "id": s.id,
                "title": s.title,
                "description": s.description,
                "min_projects": s.min_projects,
            }
            for s in call.strands
        ],
        "priorities": list(call.priorities),
        "funded_activities": list(call.funded_activities),
        "eligible_countries": list(call.eligible_countries),
        "applicant_types": list(call.applicant_types),
        "documents": dict(call.documents),
        "url": call.url,
        "fact_sources": {k: source_to_dict(v, call) for k, v in call.fact_sources.items()},
    }
    if with_rules:
        data["rules"] = [
            {
                "id": rule.id,
                "title": rule.title,
                "condition": rule.condition,
                "description": get_condition(rule.condition).description,
                "params": rule.params.model_dump(mode="json", exclude_defaults=True),
                "on_fail": rule.on_fail.value,
                "advice": rule.advice,
                "source": source_to_dict(rule.source, call),
            }
            for rule in call.rules
        ]
    return data


def render_calls_table(calls: Sequence[Call], *, now: datetime) -> str:
    """One line per call: id, status, deadline (local time in the call's time zone; ``-``
    when the call states none) and title."""
    width = max(len(c.id) for c in calls)
    deadlines = [_local_deadline(call) for call in calls]
    when_width = max(len(when) for when in deadlines)
    lines = []
    for call, when in zip(calls, deadlines, strict=True):
        status = call.status(now)[0].value.replace("_", " ")
        lines.append(f"{call.id:<{width}}  {status:<11}  {when:<{when_width}}  {call.title}")
    return "\n".join(lines)


def _local_deadline(call: Call) -> str:
    """``2025-02-05 17:00 Europe/Brussels``: the deadline as the call states it."""
    if call.deadline is None:
        return "-"
    zone = getattr(call.deadline.tzinfo, "key", None) or call.deadline.strftime("%Z")
    return f"{call.deadline:%Y-%m-%d %H:%M} {zone}"


def render_call_text(call: Call, *, now: datetime) -> str:
    """A call in full: facts, strands, priorities, activities and every rule with its source."""
    out = [call.title, f"{call.id} · {call.programme}", "", *_wrap(call.summary, ""), ""]
    out.append(f"Deadline: {describe_deadline(call, now)}")
    for name, label in FACTS:
        value = getattr(call, name)
        if value is not None:
            out.append(f"{label}: {format_euros(value) if name.endswith('_eur') else value}")
    if call.url:
        out.append(f"Call page: {call.url}")
    if call.eligible_countries:
        out.append(f"Eligible countries: {'; '.join(map(_country_entry, call.eligible_countries))}")
    out += _section("Applicant types", call.applicant_types)
    out += _section("Strands", [_strand_line(s) for s in call.strands])
    out += _section("Priorities", call.priorities)
    out += _section("Funded activities", call.funded_activities)
    out += ["", "Rules:"]
    for rule in call.rules:
        kind = " (warning only)" if rule.on_fail.value == "warning" else ""
        out.append(f"  {rule.id}: {rule.title}{kind}")
        out += _wrap(f"Source: {rule.source.cite(call.documents)}", "      ")
    return "\n".join(out) + "\n"


def _country_entry(entry: str) -> str:
    """An eligible-country entry in words, as the call's page says it: a set
    (``eu_member_states``) by its title, a code (``UK``) by the country's name."""
    try:
        return resolve_country_scope((entry,)).title
    except ValueError:
        return entry


def _strand_line(strand: Strand) -> str:
    count = strand.min_projects
    quota = f" (at least {count} project{'' if count == 1 else 's'})" if count else ""
    return f"{strand.id}: {strand.title}{quota}"


def _section(title: str, items: Sequence[str]) -> list[str]:
    if not items:
        return []
    lines = ["", f"{title}:"]
    for item in items:
        lines += _wrap(item, "  - ", "    ")
    return lines


def _wrap(text: str, first: str, rest: str | None = None) -> list[str]:
    return textwrap.wrap(
        text, 100, initial_indent=first, subsequent_indent=first if rest is None else rest
    )
