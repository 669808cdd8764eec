"""Bodies of the organisation endpoints: ``OrganisationCreate`` / ``OrganisationUpdate`` /
``OrganisationRead``, and the search page with its facets."""

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, TypeAdapter
from typing_extensions import TypedDict

from clusterbridge.api.schemas.pages import PageRead
from clusterbridge.db.models import Organisation, Participation
from clusterbridge.domain.enums import (
    OrgType,
    RecordSource,
    SmeProfile,
    TechnologyDirection,
    ValueOrigin,
)
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.reference import RegionCategory
from clusterbridge.services.registry import (
    MAX_PAGE,
    MAX_PER_PAGE,
    OrganisationFacets,
    OrganisationListing,
    OrganisationSearchResult,
    type_evidence,
)

MAX_LIST = 30


def _values_of(enum: type[StrEnum]) -> dict[str, Any]:
    """The schema of a list of ``enum``'s values, for a list the service checks itself."""
    return {"items": {"type": "string", "enum": [member.value for member in enum]}}


class OrganisationQuery(BaseModel):
    """Search parameters; repeat a list parameter for several values (``countries=DE&countries=FR``)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        "",
        max_length=200,
        description=(
            "Words looked up in names, descriptions, technologies and profiles; a 9-digit PIC"
            " alone finds the organisation with that PIC."
        ),
    )
    countries: list[str] = Field(
        [], max_length=MAX_LIST, description="Country codes or names (GR → EL)."
    )
    # Checked by the search (as the web page's are), which names every bad value at once and
    # quotes it; the schema still lists the values.
    types: list[str] = Field([], max_length=MAX_LIST, json_schema_extra=_values_of(OrgType))
    sme_profiles: list[str] = Field(
        [], max_length=MAX_LIST, json_schema_extra=_values_of(SmeProfile)
    )
    ecosystems: list[str] = Field(
        [], max_length=MAX_LIST, description="Slugs of industrial ecosystems."
    )
    categories: list[str] = Field(
        [],
        max_length=MAX_LIST,
        description="Region categories 2021-2027.",
        json_schema_extra=_values_of(RegionCategory),
    )
    technologies: list[str] = Field(
        [],
        max_length=MAX_LIST,
        description="Codes of technologies offered (ati-robotics...; see the vocabulary).",
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)
    facets: bool = Field(True, description="Count results per facet value (slower).")


class OrganisationSummary(BaseModel):
    """An organisation in a list of results."""

    id: int
    pic: str | None
    name: str
    short_name: str | None
    type: OrgType | None
    is_sme: bool | None
    sme_profile: SmeProfile | None
    country: str
    nuts: str | None
    city: str | None
    category_2021_2027: RegionCategory | None
    category_2014_2020: RegionCategory | None
    evidence: list[str] = Field(
        default_factory=list,
        description="In a search for technologies or SME profiles: why it matches, in words.",
    )


class TechnologyRead(BaseModel):
    """A technology offered or needed, with its vocabulary code if it has one, where it comes
    from, and for a derived one the projects it rests on."""

    direction: TechnologyDirection
    label: str
    code: str | None
    origin: ValueOrigin
    evidence: str | None


class EcosystemRead(BaseModel):
    """An industrial ecosystem, where it comes from, and the evidence of a derived one."""

    slug: str
    origin: ValueOrigin
    evidence: str | None


class ConfirmDerived(BaseModel):
    """The field whose derived values the members confirm."""

    model_config = ConfigDict(extra="forbid")

    field: Literal[
        "ecosystems", "technologies_offered", "technologies_needed", "sme_profile", "type"
    ]


class OrganisationRef(BaseModel):
    """A link to another organisation."""

    id: int
    name: str


class ParticipationRead(BaseModel):
    """A project the organisation took part in (from CORDIS)."""

    grant_id: str
    acronym: str
    title: str
    role: str
    start_date: date | None
    ec_contribution_eur: float | None
    url: str


class OrganisationRead(OrganisationSummary):
    """Everything known about one organisation."""

    latitude: float | None
    longitude: float | None
    website: str | None
    email: str | None
    legal_entity: bool | None
    eccp_registered: bool | None
    description: str
    profile: str
    source: RecordSource
    ecosystems: list[str]
    ecosystem_origins: list[EcosystemRead] = Field(
        description="The ecosystems with where each comes from (derived or declared)."
    )
    sme_profile_origin: ValueOrigin | None
    sme_profile_evidence: str | None
    type_evidence: str | None = Field(
        description="Why a CORDIS record is a technology centre, when its name said so (ADR "
        "0038); null for a type CORDIS gave, someone declared, or of another source."
    )
    declared_fields: list[str] = Field(
        description="Fields the members declared: no derivation or re-import changes them."
    )
    technologies: list[TechnologyRead]
    clusters: list[OrganisationRef] = Field(description="Cluster organisations it is a member of.")
    members: list[OrganisationRef] = Field(description="Its members, if it is a cluster.")
    projects: list[ParticipationRead]


class FacetCountRead(BaseModel):
    """How many results have one value of a facet."""

    value: str
    count: int
    selected: bool


class FacetsRead(BaseModel):
    """Counts per value of each facet, each computed with the other facets' filters."""

    countries: list[FacetCountRead]
    types: list[FacetCountRead]
    sme_profiles: list[FacetCountRead]
    ecosystems: list[FacetCountRead]
    categories: list[FacetCountRead]
    technologies: list[FacetCountRead]


