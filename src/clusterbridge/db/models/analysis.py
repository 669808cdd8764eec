"""A monitored project's analysis: opportunities and threats for SMEs adopting advanced
technologies (findings) with typed references to their evidence, the documents uploaded as
evidence, and the policy recommendations citing the findings (issue 19, part 5; ADR 0030)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin, TimestampMixin, utcnow
from clusterbridge.db.types import UTCDateTime, str_enum
from clusterbridge.domain.analysis import Audience, EvidenceKind, FindingKind
from clusterbridge.domain.enums import SmeProfile


class Finding(IdMixin, TimestampMixin, Base):
    """An opportunity or a threat for SMEs adopting advanced technologies. ``technologies``
    holds codes of the technology vocabulary, ``ecosystems`` slugs of the 14 industrial
    ecosystems; ``sme_profile`` None concerns every SME."""

    __tablename__ = "analysis_finding"

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("monitored_project.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[FindingKind] = mapped_column(str_enum(FindingKind))
    title: Mapped[str] = mapped_column(sa.String(200))
    text: Mapped[str] = mapped_column(sa.Text)
    technologies: Mapped[list[str]] = mapped_column(sa.JSON)
    ecosystems: Mapped[list[str]] = mapped_column(sa.JSON)
    sme_profile: Mapped[SmeProfile | None] = mapped_column(str_enum(SmeProfile))
    position: Mapped[int] = mapped_column(default=0)

    evidence: Mapped[list["FindingEvidence"]] = relationship(
        back_populates="finding",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="FindingEvidence.id",
    )


class FindingEvidence(IdMixin, Base):
    """A typed reference from a finding to its evidence: the kind, the item's id in the table of
    that kind (no foreign key: kinds live in different tables) and the label written when it
    was linked, which the document cites even if the item changes or goes (ADR 0030)."""

    __tablename__ = "analysis_evidence"
    __table_args__ = (sa.UniqueConstraint("finding_id", "kind", "ref_id"),)

    finding_id: Mapped[int] = mapped_column(
        sa.ForeignKey("analysis_finding.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EvidenceKind] = mapped_column(str_enum(EvidenceKind))
    ref_id: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(500))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    finding: Mapped[Finding] = relationship(back_populates="evidence", lazy="raise")


class AnalysisDocument(IdMixin, Base):
    """A file uploaded to a project's analysis as evidence (a survey, a study, minutes)."""

    __tablename__ = "analysis_document"
    __table_args__ = (sa.CheckConstraint("size > 0", name="not_empty"),)

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("monitored_project.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    file_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Recommendation(IdMixin, TimestampMixin, Base):
    """A policy recommendation to an audience, resting on at least one of the project's
    findings (checked by the service: a recommendation cites, a finding cited stays)."""

    __tablename__ = "policy_recommendation"

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("monitored_project.id", ondelete="CASCADE"), index=True
    )
    audience: Mapped[Audience] = mapped_column(str_enum(Audience))
    text: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)

    findings: Mapped[list[Finding]] = relationship(
        secondary="recommendation_finding", lazy="raise", order_by="Finding.id"
    )


class RecommendationFinding(Base):
    """A finding a recommendation rests on."""

    __tablename__ = "recommendation_finding"

    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("policy_recommendation.id", ondelete="CASCADE"), primary_key=True
    )
    finding_id: Mapped[int] = mapped_column(
        sa.ForeignKey("analysis_finding.id", ondelete="CASCADE"), primary_key=True, index=True
    )
