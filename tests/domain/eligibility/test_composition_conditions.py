"""The conditions on the consortium as a whole: min_partners, min_distinct_countries, min_share,
min_partners_in_region.

Tables of ``(params, partners, expected status, expected partners named)``; then exact messages;
then parameter validation. Partners come from ``make_partner``: fully known, ECCP-registered
beneficiary cluster organisations unless a case says otherwise. Regions: DE212 München and ES511
Barcelona are more developed, PL823 Rzeszowski and LV (one region) less developed, in both periods;
UKL1 West Wales is less developed in 2014-2020 and outside the EU in 2021-2027; ES61 Andalucía is
in transition in 2014-2020; EL30 Attiki is more developed in 2014-2020 and in transition in
2021-2027; PL12 Mazowieckie (NUTS 2013) straddles categories in 2021-2027.
"""

from typing import Any

import pytest
from pydantic import ValidationError

from clusterbridge.domain.consortium import Partner
from clusterbridge.domain.eligibility.conditions import get_condition
from clusterbridge.domain.enums import OrgType, Role, RuleStatus
from tests.domain.eligibility.checking import check, check_partners
from tests.factories.partners import make_application, make_partner

pytestmark = pytest.mark.unit

PASS, FAIL, UNKNOWN = RuleStatus.PASS, RuleStatus.FAIL, RuleStatus.UNKNOWN


def _p(name: str, country: str = "DE", **changes: Any) -> Partner:
    return make_partner(name=name, country=country, **changes)


A, B, C = _p("A", "DE", role=Role.COORDINATOR), _p("B", "FR"), _p("C", "PL")
THREE = {"min": 3}
TECH_CENTRE = {"min": 1, "among": {"types": ["technology_centre"]}}


@pytest.mark.parametrize(
    ("params", "partners", "status", "named"),
    [
        pytest.param(THREE, (A, B, C), PASS, (), id="exactly-min"),
        pytest.param(THREE, (A, B), FAIL, ("A", "B"), id="min-minus-one"),
        pytest.param(
            THREE,
            (A, B, _p("C", role=Role.ASSOCIATED_PARTNER)),
            FAIL,
            ("A", "B"),
            id="associated-partner-does-not-count",
        ),
        pytest.param(
            THREE,
            (A, B, _p("C", role=Role.AFFILIATED_ENTITY)),
            FAIL,
            ("A", "B"),
            id="affiliated-entity-does-not-count",
        ),
        pytest.param(THREE, (A, B, _p("C", role=None)), UNKNOWN, ("C",), id="role-unknown"),
        pytest.param(
            THREE,
            (A, B, C, _p("D", role=None)),
            PASS,
            (),
            id="enough-for-certain-despite-unknown",
        ),
        pytest.param(
            THREE,
            (A, _p("B", role=None), _p("C", role=Role.ASSOCIATED_PARTNER)),
            FAIL,
            ("A",),
            id="too-few-even-if-unknown-counts",
        ),
        pytest.param(TECH_CENTRE, (A, B), FAIL, (), id="no-technology-centre"),
        pytest.param(
            TECH_CENTRE,
            (A, _p("T", type=OrgType.TECHNOLOGY_CENTRE)),
            PASS,
            (),
            id="technology-centre",
        ),
        pytest.param(
            TECH_CENTRE,
            (A, _p("T", type=OrgType.TECHNOLOGY_CENTRE, role=None)),
            UNKNOWN,
            ("T",),
            id="technology-centre-role-unknown",
        ),
        pytest.param(TECH_CENTRE, (A, _p("T", type=None)), UNKNOWN, ("T",), id="type-unknown"),
        pytest.param({"min": 1}, (), FAIL, (), id="no-partner"),
    ],
)
def test_min_partners_table(
    params: dict[str, Any],
    partners: tuple[Partner, ...],
    status: RuleStatus,
    named: tuple[str, ...],
) -> None:
    result = check_partners("min_partners", params, partners)

    assert result == (status, named)


