"""Golden cases of cluster-excellence, taken from the COSME call summary (seed 003).

Each case starts from an eligible consortium (``make_cluster_excellence_consortium``), changes one
fact, and asserts exactly which findings change (status and partners named) and the verdict. The
region rule uses the 2014-2020 mapping of the Structural Funds.
"""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from clusterbridge.domain.consortium import Application
from clusterbridge.domain.eligibility.evaluate import evaluate
from clusterbridge.domain.enums import CallStatus, OrgType, Role, RuleStatus, Verdict
from clusterbridge.services.calls.catalogue import load_catalogue
from tests.factories.applications import make_cluster_excellence_consortium
from tests.rules.golden import Decision, assert_changes, changed, with_partner

pytestmark = pytest.mark.unit

CALL = load_catalogue().get("cluster-excellence")
NOW = datetime(2019, 1, 15, 12, 0, tzinfo=UTC)
BASE = make_cluster_excellence_consortium()
BASE_REPORT = evaluate(CALL, BASE, now=NOW)

PASS, FAIL = RuleStatus.PASS, RuleStatus.FAIL
WARNING, UNKNOWN = RuleStatus.WARNING, RuleStatus.UNKNOWN
ELIGIBLE, INELIGIBLE, INCOMPLETE = Verdict.ELIGIBLE, Verdict.INELIGIBLE, Verdict.INCOMPLETE
MUNICH, RZESZOW, BARCELONA, PARIS = (
    "Munich Cluster",
    "Rzeszow Network",
    "Barcelona Cluster",
    "Paris Cluster",
)


def _check(application: Application, expected: dict[str, Decision], verdict: Verdict) -> None:
    assert_changes(BASE_REPORT, evaluate(CALL, application, now=NOW), expected, verdict)


