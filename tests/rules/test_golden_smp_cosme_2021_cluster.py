"""Golden cases of SMP-COSME-2021-CLUSTER, taken from the call summary (seed 002).

Each case starts from an eligible Eurocluster (``make_eurocluster_2021``), changes one fact, and
asserts exactly which findings change (status and partners named) and the verdict. The summary
states no consortium composition, budget or deadline, so none is checked.
"""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from clusterbridge.domain.consortium import Application, Consortium
from clusterbridge.domain.eligibility.evaluate import evaluate
from clusterbridge.domain.enums import CallStatus, OrgType, Role, RuleStatus, Verdict
from clusterbridge.services.calls.catalogue import load_catalogue
from tests.factories.applications import make_eurocluster_2021
from tests.rules.golden import Decision, assert_changes, changed, with_partner

pytestmark = pytest.mark.unit

CALL = load_catalogue().get("SMP-COSME-2021-CLUSTER")
NOW = datetime(2021, 9, 1, 12, 0, tzinfo=UTC)
BASE = make_eurocluster_2021()
BASE_REPORT = evaluate(CALL, BASE, now=NOW)

PASS, FAIL = RuleStatus.PASS, RuleStatus.FAIL
WARNING, UNKNOWN = RuleStatus.WARNING, RuleStatus.UNKNOWN
ELIGIBLE, INELIGIBLE, INCOMPLETE = Verdict.ELIGIBLE, Verdict.INELIGIBLE, Verdict.INCOMPLETE
TURIN = "Turin Cluster"


def _check(application: Application, expected: dict[str, Decision], verdict: Verdict) -> None:
    assert_changes(BASE_REPORT, evaluate(CALL, application, now=NOW), expected, verdict)


def test_eurocluster_2021_base_passes_every_rule() -> None:
    """The base: three cluster organisations from DE, FR and IT in the Digital strand, 36 months."""
    report = evaluate(CALL, BASE, now=NOW)

    statuses = {f.rule: f.status for f in report.findings}

    assert statuses == {
        "one-strand": PASS,
        "legal-entity": PASS,
        "eligible-country": PASS,
        "applicant-type": PASS,
        "max-duration": PASS,
    }
    assert report.verdict == ELIGIBLE


def test_eurocluster_2021_single_cluster_eligible() -> None:
    """The summary states no minimum consortium (“Be a legal entity (public or private); Be
    established in one of the eligible countries; Be or represent a cluster organisation [...]”),
    so one cluster organisation alone breaks no rule."""
    alone = replace(BASE, consortium=Consortium(BASE.consortium.partners[:1]))

    report = evaluate(CALL, alone, now=NOW)

    assert changed(BASE_REPORT, report) == {}
    assert report.verdict == ELIGIBLE


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(replace(BASE, strand="open"), {}, ELIGIBLE, id="open-strand"),
        pytest.param(replace(BASE, strand="health"), {}, ELIGIBLE, id="health-strand"),
        pytest.param(
            replace(BASE, strand="space"),
            {"one-strand": (WARNING, ())},
            ELIGIBLE,
            id="no-such-strand",
        ),
        pytest.param(
            replace(BASE, strand=None),
            {"one-strand": (UNKNOWN, ())},
            ELIGIBLE,
            id="strand-not-given",
        ),
    ],
)
def test_eurocluster_2021_one_strand(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Summary: “Open Strand: this strand invites proposals focused on cross fertilisation of
    various industrial ecosystems with no specific focus on one industrial ecosystem.
    Industrial ecosystem strands: Tourism, [...], Health.” The summary never says a proposal
    must address exactly one strand, so the rule only warns and never blocks the verdict."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, TURIN, legal_entity=False),
            {"legal-entity": (FAIL, (TURIN,))},
            INELIGIBLE,
            id="not-legal-entity",
        ),
        pytest.param(
            with_partner(BASE, TURIN, legal_entity=None),
            {"legal-entity": (UNKNOWN, (TURIN,))},
            INCOMPLETE,
            id="legal-entity-not-given",
        ),
    ],
)
def test_eurocluster_2021_legal_entity(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Summary: “Be a legal entity (public or private);”"""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(with_partner(BASE, TURIN, country="NO"), {}, ELIGIBLE, id="eea-norway"),
        pytest.param(
            with_partner(BASE, TURIN, country="UA"),
            {"eligible-country": (WARNING, (TURIN,))},
            ELIGIBLE,
            id="smp-associated-ukraine-unverified",
        ),
        pytest.param(
            with_partner(BASE, TURIN, country="US"),
            {"eligible-country": (FAIL, (TURIN,))},
            INELIGIBLE,
            id="third-country",
        ),
        pytest.param(
            with_partner(BASE, TURIN, country="UK"),
            {"eligible-country": (FAIL, (TURIN,))},
            INELIGIBLE,
            id="united-kingdom",
        ),
        pytest.param(
            with_partner(BASE, TURIN, country="US", role=None),
            {"eligible-country": (UNKNOWN, (TURIN,))},
            INCOMPLETE,
            id="role-not-given",
        ),
    ],
)
def test_eurocluster_2021_eligible_country(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Summary: “Be established in one of the eligible countries”; “Eligible countries for the
    grant: Countries associated to the COSME part of the Single Market Programme or countries
    which are in ongoing negotiations for an association agreement [...]”; “Regions: European
    Economic Area, European Union”."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, TURIN, type=OrgType.CLUSTER_NETWORK),
            {},
            ELIGIBLE,
            id="smp-cluster-network",
        ),
        pytest.param(
            with_partner(BASE, TURIN, type=OrgType.TECHNOLOGY_CENTRE),
            {"applicant-type": (WARNING, (TURIN,))},
            ELIGIBLE,
            id="other-type-to-justify",
        ),
        pytest.param(
            with_partner(BASE, TURIN, type=None),
            {"applicant-type": (UNKNOWN, (TURIN,))},
            INCOMPLETE,
            id="type-not-given",
        ),
        pytest.param(
            with_partner(BASE, TURIN, type=OrgType.SME, role=Role.ASSOCIATED_PARTNER),
            {},
            ELIGIBLE,
            id="associated-partner-not-concerned",
        ),
    ],
)
def test_eurocluster_2021_applicant_type(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Summary: “Be or represent a cluster organisation, a Single Market Programme cluster
    network, or other types of organisations supporting green and digital transitions and build EU
    resilience.”"""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(replace(BASE, duration_months=12), {}, ELIGIBLE, id="12-months"),
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
def test_eurocluster_2021_max_duration(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Summary: “Initial duration of the action: maximum 36 months.”"""
    _check(application, expected, verdict)


def test_eurocluster_2021_call_status_without_deadline() -> None:
    """The summary gives no deadline (“This call for proposals is an open call for proposals.”)."""
    report = evaluate(CALL, BASE, now=NOW)

    result = (report.call_status, report.time_left)

    assert result == (CallStatus.NO_DEADLINE, None)