class OrganisationPage(PageRead[OrganisationSummary]):
    """One page of search results."""

    facets: FacetsRead | None


_Text = Field(default=None, max_length=300)


class OrganisationUpdate(BaseModel):
    """Changes to an organisation: only the fields given change (null clears one)."""

    model_config = ConfigDict(extra="forbid")

    pic: str | None = Field(default=None, max_length=9)
    name: str | None = _Text
    short_name: str | None = _Text
    type: OrgType | None = None
    is_sme: StrictBool | None = None
    sme_profile: SmeProfile | None = None
    country: str | None = Field(default=None, max_length=60)
    nuts: str | None = Field(default=None, max_length=10)
    city: str | None = _Text
    latitude: StrictFloat | None = None
    longitude: StrictFloat | None = None
    website: str | None = _Text
    email: str | None = _Text
    legal_entity: StrictBool | None = None
    eccp_registered: StrictBool | None = None
    description: str | None = Field(default=None, max_length=10_000)
    ecosystems: list[str] | None = Field(default=None, max_length=MAX_LIST)
    technologies_offered: list[str] | None = Field(default=None, max_length=MAX_LIST)
    technologies_needed: list[str] | None = Field(default=None, max_length=MAX_LIST)
    cluster_ids: list[Annotated[StrictInt, Field(ge=1, le=MAX_ID)]] | None = Field(
        default=None, max_length=MAX_LIST
    )


class OrganisationCreate(OrganisationUpdate):
    """A new organisation: a name and a country at least."""

    name: str = Field(min_length=1, max_length=300)
    country: str = Field(min_length=1, max_length=60)


CORDIS_PROJECT_URL = "https://cordis.europa.eu/project/id/"


def summary_of(organisation: Organisation | OrganisationListing) -> OrganisationSummary:
    """The list item of an organisation (no relationship is touched)."""
    return OrganisationSummary.model_validate(organisation, from_attributes=True)


def read_of(organisation: Organisation, participations: list[Participation]) -> OrganisationRead:
    """The full record (ecosystems, technologies, clusters and members must be loaded)."""
    base = summary_of(organisation).model_dump()
    return OrganisationRead(
        **base,
        latitude=organisation.latitude,
        longitude=organisation.longitude,
        website=organisation.website,
        email=organisation.email,
        legal_entity=organisation.legal_entity,
        eccp_registered=organisation.eccp_registered,
        description=organisation.description,
        profile=organisation.profile,
        source=organisation.source,
        ecosystems=sorted(row.ecosystem for row in organisation.ecosystems),
        ecosystem_origins=[
            EcosystemRead(slug=row.ecosystem, origin=row.origin, evidence=row.evidence)
            for row in sorted(organisation.ecosystems, key=lambda row: row.ecosystem)
        ],
        sme_profile_origin=organisation.sme_profile_origin,
        sme_profile_evidence=organisation.sme_profile_evidence,
        type_evidence=type_evidence(organisation),
        declared_fields=list(organisation.declared_fields or ()),
        technologies=[
            TechnologyRead(
                direction=t.direction,
                label=t.label,
                code=t.code,
                origin=t.origin,
                evidence=t.evidence,
            )
            for t in sorted(organisation.technologies, key=lambda t: (t.direction, t.label))
        ],
        clusters=[
            OrganisationRef(id=m.cluster.id, name=m.cluster.name) for m in organisation.clusters
        ],
        members=[OrganisationRef(id=m.member.id, name=m.member.name) for m in organisation.members],
        projects=[_participation(p) for p in participations],
    )


def _participation(participation: Participation) -> ParticipationRead:
    project = participation.project
    return ParticipationRead(
        grant_id=project.grant_id,
        acronym=project.acronym,
        title=project.title,
        role=participation.role,
        start_date=project.start_date,
        ec_contribution_eur=participation.ec_contribution_eur,
        url=CORDIS_PROJECT_URL + project.grant_id,
    )


def page_of(result: OrganisationSearchResult) -> OrganisationPage:
    """The search result as a response body."""
    facets = None
    if result.facets is not None:
        facets = FacetsRead.model_validate(result.facets, from_attributes=True)
    return OrganisationPage(
        items=[summary_of(o) for o in result.items],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
        pages=result.pages,
        facets=facets,
    )


class _PageBody(TypedDict):
    """``OrganisationPage`` over the search's own dataclasses (same fields, same order)."""

    items: list[OrganisationListing]
    total: int
    page: int
    per_page: int
    pages: int
    facets: OrganisationFacets | None


_PAGE_BODY = TypeAdapter(_PageBody)


def page_json(result: OrganisationSearchResult) -> bytes:
    """The JSON of ``page_of(result)``, byte for byte, serialised straight from the search's
    dataclasses: no model is built or validated (a page's facets are hundreds of counts, and
    validating them cost more than the search answered from its cache)."""
    return _PAGE_BODY.dump_json(
        {
            "items": result.items,
            "total": result.total,
            "page": result.page,
            "per_page": result.per_page,
            "pages": result.pages,
            "facets": result.facets,
        }
    )
