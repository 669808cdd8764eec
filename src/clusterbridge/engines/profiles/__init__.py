"""Evidence-based profiles (issue 13): an organisation's technologies offered and needed, its
industrial ecosystems and its SME profile, derived from the texts of its projects, each value
with the projects that support it; and whether its name says a technology centre. Pure: words, weights and thresholds over hand-written term
files (``data/``, see ``data/PROVENANCE.md``); no model, no download."""

from clusterbridge.engines.profiles.centres import technology_centre_cue
from clusterbridge.engines.profiles.derive import derive_profile, derive_profiles
from clusterbridge.engines.profiles.detect import ProjectSignals, detect_project
from clusterbridge.engines.profiles.facts import (
    DerivedProfile,
    Evidence,
    OrganisationFacts,
    Participation,
    ProjectText,
)
from clusterbridge.engines.profiles.terms import raw_material_code

__all__ = [
    "DerivedProfile",
    "Evidence",
    "OrganisationFacts",
    "Participation",
    "ProjectSignals",
    "ProjectText",
    "derive_profile",
    "derive_profiles",
    "detect_project",
    "raw_material_code",
    "technology_centre_cue",
]