@pytest.mark.parametrize(
    ("params", "partners", "message"),
    [
        pytest.param(
            THREE, (A, B, C), "The consortium has enough applicants (3, at least 3).", id="pass"
        ),
        pytest.param(
            THREE,
            (A, B),
            "Number of applicants: 2; at least 3 needed: A (DE), B (FR).",
            id="fail",
        ),
        pytest.param(
            TECH_CENTRE,
            (A,),
            "Number of applicants that are technology centres: 0; at least 1 needed.",
            id="fail-none",
        ),
        pytest.param(
            THREE,
            (A, B, _p("C", "PL", role=None)),
            "Number of applicants for certain: 2; at least 3 needed; missing data "
            "on C (PL) decides it.",
            id="unknown",
        ),
    ],
)
def test_min_partners_message(
    params: dict[str, Any], partners: tuple[Partner, ...], message: str
) -> None:
    finding = check("min_partners", params, make_application(*partners))

    assert finding.message == message


EU_AND_COSME = {"min": 3, "countries": ["eu_member_states", "cosme_2014_2020"]}
THREE_CLUSTERS = {"min": 3, "among": {"types": ["cluster_organisation"]}}


@pytest.mark.parametrize(
    ("params", "partners", "status", "named"),
    [
        pytest.param(THREE, (A, B, C), PASS, (), id="exactly-min"),
        pytest.param(THREE, (A, _p("A2", "DE"), B), FAIL, (), id="two-countries"),
        pytest.param(THREE, (A, B, _p("N", "NO")), FAIL, (), id="non-member-state"),
        pytest.param(THREE, (A, B, _p("U", "UK")), FAIL, (), id="united-kingdom-left"),
        pytest.param(THREE, (A, B, _p("C", "PL", role=None)), UNKNOWN, ("C",), id="role-unknown"),
        pytest.param(
            THREE,
            (A, B, _p("C", "PL", role=None), _p("N", "NO", role=None)),
            UNKNOWN,
            ("C",),
            id="only-partners-that-could-add-a-country-decide",
        ),
        pytest.param(
            THREE,
            (A, B, _p("C1", "PL", role=None), _p("C2", "PL", role=None)),
            UNKNOWN,
            ("C1", "C2"),
            id="two-undecided-in-one-country",
        ),
        pytest.param(
            THREE,
            (A, B, _p("B2", "FR", role=None)),
            FAIL,
            (),
            id="undecided-partner-in-a-counted-country",
        ),
        pytest.param(
            THREE,
            (A, B, _p("C", "PL", role=Role.ASSOCIATED_PARTNER)),
            FAIL,
            (),
            id="associated-partner-does-not-count",
        ),
        pytest.param(
            EU_AND_COSME, (A, _p("L", "AL"), _p("R", "RS")), PASS, (), id="cosme-countries-count"
        ),
        pytest.param(
            THREE_CLUSTERS, (A, B, _p("C", "PL", type=OrgType.SME)), FAIL, (), id="type-filter"
        ),
        pytest.param(
            THREE_CLUSTERS,
            (A, B, _p("C", "PL", type=None)),
            UNKNOWN,
            ("C",),
            id="type-unknown",
        ),
        pytest.param({"min": 2}, (A, B), PASS, (), id="default-countries-member-states"),
    ],
)
def test_min_distinct_countries_table(
    params: dict[str, Any],
    partners: tuple[Partner, ...],
    status: RuleStatus,
    named: tuple[str, ...],
) -> None:
    result = check_partners("min_distinct_countries", params, partners)

    assert result == (status, named)


@pytest.mark.parametrize(
    ("partners", "message"),
    [
        pytest.param(
            (A, B, C),
            "The applicants are established in 3 different countries of: EU Member States "
            "(DE, FR, PL); at least 3.",
            id="pass",
        ),
        pytest.param(
            (A, B, _p("N", "NO")),
            "The applicants are established in 2 different countries of: EU Member States "
            "(DE, FR); at least 3 needed.",
            id="fail",
        ),
        pytest.param(
            (A, _p("N", "NO"), _p("S", "CH")),
            "The applicants are established in 1 country of: EU Member States (DE); at least 3 "
            "different countries needed.",
            id="fail-one-country",
        ),
        pytest.param(
            (_p("N", "NO"), _p("S", "CH")),
            "None of the applicants is established in a country of: EU Member States; at least "
            "3 different countries needed.",
            id="fail-no-country",
        ),
        pytest.param(
            (A, B, _p("C", "PL", role=None)),
            "The applicants are established for certain in 2 different countries of: EU Member "
            "States (DE, FR); at least 3 needed, and missing data on C (PL) decides it.",
            id="unknown",
        ),
        pytest.param(
            tuple(_p(n, c, role=None) for n, c in (("A", "DE"), ("B", "RO"), ("C", "FR"))),
            "None of the applicants is established for certain in a country of: EU Member "
            "States; at least 3 different countries needed, and missing data on A (DE), B (RO), "
            "C (FR) decides it.",
            id="unknown-no-country-for-certain",
        ),
        pytest.param(
            (_p("B", "BG", role=None), _p("R", "RO", role=None), _p("N", "NO", role=None)),
            "None of the applicants is established for certain in a country of: EU Member "
            "States; at least 3 different countries needed; even with the missing data, at most "
            "2 (BG, RO).",
            id="fail-whatever-the-roles",
        ),
        pytest.param(
            (A, _p("B", "BG", role=None)),
            "The applicants are established for certain in 1 country of: EU Member States (DE); "
            "at least 3 different countries needed; even with the missing data, at most 2 "
            "(BG, DE).",
            id="fail-whatever-the-role-one-country-for-certain",
        ),
    ],
)
def test_min_distinct_countries_message(partners: tuple[Partner, ...], message: str) -> None:
    finding = check("min_distinct_countries", THREE, make_application(*partners))

    assert finding.message == message


