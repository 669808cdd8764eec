"""Self-assessments: a cluster organisation's excellence readiness (its own questions, answers,
evidence, improvement areas and labels) and an SME's digital maturity assessments."""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clusterbridge.db.base import Base, IdMixin, TimestampMixin, utcnow
from clusterbridge.db.types import UTCDateTime, str_enum
from clusterbridge.domain.assessment import (
    ClusterDimension,
    DmaDimension,
    ImprovementStatus,
    LabelLevel,
)

Score = sa.Numeric(4, 1)


class ReadinessQuestion(IdMixin, Base):
    """One question of a cluster organisation's own copy of the readiness questions, and its
    answer (``level`` 0-4, ``None`` until answered)."""

    __tablename__ = "readiness_question"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "key"),
        sa.CheckConstraint("weight BETWEEN 1 AND 5", name="weight_range"),
        sa.CheckConstraint("level BETWEEN 0 AND 4", name="level_range"),
    )

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    #: The question's key in the shipped set, or ``own-N`` for one the organisation added.
    key: Mapped[str] = mapped_column(sa.String(60))
    dimension: Mapped[ClusterDimension] = mapped_column(str_enum(ClusterDimension))
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(sa.Text)
    #: Where the question comes from (the shipped set's source, or "added by the organisation").
    source: Mapped[str] = mapped_column(sa.Text, default="")
    weight: Mapped[int] = mapped_column(default=1)
    level: Mapped[int | None]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    evidence: Mapped[list["ReadinessEvidence"]] = relationship(
        back_populates="question", lazy="raise", cascade="all, delete-orphan"
    )


class ReadinessEvidence(IdMixin, Base):
    """A file attached to a readiness question (minutes, a strategy, a survey)."""

    __tablename__ = "readiness_evidence"
    __table_args__ = (sa.CheckConstraint("size > 0", name="not_empty"),)

    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("readiness_question.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    question: Mapped[ReadinessQuestion] = relationship(back_populates="evidence", lazy="raise")


class ImprovementArea(IdMixin, TimestampMixin, Base):
    """An area the cluster organisation chose to improve, and how far it has come."""

    __tablename__ = "improvement_area"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    dimension: Mapped[ClusterDimension] = mapped_column(str_enum(ClusterDimension))
    title: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[ImprovementStatus] = mapped_column(
        str_enum(ImprovementStatus), default=ImprovementStatus.PLANNED
    )
    due: Mapped[date | None]


class ClusterLabel(IdMixin, Base):
    """A European Cluster Excellence label the organisation holds: level, awarded, expiry."""

    __tablename__ = "cluster_label"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "level", "awarded"),
        sa.CheckConstraint("expires > awarded", name="expires_after_award"),
    )

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[LabelLevel] = mapped_column(str_enum(LabelLevel))
    awarded: Mapped[date]
    expires: Mapped[date] = mapped_column(index=True)
    #: When the expiry reminder went out (one per label).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class DigitalMaturityAssessment(IdMixin, Base):
    """One digital maturity self-assessment of an SME: its answers and its scores."""

    __tablename__ = "digital_maturity_assessment"
    __table_args__ = (sa.CheckConstraint("overall BETWEEN 0 AND 100", name="overall_range"),)

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    taken_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    #: Question key -> level (0-5), as answered.
    answers: Mapped[dict[str, int]] = mapped_column(sa.JSON)
    overall: Mapped[Decimal] = mapped_column(Score)

    scores: Mapped[list["DigitalMaturityScore"]] = relationship(
        back_populates="assessment", lazy="raise", cascade="all, delete-orphan"
    )


class DigitalMaturityScore(Base):
    """An assessment's score on one of the six dimensions, 0-100."""

    __tablename__ = "digital_maturity_score"
    __table_args__ = (sa.CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),)

    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("digital_maturity_assessment.id", ondelete="CASCADE"), primary_key=True
    )
    dimension: Mapped[DmaDimension] = mapped_column(str_enum(DmaDimension), primary_key=True)
    score: Mapped[Decimal] = mapped_column(Score)

    assessment: Mapped[DigitalMaturityAssessment] = relationship(
        back_populates="scores", lazy="raise"
    )
