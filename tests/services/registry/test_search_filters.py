"""The filters of a registry search are checked: a country, type, SME profile, ecosystem,
region category or technology that none of the lists has is refused, by name, never ignored
(the QA of 2026-12-07: ``ZZ`` listed nothing, ``type=foo`` everything)."""

import pytest
from sqlalchemy.orm import Session

from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.services.registry import OrganisationFilters, search_organisations
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


def test_the_filters_are_read_as_typed_and_the_countries_normalised(session: Session) -> None:
    make_organisation(
        session, name="Athens Robots", country="EL", nuts=None, type=OrgType.SME,
        sme_profile=SmeProfile.TECH_SAVVY,
    )  # fmt: skip
    make_organisation(session, name="Athens Tools", country="EL", nuts=None, type=OrgType.SME)
    make_organisation(session, name="Berlin Robots", country="DE", type=OrgType.SME)

    filters = OrganisationFilters(
        text="robots", countries=("Greece", "cy"), types=("sme",), sme_profiles=(" tech_savvy",)
    )
    result = search_organisations(session, filters, with_facets=False)

    assert [item.name for item in result.items] == ["Athens Robots"]


def test_the_search_names_every_bad_value_at_once(session: Session) -> None:
    # The web page's values were checked twice (``read_filters``, then the search), the API's
    # types by its schema alone ("types.0: must be one of ..."), the rest by the search.
    filters = OrganisationFilters(
        countries=("ZZ", "DE"),
        types=("foo",),
        sme_profiles=("hipster",),
        ecosystems=("moon-mining",),
        categories=("outer",),
        technologies=("warp-drive",),
    )

    with pytest.raises(InvalidInputError) as raised:
        search_organisations(session, filters, page=0)

    assert raised.value.summary == "The search is not valid"
    assert [(issue.field, issue.reason) for issue in raised.value.issues] == [
        ("page", "must be between 1 and 10000"),
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
