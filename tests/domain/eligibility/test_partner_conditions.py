"""The per-partner conditions: legal_entity, country_eligible, applicant_type.

Tables of ``(params, partners, expected status, expected partners named)``; then exact messages;
then parameter validation. Partners come from ``make_partner``: fully known beneficiary cluster
organisations unless a case says otherwise.
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

PASS, FAIL = RuleStatus.PASS, RuleStatus.FAIL
WARNING, UNKNOWN = RuleStatus.WARNING, RuleStatus.UNKNOWN
WITH_AFFILIATES = {"roles": ["coordinator", "beneficiary", "affiliated_entity"]}


def _p(name: str, country: str = "DE", **changes: Any) -> Partner:
    return make_partner(name=name, country=country, **changes)


A, B = _p("A", "DE", role=Role.COORDINATOR), _p("B", "FR")


@pytest.mark.parametrize(
    ("params", "partners", "status", "named"),
    [
        pytest.param({}, (A, B), PASS, (), id="all-legal-entities"),
        pytest.param({}, (A, _p("B", legal_entity=False)), FAIL, ("B",), id="one-is-not"),
        pytest.param({}, (A, _p("B", legal_entity=None)), UNKNOWN, ("B",), id="not-given"),
        pytest.param(
            {},
            (A, _p("B", type=OrgType.NATURAL_PERSON, legal_entity=True)),
            FAIL,
            ("B",),
            id="natural-person-never-legal-entity",
        ),
        pytest.param(
            {},
            (A, _p("B", legal_entity=False, role=None)),
            UNKNOWN,
            ("B",),
            id="role-unknown-so-maybe-not-concerned",
        ),
        pytest.param(
            {},
            (A, _p("B", legal_entity=None, role=None)),
            UNKNOWN,
            ("B",),
            id="role-and-value-unknown",
        ),
        pytest.param(
            {},
            (A, _p("B", role=None)),
            PASS,
            (),
            id="role-unknown-but-legal-entity-anyway",
        ),
        pytest.param(
            {},
            (_p("A", role=None), _p("B", role=Role.AFFILIATED_ENTITY)),
            UNKNOWN,
            ("A",),
            id="maybe-no-applicant-at-all",
        ),
        pytest.param(
            {},
            (A, _p("B", legal_entity=False, role=Role.ASSOCIATED_PARTNER)),
            PASS,
            (),
            id="associated-partner-not-concerned",
        ),
        pytest.param(
            {},
            (A, _p("B", legal_entity=False, role=Role.AFFILIATED_ENTITY)),
            PASS,
            (),
            id="affiliated-entity-not-an-applicant",
        ),
        pytest.param(
            {"among": WITH_AFFILIATES},
            (A, _p("B", legal_entity=False, role=Role.AFFILIATED_ENTITY)),
            FAIL,
            ("B",),
            id="affiliated-entity-concerned",
        ),
        pytest.param(
            {},
            (_p("A", legal_entity=False), _p("B", legal_entity=None)),
            FAIL,
            ("A",),
            id="fail-outweighs-unknown",
        ),
        pytest.param({}, (), UNKNOWN, (), id="no-partner"),
        pytest.param(
            {},
            (_p("A", role=Role.ASSOCIATED_PARTNER),),
            UNKNOWN,
            (),
            id="no-applicant",
        ),
    ],
)
def test_legal_entity_table(
    params: dict[str, Any],
    partners: tuple[Partner, ...],
    status: RuleStatus,
    named: tuple[str, ...],
) -> None:
    result = check_partners("legal_entity", params, partners)

    assert result == (status, named)


UNKNOWN_ROLES = (("B", "DE"), ("C", "RO"), ("D", "EL"))


@pytest.mark.parametrize(
    ("partners", "message"),
    [
        pytest.param((A, B), "All applicants (2) are legal entities.", id="pass"),
        # Not "All 1 applicants are ...".
        pytest.param((A,), "All applicants (1) are legal entities.", id="pass-one"),
        pytest.param(
            (A, _p("B", "FR", legal_entity=False)),
            "1 of 2 applicants are not legal entities: B (FR).",
            id="fail",
        ),
        pytest.param(
            (A, _p("B", "FR", legal_entity=None)),
            "Cannot tell for B (FR): whether it is a legal entity is not given "
            "(column legal_entity).",
            id="unknown-value",
        ),
        pytest.param(
            (A, _p("B", "FR", legal_entity=False, role=None)),
            "Cannot tell for B (FR): its role is not given (column role).",
            id="unknown-role",
        ),
        pytest.param(
            (A, _p("B", "FR", legal_entity=None), _p("C", "PL", legal_entity=None)),
            "Cannot tell for B (FR), C (PL): whether they are legal entities is not given "
            "(column legal_entity).",
            id="unknown-values",
        ),
        pytest.param(
            (A, *(_p(n, c, legal_entity=False, role=None) for n, c in UNKNOWN_ROLES)),
            "Cannot tell for B (DE), C (RO), D (EL): their roles are not given (column role).",
            id="unknown-roles",
        ),
        pytest.param((), "The consortium has no applicants to check.", id="no-partner"),
    ],
)
def test_legal_entity_message(partners: tuple[Partner, ...], message: str) -> None:
    finding = check("legal_entity", {}, make_application(*partners))

    assert finding.message == message


EU = {"countries": ["eu_member_states"]}
EU_SMP = {"countries": ["eu_member_states", "smp_cosme_associated"]}
EU_COSME = {"countries": ["eu_member_states", "cosme_2014_2020"]}


@pytest.mark.parametrize(
    ("params", "partners", "status", "named"),
    [
        pytest.param(EU, (A, B), PASS, (), id="member-states"),
        pytest.param(EU, (A, _p("G", "EL")), PASS, (), id="greece-as-el"),
        pytest.param(EU, (A, _p("U", "US")), FAIL, ("U",), id="third-country"),
        pytest.param(EU, (A, _p("U", "UK")), FAIL, ("U",), id="united-kingdom-left"),
        pytest.param(EU, (A, _p("U", "US", role=None)), UNKNOWN, ("U",), id="role-unknown"),
        pytest.param(
            EU,
            (A, _p("U", "US", role=Role.ASSOCIATED_PARTNER)),
            PASS,
            (),
            id="associated-partner-not-concerned",
        ),
        pytest.param(
            {"countries": ["eu_member_states", "octs"]},
            (A, _p("N", "NC")),
            PASS,
            (),
            id="overseas-country-territory",
        ),
        pytest.param({"countries": ["eea_efta"]}, (_p("N", "NO"),), PASS, (), id="eea"),
        pytest.param(EU_SMP, (A, _p("L", "AL")), WARNING, ("L",), id="smp-list-unverified"),
        pytest.param(
            EU_SMP, (A, _p("L", "AL", role=None)), WARNING, ("L",), id="unverified-role-unknown"
        ),
        pytest.param(EU_COSME, (A, _p("L", "AL")), PASS, (), id="cosme-list-confirms"),
        pytest.param(EU_COSME, (A, _p("K", "UA")), PASS, (), id="ukraine-cosme-country"),
        pytest.param(EU_SMP, (A, _p("K", "UA")), WARNING, ("K",), id="ukraine-smp-unverified"),
        pytest.param(
            EU_COSME,
            (A, _p("I", "IL"), _p("C", "CA"), _p("K", "UA")),
            FAIL,
            ("I", "C"),
            id="israel-and-canada-outside-cosme",
        ),
        pytest.param(
            EU_COSME,
            (
                A,
                _p("I", "IL", role=Role.ASSOCIATED_PARTNER),
                _p("C", "CA", role=Role.ASSOCIATED_PARTNER),
            ),
            PASS,
            (),
            id="associated-partners-outside-not-concerned",
        ),
        pytest.param(
            {"countries": ["eu_member_states", "AL"]},
            (A, _p("L", "AL")),
            PASS,
            (),
            id="listed-code",
        ),
        pytest.param(
            EU_SMP,
            (A, _p("L", "AL", role=Role.ASSOCIATED_PARTNER)),
            PASS,
            (),
            id="unverified-but-not-concerned",
        ),
        pytest.param(
            EU_SMP,
            (A, _p("R", "RS"), _p("L", "AL", role=Role.ASSOCIATED_PARTNER)),
            WARNING,
            ("R",),
            id="warning-names-only-concerned",
        ),
        pytest.param(
            EU_SMP, (_p("U", "US"), _p("L", "AL")), FAIL, ("U",), id="fail-outweighs-warning"
        ),
        pytest.param(
            EU,
            (_p("A", role=None), _p("B", role=Role.ASSOCIATED_PARTNER)),
            UNKNOWN,
            ("A",),
            id="maybe-no-applicant-at-all",
        ),
    ],
)
def test_country_eligible_table(
    params: dict[str, Any],
    partners: tuple[Partner, ...],
    status: RuleStatus,
    named: tuple[str, ...],
) -> None:
    result = check_partners("country_eligible", params, partners)

    assert result == (status, named)


@pytest.mark.parametrize(
    ("params", "partners", "message"),
    [
        pytest.param(
            EU,
            (A, B),
            "All applicants (2) are established in eligible countries (EU Member States).",
            id="pass",
        ),
        pytest.param(
            EU,
            (A, _p("U", "US")),
            "1 of 2 applicants are not established in an eligible country (EU Member States): "
            "U (US). US is not an eligible country for this call.",
            id="fail",
        ),
        pytest.param(
            EU,
            (A, _p("U", "US"), _p("C", "CA"), _p("I", "IL"), _p("V", "US")),
            "4 of 5 applicants are not established in an eligible country (EU Member States): "
            "U (US), C (CA), I (IL), V (US). US, CA and IL are not eligible countries for this "
            "call.",
            id="fail-names-each-country-once",
        ),
        pytest.param(
            EU,
            (A, _p("U", "US"), _p("C", "CA", role=Role.ASSOCIATED_PARTNER)),
            "1 of 2 applicants are not established in an eligible country (EU Member States): "
            "U (US). US is not an eligible country for this call.",
            id="fail-leaves-out-associated-partner",
        ),
        pytest.param(
            EU,
            (A, _p("U", "US"), _p("C", "CA", role=None)),
            "1 of 3 applicants are not established in an eligible country (EU Member States): "
            "U (US). US is not an eligible country for this call.",
            id="fail-names-only-the-failed",
        ),
        pytest.param(
            EU,
            (A, _p("U", "US", role=None)),
            "Cannot tell for U (US): its role is not given (column role). US is not an eligible "
            "country for this call.",
            id="unknown",
        ),
        pytest.param(
            EU,
            (_p("A", role=None), _p("B", role=Role.ASSOCIATED_PARTNER)),
            "No partner is surely one of the applicants: A (DE): its role is not given (column "
            "role).",
            id="unknown-inside-scope-names-no-country",
        ),
        pytest.param(
            EU,
            (_p("A", role=None), _p("B", "FR", role=None)),
            "No partner is surely one of the applicants: A (DE), B (FR): their roles are not "
            "given (column role).",
            id="unknown-roles-inside-scope",
        ),
        pytest.param(
            EU_SMP,
            (A, _p("L", "AL")),
            "All applicants (2) are established in eligible countries (EU Member States, Non-EU "
            "countries associated to the SME strand of the Single Market Programme). The "
            "participation of L (AL) rests on a country list that clusterbridge's reference "
            "data does not confirm: check the programme's list of participating countries.",
            id="warning",
        ),
    ],
)
def test_country_eligible_message(
    params: dict[str, Any], partners: tuple[Partner, ...], message: str
) -> None:
    finding = check("country_eligible", params, make_application(*partners))

    assert finding.message == message


CLUSTERS = {"allowed": ["cluster_organisation", "cluster_network"]}
CLUSTERS_OR_JUSTIFY = CLUSTERS | {"others": "warning", "others_reason": "Justify it."}
NO_NATURAL_PERSONS = {"excluded": ["natural_person"]}
SME = OrgType.SME


@pytest.mark.parametrize(
    ("params", "partners", "status", "named"),
    [
        pytest.param(
            CLUSTERS, (A, _p("B", type=OrgType.CLUSTER_NETWORK)), PASS, (), id="allowed-types"
        ),
        pytest.param(CLUSTERS, (A, _p("B", type=SME)), FAIL, ("B",), id="other-type"),
        pytest.param(
            CLUSTERS_OR_JUSTIFY, (A, _p("B", type=SME)), WARNING, ("B",), id="other-type-warns"
        ),
        pytest.param(CLUSTERS, (A, _p("B", type=None)), UNKNOWN, ("B",), id="type-unknown"),
        pytest.param(
            CLUSTERS_OR_JUSTIFY,
            (A, _p("B", type=None)),
            UNKNOWN,
            ("B",),
            id="type-unknown-with-warning-option",
        ),
        pytest.param(
            CLUSTERS_OR_JUSTIFY,
            (_p("A", type=SME), _p("B", type=None)),
            WARNING,
            ("A",),
            id="warning-outweighs-unknown",
        ),
        pytest.param(
            CLUSTERS, (A, _p("B", type=SME, role=None)), UNKNOWN, ("B",), id="role-unknown"
        ),
        pytest.param(
            CLUSTERS,
            (A, _p("B", type=SME, role=Role.ASSOCIATED_PARTNER)),
            PASS,
            (),
            id="associated-partner-not-concerned",
        ),
        pytest.param(
            NO_NATURAL_PERSONS,
            (_p("A", type=SME), _p("B", type=OrgType.UNIVERSITY)),
            PASS,
            (),
            id="excluded-list-pass",
        ),
        pytest.param(
            NO_NATURAL_PERSONS,
            (A, _p("B", type=OrgType.NATURAL_PERSON)),
            FAIL,
            ("B",),
            id="excluded-type",
        ),
        pytest.param(CLUSTERS, (), UNKNOWN, (), id="no-partner"),
        pytest.param(
            CLUSTERS,
            (_p("A", role=None), _p("B", role=Role.ASSOCIATED_PARTNER)),
            UNKNOWN,
            ("A",),
            id="maybe-no-applicant-at-all",
        ),
    ],
)
def test_applicant_type_table(
    params: dict[str, Any],
    partners: tuple[Partner, ...],
    status: RuleStatus,
    named: tuple[str, ...],
) -> None:
    result = check_partners("applicant_type", params, partners)

    assert result == (status, named)


@pytest.mark.parametrize(
    ("params", "partners", "message"),
    [
        pytest.param(
            CLUSTERS,
            (A, _p("B", "FR", type=OrgType.CLUSTER_NETWORK)),
            "All applicants (2) are cluster organisations or cluster networks.",
            id="pass",
        ),
        pytest.param(
            CLUSTERS,
            (A, _p("B", "FR", type=SME)),
            "1 of 2 applicants are not cluster organisations or cluster networks: B (FR).",
            id="fail",
        ),
        pytest.param(
            CLUSTERS_OR_JUSTIFY,
            (A, _p("B", "FR", type=SME)),
            "1 of 2 applicants are not cluster organisations or cluster networks: B (FR). "
            "Justify it.",
            id="warning-with-reason",
        ),
        pytest.param(
            CLUSTERS,
            (A, _p("B", "FR", type=None)),
            "Cannot tell for B (FR): its organisation type is not given (column type).",
            id="unknown",
        ),
        pytest.param(
            CLUSTERS,
            (A, _p("B", "FR", type=None), _p("C", "PL", type=SME, role=None)),
            "Cannot tell for B (FR): its organisation type is not given (column type). "
            "Cannot tell for C (PL): its role is not given (column role).",
            id="unknown-type-and-role",
        ),
        pytest.param(
            CLUSTERS,
            (A, _p("B", "FR", type=None), _p("C", "PL", type=None)),
            "Cannot tell for B (FR), C (PL): their organisation types are not given (column type).",
            id="unknown-types",
        ),
        pytest.param(
            NO_NATURAL_PERSONS,
            (A, _p("B", "FR", type=OrgType.NATURAL_PERSON)),
            "1 of 2 applicants are natural persons: B (FR).",
            id="excluded-fail-no-double-negative",
        ),
        pytest.param(
            NO_NATURAL_PERSONS,
            (A, _p("B", "FR", type=SME)),
            "All applicants (2) are other than natural persons.",
            id="excluded-pass",
        ),
    ],
)
def test_applicant_type_message(
    params: dict[str, Any], partners: tuple[Partner, ...], message: str
) -> None:
    finding = check("applicant_type", params, make_application(*partners))

    assert finding.message == message


@pytest.mark.parametrize(
    ("condition", "params"),
    [
        pytest.param("legal_entity", {"colour": "red"}, id="legal-entity-unknown-param"),
        pytest.param("legal_entity", {"among": {"roles": ["king"]}}, id="unknown-role"),
        pytest.param("legal_entity", {"among": {"types": ["spaceship"]}}, id="unknown-type"),
        pytest.param("legal_entity", {"among": {"colour": "red"}}, id="unknown-filter-field"),
        pytest.param("country_eligible", {}, id="countries-missing"),
        pytest.param("country_eligible", {"countries": ["atlantis"]}, id="unknown-country-set"),
        pytest.param("country_eligible", {"countries": ["XX"]}, id="unknown-country-code"),
        pytest.param(
            "applicant_type",
            {"allowed": ["sme"], "excluded": ["natural_person"]},
            id="allowed-and-excluded",
        ),
        pytest.param("applicant_type", {}, id="neither-allowed-nor-excluded"),
        pytest.param(
            "applicant_type",
            {"allowed": ["sme"], "others": "maybe"},
            id="others-not-fail-or-warning",
        ),
    ],
)
def test_partner_condition_bad_params_raise(condition: str, params: dict[str, Any]) -> None:
    parser = get_condition(condition)

    with pytest.raises(ValidationError):
        parser.parse_params(params)
