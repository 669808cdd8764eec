"""From the projects of an organisation to its profile, with the evidence for each value.

A technology is the organisation's when at least one of its projects is about it (see
``detect``). Whether it is *offered* or *needed* depends on the organisation: companies,
research organisations and universities offer the technologies of their projects, a
traditional SME needs them, and public bodies, cluster organisations, associations and service
firms (by name) do neither. An ecosystem is the organisation's when at least half of its
projects serve it; at most ``MAX_ECOSYSTEMS`` are kept, the best supported first.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from clusterbridge.domain.enums import SmeProfile
from clusterbridge.engines.profiles.detect import NEEDED_RELIEF, ProjectSignals, detect_project
from clusterbridge.engines.profiles.facts import DerivedProfile, Evidence, OrganisationFacts
from clusterbridge.engines.profiles.sme import NameCues, judge_sme, read_name
from clusterbridge.engines.profiles.terms import ecosystem_table, technology_table

MAX_ECOSYSTEMS = 3
#: The share of an organisation's projects that must serve an ecosystem (at least one).
ECOSYSTEM_SHARE = 0.5
COMPANY = "PRC"
RESEARCH_TYPES = frozenset({"REC", "HES"})
OTHER = "OTH"


def derive_profile(
    organisation: OrganisationFacts,
    *,
    signals: Mapping[str, ProjectSignals] | None = None,
) -> DerivedProfile:
    """Derive an organisation's technologies, ecosystems and SME profile from its projects.

    ``signals`` are the projects' detections by project id (``derive_profiles`` computes each
    project once for many organisations); a project missing from it is detected here.
    """
    projects = _signals_of(organisation, signals or {})
    name = read_name(organisation)
    profile, profile_evidence = judge_sme(organisation, projects, name=name)
    offered, needed = _route(projects, organisation, profile=profile, name=name)
    return DerivedProfile(
        organisation_id=organisation.id,
        technologies_offered=offered,
        technologies_needed=needed,
        ecosystems=_ecosystems(projects),
        sme_profile=profile,
        sme_profile_evidence=profile_evidence,
    )


def derive_profiles(organisations: Iterable[OrganisationFacts]) -> dict[str, DerivedProfile]:
    """Derive the profiles of many organisations, detecting each distinct project once.

    Returns the profiles by organisation id.
    """
    orgs = list(organisations)
    signals: dict[str, ProjectSignals] = {}
    for org in orgs:
        for participation in org.projects:
            project = participation.project
            if project.id not in signals:
                signals[project.id] = detect_project(project)
    return {org.id: derive_profile(org, signals=signals) for org in orgs}


def _signals_of(
    organisation: OrganisationFacts, signals: Mapping[str, ProjectSignals]
) -> list[ProjectSignals]:
    seen: dict[str, ProjectSignals] = {}
    for participation in organisation.projects:
        project = participation.project
        if project.id not in seen:
            found = signals.get(project.id)
            seen[project.id] = found if found is not None else detect_project(project)
    return list(seen.values())


def _supported(
    found: Iterable[tuple[Mapping[str, int], str]], labels: Mapping[str, str]
) -> list[Evidence]:
    """Evidence per code from (strengths, acronym) pairs: best supported codes first, each
    with its projects strongest first."""
    support: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for strengths, acronym in found:
        for code, strength in strengths.items():
            support[code].append((strength, acronym))
    ranked = sorted(
        support.items(), key=lambda item: (-len(item[1]), -sum(s for s, _ in item[1]), item[0])
    )
    return [
        Evidence(
            code, labels[code], tuple(a for _, a in sorted(pairs, key=lambda f: (-f[0], f[1])))
        )
        for code, pairs in ranked
    ]


def _ecosystems(projects: Sequence[ProjectSignals]) -> tuple[Evidence, ...]:
    needed = max(1.0, ECOSYSTEM_SHARE * len(projects))
    found = _supported(((p.ecosystems, p.acronym) for p in projects), ecosystem_table().labels)
    return tuple(e for e in found if e.count >= needed)[:MAX_ECOSYSTEMS]


def _route(
    projects: Sequence[ProjectSignals],
    organisation: OrganisationFacts,
    *,
    profile: SmeProfile | None,
    name: NameCues,
) -> tuple[tuple[Evidence, ...], tuple[Evidence, ...]]:
    labels = technology_table().labels
    if profile is SmeProfile.TRADITIONAL:
        needs = ((p.technologies_about(relief=NEEDED_RELIEF), p.acronym) for p in projects)
        return (), tuple(_supported(needs, labels))
    if _offers_technology(organisation, name=name):
        offers = ((p.technologies_about(), p.acronym) for p in projects)
        return tuple(_supported(offers, labels)), ()
    return (), ()


def _offers_technology(organisation: OrganisationFacts, *, name: NameCues) -> bool:
    if organisation.is_cluster_org:
        return False
    if organisation.activity_type == COMPANY:
        return not (organisation.is_sme and name.is_service)
    if organisation.activity_type in RESEARCH_TYPES:
        return True
    return organisation.activity_type == OTHER and name.has("research")
