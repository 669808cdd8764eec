"""What partner matching sees of an organisation, a project and a question.

Services build these frozen values from registry rows; the engine never sees a row. ``None``
means not known, as everywhere in clusterbridge.
"""

from dataclasses import dataclass, field

from clusterbridge.domain.enums import OrgType, SmeProfile
from clusterbridge.reference import RegionCategory

#: Most suggestions one question may ask for.
MAX_TOP = 100
#: The kinds of partner a question may seek: an organisation type or an SME profile.
KINDS = frozenset({*(t.value for t in OrgType), *(p.value for p in SmeProfile)})


@dataclass(frozen=True, slots=True)
class Technology:
    """A technology offered or needed: its key (vocabulary code, else the folded label), the
    label a person reads and, when derived, its evidence (``3 projects, e.g. SoliDAIR``)."""

    key: str
    label: str
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class OrgProfile:
    """An organisation as matching sees it.

    ``id`` is the registry id. ``text`` is what it says about itself and what it worked on
    (description and profile). ``projects`` are the ids of the projects it took part in,
    ``clusters`` the registry ids of the clusters it is a member of. ``legal_entity`` and
    ``eccp_registered`` are the registry's flags, which the consortium builder's rules read.
    """

    id: int
    name: str
    country: str
    pic: str | None = None
    type: OrgType | None = None
    sme_profile: SmeProfile | None = None
    nuts: str | None = None
    category: RegionCategory | None = None
    text: str = ""
    ecosystems: tuple[str, ...] = ()
    offered: tuple[Technology, ...] = ()
    needed: tuple[Technology, ...] = ()
    clusters: tuple[int, ...] = ()
    projects: tuple[int, ...] = ()
    legal_entity: bool | None = None
    eccp_registered: bool | None = None


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    """A project as a reason names it: ``ACRONYM (title)``; ``text`` is what its words are
    matched against (title, keywords and objective); ``keywords`` its keywords alone."""

    id: int
    acronym: str
    title: str
    text: str = ""
    keywords: str = ""

    @property
    def label(self) -> str:
        """``ACRONYM (title)``, or the title alone when there is no acronym."""
        return f"{self.acronym} ({self.title})" if self.acronym else self.title


@dataclass(frozen=True, slots=True)
class MatchQuery:
    """Who is asking and for what.

    ``members`` are registry ids already in the consortium (or the one organisation asking);
    ``guests`` are members not in the registry (typed in), known only by their fields.
    ``idea`` is the project idea's text, which reasons call ``idea_name`` ("the call's topic"
    when a call's text stands in for an idea). ``only`` restricts the candidates (e.g. an event's
    participants). Members are never suggested; neither is anyone in ``exclude``.

    The kind of partner sought narrows the candidates before any ranking: ``kind`` (an
    ``OrgType`` value such as ``sme``, or an ``SmeProfile`` value, ``tech_savvy`` or
    ``traditional``), ``new_only`` (never in a project with a member), ``countries`` (ISO
    codes) and ``region_categories``; empty means any.
    """

    members: tuple[int, ...] = ()
    guests: tuple[OrgProfile, ...] = ()
    idea: str = ""
    top: int = 20
    only: frozenset[int] | None = None
    exclude: frozenset[int] = field(default_factory=frozenset)
    kind: str | None = None
    new_only: bool = False
    countries: frozenset[str] = field(default_factory=frozenset)
    region_categories: frozenset[RegionCategory] = field(default_factory=frozenset)
    idea_name: str = "the idea"

    def __post_init__(self) -> None:
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(sorted(KINDS))}, not {self.kind!r}")
        if not 1 <= self.top <= MAX_TOP:
            raise ValueError(f"top must be between 1 and {MAX_TOP}, not {self.top}")
        if not (self.members or self.guests or self.idea.strip()):
            raise ValueError("a question needs members, guests or an idea")


def sme_profile_of(profile: OrgProfile) -> SmeProfile | None:
    """The organisation's SME profile when it is an SME (or of unknown type): CORDIS flags
    some institutes, clusters and universities as SMEs, and the registry keeps the profile
    derived from that flag, but a research organisation is not a tech-savvy SME (as the call
    rules read it: ``sme_profiles`` filters count SMEs only)."""
    return profile.sme_profile if profile.type in {None, OrgType.SME} else None


def is_of_kind(profile: OrgProfile, kind: str | None) -> bool:
    """Whether ``profile`` is of ``kind`` (an organisation type or an SME profile of an SME);
    any organisation is of kind ``None``."""
    if kind is None:
        return True
    if kind in {p.value for p in SmeProfile}:
        found = sme_profile_of(profile)
        return found is not None and found.value == kind
    return profile.type is not None and profile.type.value == kind