HALF = {
    "share": "1/2",
    "require": {"types": ["cluster_organisation", "cluster_network"], "eccp_registered": True},
}
TWO_THIRDS = HALF | {"share": "2/3"}
REG = _p("R1", "DE")
REG2 = _p("R2", "FR")
UNREG = _p("U1", "PL", eccp_registered=False)
UNREG2 = _p("U2", "ES", eccp_registered=False)


@pytest.mark.parametrize(
    ("params", "partners", "status", "named"),
    [
        pytest.param(HALF, (REG, REG2, UNREG, UNREG2), PASS, (), id="exactly-half"),
        pytest.param(HALF, (REG, UNREG, UNREG2), FAIL, ("U1", "U2"), id="below-half"),
        pytest.param(
            HALF,
            (REG, _p("S", type=OrgType.SME), UNREG),
            FAIL,
            ("S", "U1"),
            id="registered-sme-is-no-cluster",
        ),
        pytest.param(
            HALF,
            (REG, UNREG, _p("X", eccp_registered=None)),
            UNKNOWN,
            ("X",),
            id="registration-unknown-decides",
        ),
        pytest.param(
            HALF,
            (REG, REG2, UNREG, _p("X", eccp_registered=None)),
            PASS,
            (),
            id="half-for-certain-despite-unknown",
        ),
        pytest.param(
            HALF,
            (REG, UNREG, _p("X", role=None)),
            PASS,
            (),
            id="registered-partner-of-unknown-role-cannot-lower-share",
        ),
        pytest.param(
            HALF,
            (REG, UNREG, _p("X", eccp_registered=False, role=None)),
            UNKNOWN,
            ("X",),
            id="unregistered-partner-of-unknown-role-decides",
        ),
        pytest.param(
            HALF,
            (
                REG,
                UNREG,
                UNREG2,
                _p("P1", role=Role.ASSOCIATED_PARTNER),
                _p("P2", role=Role.ASSOCIATED_PARTNER),
            ),
            FAIL,
            ("U1", "U2"),
            id="associated-partners-not-counted",
        ),
        pytest.param(HALF, (), UNKNOWN, (), id="no-partners"),
        pytest.param(
            HALF,
            (_p("P1", role=Role.ASSOCIATED_PARTNER),),
            UNKNOWN,
            (),
            id="no-applicants",
        ),
        pytest.param(
            HALF, (_p("X", role=None),), UNKNOWN, ("X",), id="registered-of-unknown-role-alone"
        ),
        pytest.param(TWO_THIRDS, (REG, REG2, UNREG), PASS, (), id="exactly-two-thirds"),
        pytest.param(TWO_THIRDS, (REG, UNREG), FAIL, ("U1",), id="below-two-thirds"),
    ],
)
def test_min_share_table(
    params: dict[str, Any],
    partners: tuple[Partner, ...],
    status: RuleStatus,
    named: tuple[str, ...],
) -> None:
    result = check_partners("min_share", params, partners)

    assert result == (status, named)


