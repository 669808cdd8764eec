"""Profiles of hand-made organisations: evidence, offers and needs, SME profiles, ecosystems."""

import pytest

from clusterbridge.domain.enums import SmeProfile
from clusterbridge.engines.profiles import Evidence, derive_profile, derive_profiles
from tests.engines.profiles.builders import GRIPPER, ROBOFOOD, SOLIDAIR, organisation, project

pytestmark = pytest.mark.unit


def test_evidence_describes_projects_in_plain_english() -> None:
    three = Evidence("ati-robotics", "robotics", ("SoliDAIR", "ROBOFOOD", "GRIPPER", "ARM"))
    one = Evidence("ati-robotics", "robotics", ("SoliDAIR",))
    cue = Evidence("name-technology", "the name says technology ('robotics')")

    assert three.describe() == "robotics: 4 projects, e.g. SoliDAIR, ROBOFOOD, GRIPPER"
    assert one.describe() == "robotics: 1 project, SoliDAIR"
    assert cue.describe() == "the name says technology ('robotics')"


def test_derive_tech_savvy_sme_offers_its_projects_technologies() -> None:
    org = organisation("Gripwise Robotics GmbH", SOLIDAIR, ROBOFOOD, GRIPPER)

    profile = derive_profile(org)

    assert profile.sme_profile is SmeProfile.TECH_SAVVY
    assert [e.describe() for e in profile.technologies_offered] == [
        "robotics: 3 projects, e.g. GRIPPER, ROBOFOOD, SoliDAIR"
    ]
    assert profile.technologies_needed == ()
    assert [e.describe() for e in profile.sme_profile_evidence] == [
        "the name says technology ('robotics')",
        "projects about advanced technology: 3 projects, e.g. SoliDAIR, ROBOFOOD, GRIPPER",
    ]


def test_derive_traditional_sme_needs_its_projects_technologies() -> None:
    org = organisation("Bodegas Ejemplo SA", SOLIDAIR)

    profile = derive_profile(org)

    assert profile.sme_profile is SmeProfile.TRADITIONAL
    assert profile.technologies_offered == ()
    assert profile.needed_codes == ("ati-robotics",)
    assert [e.describe() for e in profile.sme_profile_evidence] == [
        "the name says a traditional sector ('bodegas')"
    ]


def test_derive_traditional_sme_needs_a_technology_one_notch_weaker() -> None:
    weak = project("VINEYARD", keywords="robots, wine", objective="A robot in the vineyard.")

    traditional = derive_profile(organisation("Bodegas Ejemplo SA", weak))
    savvy = derive_profile(organisation("Vine Robotics SL", weak))

    assert traditional.needed_codes == ("ati-robotics",)
    assert savvy.offered_codes == ()


def test_derive_sector_word_beside_a_technology_word_is_tech_savvy() -> None:
    org = organisation("Smart Farm Robotix OOD", SOLIDAIR)

    profile = derive_profile(org)

    assert profile.sme_profile is SmeProfile.TECH_SAVVY
    assert profile.offered_codes == ("ati-robotics",)


def test_derive_one_project_without_cues_is_too_thin() -> None:
    org = organisation("Ejemplo SL", SOLIDAIR)

    profile = derive_profile(org)

    assert profile.sme_profile is None
    assert profile.offered_codes == ("ati-robotics",)
    assert [e.code for e in profile.sme_profile_evidence] == ["advanced-technology"]


def test_derive_eic_project_and_a_technology_make_tech_savvy() -> None:
    eic = project(
        "LASERX",
        title="Photonic chips",
        keywords="photonics",
        objective="integrated photonics",
        funding_scheme="HORIZON-EIC-ACC-BF",
    )

    profile = derive_profile(organisation("Ejemplo SL", eic))

    assert profile.sme_profile is SmeProfile.TECH_SAVVY
    assert [e.describe() for e in profile.sme_profile_evidence] == [
        "EIC-funded deep-tech projects: 1 project, LASERX",
        "projects about advanced technology: 1 project, LASERX",
    ]


def test_derive_service_firm_neither_offers_nor_gets_a_profile() -> None:
    org = organisation("Robotics Consulting GmbH", SOLIDAIR, ROBOFOOD)

    profile = derive_profile(org)

    assert profile.sme_profile is None
    assert profile.technologies_offered == ()
    assert [e.describe() for e in profile.sme_profile_evidence] == [
        "the name says a service firm ('consulting')"
    ]


@pytest.mark.parametrize(
    ("activity_type", "name", "is_cluster_org", "offers"),
    [
        ("REC", "Robot Institute", False, True),
        ("HES", "University of Examples", False, True),
        ("PRC", "Big Robot Corp", False, True),
        ("PUB", "City of Example", False, False),
        ("OTH", "Association of Examples", False, False),
        ("OTH", "Example Research Foundation", False, True),
        ("OTH", "Robotics Cluster Example", True, False),
    ],
)
def test_derive_who_offers_technologies(
    activity_type: str, name: str, is_cluster_org: bool, offers: bool
) -> None:
    org = organisation(
        name, SOLIDAIR, activity_type=activity_type, is_sme=False, is_cluster_org=is_cluster_org
    )

    profile = derive_profile(org)

    assert profile.offered_codes == (("ati-robotics",) if offers else ())
    assert profile.technologies_needed == ()
    assert profile.sme_profile is None


def test_derive_ecosystem_needs_half_the_projects() -> None:
    farm = project("FARM", topic="HORIZON-CL6-2023-FARM2FORK-01-13", objective="Farmers.")
    health = project("CARE", topic="HORIZON-HLTH-2023-CARE-04-03", objective="Patients.")
    farm_two = project("FARM2", topic=farm.topic, objective="Farmers.")
    org_two = organisation("Ejemplo SL", farm, health)
    org_three = organisation("Ejemplo SL", farm, health, farm_two)

    assert derive_profile(org_two).ecosystem_slugs == ("agri-food", "health")
    assert derive_profile(org_three).ecosystem_slugs == ("agri-food",)


def test_derive_profiles_matches_one_by_one() -> None:
    orgs = [
        organisation("Gripwise Robotics GmbH", SOLIDAIR, ROBOFOOD),
        organisation("Bodegas Ejemplo SA", SOLIDAIR),
        organisation("City of Example", GRIPPER, activity_type="PUB", is_sme=False),
    ]

    profiles = derive_profiles(orgs)

    assert profiles == {org.id: derive_profile(org) for org in orgs}
