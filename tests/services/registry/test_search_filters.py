"""The filters of a registry search are checked: a country, type, SME profile, ecosystem,
region category or technology that none of the lists has is refused, by name, never ignored
(the QA of 2026-12-07: ``ZZ`` listed nothing, ``type=foo`` everything)."""

import pytest
from sqlalchemy.orm import Session

from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.reference import RegionCategory
from clusterbridge.services.registry import (
    OrganisationFilters,
    read_filters,
    search_organisations,
)
from tests.factories.organisations import make_organisation

pytestmark = [pytest.mark.integration, pytest.mark.db]

ZZ = '"ZZ" is not a known country code; use an ISO 3166 or EU code such as DE, EL or UK'


def test_a_country_code_no_list_knows_is_refused(session: Session) -> None:
    make_organisation(session, name="Robot Works", country="DE")

    with pytest.raises(InvalidInputError) as raised:
        search_organisations(session, OrganisationFilters(countries=("DE", "ZZ")))

    assert raised.value.summary == "The search is not valid"
    assert raised.value.issues == (InputIssue("query", "countries", ZZ),)


def test_a_code_no_list_knows_is_searched_when_the_registry_has_it(session: Session) -> None:
    # CORDIS gives codes of its own (XH); its organisations keep them and the facets show them.
    make_organisation(session, name="Far Away Labs", country="XH", nuts=None)
    make_organisation(session, name="Robot Works", country="DE")

    result = search_organisations(session, OrganisationFilters(countries=(" xh",)))

    assert [item.name for item in result.items] == ["Far Away Labs"]


def test_read_filters_types_the_values_and_normalises_the_countries(session: Session) -> None:
    filters = read_filters(
        session,
        text="robot",
        countries=["Greece", "de"],
        types=["sme"],
        sme_profiles=["tech_savvy"],
        ecosystems=["agri-food"],
        categories=["transition"],
        technologies=["ati-robotics"],
    )

    assert filters == OrganisationFilters(
        text="robot",
        countries=("EL", "DE"),
        types=(OrgType.SME,),
        sme_profiles=(SmeProfile.TECH_SAVVY,),
        ecosystems=("agri-food",),
        categories=(RegionCategory.TRANSITION,),
        technologies=("ati-robotics",),
    )


def test_read_filters_names_every_bad_value_at_once(session: Session) -> None:
    with pytest.raises(InvalidInputError) as raised:
        read_filters(
            session,
            countries=["ZZ", "DE"],
            types=["foo"],
            sme_profiles=["hipster"],
            ecosystems=["moon-mining"],
            categories=["outer"],
            technologies=["warp-drive"],
        )

    assert [(issue.field, issue.reason) for issue in raised.value.issues] == [
        ("countries", ZZ),
        (
            "types",
            '"foo" is not a type of organisation; use one of cluster_organisation, '
            "cluster_network, business_network, sme, large_enterprise, technology_centre, "
            "research_organisation, university, public_body, other, natural_person",
        ),
        ("sme_profiles", '"hipster" is not an SME profile; use one of traditional, tech_savvy'),
        (
            "categories",
            '"outer" is not a region category; use one of less_developed, transition, '
            "more_developed",
        ),
        (
            "ecosystems",
            '"moon-mining" is not an industrial ecosystem; use one of aerospace-defence, '
            "agri-food, construction, cultural-creative, digital, electronics, "
            "energy-intensive, health, mobility-transport-automotive, proximity-social-economy, "
            "renewable-energy, retail, textile, tourism",
        ),
        ("technologies", '"warp-drive" is not a technology code; use a code such as ati-robotics'),
    ]
