"""Partner suggestions: the question and the answer."""

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from clusterbridge.api.schemas.eligibility import PartnerIn
from clusterbridge.engines.matching.profile import MAX_TOP
from clusterbridge.services.matching.questions import (
    DEFAULT_TOP,
    MAX_IDEA_CHARS,
    Answer,
    Seeking,
    Suggestion,
    seeking,
)


class SuggestionQuestion(BaseModel):
    """A consortium (partners as in a consortium file: a registry PIC alone is enough), an
    optional idea and call."""

    model_config = ConfigDict(extra="forbid")

    partners: list[PartnerIn] = Field(min_length=1, max_length=500)
    idea: str = Field(default="", max_length=MAX_IDEA_CHARS)
    call_id: str | None = Field(default=None, max_length=100)
    strand: str | None = Field(default=None, max_length=40)
    top: StrictInt = Field(default=DEFAULT_TOP, ge=1, le=MAX_TOP)
    kind: str | None = Field(default=None, max_length=40)
    new_only: StrictBool = False
    countries: list[str] = Field(default_factory=list, max_length=60)
    region_categories: list[str] = Field(default_factory=list, max_length=3)

    def wanted(self) -> Seeking:
        """The kind of partner sought (InvalidInputError names every bad value)."""
        return seeking(
            kind=self.kind,
            new_only=self.new_only,
            countries=self.countries,
            region_categories=self.region_categories,
        )


class SuggestionRead(BaseModel):
    """One suggestion; ``id`` is the PIC (null for records without one); ``score`` is a
    match from 0 to 100 on the same scale in every question, ``band`` strong, good or weak;
    ``past_partner`` whether it was in a project with the organisation asking or a member
    (what ``new_only`` leaves out)."""

    id: str | None
    organisation_id: int
    name: str
    country: str
    score: int
    band: str
    reasons: list[str]
    past_partner: bool


class SuggestionList(BaseModel):
    """Suggestions, strongest match first; when there are none, ``note`` says why (the
    registry has no organisation of the kind asked, or none of them fits the question).
    ``newcomers``: registered here, no projects yet."""

    suggestions: list[SuggestionRead]
    note: str | None = None
    newcomers: list[SuggestionRead] = Field(
        default_factory=list,
        description=(
            "Registered here, no projects yet: at most 5 organisations the same question "
            "allows (same kind and filters, never a member nor a competitor) that have no past "
            "projects, are not among the suggestions and declare technologies that match it (in "
            "a question without technologies, whose own description matches the idea or the "
            "members' work); by match, then in a member's region first, then by id. Their "
            "reasons say what they declare. The learned ranker reads mostly past projects, so "
            "such organisations rarely make the suggestions."
        ),
    )


def suggestions_of(found: Answer, *, note: str | None = None) -> SuggestionList:
    """The service's suggestions and newcomers as the API answers them; ``note`` when there
    are no suggestions."""
    return SuggestionList(
        note=None if found.suggestions else note,
        suggestions=[_read(s) for s in found.suggestions],
        newcomers=[_read(s) for s in found.newcomers],
    )


def _read(s: Suggestion) -> SuggestionRead:
    return SuggestionRead(
        id=s.pic,
        organisation_id=s.organisation_id,
        name=s.name,
        country=s.country,
        score=s.score,
        band=s.band,
        reasons=list(s.reasons),
        past_partner=s.past_partner,
    )