@pytest.mark.parametrize(
    ("params", "partners", "message"),
    [
        pytest.param(
            HALF,
            (REG, REG2, UNREG, UNREG2),
            "2 of 4 applicants are cluster organisations or cluster networks registered on the "
            "ECCP; at least half are required.",
            id="pass",
        ),
        pytest.param(
            HALF,
            (REG, UNREG, UNREG2),
            "1 of 3 applicants are cluster organisations or cluster networks registered on the "
            "ECCP; at least half are required. Not cluster organisations or cluster networks "
            "registered on the ECCP: U1 (PL), U2 (ES).",
            id="fail",
        ),
        pytest.param(
            HALF,
            (REG, UNREG, _p("X", "IT", eccp_registered=None)),
            "1 of 3 applicants are cluster organisations or cluster networks registered on the "
            "ECCP; at least half are required; missing data on X (IT) decides it.",
            id="unknown",
        ),
        pytest.param(
            TWO_THIRDS,
            (REG, UNREG),
            "1 of 2 applicants are cluster organisations or cluster networks registered on the "
            "ECCP; at least 67% are required. Not cluster organisations or cluster networks "
            "registered on the ECCP: U1 (PL).",
            id="percent",
        ),
        pytest.param(HALF, (), "The consortium has no applicants to check.", id="no-partners"),
        pytest.param(
            HALF,
            (_p("X", "IT", role=None),),
            "0 of 1 applicants are cluster organisations or cluster networks registered on the "
            "ECCP; at least half are required; missing data on X (IT) decides it.",
            id="only-partner-of-unknown-role",
        ),
    ],
)
def test_min_share_message(
    params: dict[str, Any], partners: tuple[Partner, ...], message: str
) -> None:
    finding = check("min_share", params, make_application(*partners))

    assert finding.message == message


LESS_21 = {"period": "2021-2027", "categories": ["less_developed"]}
LESS_14 = {"period": "2014-2020", "categories": ["less_developed"]}
LESS_OR_TRANSITION_14 = {"period": "2014-2020", "categories": ["less_developed", "transition"]}
TRANSITION_21 = {"period": "2021-2027", "categories": ["transition"]}
MUNICH = _p("M", "DE", nuts="DE212", role=Role.COORDINATOR)
RZESZOW = _p("R", "PL", nuts="PL823")


@pytest.mark.parametrize(
    ("params", "partners", "status", "named"),
    [
        pytest.param(LESS_21, (MUNICH, RZESZOW), PASS, (), id="nuts3-less-developed"),
        pytest.param(
            LESS_21, (MUNICH, _p("B", "ES", nuts="ES511")), FAIL, (), id="all-more-developed"
        ),
        pytest.param(LESS_21, (MUNICH, _p("L", "LV")), PASS, (), id="single-region-country"),
        pytest.param(
            LESS_21, (MUNICH, _p("D", "DE")), UNKNOWN, ("D",), id="no-nuts-in-multi-region-country"
        ),
        pytest.param(
            LESS_21,
            (MUNICH, _p("W", "PL", nuts="PL12")),
            UNKNOWN,
            ("W",),
            id="code-straddles-categories",
        ),
        pytest.param(
            LESS_21,
            (MUNICH, _p("R", "PL", nuts="PL823", role=None)),
            UNKNOWN,
            ("R",),
            id="role-unknown",
        ),
        pytest.param(
            LESS_21,
            (MUNICH, _p("R", "PL", nuts="PL823", role=Role.ASSOCIATED_PARTNER)),
            FAIL,
            (),
            id="associated-partner-does-not-count",
        ),
        pytest.param(
            LESS_21, (MUNICH, _p("U", "UK", nuts="UKL1")), FAIL, (), id="uk-outside-eu-2021-2027"
        ),
        pytest.param(
            LESS_14, (MUNICH, _p("U", "UK", nuts="UKL1")), PASS, (), id="uk-member-in-2014-2020"
        ),
        pytest.param(
            LESS_21,
            (MUNICH, _p("U", "UK", nuts="UKL1", role=None)),
            FAIL,
            (),
            id="uk-outside-whatever-its-role",
        ),
        pytest.param(LESS_21, (MUNICH, _p("N", "NO", nuts="NO08")), FAIL, (), id="norway-non-eu"),
        pytest.param(LESS_21, (MUNICH, _p("I", "IS")), FAIL, (), id="iceland-no-nuts-non-eu"),
        pytest.param(LESS_21, (MUNICH, _p("S", "RS")), FAIL, (), id="serbia-no-nuts-non-eu"),
        pytest.param(
            LESS_OR_TRANSITION_14,
            (MUNICH, _p("A", "ES", nuts="ES61")),
            PASS,
            (),
            id="transition-2014-2020",
        ),
        pytest.param(
            LESS_14, (MUNICH, _p("A", "ES", nuts="ES61")), FAIL, (), id="transition-not-asked"
        ),
        pytest.param(
            TRANSITION_21, (MUNICH, _p("G", "EL", nuts="EL30")), PASS, (), id="attica-2021-2027"
        ),
        pytest.param(
            LESS_OR_TRANSITION_14,
            (MUNICH, _p("G", "EL", nuts="EL30")),
            FAIL,
            (),
            id="attica-more-developed-2014-2020",
        ),
        pytest.param(
            LESS_21 | {"min": 2},
            (RZESZOW, _p("O", "RO", nuts="RO11")),
            PASS,
            (),
            id="two-exactly-min",
        ),
        pytest.param(LESS_21 | {"min": 2}, (MUNICH, RZESZOW), FAIL, ("R",), id="two-min-minus-one"),
    ],
)
def test_min_partners_in_region_table(
    params: dict[str, Any],
    partners: tuple[Partner, ...],
    status: RuleStatus,
    named: tuple[str, ...],
) -> None:
    result = check_partners("min_partners_in_region", params, partners)

    assert result == (status, named)


