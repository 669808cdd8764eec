"""Golden cases of strategic-alliances-2020, taken from the EASME call page (seed 000) and its
summary (seed 001).

Each case starts from an eligible alliance (``make_strategic_alliance``), changes one fact, and
asserts exactly which findings change (status and partners named) and the verdict. The grant,
duration and technology-centre rules only warn: they never block the verdict, not even when their
data is missing.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from clusterbridge.domain.consortium import Application
from clusterbridge.domain.eligibility.evaluate import evaluate
from clusterbridge.domain.enums import CallStatus, OrgType, Role, RuleStatus, Verdict
from clusterbridge.services.calls.catalogue import load_catalogue
from tests.factories.applications import make_strategic_alliance
from tests.factories.partners import make_partner
from tests.rules.golden import Decision, assert_changes, with_extra, with_partner

pytestmark = pytest.mark.unit

CALL = load_catalogue().get("strategic-alliances-2020")
NOW = datetime(2021, 1, 15, 12, 0, tzinfo=UTC)
BASE = make_strategic_alliance()
BASE_REPORT = evaluate(CALL, BASE, now=NOW)

PASS, FAIL = RuleStatus.PASS, RuleStatus.FAIL
WARNING, UNKNOWN = RuleStatus.WARNING, RuleStatus.UNKNOWN
ELIGIBLE, INELIGIBLE, INCOMPLETE = Verdict.ELIGIBLE, Verdict.INELIGIBLE, Verdict.INCOMPLETE
CLUSTER, TECH, SAVVY, TRADITIONAL = (
    "Cluster DE",
    "Tech Centre FR",
    "Savvy SME IT",
    "Traditional SME ES",
)
LINKED = "Linked Third Party"


def _linked(country: str, **changes: object) -> Application:
    """The base alliance with a linked third party (an affiliated entity) added."""
    partner = make_partner(name=LINKED, country=country, role=Role.AFFILIATED_ENTITY)
    return with_extra(BASE, replace(partner, **changes))


def _check(application: Application, expected: dict[str, Decision], verdict: Verdict) -> None:
    assert_changes(BASE_REPORT, evaluate(CALL, application, now=NOW), expected, verdict)


def test_strategic_alliance_base_passes_every_rule() -> None:
    """The base: a cluster organisation (DE), a technology centre (FR), a tech-savvy SME (IT) and
    a traditional SME (ES), all legal entities, for 24 months and EUR 2.5 million."""
    report = evaluate(CALL, BASE, now=NOW)

    statuses = {f.rule: f.status for f in report.findings}

    assert statuses == {
        "legal-entity": PASS,
        "no-natural-persons": PASS,
        "eligible-country": PASS,
        "three-member-states": PASS,
        "grant-range": PASS,
        "duration-24-months": PASS,
        "technology-centre": PASS,
    }
    assert report.verdict == ELIGIBLE


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(_linked("PL"), {}, ELIGIBLE, id="linked-third-party-legal-entity"),
        pytest.param(
            with_partner(BASE, TRADITIONAL, legal_entity=False),
            {"legal-entity": (FAIL, (TRADITIONAL,))},
            INELIGIBLE,
            id="sme-not-legal-entity",
        ),
        pytest.param(
            _linked("PL", legal_entity=False),
            {"legal-entity": (FAIL, (LINKED,))},
            INELIGIBLE,
            id="linked-third-party-not-legal-entity",
        ),
        pytest.param(
            with_partner(BASE, TRADITIONAL, legal_entity=None),
            {"legal-entity": (UNKNOWN, (TRADITIONAL,))},
            INCOMPLETE,
            id="legal-entity-not-given",
        ),
    ],
)
def test_strategic_alliance_legal_entity(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “Applicants must be legal entities”; “Linked third parties [...] may take part
    in the action as applicants”."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, TRADITIONAL, type=OrgType.NATURAL_PERSON),
            {
                "legal-entity": (FAIL, (TRADITIONAL,)),
                "no-natural-persons": (FAIL, (TRADITIONAL,)),
            },
            INELIGIBLE,
            id="natural-person",
        ),
        pytest.param(
            with_partner(BASE, TRADITIONAL, type=None),
            {"no-natural-persons": (UNKNOWN, (TRADITIONAL,))},
            INCOMPLETE,
            id="type-not-given",
        ),
    ],
)
def test_strategic_alliance_no_natural_persons(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “Natural persons are not eligible.” A natural person is no legal entity either,
    so “Applicants must be legal entities” fails with it."""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(_linked("RS"), {}, ELIGIBLE, id="cosme-country-serbia"),
        pytest.param(_linked("AL"), {}, ELIGIBLE, id="cosme-country-albania-confirmed"),
        pytest.param(_linked("IS"), {}, ELIGIBLE, id="cosme-country-iceland"),
        pytest.param(
            _linked("NO"),
            {"eligible-country": (FAIL, (LINKED,))},
            INELIGIBLE,
            id="norway-not-in-cosme",
        ),
        pytest.param(
            _linked("US"),
            {"eligible-country": (FAIL, (LINKED,))},
            INELIGIBLE,
            id="third-country",
        ),
        pytest.param(
            _linked("US", role=None),
            {"eligible-country": (UNKNOWN, (LINKED,))},
            INCOMPLETE,
            id="role-not-given",
        ),
    ],
)
def test_strategic_alliance_eligible_country(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “Only applications from legal entities established in the following countries
    are eligible: EU Member States; Countries participating in the COSME programme pursuant to
    Article 6 of the COSME Regulation.”"""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, TRADITIONAL, country="RS"),
            {},
            ELIGIBLE,
            id="exactly-three-member-states",
        ),
        pytest.param(
            with_partner(with_partner(BASE, TRADITIONAL, country="RS"), SAVVY, country="TR"),
            {"three-member-states": (FAIL, ())},
            INELIGIBLE,
            id="two-member-states-and-two-cosme-countries",
        ),
        pytest.param(
            with_extra(
                with_partner(with_partner(BASE, TRADITIONAL, country="RS"), SAVVY, country="TR"),
                make_partner(name=LINKED, country="PL", role=Role.AFFILIATED_ENTITY),
            ),
            {},
            ELIGIBLE,
            id="linked-third-party-makes-the-third",
        ),
        pytest.param(
            with_partner(with_partner(BASE, TRADITIONAL, legal_entity=None), SAVVY, country="TR"),
            {
                "legal-entity": (UNKNOWN, (TRADITIONAL,)),
                "three-member-states": (UNKNOWN, (TRADITIONAL,)),
            },
            INCOMPLETE,
            id="legal-entity-not-given",
        ),
    ],
)
def test_strategic_alliance_three_member_states(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “Proposals must be submitted by consortia composed by eligible legal entities
    established in a minimum of three different EU Member States.”"""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(replace(BASE, requested_grant_eur=2_000_000), {}, ELIGIBLE, id="2-million"),
        pytest.param(replace(BASE, requested_grant_eur=3_000_000), {}, ELIGIBLE, id="3-million"),
        pytest.param(
            replace(BASE, requested_grant_eur=3_000_001),
            {"grant-range": (WARNING, ())},
            ELIGIBLE,
            id="above-3-million",
        ),
        pytest.param(
            replace(BASE, requested_grant_eur=1_999_999),
            {"grant-range": (WARNING, ())},
            ELIGIBLE,
            id="below-2-million",
        ),
        pytest.param(
            replace(BASE, requested_grant_eur=None),
            {"grant-range": (UNKNOWN, ())},
            ELIGIBLE,
            id="grant-not-given-never-blocks",
        ),
    ],
)
def test_strategic_alliance_grant_range(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “The maximum grant per project will be between EUR 2.000.000 and EUR 3.000.000.
    Nonetheless, this does not preclude submission and selection of proposals requesting other
    amounts.”"""
    _check(application, expected, verdict)


def test_strategic_alliance_grant_range_warning_message() -> None:
    """Call text: “this does not preclude submission and selection of proposals requesting other
    amounts”: the warning says so."""
    report = evaluate(CALL, replace(BASE, requested_grant_eur=3_500_000), now=NOW)

    finding = next(f for f in report.findings if f.rule == "grant-range")

    assert finding.message == (
        "The requested grant is EUR 3,500,000; it must be between EUR 2,000,000 and EUR 3,000,000. "
        "The call does not preclude other amounts, but the proposal should explain them."
    )
    assert finding.blocking is False


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            replace(BASE, duration_months=36),
            {"duration-24-months": (WARNING, ())},
            ELIGIBLE,
            id="36-months",
        ),
        pytest.param(
            replace(BASE, duration_months=None),
            {"duration-24-months": (UNKNOWN, ())},
            ELIGIBLE,
            id="duration-not-given-never-blocks",
        ),
    ],
)
def test_strategic_alliance_duration_24_months(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Summary (seed 001): “Meanwhile the reasonable duration of the projects is envisioned to be
    24 months.”"""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("application", "expected", "verdict"),
    [
        pytest.param(
            with_partner(BASE, TECH, type=OrgType.RESEARCH_ORGANISATION),
            {"technology-centre": (WARNING, ())},
            ELIGIBLE,
            id="no-technology-centre",
        ),
        pytest.param(
            with_partner(BASE, TECH, role=Role.ASSOCIATED_PARTNER),
            {"technology-centre": (WARNING, ())},
            ELIGIBLE,
            id="technology-centre-not-a-formal-beneficiary",
        ),
        pytest.param(
            with_partner(BASE, TECH, role=None),
            {"technology-centre": (UNKNOWN, (TECH,))},
            ELIGIBLE,
            id="role-not-given-never-blocks",
        ),
    ],
)
def test_strategic_alliance_technology_centre(
    application: Application, expected: dict[str, Decision], verdict: Verdict
) -> None:
    """Call text: “Should technology centres not be formal beneficiaries of the proposed project,
    applicants shall demonstrate in their application how they intend to ensure their
    collaboration during the project.”"""
    _check(application, expected, verdict)


@pytest.mark.parametrize(
    ("now", "status", "time_left"),
    [
        pytest.param(NOW, CallStatus.OPEN, timedelta(days=18, hours=4), id="before"),
        pytest.param(
            datetime(2021, 2, 2, 15, 59, 59, tzinfo=UTC),
            CallStatus.OPEN,
            timedelta(seconds=1),
            id="one-second-before",
        ),
        pytest.param(
            datetime(2021, 2, 2, 16, 0, tzinfo=UTC), CallStatus.CLOSED, timedelta(0), id="at-17h"
        ),
    ],
)
def test_strategic_alliance_call_status_at_deadline(
    now: datetime, status: CallStatus, time_left: timedelta
) -> None:
    """Call text: “Deadline for submitting applications 02/02/2021 17:00 h Brussels time”
    (16:00 UTC in winter)."""
    report = evaluate(CALL, BASE, now=now)

    result = (report.call_status, report.time_left, report.verdict)

    assert result == (status, time_left, ELIGIBLE)
