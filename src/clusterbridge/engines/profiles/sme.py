"""Tech-savvy or traditional: judging an SME from its name and its projects.

The strategic-alliances call's two profiles: a *tech-savvy* SME develops, produces and
commercialises advanced technology; a *traditional* SME works in an established sector and
adopts technology. Cues add points to either side:

- the name: a technology word (``Technologies``, ``Photonics``, ``Software``, ...) or a
  traditional-sector word (``Agricola``, ``Bodegas``, ``Textile``, ``Construcciones``, ...),
  ``NAME_POINTS``;
- deep-tech funding: an EIC project (Pathfinder, Transition, Accelerator), ``EIC_POINTS``;
  a Key Digital Technologies or Chips JU project, one point;
- projects about advanced technology, one point each up to ``MAX_TECHNOLOGY_PROJECT_POINTS``;
- most projects serving a traditional ecosystem (agri-food, construction, textiles, ...), one.

A side with at least ``DECISIVE`` points and more than the other wins; a name that says
consultancy, agency, finance or law (without a technology word) says neither profile. Anything
else is ``None``: too thin to say.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from clusterbridge.domain.enums import SmeProfile
from clusterbridge.engines.profiles.detect import ProjectSignals
from clusterbridge.engines.profiles.facts import Evidence, OrganisationFacts
from clusterbridge.engines.profiles.terms import name_words, organisation_cues

NAME_POINTS = 2
EIC_POINTS = 2
MAX_TECHNOLOGY_PROJECT_POINTS = 2
DECISIVE = 2
EIC_PREFIX = "HORIZON-EIC"
ELECTRONICS_TOPICS = ("HORIZON-KDT", "HORIZON-JU-Chips")
#: Ecosystems of established sectors whose SMEs typically adopt technology.
TRADITIONAL_ECOSYSTEMS = frozenset(
    {"agri-food", "construction", "textile", "tourism", "retail", "cultural-creative"}
)
#: Technologies too common in project texts to say an SME develops advanced technology.
GENERIC_TECHNOLOGIES = frozenset({"nzia-12", "nzia-13"})


@dataclass(frozen=True, slots=True)
class NameCues:
    """The cue words found in an organisation's name and short name, by kind."""

    found: dict[str, tuple[str, ...]]

    def has(self, kind: str) -> bool:
        """Whether any word of this kind is in the name."""
        return bool(self.found.get(kind))

    def evidence(self, kind: str, label: str) -> Evidence:
        """The cue as evidence: ``label`` and the words found."""
        quoted = ", ".join(f"'{w}'" for w in self.found[kind])
        return Evidence(code=f"name-{kind}", label=f"{label} ({quoted})")

    @property
    def is_service(self) -> bool:
        """A consultancy, agency, finance or law firm by name."""
        return self.has("service")


def read_name(organisation: OrganisationFacts) -> NameCues:
    """Find the cue words of ``data/organisation_cues.csv`` in the name and the short name."""
    tokens = name_words(f"{organisation.name} {organisation.short_name}")
    return NameCues({kind: cues.find(tokens) for kind, cues in organisation_cues().items()})


def judge_sme(
    organisation: OrganisationFacts,
    projects: Sequence[ProjectSignals],
    *,
    name: NameCues,
) -> tuple[SmeProfile | None, tuple[Evidence, ...]]:
    """Judge an SME's profile and return it with the cues for it.

    Organisations that are not SMEs get ``None`` and no evidence; an SME whose cues are too
    thin gets ``None`` with the cues that were found.
    """
    if not organisation.is_sme:
        return None, ()
    if name.is_service:
        return None, (name.evidence("service", "the name says a service firm"),)
    tech, tech_evidence = _technology_points(organisation, projects, name=name)
    traditional, traditional_evidence = _traditional_points(projects, name=name)
    if tech >= DECISIVE and tech > traditional:
        return SmeProfile.TECH_SAVVY, tech_evidence
    if traditional >= DECISIVE and traditional > tech:
        return SmeProfile.TRADITIONAL, traditional_evidence
    return None, tech_evidence + traditional_evidence


def _technology_points(
    organisation: OrganisationFacts, projects: Sequence[ProjectSignals], *, name: NameCues
) -> tuple[int, tuple[Evidence, ...]]:
    points, evidence = 0, []
    if name.has("technology"):
        points += NAME_POINTS
        evidence.append(name.evidence("technology", "the name says technology"))
    eic = [
        p.project.acronym or p.project.id
        for p in organisation.projects
        if _is_eic(p.project.funding_scheme, p.project.topic)
    ]
    if eic:
        points += EIC_POINTS
        evidence.append(Evidence("eic", "EIC-funded deep-tech projects", tuple(eic)))
    chips = [
        p.project.acronym or p.project.id
        for p in organisation.projects
        if p.project.topic.startswith(ELECTRONICS_TOPICS)
    ]
    if chips:
        points += 1
        evidence.append(
            Evidence(
                "key-digital-technologies",
                "Key Digital Technologies or Chips JU projects",
                tuple(chips),
            )
        )
    advanced = [p.acronym for p in projects if p.technologies_about().keys() - GENERIC_TECHNOLOGIES]
    if advanced:
        points += min(len(advanced), MAX_TECHNOLOGY_PROJECT_POINTS)
        evidence.append(
            Evidence("advanced-technology", "projects about advanced technology", tuple(advanced))
        )
    return points, tuple(evidence)


def _traditional_points(
    projects: Sequence[ProjectSignals], *, name: NameCues
) -> tuple[int, tuple[Evidence, ...]]:
    points, evidence = 0, []
    # "Digital Agriculture", "Agritech": a sector word beside a technology word names a
    # technology firm of that sector.
    if name.has("traditional") and not name.has("technology"):
        points += NAME_POINTS
        evidence.append(name.evidence("traditional", "the name says a traditional sector"))
    sector = [p.acronym for p in projects if p.ecosystems.keys() & TRADITIONAL_ECOSYSTEMS]
    if projects and 2 * len(sector) > len(projects):
        points += 1
        evidence.append(
            Evidence("traditional-sector", "projects in a traditional sector", tuple(sector))
        )
    return points, tuple(evidence)


def _is_eic(funding_scheme: str, topic: str) -> bool:
    return funding_scheme.startswith(EIC_PREFIX) or topic.startswith(EIC_PREFIX)
