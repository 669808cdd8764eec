"""What the profile engine reads about projects and organisations, and what it derives.

Services build these frozen values from CORDIS rows or registry rows; the engine never sees a
row. Every derived value carries its evidence: the projects it was found in.
"""

from dataclasses import dataclass, field

from clusterbridge.domain.enums import SmeProfile

#: How many project acronyms a sentence of evidence names.
EXAMPLES_SHOWN = 3


@dataclass(frozen=True, slots=True)
class ProjectText:
    """The texts of one project that detection reads.

    ``id`` is the project's key (the CORDIS project id or grant number); ``keywords`` is the
    comma-separated CORDIS field; ``euroscivoc_terms`` and ``euroscivoc_fields`` are the
    EuroSciVoc labels CORDIS assigned (the ``;``-separated columns, split).
    """

    id: str
    acronym: str
    title: str = ""
    objective: str = ""
    keywords: str = ""
    euroscivoc_terms: tuple[str, ...] = ()
    euroscivoc_fields: tuple[str, ...] = ()
    topic: str = ""
    funding_scheme: str = ""
    legal_basis: str = ""
    programme: str = ""


@dataclass(frozen=True, slots=True)
class Participation:
    """An organisation's part in a project: the project and its CORDIS role
    (``coordinator``, ``participant``, ``associatedPartner``, ``thirdParty``)."""

    project: ProjectText
    role: str = "participant"


@dataclass(frozen=True, slots=True)
class OrganisationFacts:
    """An organisation as the profile engine sees it.

    ``activity_type`` is the CORDIS activity type (``PRC`` company, ``REC`` research
    organisation, ``HES`` higher education, ``PUB`` public body, ``OTH`` other); ``is_sme``
    is CORDIS's SME flag (``None`` when not known); ``is_cluster_org`` marks cluster
    organisations.
    """

    id: str
    name: str
    short_name: str = ""
    activity_type: str = ""
    is_sme: bool | None = None
    is_cluster_org: bool = False
    projects: tuple[Participation, ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    """One derived value and why: ``code`` (a technology code, an ecosystem slug or a cue),
    the ``label`` a person reads, and the acronyms of the projects it was found in, strongest
    first (``count`` of them). A cue found outside projects (the name, say) has no projects."""

    code: str
    label: str
    projects: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """How many projects support the value."""
        return len(self.projects)

    def describe(self) -> str:
        """The evidence in plain English, e.g. ``robotics: 3 projects, e.g. SoliDAIR, ROBOFOOD``.

        At most three acronyms are named; a cue without projects is its label alone.
        """
        if not self.projects:
            return self.label
        shown = ", ".join(self.projects[:EXAMPLES_SHOWN])
        if self.count == 1:
            return f"{self.label}: 1 project, {shown}"
        return f"{self.label}: {self.count} projects, e.g. {shown}"


@dataclass(frozen=True, slots=True)
class DerivedProfile:
    """The profile derived for one organisation.

    ``technologies_offered`` and ``technologies_needed`` hold technology codes (the codes of
    the registry vocabulary's ``technologies.csv`` and ``crm-<slug>`` for critical raw materials),
    ``ecosystems`` the slugs of the 14 industrial ecosystems. A traditional SME's technologies
    are needed, not offered. ``sme_profile`` is ``None`` for organisations that are not SMEs
    and when the evidence is too thin; ``sme_profile_evidence`` says why either way.
    """

    organisation_id: str
    technologies_offered: tuple[Evidence, ...] = ()
    technologies_needed: tuple[Evidence, ...] = ()
    ecosystems: tuple[Evidence, ...] = ()
    sme_profile: SmeProfile | None = None
    sme_profile_evidence: tuple[Evidence, ...] = field(default=())

    @property
    def offered_codes(self) -> tuple[str, ...]:
        """The codes of the technologies offered, strongest first."""
        return tuple(e.code for e in self.technologies_offered)

    @property
    def needed_codes(self) -> tuple[str, ...]:
        """The codes of the technologies needed, strongest first."""
        return tuple(e.code for e in self.technologies_needed)

    @property
    def ecosystem_slugs(self) -> tuple[str, ...]:
        """The slugs of the ecosystems, strongest first."""
        return tuple(e.code for e in self.ecosystems)