def test_cluster_excellence_base_passes_every_rule() -> None:
    """The base: cluster organisations in DE, ES, FR and a business network organisation in
    PL823 (less developed in 2014-2020), all legal entities, for 24 months."""
    report = evaluate(CALL, BASE, now=NOW)

    statuses = {f.rule: f.status for f in report.findings}

    assert statuses == {
        "legal-entity": PASS,
        "applicant-type": PASS,
        "eligible-country": PASS,
        "min-legal-entities": PASS,
        "three-countries": PASS,
        "less-developed-or-transition-region": PASS,
        "min-duration": PASS,
        "duration-over-24-justified": PASS,
    }
    assert report.verdict == ELIGIBLE


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, PARIS, legal_entity=False),
            {"legal-entity": (FAIL, (PARIS,))},
            INELIGIBLE,
            id="not-legal-entity",
        ),
        pytest.param(
            with_partner(BASE, PARIS, legal_entity=None),
            {"legal-entity": (UNKNOWN, (PARIS,))},
            INCOMPLETE,
            id="legal-entity-not-given",
        ),
    ],
)
def test_cluster_excellence_legal_entity(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “Be a legal entity;”"""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, PARIS, type=OrgType.SME),
            {"applicant-type": (FAIL, (PARIS,))},
            INELIGIBLE,
            id="sme",
        ),
        pytest.param(
            with_partner(BASE, PARIS, type=None),
            {"applicant-type": (UNKNOWN, (PARIS,))},
            INCOMPLETE,
            id="type-not-given",
        ),
        pytest.param(
            with_partner(BASE, PARIS, type=OrgType.SME, role=Role.ASSOCIATED_PARTNER),
            {},
            ELIGIBLE,
            id="associated-partner-not-concerned",
        ),
    ],
)
def test_cluster_excellence_applicant_type(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “Be: a cluster organisation or a business network organisation involved in
    supporting the enhancement of collaboration, networking and learning in innovation clusters to
    stimulate innovative activities;”"""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, PARIS, country="AL", nuts=None),
            {},
            ELIGIBLE,
            id="enlargement-country-albania",
        ),
        pytest.param(
            with_partner(BASE, PARIS, country="IS", nuts=None),
            {},
            ELIGIBLE,
            id="eea-country-iceland",
        ),
        pytest.param(
            with_partner(BASE, PARIS, country="NO", nuts=None),
            {"eligible-country": (FAIL, (PARIS,))},
            INELIGIBLE,
            id="norway-not-listed",
        ),
        pytest.param(
            with_partner(BASE, PARIS, country="US", nuts=None),
            {"eligible-country": (FAIL, (PARIS,))},
            INELIGIBLE,
            id="third-country",
        ),
    ],
)
def test_cluster_excellence_eligible_country(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “established in a minimum of three different EU Member States or countries
    participating in the COSME programme”; “Enlargement countries: Albania, Bosnia and
    Herzegovina, Kosovo, Former Yugoslav Republic of Macedonia, Montenegro, Serbia, Turkey;
    Eastern Neighbourhood countries: Armenia, Moldova, Ukraine; EEA countries: Iceland”."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, PARIS, role=Role.ASSOCIATED_PARTNER),
            {},
            ELIGIBLE,
            id="exactly-three",
        ),
        pytest.param(
            with_partner(
                with_partner(BASE, PARIS, role=Role.ASSOCIATED_PARTNER),
                BARCELONA,
                role=Role.ASSOCIATED_PARTNER,
            ),
            {
                "min-legal-entities": (FAIL, (MUNICH, RZESZOW)),
                "three-countries": (FAIL, ()),
            },
            INELIGIBLE,
            id="two",
        ),
    ],
)
def test_cluster_excellence_min_legal_entities(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “A consortium composed of at least 3 different legal entities”. Two entities
    cannot be established in three countries either, so both findings move."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(
                with_partner(BASE, BARCELONA, country="RS", nuts=None),
                PARIS,
                country="TR",
                nuts=None,
            ),
            {},
            ELIGIBLE,
            id="cosme-countries-count",
        ),
        pytest.param(
            with_partner(
                with_partner(BASE, BARCELONA, country="DE", nuts="DE212"),
                PARIS,
                country="PL",
                nuts="PL823",
            ),
            {"three-countries": (FAIL, ())},
            INELIGIBLE,
            id="two-countries",
        ),
        pytest.param(
            with_partner(
                with_partner(BASE, BARCELONA, country="DE", nuts="DE212"),
                PARIS,
                country="US",
                nuts=None,
            ),
            {"eligible-country": (FAIL, (PARIS,)), "three-countries": (FAIL, ())},
            INELIGIBLE,
            id="third-country-does-not-count",
        ),
    ],
)
def test_cluster_excellence_three_countries(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “A consortium composed of at least 3 different legal entities and established in
    a minimum of three different EU Member States or countries participating in the COSME
    programme must be established.”"""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, RZESZOW, country="ES", nuts="ES61"),
            {},
            ELIGIBLE,
            id="andalucia-transition-2014-2020",
        ),
        pytest.param(
            with_partner(BASE, RZESZOW, country="AT", nuts="AT13"),
            {"less-developed-or-transition-region": (FAIL, ())},
            INELIGIBLE,
            id="vienna-more-developed",
        ),
        pytest.param(
            with_partner(BASE, RZESZOW, country="EL", nuts="EL30"),
            {"less-developed-or-transition-region": (FAIL, ())},
            INELIGIBLE,
            id="attica-more-developed-in-2014-2020",
        ),
        pytest.param(
            with_partner(BASE, RZESZOW, country="RS", nuts="RS11"),
            {"less-developed-or-transition-region": (FAIL, ())},
            INELIGIBLE,
            id="cosme-country-outside-cohesion-policy",
        ),
        pytest.param(
            with_partner(BASE, RZESZOW, nuts=None),
            {"less-developed-or-transition-region": (UNKNOWN, (RZESZOW,))},
            INCOMPLETE,
            id="nuts-not-given",
        ),
    ],
)
def test_cluster_excellence_less_developed_or_transition_region(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “at least one consortium member must represent an organisation established in a
    region classified as “less developed” or “in transition” according to the mapping proposed for
    Structural Funds eligible for the period 2014-2020”."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(replace(BASE, duration_months=20), {}, ELIGIBLE, id="20-months"),
        pytest.param(
            replace(BASE, duration_months=19),
            {"min-duration": (FAIL, ())},
            INELIGIBLE,
            id="19-months",
        ),
        pytest.param(
            replace(BASE, duration_months=None),
            {"min-duration": (UNKNOWN, ()), "duration-over-24-justified": (UNKNOWN, ())},
            INCOMPLETE,
            id="duration-not-given",
        ),
    ],
)
def test_cluster_excellence_min_duration(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “Initial duration of the project: between 20 and 24 months.”"""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            replace(BASE, duration_months=25),
            {"duration-over-24-justified": (WARNING, ())},
            ELIGIBLE,
            id="25-months",
        ),
        pytest.param(
            replace(BASE, duration_months=36),
            {"duration-over-24-justified": (WARNING, ())},
            ELIGIBLE,
            id="36-months",
        ),
    ],
)
def test_cluster_excellence_duration_over_24_justified(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “In duly justified cases, proposals for projects scheduled to run for more than
    24 months may be considered”."""
    _check(application, expected, verdict)


def test_cluster_excellence_duration_warning_message() -> None:
    """Call text: “In duly justified cases, proposals for projects scheduled to run for more than
    24 months may be considered”: the warning asks for the justification."""
    report = evaluate(CALL, replace(BASE, duration_months=30), now=NOW)

    finding = next(f for f in report.findings if f.rule == "duration-over-24-justified")

    assert finding.message == (
        "The project duration is 30 months; it must be at most 24 months. Projects of more than "
        "24 months are considered only in duly justified cases: justify the duration in the "
        "proposal."
    )


def test_cluster_excellence_call_status_without_deadline() -> None:
    """The summary gives no deadline (“This call for proposals is an open call for proposals”)."""
    report = evaluate(CALL, BASE, now=NOW)

    result = (report.call_status, report.time_left)

    assert result == (CallStatus.NO_DEADLINE, None)


def test_cluster_excellence_uk_partner_counts_as_member_state() -> None:
    """The summary still says “Former Yugoslav Republic of Macedonia”, so it predates February
    2019, when the United Kingdom was an EU Member State: “established in a minimum of three
    different EU Member States or countries participating in the COSME programme”. A UK cluster in
    UKL1 (West Wales, less developed in 2014-2020) replaces the Polish network."""
    application = with_partner(
        BASE, RZESZOW, country="UK", nuts="UKL1", type=OrgType.CLUSTER_ORGANISATION
    )

    report = evaluate(CALL, application, now=NOW)

    assert changed(BASE_REPORT, report) == {}
    assert report.verdict == ELIGIBLE
