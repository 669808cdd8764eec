"""What a candidate adds to a consortium's eligibility for a call, rule by rule.

The consortium is checked with and without the candidate by the eligibility engine itself; a
rule whose status improves (fail → unknown or pass, unknown → pass) is a reason, put in words
from the candidate's own data (its region, its country, its type).
"""

from dataclasses import replace
from datetime import datetime

from clusterbridge.domain.calls import Call, RuleSpec
from clusterbridge.domain.consortium import Application, Partner
from clusterbridge.domain.eligibility.evaluate import evaluate
from clusterbridge.domain.eligibility.report import EligibilityReport
from clusterbridge.domain.enums import RuleStatus
from clusterbridge.domain.geography import place_partner
from clusterbridge.reference import UnknownRegionError, lookup_region

#: Rules judged partner by partner: a new partner never makes them pass for the others, so an
#: improvement there only says the newcomer's role is known.
PER_PARTNER_CONDITIONS = frozenset({"legal_entity", "country_eligible", "applicant_type"})
#: Better statuses rank higher.
_RANK = {RuleStatus.FAIL: 0, RuleStatus.UNKNOWN: 1, RuleStatus.WARNING: 1, RuleStatus.PASS: 2}


def eligibility_gains(
    call: Call, application: Application, candidate: Partner, *, now: datetime
) -> list[str]:
    """One sentence per rule of ``call`` that ``candidate`` would improve, in rule order."""
    before = evaluate(call, application, now=now)
    return gains_against(before, candidate, now=now)


def gains_against(before: EligibilityReport, candidate: Partner, *, now: datetime) -> list[str]:
    """Like ``eligibility_gains``, against an existing report of the consortium."""
    application = before.application
    grown = replace(
        application,
        consortium=replace(
            application.consortium, partners=(*application.consortium.partners, candidate)
        ),
    )
    after = evaluate(before.call, grown, now=now)
    gains = []
    for rule, old, new in zip(before.call.rules, before.statuses, after.statuses, strict=True):
        if _RANK[new] > _RANK[old] and _telling(rule):
            gains.append(f"{before.call.id}: {describe_gain(rule, candidate)} ({old} → {new})")
    return gains


def _telling(rule: RuleSpec) -> bool:
    """Whether an improvement of ``rule`` says something about the candidate: not for rules
    judged per partner, nor for head counts that any partner would raise."""
    if rule.condition in PER_PARTNER_CONDITIONS:
        return False
    if rule.condition == "min_partners":
        among = getattr(rule.params, "among", None)
        return among is not None and any(
            getattr(among, name) is not None
            for name in ("types", "sme_profiles", "legal_entity", "eccp_registered")
        )
    return True


def describe_gain(rule: RuleSpec, candidate: Partner) -> str:
    """What about ``candidate`` helps ``rule``, in words from its data."""
    params = rule.params
    if rule.condition == "min_partners_in_region":
        period = getattr(params, "period")  # noqa: B009 -- the condition's own params model
        categories = getattr(params, "categories")  # noqa: B009
        answer = place_partner(candidate.country, candidate.nuts, period)
        words = " or ".join(c.value.replace("_", " ") for c in categories)
        where = (
            region_label(answer.nuts2_code) if answer and answer.nuts2_code else candidate.country
        )
        return f"located in a {words} region ({period.value}): {where}"
    if rule.condition == "min_distinct_countries":
        return f"{rule.title}: adds {candidate.country}"
    return rule.title


def region_label(code: str) -> str:
    """``PL82 Podkarpackie``, or the code alone when it is not a NUTS code."""
    try:
        return f"{code} {lookup_region(code).name}"
    except UnknownRegionError:
        return code
