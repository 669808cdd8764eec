"""The outcome ledger's JSON: a follow-up's question, an answer, an organisation's outcomes."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from clusterbridge.domain.enums import OutcomeType
from clusterbridge.domain.numbers import MAX_ID
from clusterbridge.services.monitoring import FollowUpQuestion, OutcomeEntry


class ChoiceRead(BaseModel):
    """A consortium, proposal or project an answer may link to."""

    id: int
    label: str


class FollowUpRead(BaseModel):
    """What a follow-up link asks, and what its answer may link to."""

    organisation: str
    activity: str
    week: int
    consortia: list[ChoiceRead]
    proposals: list[ChoiceRead]
    projects: list[ChoiceRead]


class FollowUpAnswer(BaseModel):
    """An answer to a follow-up."""

    model_config = ConfigDict(extra="forbid")

    answer: OutcomeType
    consortium_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    proposal_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    project_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    note: str = Field(default="", max_length=2000)


class OutcomeRead(BaseModel):
    """One outcome of an organisation."""

    id: int
    type: OutcomeType
    label: str
    activity: str
    recorded_at: datetime
    consortium: str | None
    proposal: str | None
    project: str | None
    note: str


def follow_up_of(question: FollowUpQuestion) -> FollowUpRead:
    """The JSON of a follow-up's question."""
    return FollowUpRead(
        organisation=question.organisation.name,
        activity=question.activity,
        week=question.follow_up.week,
        consortia=[ChoiceRead(id=c.id, label=c.label) for c in question.consortia],
        proposals=[ChoiceRead(id=c.id, label=c.label) for c in question.proposals],
        projects=[ChoiceRead(id=c.id, label=c.label) for c in question.projects],
    )


def outcome_of(entry: OutcomeEntry) -> OutcomeRead:
    """The JSON of an outcome."""
    return OutcomeRead(
        id=entry.id, type=entry.type, label=entry.label, activity=entry.activity,
        recorded_at=entry.recorded_at, consortium=entry.consortium, proposal=entry.proposal,
        project=entry.project, note=entry.note,
    )  # fmt: skip
