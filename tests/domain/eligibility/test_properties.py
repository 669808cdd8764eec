"""Properties of the eligibility engine over random consortia, checked with Hypothesis.

Partners come from a mix of Member States, EEA, COSME and SMP countries, the United Kingdom and
third countries, with no NUTS code or a real code of their country, and any type, role, SME
profile and flags, each possibly unknown (None). Rules are those of the four shipped calls.
"""

import random
from dataclasses import fields, replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterbridge.domain.calls import Call, RuleSpec
from clusterbridge.domain.consortium import Application, Consortium, Partner
from clusterbridge.domain.eligibility.evaluate import evaluate
from clusterbridge.domain.eligibility.filters import PartnerFilter
from clusterbridge.domain.eligibility.report import EligibilityReport
from clusterbridge.domain.enums import OrgType, Role, RuleStatus, SmeProfile, Verdict
from clusterbridge.services.calls.catalogue import load_catalogue

pytestmark = pytest.mark.unit

NOW = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
CALLS = load_catalogue().calls
#: Real NUTS codes per country (any version, levels 0-3); an empty list means "no code given".
NUTS_BY_COUNTRY: dict[str, list[str]] = {
    "DE": ["DE212", "DE40", "DE41", "DE"],
    "PL": ["PL823", "PL82", "PL911", "PL12", "PL71"],
    "ES": ["ES511", "ES61", "ES42"],
    "FR": ["FR10", "FRY1", "FR83"],
    "IT": ["ITF6", "ITC4", "ITG1"],
    "EL": ["EL30"],
    "LV": ["LV00"],
    "EE": ["EE00"],
    "LU": ["LU00"],
    "MT": ["MT00"],
    "RO": ["RO11"],
    "BG": ["BG31"],
    "HR": ["HR03"],
    "AT": ["AT13"],
    "NO": ["NO08", "NO0A"],
    "IS": ["IS00"],
    "LI": ["LI00"],
    "AL": ["AL01"],
    "RS": ["RS11"],
    "TR": ["TR10"],
    "UA": [],
    "MD": [],
    "XK": [],
    "UK": ["UKL1", "UKE1", "UKI3"],
    "CH": ["CH01"],
    "NC": [],
    "US": [],
    "CN": [],
}
MINIMUM_CONDITIONS = frozenset({"min_partners", "min_distinct_countries", "min_partners_in_region"})
MIN_RULES: list[tuple[Call, RuleSpec]] = [
    (call, rule) for call in CALLS for rule in call.rules if rule.condition in MINIMUM_CONDITIONS
]
ALL_RULES: list[tuple[Call, RuleSpec]] = [(call, rule) for call in CALLS for rule in call.rules]
#: Worse to better; a warning is how a warning-only rule fails.
RANK = {RuleStatus.FAIL: 0, RuleStatus.WARNING: 0, RuleStatus.UNKNOWN: 1, RuleStatus.PASS: 2}
DECIDED = frozenset({RuleStatus.PASS, RuleStatus.FAIL})
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


