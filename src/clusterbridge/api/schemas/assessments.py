"""Bodies of the self-assessment endpoints (cluster readiness, SME digital maturity)."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from clusterbridge.db.models import ClusterLabel, ImprovementArea, ReadinessQuestion
from clusterbridge.domain.assessment import (
    CLUSTER_TOP_LEVEL,
    DMA_TOP_LEVEL,
    MAX_WEIGHT,
    MIN_WEIGHT,
    ClusterDimension,
    ImprovementStatus,
    LabelLevel,
    overdue_since,
)
from clusterbridge.services.monitoring import MaturityEntry, Readiness
from clusterbridge.services.monitoring.readiness import MAX_COMMENT, MAX_QUESTION, MAX_TITLE


class EvidenceRead(BaseModel):
    """An evidence file attached to a question (its content at ``/readiness/evidence/{id}``)."""

    id: int
    file_name: str
    content_type: str
    size: int
    uploaded_at: datetime


class QuestionRead(BaseModel):
    """One of the organisation's questions with its answer (0-4, ``null`` if unanswered)."""

    id: int
    key: str
    dimension: ClusterDimension
    text: str
    source: str
    weight: int
    level: int | None
    comment: str
    evidence: list[EvidenceRead]


class ImprovementRead(BaseModel):
    """An improvement area and how far it has come."""

    id: int
    dimension: ClusterDimension
    title: str
    status: ImprovementStatus
    due: date | None
    #: Whether it is past its due date and not done (by the site's calendar, ADR 0039).
    overdue: bool


class LabelRead(BaseModel):
    """A label the organisation holds."""

    id: int
    level: LabelLevel
    awarded: date
    expires: date


class ReadinessRead(BaseModel):
    """A cluster organisation's readiness self-assessment (private to its members)."""

    organisation_id: int
    notice: str
    scores: dict[ClusterDimension, Decimal]
    overall: Decimal | None
    questions: list[QuestionRead]
    improvement_areas: list[ImprovementRead]
    labels: list[LabelRead]


class QuestionCreate(BaseModel):
    """A question of the organisation's own."""

    model_config = ConfigDict(extra="forbid")

    dimension: ClusterDimension
    text: str = Field(min_length=1, max_length=MAX_QUESTION)
    weight: StrictInt = Field(default=1, ge=MIN_WEIGHT, le=MAX_WEIGHT)


class QuestionUpdate(BaseModel):
    """A question reworded or reweighted."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_QUESTION)
    weight: StrictInt = Field(ge=MIN_WEIGHT, le=MAX_WEIGHT)


class AnswerUpdate(BaseModel):
    """An answer 0 (not in place) to 4 (fully in place), or ``null`` to clear it."""

    model_config = ConfigDict(extra="forbid")

    level: StrictInt | None = Field(ge=0, le=CLUSTER_TOP_LEVEL)
    comment: str = Field(default="", max_length=MAX_COMMENT)


class ImprovementCreate(BaseModel):
    """An area chosen to improve."""

    model_config = ConfigDict(extra="forbid")

    dimension: ClusterDimension
    title: str = Field(min_length=1, max_length=MAX_TITLE)
    due: date | None = None


class ImprovementUpdate(BaseModel):
    """How far an improvement area has come."""

    model_config = ConfigDict(extra="forbid")

    status: ImprovementStatus
    due: date | None = None


class LabelCreate(BaseModel):
    """A label held; without ``expires``, a Bronze label runs two years."""

    model_config = ConfigDict(extra="forbid")

    level: LabelLevel
    awarded: date
    expires: date | None = None


class MaturityCreate(BaseModel):
    """Every question's answer, 0 (not at all) to 5 (fully), by question key."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, StrictInt] = Field(max_length=200)


class MaturityQuestionRead(BaseModel):
    """A digital maturity question."""

    key: str
    dimension: str
    text: str


class MaturityQuestionsRead(BaseModel):
    """The digital maturity questions and what they rest on."""

    notice: str
    top_level: int = DMA_TOP_LEVEL
    questions: list[MaturityQuestionRead]


class MaturityRead(BaseModel):
    """One assessment: scores 0-100 and the change since the one before."""

    id: int
    taken_at: datetime
    overall: Decimal
    band: str
    scores: dict[str, Decimal]
    overall_delta: Decimal | None
    deltas: dict[str, Decimal]


def question_of(question: ReadinessQuestion) -> QuestionRead:
    """The API view of a question."""
    return QuestionRead(
        id=question.id,
        key=question.key,
        dimension=question.dimension,
        text=question.text,
        source=question.source,
        weight=question.weight,
        level=question.level,
        comment=question.comment,
        evidence=[
            EvidenceRead(
                id=e.id, file_name=e.file_name, content_type=e.content_type, size=e.size,
                uploaded_at=e.uploaded_at,
            )
            for e in question.evidence
        ],
    )  # fmt: skip


def improvement_of(area: ImprovementArea, *, today: date) -> ImprovementRead:
    """The API view of an improvement area, ``overdue`` as of ``today``."""
    return ImprovementRead(
        id=area.id, dimension=area.dimension, title=area.title, status=area.status, due=area.due,
        overdue=overdue_since(area.status, area.due, today=today) is not None,
    )  # fmt: skip


def label_of(label: ClusterLabel) -> LabelRead:
    """The API view of a label."""
    return LabelRead(id=label.id, level=label.level, awarded=label.awarded, expires=label.expires)


def readiness_of(readiness: Readiness, *, today: date) -> ReadinessRead:
    """The API view of a readiness self-assessment (improvement areas overdue as of
    ``today``)."""
    return ReadinessRead(
        organisation_id=readiness.organisation.id,
        notice=readiness.notice,
        scores={ClusterDimension(d): s for d, s in readiness.scores.items()},
        overall=readiness.overall,
        questions=[question_of(q) for q in readiness.questions],
        improvement_areas=[improvement_of(a, today=today) for a in readiness.areas],
        labels=[label_of(x) for x in readiness.labels],
    )


def maturity_of(entry: MaturityEntry) -> MaturityRead:
    """The API view of one digital maturity assessment."""
    return MaturityRead(
        id=entry.assessment.id,
        taken_at=entry.assessment.taken_at,
        overall=entry.assessment.overall,
        band=entry.band,
        scores=entry.scores,
        overall_delta=entry.overall_delta,
        deltas=entry.deltas,
    )
