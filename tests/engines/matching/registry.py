"""A hand-made registry of five organisations and three projects for matching tests."""

from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.engines.matching.index import MatchIndex, build_index
from clusterbridge.engines.matching.profile import OrgProfile, ProjectInfo, Technology

VISION = Technology("ati-vision", "Machine vision")
CLOUD = Technology("ati-cloud", "Cloud computing")

STEEL = OrgProfile(
    1, "Steel Works", "DE", pic="100000001", type=OrgType.SME,
    sme_profile=SmeProfile.TRADITIONAL, nuts="DE212", text="steel casting furnace maintenance",
    needed=(VISION,), ecosystems=("energy-intensive-industries",), projects=(10,),
)  # fmt: skip
VISION_AI = OrgProfile(
    2, "Vision AI", "DE", pic="100000002", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY,
    nuts="DE213", text="machine vision inspection of steel surfaces with deep learning",
    offered=(VISION,), projects=(11,),
)  # fmt: skip
HYDROGEN_LAB = OrgProfile(
    3, "Hydrogen Lab", "PL", pic="100000003", type=OrgType.RESEARCH_ORGANISATION,
    nuts="PL823", text="hydrogen electrolysers for steel decarbonisation", projects=(10, 12),
)  # fmt: skip
BAKERY = OrgProfile(
    4, "Bakery", "FR", pic="100000004", type=OrgType.SME, sme_profile=SmeProfile.TRADITIONAL,
    nuts="FR101", text="bread baking ovens", needed=(CLOUD,),
)  # fmt: skip
CLOUD_CO = OrgProfile(
    5, "Cloud Co", "FR", pic="100000005", type=OrgType.SME, sme_profile=SmeProfile.TECH_SAVVY,
    nuts="FR102", text="cloud software platforms", offered=(CLOUD,), projects=(12,),
)  # fmt: skip
PROFILES = (STEEL, VISION_AI, HYDROGEN_LAB, BAKERY, CLOUD_CO)
PROJECTS = {
    10: ProjectInfo(10, "GREENSTEEL", "Green steel", "hydrogen direct reduction of iron"),
    11: ProjectInfo(11, "INSPECT", "Surface inspection", "machine vision quality control"),
    12: ProjectInfo(12, "H2CLOUD", "Hydrogen data", "cloud monitoring of hydrogen electrolysers"),
}


def registry_index() -> MatchIndex:
    """The five organisations indexed."""
    return build_index(PROFILES, PROJECTS)
