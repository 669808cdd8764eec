"""A project's analysis in JSON: findings with their evidence, recommendations with the findings
they cite, and what a client sends to write them."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from clusterbridge.db.models import Finding, FindingEvidence, Recommendation
from clusterbridge.domain.analysis import (
    MAX_LINKS,
    MAX_TEXT,
    MAX_TITLE,
    Audience,
    EvidenceKind,
    FindingKind,
)
from clusterbridge.domain.enums import SmeProfile
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.monitoring import analysis

MAX_ITEMS = 1000


class FindingWrite(BaseModel):
    """A finding to add, or a finding's new fields (every field is given: a replacement).
    ``technologies`` are codes of the technology vocabulary, ``ecosystems`` slugs of the 14
    industrial ecosystems; no ``sme_profile`` concerns every SME."""

    model_config = ConfigDict(extra="forbid")

    kind: FindingKind
    title: str = Field(max_length=MAX_TITLE)
    text: str = Field(max_length=MAX_TEXT)
    technologies: list[str] = Field(default_factory=list, max_length=MAX_LINKS)
    ecosystems: list[str] = Field(default_factory=list, max_length=MAX_LINKS)
    sme_profile: SmeProfile | None = None

    def draft(self) -> analysis.FindingDraft:
        """The service's draft."""
        return analysis.FindingDraft(
            kind=self.kind,
            title=self.title,
            text=self.text,
            technologies=tuple(self.technologies),
            ecosystems=tuple(self.ecosystems),
            sme_profile=self.sme_profile,
        )


class EvidenceLink(BaseModel):
    """An item to cite as a finding's evidence: its kind and its id (an assessment's, an
    outcome's, a document's; for ``readiness`` the cluster organisation's)."""

    model_config = ConfigDict(extra="forbid")

    kind: EvidenceKind
    ref_id: int = Field(ge=1, le=MAX_ID)


class EvidenceRead(BaseModel):
    """A piece of evidence a finding cites, with the label written when it was linked."""

    id: int
    kind: EvidenceKind
    ref_id: int
    label: str
    linked_at: datetime


class FindingRead(BaseModel):
    """A finding with its number in the exported document and its evidence."""

    id: int
    number: int
    kind: FindingKind
    title: str
    text: str
    technologies: list[str]
    ecosystems: list[str]
    sme_profile: SmeProfile | None
    evidence: list[EvidenceRead]


class RecommendationWrite(BaseModel):
    """A recommendation to add, or its new fields: the audience, the text, the ids of the
    findings it rests on (at least one)."""

    model_config = ConfigDict(extra="forbid")

    audience: Audience
    text: str = Field(max_length=MAX_TEXT)
    finding_ids: list[int] = Field(max_length=MAX_LINKS)

    def draft(self) -> analysis.RecommendationDraft:
        """The service's draft."""
        return analysis.RecommendationDraft(self.audience.value, self.text, tuple(self.finding_ids))


class RecommendationRead(BaseModel):
    """A recommendation, its number and the findings it cites (ids and numbers)."""

    id: int
    number: int
    audience: Audience
    text: str
    finding_ids: list[int]
    finding_numbers: list[int]


class Order(BaseModel):
    """The ids of every finding or recommendation of the project, in their new order."""

    model_config = ConfigDict(extra="forbid")

    ids: list[int] = Field(max_length=MAX_ITEMS)


class AnalysisRead(BaseModel):
    """A project's analysis: findings (in the document's order) and recommendations."""

    project_id: int
    findings: list[FindingRead]
    recommendations: list[RecommendationRead]


def evidence_of(link: FindingEvidence) -> EvidenceRead:
    """The JSON of one evidence link."""
    return EvidenceRead(
        id=link.id, kind=link.kind, ref_id=link.ref_id, label=link.label, linked_at=link.linked_at
    )


def finding_of(finding: Finding, number: int) -> FindingRead:
    """The JSON of one finding (its evidence loaded)."""
    return FindingRead(
        id=finding.id,
        number=number,
        kind=finding.kind,
        title=finding.title,
        text=finding.text,
        technologies=finding.technologies,
        ecosystems=finding.ecosystems,
        sme_profile=finding.sme_profile,
        evidence=[evidence_of(link) for link in finding.evidence],
    )


def recommendation_of(
    item: Recommendation, number: int, numbers: dict[int, int]
) -> RecommendationRead:
    """The JSON of one recommendation; ``numbers`` maps finding ids to their numbers."""
    return RecommendationRead(
        id=item.id,
        number=number,
        audience=item.audience,
        text=item.text,
        finding_ids=sorted(f.id for f in item.findings),
        finding_numbers=sorted(numbers[f.id] for f in item.findings),
    )


def analysis_of(found: analysis.Analysis) -> AnalysisRead:
    """The JSON of a project's analysis."""
    return AnalysisRead(
        project_id=found.project.id,
        findings=[finding_of(f, found.numbers[f.id]) for f in found.findings],
        recommendations=[
            recommendation_of(item, number, found.numbers)
            for number, item in enumerate(found.recommendations, start=1)
        ],
    )
