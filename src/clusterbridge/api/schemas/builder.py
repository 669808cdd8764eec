"""The consortium builder: the question and its proposals (also the CLI's JSON output)."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from clusterbridge.api.schemas.eligibility import PartnerIn
from clusterbridge.engines.consortium.solve import MAX_PROPOSALS
from clusterbridge.services.builder.build import MAX_PARTNERS_LIMIT, BuildOutcome
from clusterbridge.services.builder.proposals import (
    DEFAULT_MAX_PARTNERS,
    DEFAULT_MIN_DIFFERENCE,
    DEFAULT_PROPOSALS,
)
from clusterbridge.services.builder.serialise import describe_outcome
from clusterbridge.services.matching.questions import MAX_IDEA_CHARS


class BuildQuestion(BaseModel):
    """A call (and strand), the partners already chosen (as in a consortium file; a registry
    PIC alone is enough), an idea, and the size and number of proposals."""

    model_config = ConfigDict(extra="forbid")

    call_id: str = Field(min_length=1, max_length=100)
    strand: str | None = Field(default=None, max_length=40)
    partners: list[PartnerIn] = Field(default_factory=list, max_length=MAX_PARTNERS_LIMIT)
    idea: str = Field(default="", max_length=MAX_IDEA_CHARS)
    max_partners: StrictInt = Field(default=DEFAULT_MAX_PARTNERS, ge=1, le=MAX_PARTNERS_LIMIT)
    proposals: StrictInt = Field(default=DEFAULT_PROPOSALS, ge=1, le=MAX_PROPOSALS)
    min_difference: StrictInt = Field(default=DEFAULT_MIN_DIFFERENCE, ge=1, le=MAX_PARTNERS_LIMIT)
    duration_months: StrictInt | None = Field(default=None, gt=0, le=1200)
    requested_grant_eur: StrictInt | None = Field(default=None, gt=0, le=10**12)


class ProposalConsortiumCreate(BaseModel):
    """The name of the consortium made from a proposal (default: "<call> proposal <number>")."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=200)


class CompletionQuestion(BuildQuestion):
    """A consortium to complete: at least one partner."""

    partners: list[PartnerIn] = Field(min_length=1, max_length=MAX_PARTNERS_LIMIT)


class AddedPartnerRead(BaseModel):
    """An organisation a proposal adds (as a beneficiary); ``id`` is the PIC. ``match`` is
    from 0 to 100, on the scale of partner suggestions, with its ``band`` (strong, good,
    weak); ``helps`` the ids of the rules it helps pass; ``relevance`` the solver's weighted
    score."""

    id: str | None
    organisation_id: int
    name: str
    country: str
    relevance: float
    match: int
    band: str
    helps: list[str]
    rules: list[str]
    reasons: list[str]


class RemovedPartnerRead(BaseModel):
    """A partner a completion swaps out, and why."""

    id: str | None
    name: str
    country: str
    why: list[str]


class ProposalRead(BaseModel):
    """One proposal: what it adds and removes, the whole consortium, the eligibility report,
    and how the solver found it (``optimal`` means proven optimal over the shortlist).
    ``match`` and ``band``: the added partners' mean match from 0 to 100 (null when it adds
    nobody); ``rules_helped``: the ids of the rules its added partners help pass, of
    ``rules_total``; ``score``: the solver's units."""

    number: int
    status: str
    optimal: bool
    objective: int
    bound: int
    seconds: float
    score: float
    match: int | None
    band: str | None
    rules_helped: list[str]
    rules_total: int
    proven_rules: list[str]
    added: list[AddedPartnerRead]
    removed: list[RemovedPartnerRead]
    report: dict[str, Any]


class BuildAnswer(BaseModel):
    """The proposals, best first, and how they were found."""

    mode: str
    call_id: str
    strand: str | None
    registry: int
    shortlist: int
    stopped: str
    seconds: dict[str, float]
    notes: list[str]
    proposals: list[ProposalRead]


def answer_of(outcome: BuildOutcome) -> BuildAnswer:
    """The builder's outcome as the API answers it."""
    return BuildAnswer.model_validate(describe_outcome(outcome))
