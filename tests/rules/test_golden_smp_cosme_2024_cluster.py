"""Golden cases of SMP-COSME-2024-CLUSTER, taken from the call page (seed 004).

Each case starts from an eligible Eurocluster (``make_eurocluster_2024``), changes one fact, and
asserts exactly which findings change (status and partners named) and the verdict. Where clauses
of the call overlap, the case names every finding the one change moves.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from clusterbridge.domain.consortium import Application
from clusterbridge.domain.eligibility.evaluate import evaluate
from clusterbridge.domain.enums import CallStatus, OrgType, Role, RuleStatus, Verdict
from clusterbridge.services.calls.catalogue import load_catalogue
from tests.factories.applications import make_eurocluster_2024
from tests.factories.partners import make_partner
from tests.rules.golden import Decision, assert_changes, with_extra, with_partner

pytestmark = pytest.mark.unit

CALL = load_catalogue().get("SMP-COSME-2024-CLUSTER")
NOW = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
BASE = make_eurocluster_2024()
BASE_REPORT = evaluate(CALL, BASE, now=NOW)

PASS, FAIL = RuleStatus.PASS, RuleStatus.FAIL
WARNING, UNKNOWN = RuleStatus.WARNING, RuleStatus.UNKNOWN
ELIGIBLE, INELIGIBLE, INCOMPLETE = Verdict.ELIGIBLE, Verdict.INELIGIBLE, Verdict.INCOMPLETE
MUNICH, RZESZOW, BARCELONA = "Munich Cluster", "Rzeszow Cluster", "Barcelona Cluster"
AFFILIATE = "Affiliate"


def _affiliate(country: str, **changes: object) -> Application:
    """The base Eurocluster with an affiliated entity (a registered cluster organisation) added."""
    partner = make_partner(name=AFFILIATE, country=country, role=Role.AFFILIATED_ENTITY)
    return with_extra(BASE, replace(partner, **changes))


def _check(application: Application, expected: dict[str, Decision], verdict: Verdict) -> None:
    assert_changes(BASE_REPORT, evaluate(CALL, application, now=NOW), expected, verdict)


def test_eurocluster_2024_base_passes_every_rule() -> None:
    """The base: three ECCP-registered cluster organisations from DE, PL (PL823, less developed)
    and ES, in Strand 1, for 36 months."""
    report = evaluate(CALL, BASE, now=NOW)

    statuses = {f.rule: f.status for f in report.findings}

    assert statuses == {
        "one-strand": PASS,
        "legal-entity": PASS,
        "eligible-country": PASS,
        "applicant-type": PASS,
        "min-applicants": PASS,
        "cluster-organisations-in-three-member-states": PASS,
        "half-eccp-registered": PASS,
        "less-developed-region": PASS,
        "max-duration": PASS,
    }
    assert report.verdict == ELIGIBLE


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(replace(BASE, strand="2"), {}, ELIGIBLE, id="strand-2"),
        pytest.param(
            replace(BASE, strand="3"), {"one-strand": (FAIL, ())}, INELIGIBLE, id="no-such-strand"
        ),
        pytest.param(
            replace(BASE, strand=None),
            {"one-strand": (UNKNOWN, ())},
            INCOMPLETE,
            id="strand-not-given",
        ),
    ],
)
def test_eurocluster_2024_one_strand(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “Each project application must address only one of these two strands.”"""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, RZESZOW, legal_entity=False),
            {"legal-entity": (FAIL, (RZESZOW,))},
            INELIGIBLE,
            id="beneficiary-not-legal-entity",
        ),
        pytest.param(
            _affiliate("FR", legal_entity=False),
            {"legal-entity": (FAIL, (AFFILIATE,))},
            INELIGIBLE,
            id="affiliated-entity-not-legal-entity",
        ),
        pytest.param(
            with_extra(
                BASE,
                make_partner(name="Associate", legal_entity=False, role=Role.ASSOCIATED_PARTNER),
            ),
            {},
            ELIGIBLE,
            id="associated-partner-not-concerned",
        ),
        pytest.param(
            with_partner(BASE, RZESZOW, legal_entity=None),
            {"legal-entity": (UNKNOWN, (RZESZOW,))},
            INCOMPLETE,
            id="legal-entity-not-given",
        ),
    ],
)
def test_eurocluster_2024_legal_entity(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “the applicants (beneficiaries and affiliated entities) must: be legal entities
    (public or private bodies)”."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            _affiliate("NO"),
            {"eligible-country": (WARNING, (AFFILIATE,))},
            ELIGIBLE,
            id="listed-eea-country-unverified",
        ),
        pytest.param(
            _affiliate("UA"),
            {"eligible-country": (WARNING, (AFFILIATE,))},
            ELIGIBLE,
            id="ukraine-smp-associated-unverified",
        ),
        pytest.param(
            _affiliate("TR"),
            {"eligible-country": (FAIL, (AFFILIATE,))},
            INELIGIBLE,
            id="turkiye-not-in-the-smp-list",
        ),
        pytest.param(_affiliate("NC"), {}, ELIGIBLE, id="overseas-country-territory"),
        pytest.param(_affiliate("EL"), {}, ELIGIBLE, id="member-state-greece"),
        pytest.param(
            _affiliate("CH"),
            {"eligible-country": (FAIL, (AFFILIATE,))},
            INELIGIBLE,
            id="switzerland-not-eligible",
        ),
        pytest.param(
            _affiliate("UK"),
            {"eligible-country": (FAIL, (AFFILIATE,))},
            INELIGIBLE,
            id="united-kingdom-not-eligible",
        ),
        pytest.param(
            _affiliate("AL"),
            {"eligible-country": (WARNING, (AFFILIATE,))},
            ELIGIBLE,
            id="smp-associated-country-unverified",
        ),
        pytest.param(
            _affiliate("CH", role=None),
            {"eligible-country": (UNKNOWN, (AFFILIATE,))},
            INCOMPLETE,
            id="role-not-given",
        ),
    ],
)
def test_eurocluster_2024_eligible_country(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “be established in one of the eligible countries, i.e.: EU Member States
    (including overseas countries and territories (OCTs)); non-EU countries: listed EEA countries
    and countries associated to the Single Market Programme (list of participating countries)”."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            _affiliate("FR", type=OrgType.CLUSTER_NETWORK), {}, ELIGIBLE, id="cluster-network"
        ),
        pytest.param(
            _affiliate("FR", type=OrgType.UNIVERSITY),
            {"applicant-type": (WARNING, (AFFILIATE,))},
            ELIGIBLE,
            id="other-type-to-justify",
        ),
        pytest.param(
            _affiliate("FR", type=None),
            {"applicant-type": (UNKNOWN, (AFFILIATE,))},
            INCOMPLETE,
            id="type-not-given",
        ),
    ],
)
def test_eurocluster_2024_applicant_type(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “be or represent a cluster organisation (see definition in the call documents), a
    Single Market Programme (SMP) cluster network, or other types of organisations supporting green
    and digital transitions and building EU resilience.”"""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(_affiliate("FR"), {}, ELIGIBLE, id="three-applicants-and-an-affiliate"),
        pytest.param(
            with_partner(BASE, BARCELONA, role=Role.AFFILIATED_ENTITY),
            {
                "min-applicants": (FAIL, (MUNICH, RZESZOW)),
                "cluster-organisations-in-three-member-states": (FAIL, ()),
            },
            INELIGIBLE,
            id="affiliated-entities-do-not-count",
        ),
        pytest.param(
            with_partner(BASE, BARCELONA, role=None),
            {
                "min-applicants": (UNKNOWN, (BARCELONA,)),
                "cluster-organisations-in-three-member-states": (UNKNOWN, (BARCELONA,)),
            },
            INCOMPLETE,
            id="role-not-given",
        ),
    ],
)
def test_eurocluster_2024_min_applicants(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “Proposals must be submitted by a consortium of at least three applicants
    (beneficiaries; not affiliated entities)”. Fewer than three applicants cannot hold three
    cluster organisations from three Member States either, so both findings move."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, BARCELONA, country="NO", nuts=None),
            {
                "eligible-country": (WARNING, (BARCELONA,)),
                "cluster-organisations-in-three-member-states": (FAIL, ()),
            },
            INELIGIBLE,
            id="norway-is-no-member-state",
        ),
        pytest.param(
            with_partner(BASE, BARCELONA, country="DE", nuts="DE212"),
            {"cluster-organisations-in-three-member-states": (FAIL, ())},
            INELIGIBLE,
            id="two-member-states",
        ),
        pytest.param(
            with_partner(BASE, BARCELONA, type=None),
            {
                "applicant-type": (UNKNOWN, (BARCELONA,)),
                "cluster-organisations-in-three-member-states": (UNKNOWN, (BARCELONA,)),
            },
            INCOMPLETE,
            id="type-not-given",
        ),
    ],
)
def test_eurocluster_2024_cluster_organisations_in_three_member_states(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “minimum three cluster organisations (as defined in the call text) or cluster
    networks from at least three different EU Member States”."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, BARCELONA, eccp_registered=False),
            {},
            ELIGIBLE,
            id="two-of-three",
        ),
        pytest.param(
            with_extra(
                with_partner(BASE, BARCELONA, eccp_registered=False),
                make_partner(name="Lyon Cluster", country="FR", eccp_registered=False),
            ),
            {},
            ELIGIBLE,
            id="exactly-half",
        ),
        pytest.param(
            with_partner(
                with_partner(BASE, BARCELONA, eccp_registered=False),
                RZESZOW,
                eccp_registered=False,
            ),
            {"half-eccp-registered": (FAIL, (RZESZOW, BARCELONA))},
            INELIGIBLE,
            id="one-of-three",
        ),
        pytest.param(
            with_partner(
                with_partner(BASE, BARCELONA, eccp_registered=None), RZESZOW, eccp_registered=None
            ),
            {"half-eccp-registered": (UNKNOWN, (RZESZOW, BARCELONA))},
            INCOMPLETE,
            id="registration-not-given",
        ),
    ],
)
def test_eurocluster_2024_half_eccp_registered(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “at least half of the partners in each consortium (Eurocluster) must be cluster
    organisations or cluster networks registered or having submitted a registration on the ECCP by
    the submission deadline of this call for proposals”."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, RZESZOW, country="LV", nuts=None),
            {},
            ELIGIBLE,
            id="latvia-single-region",
        ),
        pytest.param(
            with_partner(BASE, RZESZOW, nuts="PL911"),
            {"less-developed-region": (FAIL, ())},
            INELIGIBLE,
            id="warsaw-more-developed",
        ),
        pytest.param(
            with_partner(BASE, RZESZOW, nuts=None),
            {"less-developed-region": (UNKNOWN, (RZESZOW,))},
            INCOMPLETE,
            id="nuts-not-given",
        ),
        pytest.param(
            with_partner(BASE, RZESZOW, nuts="PL12"),
            {"less-developed-region": (UNKNOWN, (RZESZOW,))},
            INCOMPLETE,
            id="nuts-2013-code-straddles-categories",
        ),
    ],
)
def test_eurocluster_2024_less_developed_region(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “the applicant consortium must include at least one partner established in a
    less advanced region of an EU Member State (as defined and applied in the Cohesion policy
    regulation 2021-2027: GDP per capita <75%)”."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(replace(BASE, duration_months=24), {}, ELIGIBLE, id="24-months"),
        pytest.param(
            replace(BASE, duration_months=37),
            {"max-duration": (FAIL, ())},
            INELIGIBLE,
            id="37-months",
        ),
        pytest.param(
            replace(BASE, duration_months=None),
            {"max-duration": (UNKNOWN, ())},
            INCOMPLETE,
            id="duration-not-given",
        ),
    ],
)
def test_eurocluster_2024_max_duration(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “Maximum project duration: 36 months”."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("now", "status", "time_left"),
    [
        pytest.param(NOW, CallStatus.OPEN, timedelta(days=21, hours=4), id="weeks-before"),
        pytest.param(
            datetime(2025, 2, 5, 15, 59, 59, tzinfo=UTC),
            CallStatus.OPEN,
            timedelta(seconds=1),
            id="one-second-before",
        ),
        pytest.param(
            datetime(2025, 2, 5, 16, 0, tzinfo=UTC),
            CallStatus.CLOSED,
            timedelta(0),
            id="at-17h-cet",
        ),
        pytest.param(
            datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
            CallStatus.CLOSED,
            -timedelta(days=23, hours=17),
            id="after",
        ),
    ],
)
def test_eurocluster_2024_call_status_at_deadline(
    now: datetime, status: CallStatus, time_left: timedelta
) -> None:
    """Call page: “Deadline date 5 February 2025, 17:00 (CET)”, i.e. 16:00 UTC. A closed call is
    reported as the call's status, never as a failure of the consortium."""
    report = evaluate(CALL, BASE, now=now)

    result = (report.call_status, report.time_left, report.verdict)

    assert result == (status, time_left, ELIGIBLE)
