"""Evidence-based profiles in the registry: derived values stored with their evidence, declared
values winning, the members' confirmation, and searching by technology with the evidence shown.
Runs on SQLite and PostgreSQL."""

import pytest
from sqlalchemy.orm import Session

from clusterbridge.db.models import Organisation
from clusterbridge.domain.enums import (
    OrgType,
    SmeProfile,
    TechnologyDirection,
    UserRole,
    ValueOrigin,
)
from clusterbridge.domain.errors import InputIssue, InvalidInputError
from clusterbridge.engines.profiles import OrganisationFacts, Participation, ProjectText
from clusterbridge.services.registry import (
    FacetCount,
    NotAllowedError,
    OrganisationFilters,
    confirm_derived,
    get_organisation,
    search_organisations,
    update_organisation,
)
from clusterbridge.services.registry.profiles import ProfileSummary, store_derived_profiles
from tests.factories.organisations import make_organisation
from tests.factories.users import make_user

pytestmark = [pytest.mark.integration, pytest.mark.db]

ROBOTS = ProjectText(
    id="p1",
    acronym="ROBOWELD",
    title="Collaborative welding robots for small factories",
    keywords="robotics, welding, cobots",
    euroscivoc_terms=("robotics",),
    objective="We build collaborative robots that weld.",
)


def _facts(organisation: Organisation) -> OrganisationFacts:
    return OrganisationFacts(
        id=str(organisation.id),
        name=organisation.name,
        activity_type="PRC",
        is_sme=True,
        projects=(Participation(ROBOTS, "coordinator"), Participation(ROBOTS, "participant")),
    )


@pytest.fixture
def robots(session: Session) -> Organisation:
    """An SME of Spain whose project is about welding robots, its profile derived."""
    organisation = make_organisation(
        session, name="Robotnik Automation SL", country="ES", nuts="ES523", type=OrgType.SME
    )
    store_derived_profiles(session, [_facts(organisation)], {str(organisation.id): organisation.id})
    session.expire_all()
    return get_organisation(session, organisation.id)


def test_derived_values_are_stored_with_their_evidence(robots: Organisation) -> None:
    offered = [
        (t.label, t.code, t.origin, t.evidence)
        for t in robots.technologies
        if t.direction == TechnologyDirection.OFFERED
    ]

    assert offered == [
        ("Robotics", "ati-robotics", ValueOrigin.DERIVED, "robotics: 1 project, ROBOWELD")
    ]
    assert (robots.sme_profile, robots.sme_profile_origin) == (
        SmeProfile.TECH_SAVVY,
        ValueOrigin.DERIVED,
    )


def test_a_declared_list_is_never_extended_by_derived_values(session: Session) -> None:
    organisation = make_organisation(session, name="Robot Makers", type=OrgType.SME)
    admin = make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)
    update_organisation(session, admin, organisation.id, {"technologies_offered": ["Welding"]})

    summary = store_derived_profiles(
        session, [_facts(organisation)], {str(organisation.id): organisation.id}
    )

    session.expire_all()
    found = get_organisation(session, organisation.id)
    assert [(t.label, t.origin) for t in found.technologies] == [("Welding", ValueOrigin.DECLARED)]
    assert summary == ProfileSummary(
        organisations=1, technologies=0, ecosystems=0, tech_savvy=1, traditional=0
    )


def test_saving_unchanged_values_declares_nothing(session: Session, robots: Organisation) -> None:
    admin = make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)

    update_organisation(
        session,
        admin,
        robots.id,
        {"technologies_offered": ["Robotics"], "sme_profile": "tech_savvy", "city": "Valencia"},
    )

    assert robots.declared_fields == ["city"]
    assert [t.origin for t in robots.technologies] == [ValueOrigin.DERIVED]
    assert robots.sme_profile_origin == ValueOrigin.DERIVED


def test_correcting_a_derived_value_makes_it_declared(
    session: Session, robots: Organisation
) -> None:
    admin = make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)

    update_organisation(session, admin, robots.id, {"sme_profile": "traditional"})

    assert (robots.sme_profile, robots.sme_profile_origin, robots.sme_profile_evidence) == (
        SmeProfile.TRADITIONAL,
        ValueOrigin.DECLARED,
        None,
    )
    assert robots.declared_fields == ["sme_profile"]


def test_members_confirm_derived_values(session: Session, robots: Organisation) -> None:
    admin = make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)

    confirm_derived(session, admin, robots.id, "technologies_offered")
    store_derived_profiles(session, [_facts(robots)], {str(robots.id): robots.id})

    session.expire_all()
    found = get_organisation(session, robots.id)
    assert [(t.label, t.origin, t.evidence) for t in found.technologies] == [
        ("Robotics", ValueOrigin.DECLARED, None)
    ]
    assert found.declared_fields == ["technologies_offered"]


def test_confirming_needs_a_member_and_a_known_field(
    session: Session, robots: Organisation
) -> None:
    stranger = make_user(session, email="someone@example.org")
    admin = make_user(session, email="admin@example.org", role=UserRole.ADMINISTRATOR)

    with pytest.raises(NotAllowedError):
        confirm_derived(session, stranger, robots.id, "ecosystems")
    with pytest.raises(InvalidInputError) as caught:
        confirm_derived(session, admin, robots.id, "name")

    reason = (
        "must be one of ecosystems, technologies_offered, technologies_needed, sme_profile, type"
    )
    assert caught.value.issues == (InputIssue("", "field", reason),)


def test_search_finds_tech_savvy_smes_offering_a_technology_with_evidence(
    session: Session, robots: Organisation
) -> None:
    make_organisation(session, name="Madrid Furniture SL", country="ES", type=OrgType.SME)
    filters = OrganisationFilters(
        countries=("ES",),
        types=(OrgType.SME,),
        sme_profiles=(SmeProfile.TECH_SAVVY,),
        technologies=("ati-robotics",),
    )

    result = search_organisations(session, filters)

    assert [(item.name, item.evidence) for item in result.items] == [
        (
            "Robotnik Automation SL",
            (
                "the name says technology ('automation', 'robotnik'); projects about advanced "
                "technology: "
                "1 project, ROBOWELD",
                "robotics: 1 project, ROBOWELD",
            ),
        )
    ]
    assert result.facets is not None
    assert result.facets.technologies == (FacetCount("ati-robotics", 1, selected=True),)


def test_search_refuses_an_unknown_technology_code(session: Session) -> None:
    with pytest.raises(InvalidInputError) as caught:
        search_organisations(session, OrganisationFilters(technologies=("robots",)))

    reason = '"robots" is not a technology code; use a code such as ati-robotics'
    assert caught.value.issues == (InputIssue("query", "technologies", reason),)
