"""Partner suggestions: the question and the answer."""

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from clusterbridge.api.schemas.eligibility import PartnerIn
from clusterbridge.services.matching.suggestions import DEFAULT_TOP, MAX_IDEA_CHARS, Suggestion


class SuggestionQuestion(BaseModel):
    """A consortium (partners as in a consortium file: a registry PIC alone is enough), an
    optional idea and call."""

    model_config = ConfigDict(extra="forbid")

    partners: list[PartnerIn] = Field(min_length=1, max_length=500)
    idea: str = Field(default="", max_length=MAX_IDEA_CHARS)
    call_id: str | None = Field(default=None, max_length=100)
    strand: str | None = Field(default=None, max_length=40)
    top: StrictInt = Field(default=DEFAULT_TOP, ge=1, le=100)


class SuggestionRead(BaseModel):
    """One suggestion; ``id`` is the PIC (null for records without one)."""

    id: str | None
    organisation_id: int
    name: str
    country: str
    score: float
    reasons: list[str]


class SuggestionList(BaseModel):
    """Suggestions, best first."""

    suggestions: list[SuggestionRead]


def suggestions_of(found: list[Suggestion]) -> SuggestionList:
    """The service's suggestions as the API answers them."""
    return SuggestionList(
        suggestions=[
            SuggestionRead(
                id=s.pic,
                organisation_id=s.organisation_id,
                name=s.name,
                country=s.country,
                score=s.score,
                reasons=list(s.reasons),
            )
            for s in found
        ]
    )