def maybe(values: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """A value of ``values`` or None (not known)."""
    return st.none() | values


# Strategies are built once: building them per draw costs more than the checks they feed.
COUNTRIES = st.sampled_from(sorted(NUTS_BY_COUNTRY))
NUTS = {
    country: maybe(st.sampled_from(codes)) if codes else st.none()
    for country, codes in NUTS_BY_COUNTRY.items()
}
ORG_TYPES = maybe(st.sampled_from(tuple(OrgType)))
SME_PROFILES = maybe(st.sampled_from(tuple(SmeProfile)))
ROLES = maybe(st.sampled_from(tuple(Role)))
FLAGS = maybe(st.booleans())
STRANDS = {call.id: maybe(st.sampled_from([s.id for s in call.strands] + ["x"])) for call in CALLS}
DURATIONS = maybe(st.integers(min_value=1, max_value=48))
GRANTS = maybe(st.integers(min_value=0, max_value=5_000_000))


@st.composite
def partners(draw: st.DrawFn, country: str | None = None) -> Partner:
    """A partner called P (in ``country`` if given) with any known or unknown facts."""
    country = country or draw(COUNTRIES)
    return Partner(
        name="P",
        country=country,
        nuts=draw(NUTS[country]),
        type=draw(ORG_TYPES),  # type: ignore[arg-type]
        sme_profile=draw(SME_PROFILES),  # type: ignore[arg-type]
        legal_entity=draw(FLAGS),  # type: ignore[arg-type]
        eccp_registered=draw(FLAGS),  # type: ignore[arg-type]
        role=draw(ROLES),  # type: ignore[arg-type]
    )


ANY_PARTNER = partners()
PARTNERS_IN = {country: partners(country) for country in NUTS_BY_COUNTRY}


@st.composite
def consortia(draw: st.DrawFn) -> tuple[Partner, ...]:
    """Up to seven partners named P0, P1... (names are unique)."""
    drawn = draw(st.lists(ANY_PARTNER, max_size=7))
    return tuple(replace(p, name=f"P{i}") for i, p in enumerate(drawn))


CONSORTIA = consortia()


@st.composite
def applications(draw: st.DrawFn, call: Call) -> Application:
    """A consortium applying to ``call`` with any (or no) strand, duration and grant."""
    return Application(
        consortium=Consortium(draw(CONSORTIA)),
        strand=draw(STRANDS[call.id]),  # type: ignore[arg-type]
        duration_months=draw(DURATIONS),  # type: ignore[arg-type]
        requested_grant_eur=draw(GRANTS),  # type: ignore[arg-type]
    )


@st.composite
def satisfying(draw: st.DrawFn, among: PartnerFilter) -> Partner:
    """A partner that certainly passes ``among``: every field the filter asks for is known."""
    partner = draw(ANY_PARTNER)
    return replace(
        partner,
        name="Newcomer",
        role=draw(st.sampled_from(among.roles)),
        type=draw(st.sampled_from(among.types or tuple(OrgType))),
        sme_profile=draw(st.sampled_from(among.sme_profiles or tuple(SmeProfile))),
        legal_entity=among.legal_entity if among.legal_entity is not None else partner.legal_entity,
        eccp_registered=(
            among.eccp_registered if among.eccp_registered is not None else partner.eccp_registered
        ),
    )


@st.composite
def filled(draw: st.DrawFn, application: Application) -> Application:
    """``application`` with some of its unknown values (None) replaced by any value."""
    chosen = []
    for partner in application.consortium.partners:
        known = draw(PARTNERS_IN[partner.country])
        changes = {
            f.name: getattr(known, f.name)
            for f in fields(Partner)
            if f.name != "name" and getattr(partner, f.name) is None and draw(st.booleans())
        }
        chosen.append(replace(partner, **changes))
    return replace(application, consortium=Consortium(tuple(chosen)))


def _one_rule(call: Call, rule: RuleSpec) -> Call:
    return replace(call, rules=(rule,))


def _status(call: Call, rule: RuleSpec, application: Application) -> RuleStatus:
    return evaluate(_one_rule(call, rule), application, now=NOW).findings[0].status


def _decisions(report: EligibilityReport) -> list[tuple[str, RuleStatus, tuple[str, ...]]]:
    return [(f.rule, f.status, tuple(sorted(f.partners))) for f in report.findings]


@PROPERTY_SETTINGS
@given(data=st.data(), chosen=st.sampled_from(MIN_RULES), members=CONSORTIA)
def test_property_min_rule_adding_satisfying_partner_never_worsens(
    data: st.DataObject, chosen: tuple[Call, RuleSpec], members: tuple[Partner, ...]
) -> None:
    """A partner that certainly passes a minimum rule's filter never turns pass into fail or
    unknown, nor unknown into fail: the status can only improve."""
    call, rule = chosen
    newcomer = data.draw(satisfying(rule.params.among))  # type: ignore[attr-defined]
    before = _status(call, rule, Application(Consortium(members)))

    after = _status(call, rule, Application(Consortium((*members, newcomer))))

    assert RANK[after] >= RANK[before]


@PROPERTY_SETTINGS
@given(data=st.data(), chosen=st.sampled_from(ALL_RULES))
def test_property_filling_unknown_values_keeps_decided_pass_or_fail(
    data: st.DataObject, chosen: tuple[Call, RuleSpec]
) -> None:
    """Replacing unknown values by known ones can only decide an unknown: a pass or a fail, once
    decided on the data given, stays as it is."""
    call, rule = chosen
    application = data.draw(applications(call))
    completed = replace(
        data.draw(filled(application)),
        strand=application.strand or data.draw(STRANDS[call.id]),  # type: ignore[arg-type]
        duration_months=application.duration_months or data.draw(DURATIONS),  # type: ignore[arg-type]
        requested_grant_eur=application.requested_grant_eur or data.draw(GRANTS),  # type: ignore[arg-type]
    )
    before = _status(call, rule, application)

    after = _status(call, rule, completed)

    if before in DECIDED:
        assert after == before


@PROPERTY_SETTINGS
@given(data=st.data(), call=st.sampled_from(CALLS))
def test_property_verdict_follows_blocking_findings(data: st.DataObject, call: Call) -> None:
    """Ineligible iff a blocking rule fails; else incomplete iff a blocking rule is unknown."""
    application = data.draw(applications(call))

    report = evaluate(call, application, now=NOW)

    blocking = {f.status for f in report.findings if f.blocking}
    assert (report.verdict == Verdict.INELIGIBLE) == (RuleStatus.FAIL in blocking)
    if RuleStatus.FAIL not in blocking:
        expected = Verdict.INCOMPLETE if RuleStatus.UNKNOWN in blocking else Verdict.ELIGIBLE
        assert report.verdict == expected


@PROPERTY_SETTINGS
@given(data=st.data(), call=st.sampled_from(CALLS), seed=st.integers(0, 2**32 - 1))
def test_property_evaluation_deterministic_and_order_free(
    data: st.DataObject, call: Call, seed: int
) -> None:
    """The same application gives the same report; shuffling the partners changes no status and
    no set of partners named."""
    application = data.draw(applications(call))
    shuffled_partners = list(application.consortium.partners)
    random.Random(seed).shuffle(shuffled_partners)
    shuffled = replace(application, consortium=Consortium(tuple(shuffled_partners)))

    first, again = evaluate(call, application, now=NOW), evaluate(call, application, now=NOW)
    other = evaluate(call, shuffled, now=NOW)

    assert first.findings == again.findings
    assert _decisions(other) == _decisions(first)
    assert other.verdict == first.verdict


@PROPERTY_SETTINGS
@given(data=st.data(), call=st.sampled_from(CALLS))
def test_property_one_finding_per_rule_citing_listed_document(
    data: st.DataObject, call: Call
) -> None:
    """One finding per rule, in the call's order, each citing a document of the call."""
    application = data.draw(applications(call))

    report = evaluate(call, application, now=NOW)

    assert [f.rule for f in report.findings] == [r.id for r in call.rules]
    assert all(f.source.document in call.documents for f in report.findings)
    assert all(
        f.blocking == (r.on_fail == RuleStatus.FAIL)
        for f, r in zip(report.findings, call.rules, strict=True)
    )
