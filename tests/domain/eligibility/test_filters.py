"""PartnerFilter: the three-valued selection of partners (``masks``) and its words (``describe``).

A filter's answer for one partner is read from its masks: certain → True, possible but not
certain → None (not known), neither → False.
"""

from typing import Any

import pytest
from pydantic import ValidationError

from clusterbridge.domain.consortium import Partner
from clusterbridge.domain.eligibility.filters import PartnerFilter
from clusterbridge.domain.eligibility.index import PartnerIndex
from clusterbridge.domain.enums import OrgType, Role, SmeProfile
from tests.factories.partners import make_partner

pytestmark = pytest.mark.unit

Tri = bool | None
APPLICANTS_AND_AFFILIATES = ["coordinator", "beneficiary", "affiliated_entity"]
REGISTERED_CLUSTERS = {"types": ["cluster_organisation"], "eccp_registered": True}


def _answer(partner_filter: PartnerFilter, partner: Partner) -> Tri:
    masks = partner_filter.masks(PartnerIndex((partner,)))
    if masks.certain:
        return True
    return None if masks.possible else False


@pytest.mark.parametrize(
    ("fields", "partner", "expected"),
    [
        pytest.param({}, make_partner(role=Role.COORDINATOR), True, id="coordinator-applicant"),
        pytest.param({}, make_partner(role=Role.BENEFICIARY), True, id="beneficiary-applicant"),
        pytest.param({}, make_partner(role=Role.AFFILIATED_ENTITY), False, id="affiliated-not"),
        pytest.param({}, make_partner(role=Role.ASSOCIATED_PARTNER), False, id="associated-not"),
        pytest.param({}, make_partner(role=None), None, id="role-unknown"),
        pytest.param(
            {"roles": APPLICANTS_AND_AFFILIATES},
            make_partner(role=Role.AFFILIATED_ENTITY),
            True,
            id="affiliated-when-asked",
        ),
        pytest.param(REGISTERED_CLUSTERS, make_partner(), True, id="and-true-true"),
        pytest.param(
            REGISTERED_CLUSTERS, make_partner(eccp_registered=None), None, id="and-true-unknown"
        ),
        pytest.param(
            REGISTERED_CLUSTERS, make_partner(eccp_registered=False), False, id="and-true-false"
        ),
        pytest.param(
            REGISTERED_CLUSTERS,
            make_partner(type=None, eccp_registered=None),
            None,
            id="and-unknown-unknown",
        ),
        pytest.param(
            REGISTERED_CLUSTERS,
            make_partner(type=None, eccp_registered=False),
            False,
            id="and-unknown-false",
        ),
        pytest.param(
            REGISTERED_CLUSTERS,
            make_partner(type=OrgType.SME, eccp_registered=None),
            False,
            id="and-false-unknown",
        ),
        pytest.param(
            REGISTERED_CLUSTERS,
            make_partner(role=None, type=OrgType.SME),
            False,
            id="role-unknown-but-type-false",
        ),
        pytest.param(
            {"sme_profiles": ["tech_savvy"]},
            make_partner(type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY),
            True,
            id="sme-profile",
        ),
        pytest.param(
            {"sme_profiles": ["tech_savvy"]},
            make_partner(type=OrgType.SME, sme_profile=None),
            None,
            id="sme-profile-unknown",
        ),
        pytest.param(
            {"sme_profiles": ["tech_savvy"]},
            make_partner(type=OrgType.RESEARCH_ORGANISATION, sme_profile=SmeProfile.TECH_SAVVY),
            False,
            id="profile-of-a-non-sme-is-no-sme",
        ),
        pytest.param(
            {"sme_profiles": ["traditional"]},
            make_partner(type=OrgType.LARGE_ENTERPRISE, sme_profile=None),
            False,
            id="non-sme-without-profile-is-no-sme",
        ),
        pytest.param(
            {"sme_profiles": ["tech_savvy"]},
            make_partner(type=None, sme_profile=SmeProfile.TECH_SAVVY),
            None,
            id="profile-of-unknown-type",
        ),
        pytest.param({"legal_entity": False}, make_partner(), False, id="flag-false-wanted"),
        pytest.param(
            {"legal_entity": False}, make_partner(legal_entity=False), True, id="flag-false-held"
        ),
    ],
)
def test_partner_filter_masks_truth_table(
    fields: dict[str, Any], partner: Partner, expected: Tri
) -> None:
    partner_filter = PartnerFilter(**fields)

    answer = _answer(partner_filter, partner)

    assert answer is expected


def test_partner_filter_masks_consortium() -> None:
    partners = (
        make_partner(name="A", role=Role.COORDINATOR),
        make_partner(name="B", role=None),
        make_partner(name="C", role=Role.ASSOCIATED_PARTNER),
        make_partner(name="D", eccp_registered=None),
    )
    index = PartnerIndex(partners)

    masks = PartnerFilter(eccp_registered=True).masks(index)

    assert (masks.certain, masks.possible, masks.undecided) == (0b0001, 0b1011, 0b1010)


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        pytest.param({}, "applicants", id="default-applicants"),
        pytest.param(
            {"roles": APPLICANTS_AND_AFFILIATES},
            "applicants and affiliated entities",
            id="applicants-and-affiliated",
        ),
        pytest.param(
            {"roles": [*APPLICANTS_AND_AFFILIATES, "associated_partner"]},
            "partners",
            id="every-role",
        ),
        pytest.param({"roles": ["coordinator"]}, "coordinators", id="coordinators"),
        pytest.param(
            {"roles": ["associated_partner"]}, "associated partners", id="associated-partners"
        ),
        pytest.param(
            {"roles": ["affiliated_entity"]}, "affiliated entities", id="affiliated-entities"
        ),
        pytest.param(
            {"types": ["cluster_organisation", "cluster_network"]},
            "applicants that are cluster organisations or cluster networks",
            id="types",
        ),
        pytest.param(
            {"sme_profiles": ["tech_savvy"]}, "applicants that are tech-savvy SMEs", id="profile"
        ),
        pytest.param({"legal_entity": True}, "applicants that are legal entities", id="legal"),
        pytest.param(
            {"legal_entity": False}, "applicants that are not legal entities", id="not-legal"
        ),
        pytest.param(
            {"types": ["cluster_organisation"], "eccp_registered": True},
            "applicants that are cluster organisations registered on the ECCP",
            id="registered-clusters",
        ),
        pytest.param(
            {"eccp_registered": False},
            "applicants that are not registered on the ECCP",
            id="not-registered",
        ),
        pytest.param(
            {"types": ["sme"], "legal_entity": True},
            "applicants that are SMEs and legal entities",
            id="type-and-legal-entity",
        ),
    ],
)
def test_partner_filter_describe(fields: dict[str, Any], words: str) -> None:
    partner_filter = PartnerFilter(**fields)

    described = partner_filter.describe()

    assert described == words


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"roles": ["king"]}, id="unknown-role"),
        pytest.param({"types": ["spaceship"]}, id="unknown-type"),
        pytest.param({"sme_profiles": ["average"]}, id="unknown-profile"),
        pytest.param({"colour": "red"}, id="unknown-field"),
    ],
)
def test_partner_filter_bad_fields_raise(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        PartnerFilter(**fields)