@pytest.mark.parametrize(
    ("params", "partners", "message"),
    [
        pytest.param(
            LESS_21,
            (MUNICH, RZESZOW),
            "The consortium has applicants in a less developed region (2021-2027) (1, at least "
            "1). PL823 Rzeszowski (NUTS 2016) lies in PL82 Podkarpackie, a less developed region "
            "for 2021-2027.",
            id="pass",
        ),
        pytest.param(
            LESS_21,
            (MUNICH, _p("U", "UK", nuts="UKL1")),
            "Number of applicants in a less developed region (2021-2027): 0; at least 1 needed.",
            id="fail",
        ),
        pytest.param(
            LESS_21,
            (MUNICH, _p("D", "DE")),
            "Number of applicants in a less developed region (2021-2027) for certain: 0; "
            "at least 1 needed; missing data on D (DE) decides it. D (DE): no NUTS code "
            "given.",
            id="unknown",
        ),
    ],
)
def test_min_partners_in_region_message(
    params: dict[str, Any], partners: tuple[Partner, ...], message: str
) -> None:
    finding = check("min_partners_in_region", params, make_application(*partners))

    assert finding.message == message


@pytest.mark.parametrize(
    ("condition", "params"),
    [
        pytest.param("min_partners", {"min": 0}, id="min-partners-zero"),
        pytest.param("min_partners", {}, id="min-partners-missing-min"),
        pytest.param("min_partners", {"min": 3, "colour": "red"}, id="min-partners-unknown-param"),
        pytest.param(
            "min_partners", {"min": 3, "among": {"roles": ["king"]}}, id="min-partners-bad-role"
        ),
        pytest.param("min_distinct_countries", {"min": 0}, id="countries-zero"),
        pytest.param(
            "min_distinct_countries",
            {"min": 3, "countries": ["atlantis"]},
            id="countries-unknown-set",
        ),
        pytest.param("min_share", {"share": "0", "require": {}}, id="share-zero"),
        pytest.param("min_share", {"share": "3/2", "require": {}}, id="share-above-one"),
        pytest.param("min_share", {"share": "1/2"}, id="share-without-require"),
        pytest.param(
            "min_share", {"share": "1/2", "require": {"colour": "red"}}, id="share-bad-require"
        ),
        pytest.param(
            "min_partners_in_region",
            {"period": "2000-2006", "categories": ["less_developed"]},
            id="region-unknown-period",
        ),
        pytest.param(
            "min_partners_in_region",
            {"period": "2021-2027", "categories": []},
            id="region-no-category",
        ),
        pytest.param(
            "min_partners_in_region",
            {"period": "2021-2027", "categories": ["rich"]},
            id="region-unknown-category",
        ),
        pytest.param(
            "min_partners_in_region",
            {"min": 0, "period": "2021-2027", "categories": ["less_developed"]},
            id="region-min-zero",
        ),
        pytest.param(
            "min_partners_in_region", {"categories": ["less_developed"]}, id="region-no-period"
        ),
    ],
)
def test_composition_condition_bad_params_raise(condition: str, params: dict[str, Any]) -> None:
    parser = get_condition(condition)

    with pytest.raises(ValidationError):
        parser.parse_params(params)
